"""The Reports page in Chromium: create a draft, write a section (with markup and Chinese), preview, freeze, publish, download."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.web.live_server import live_server
from tests.web.test_browser import ARTIFACTS, browser, sign_in  # noqa: F401  (the browser fixture)

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
SHOTS = ARTIFACTS.parent / "reports"


def test_reports_page_in_chromium(browser, make_app, tmp_path: Path) -> None:  # noqa: ANN001, F811
    SHOTS.mkdir(parents=True, exist_ok=True)
    errors: list[str] = []
    with live_server(make_app()) as base:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB", accept_downloads=True)
        page = context.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        sign_in(page, base, "analyst")
        page.goto(f"{base}/reports")
        page.locator("#kind").select_option("final")
        page.locator("#as_of").fill("2025")
        page.locator("#title").fill("“十四五”科技创新规划实施情况总结评估（送审稿）")
        page.locator("form[action='/reports'] button[type=submit]").click()
        page.wait_for_url(f"{base}/reports/*")
        draft_url = page.url
        page.locator("#text_zh_0").fill("一是<b>高端人才</b>引进不足；二是……。\n\n原因：政策兑现周期较长。")
        page.locator("#text_en_0").fill("First, too few top talents were brought in.")
        page.locator("form.sections button[type=submit]").click()
        page.wait_for_url(f"{draft_url}#sections")
        assert page.locator("#text_zh_0").input_value().startswith("一是<b>高端人才</b>")
        page.screenshot(path=SHOTS / "01-draft.png", full_page=True)

        preview = context.new_page()
        preview.goto(f"{draft_url}/preview?lang=zh")
        assert preview.locator("h2", has_text="主要指标完成情况").count() == 1
        assert preview.locator("table.indicators tbody tr").count() == 18
        assert "一是<b>高端人才</b>引进不足" in preview.locator(".office").first.inner_text()  # shown as text
        assert preview.locator(".office b").count() == 0
        assert preview.locator("svg").count() >= 18
        preview.screenshot(path=SHOTS / "02-preview-zh.png", full_page=False)
        preview.close()

        with page.expect_download() as info:
            page.locator("a[href$='file.docx?lang=zh']").click()
        assert info.value.suggested_filename.endswith("-v1-zh.docx")
        page.get_by_role("button", name="Freeze the numbers").click()
        page.wait_for_url(draft_url)
        assert "frozen" in page.locator("h1").inner_text()
        page.get_by_role("button", name="Publish").click()
        page.wait_for_url(draft_url)
        assert "published" in page.locator("h1").inner_text()
        assert page.locator("form.sections").count() == 0
        page.screenshot(path=SHOTS / "03-published.png", full_page=True)
        page.goto(f"{base}/reports")
        page.screenshot(path=SHOTS / "04-list.png", full_page=True)
        context.close()
    assert not errors, errors
