"""The Chinese interface in a real browser: overview, indicator (chart, verdicts, drill-through), registries,
the data form keeping its input after an error, the audit log and the account page, and a phone-width screen.

Every page is also checked for English words (tests.web.latin). Screenshots are kept in
test-artifacts/browser-zh/.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.web.conftest import PASSWORD
from tests.web.latin import latin_words
from tests.web.live_server import live_server
from tests.web.test_browser import browser  # noqa: F401 - the shared Chromium fixture

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser-zh"


def chinese_page(browser, errors: list[str]):  # noqa: ANN001, ANN201
    """A desktop-sized Chromium context that asks for Chinese, and its page; page errors go to ``errors``."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN",
                                  extra_http_headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    return context, page


def sign_in(page, base: str, user: str) -> None:  # noqa: ANN001
    page.goto(f"{base}/login")
    page.fill("#username", user)
    page.fill("#password", PASSWORD)
    page.locator("button[type=submit]").last.click()
    page.wait_for_url(f"{base}/")


def no_english(page) -> None:  # noqa: ANN001
    words = latin_words(page.content())
    assert not words, f"{page.url}: {sorted(words)}"


def test_chinese_pages_in_chromium(browser, registry_settings, tmp_path: Path) -> None:  # noqa: ANN001, F811
    from scicity.web.app import create_app

    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    errors: list[str] = []
    with live_server(create_app(registry_settings)) as base:
        context, page = chinese_page(browser, errors)
        sign_in(page, base, "analyst")
        assert page.locator("html").get_attribute("lang") == "zh-Hans"
        assert "趋势外推法" in page.locator("#method").inner_text()
        no_english(page)
        page.screenshot(path=ARTIFACTS / "01-overview.png", full_page=True)

        # the overview's method carries to the indicator page
        page.goto(f"{base}/?method=eurostat")
        page.locator("#row-rd_intensity a").first.click()
        page.wait_for_selector("#chart[data-ready='1']", timeout=20_000)
        assert "method=eurostat" in page.url
        assert "欧盟统计局增长比法" in page.locator("main > p.muted").first.inner_text()
        assert page.locator(".verdict.chosen").get_attribute("id") == "verdict-eurostat"
        page.locator("#verdict-eurostat details summary").click()
        no_english(page)
        page.screenshot(path=ARTIFACTS / "02-indicator.png", full_page=True)

        page.goto(f"{base}/indicators/key_labs")
        page.locator("#entities").wait_for()
        assert "重点实验室" in page.locator("#entities").inner_text()
        no_english(page)
        page.screenshot(path=ARTIFACTS / "03-drill-through.png", full_page=True)

        for kind in ("enterprises", "talent", "patents"):
            page.goto(f"{base}/registries/{kind}")
            page.locator("#registry-table").wait_for()
            no_english(page)
            page.screenshot(path=ARTIFACTS / f"04-registry-{kind}.png", full_page=True)
        assert "发明专利" in page.locator("#registry-table").inner_text()

        # "Enter or correct a value" preselects; a value like 12% comes back with the reason, input kept
        page.goto(f"{base}/indicators/top_talent")
        page.locator("a[href^='/data?indicator=top_talent']").click()
        assert page.locator("#v-indicator").input_value() == "top_talent"
        page.fill("#v-value", "12%")
        page.fill("#v-source", "人才办 2026 年报")
        page.locator("#v-value").evaluate("e => e.form.requestSubmit()")
        page.locator("#value-error").wait_for()
        assert page.locator("#v-value").input_value() == "12%"
        assert page.locator("#v-source").input_value() == "人才办 2026 年报"
        assert page.locator("#v-indicator").input_value() == "top_talent"
        no_english(page)
        page.screenshot(path=ARTIFACTS / "05-data-form-error.png", full_page=True)
        page.fill("#v-value", "12")
        page.locator("#v-value").evaluate("e => e.form.requestSubmit()")
        page.locator("#flash-message").wait_for()
        assert "已保存" in page.locator("#flash-message").inner_text()

        # the audit log: an empty date is no filter, a bad one is named; paging
        page.goto(f"{base}/audit?since=&until=")
        assert page.locator("#audit-table tbody tr").count() >= 1
        no_english(page)
        page.screenshot(path=ARTIFACTS / "06-audit.png", full_page=True)

        # the account page: a wrong current password is refused on the page; a token is made
        page.goto(f"{base}/account")
        page.fill("#pw-current", "not my password")
        page.fill("#pw-new", "a-new-long-password")
        page.fill("#pw-repeat", "a-new-long-password")
        page.locator("#password-button").click()
        page.locator("#password-error").wait_for()
        no_english(page)
        page.screenshot(path=ARTIFACTS / "07-account-error.png", full_page=True)
        page.fill("#token-name", "统计脚本")
        page.locator("#token-button").click()
        assert page.locator("#new-token").inner_text().startswith("sct_")
        page.goto(f"{base}/account")
        assert "统计脚本" in page.locator("#token-table").inner_text()
        page.screenshot(path=ARTIFACTS / "08-account.png", full_page=True)
        context.close()

        # a phone-width screen
        phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN",
                                    extra_http_headers={"Accept-Language": "zh-CN"})
        page = phone.new_page()
        sign_in(page, base, "viewer")
        page.screenshot(path=ARTIFACTS / "09-phone-overview.png", full_page=False)
        page.goto(f"{base}/registries/enterprises")
        page.screenshot(path=ARTIFACTS / "10-phone-registry.png", full_page=False)
        phone.close()
    assert not errors, "\n".join(errors)
