"""The geography map page in Chinese in a real browser (Debian Chromium through Playwright), the indicator page
at a unit, and the phone-width menu, cards and long names. Screenshots: test-artifacts/browser-geo/ (look at them)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.web.latin import latin_words
from tests.web.live_server import live_server
from tests.web.test_browser import browser  # noqa: F401 - the shared Chromium fixture
from tests.web.test_browser_chinese import chinese_page, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser-geo"
NO_OVERFLOW = "() => document.documentElement.scrollWidth <= window.innerWidth + 1"


def no_english(page) -> None:  # noqa: ANN001
    words = latin_words(page.content())
    assert not words, f"{page.url}: {sorted(words)}"


def test_geography_map_and_phone_menu_in_chromium(browser, registry_settings) -> None:  # noqa: ANN001, F811
    from scicity.web.app import create_app

    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    errors: list[str] = []
    with live_server(create_app(registry_settings)) as base:
        context, page = chinese_page(browser, errors)
        sign_in(page, base, "viewer")
        page.goto(f"{base}/geography")
        page.wait_for_selector("#geo-map[data-ready='1']", timeout=30_000)
        svg = page.locator("#geo-map svg")
        assert svg.count() == 1
        # the five districts drawn as shapes, the axis as a line, the centres' names as text
        assert page.locator("#geo-map svg path").count() >= 6
        text = svg.text_content()
        for name in ("北碚区", "沙坪坝区", "科学动力储备中心", "科技效能释放中心"):
            assert name in (text or ""), name
        box = page.locator("#geo-map svg").bounding_box()
        assert box and box["width"] > 400 and box["height"] > 300
        assert "Σ" in page.locator("#unit-wcsc").inner_text()
        no_english(page)
        page.screenshot(path=ARTIFACTS / "01-geography-map-zh.png", full_page=True)

        # the markers coloured by an indicator where the units have data
        page.select_option("#shade-indicator", "top_talent")
        page.locator("#map-shade button").click()
        page.wait_for_selector("#geo-map[data-ready='1']", timeout=30_000)
        assert "indicator=top_talent" in page.url
        assert "顶尖人才" in (page.locator("#geo-map svg").text_content() or "")  # the colour legend's title
        no_english(page)
        page.locator("#geo-map").screenshot(path=ARTIFACTS / "01b-map-coloured-by-indicator.png")

        # from a unit's figure to the indicator page at that unit
        link = page.locator("#unit-science_avenue a[href*='?unit=science_avenue']").first
        if link.count():
            link.click()
            page.wait_for_selector("#chart[data-ready='1']", timeout=20_000)
            assert page.locator("#unit").input_value() == "science_avenue"
            assert "科学大道创新发展轴" in page.locator("h1").inner_text()
            no_english(page)
            page.screenshot(path=ARTIFACTS / "02-indicator-at-unit.png", full_page=True)
        context.close()

        phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN",
                                    extra_http_headers={"Accept-Language": "zh-CN"})
        page = phone.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        sign_in(page, base, "viewer")
        button = page.locator("#menu-button")
        assert button.is_visible() and button.inner_text() == "菜单"
        assert not page.locator("#main-nav").is_visible()  # collapsed
        assert page.evaluate(NO_OVERFLOW)
        page.screenshot(path=ARTIFACTS / "03-phone-menu-closed.png")
        button.click()
        assert page.locator("#main-nav").is_visible() and button.get_attribute("aria-expanded") == "true"
        assert page.locator("#main-nav a[href='/geography']").is_visible()
        page.screenshot(path=ARTIFACTS / "04-phone-menu-open.png")
        page.locator("#main-nav a[href='/geography']").click()
        page.wait_for_selector("#geo-map[data-ready='1']", timeout=30_000)
        assert not page.locator("#main-nav").is_visible()  # a new page starts collapsed
        assert page.evaluate(NO_OVERFLOW)
        # a card keeps its field labels: the cell says what it is
        label = page.evaluate("() => getComputedStyle(document.querySelector('#unit-wcsc td[data-label]'), '::before').content")
        assert "最新值" in label
        page.screenshot(path=ARTIFACTS / "05-phone-geography.png", full_page=True)

        page.goto(f"{base}/registries/institutions")
        page.locator("#registry-table").wait_for()
        label = page.evaluate("() => getComputedStyle(document.querySelector('#registry-table td[data-label]'), '::before').content")
        assert label not in ("none", "normal", '""')
        page.screenshot(path=ARTIFACTS / "06-phone-registry-cards.png")

        # a very long indicator name at phone width: it wraps, the page does not scroll sideways
        page.goto(f"{base}/indicators/rd_intensity")
        page.evaluate("() => { document.querySelector('h1').firstChild.textContent ="
                      " '研究与试验发展经费投入强度'.repeat(12) + 'R&D_expenditure_intensity_without_any_break_'.repeat(4); }")
        assert page.evaluate(NO_OVERFLOW)
        page.screenshot(path=ARTIFACTS / "07-phone-long-name.png", full_page=False)
        phone.close()
    assert not errors, "\n".join(errors)
