"""The application in a real browser: Playwright (Python) driving Debian's Chromium against a live Uvicorn.

Sign in; read the overview; open an indicator (chart drawn); upload an XLSX
with one bad cell and see the error; fix it and upload; approve as another
user; see the overview change; switch to Chinese. Screenshots are kept in
test-artifacts/ (git-ignored).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import Workbook

from tests.environment import unavailable
from tests.web.conftest import PASSWORD
from tests.web.live_server import live_server

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"


@pytest.fixture(scope="module")
def browser():  # noqa: ANN201
    if not CHROMIUM.exists():
        message = "Debian chromium is not installed at /usr/bin/chromium (apt-get install chromium)"
        unavailable(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield b
        b.close()


def xlsx(path: Path, value: object) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(["indicator", "unit", "period", "value", "source"])
    sheet.append(["top_talent", "wcsc", 2025, value, "talent office 2026 report"])
    sheet.append(["young_talent", "wcsc", 2025, 720, "talent office 2026 report"])
    book.save(path)
    return path


def sign_in(page, base: str, user: str) -> None:  # noqa: ANN001
    page.goto(f"{base}/login")
    page.get_by_label("User name").fill(user)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/")


def test_the_whole_round_in_chromium(browser, make_app, tmp_path: Path) -> None:  # noqa: ANN001
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    errors: list[str] = []
    with live_server(make_app()) as base:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))

        # sign in as the data provider and read the overview
        sign_in(page, base, "provider")
        row = page.locator("#row-top_talent")
        before = row.locator(".latest").inner_text()
        assert "Major sci-tech infrastructure facilities" in page.content()
        assert page.locator(".count-list .badge").count() >= 2
        page.screenshot(path=ARTIFACTS / "01-overview.png", full_page=True)

        # open an indicator: the chart is drawn, every method gives its verdict
        page.get_by_role("link", name="Top talent introduced and cultivated").click()
        page.wait_for_selector("#chart[data-ready='1']", timeout=20_000)
        assert page.locator("#chart svg, #chart canvas").count() >= 1
        from scicity.assess import methods

        assert page.locator(".verdict").count() == len(methods())
        page.screenshot(path=ARTIFACTS / "02-indicator.png", full_page=True)

        # upload an XLSX with one bad cell: the error names it, nothing is stored
        page.goto(f"{base}/data")
        page.set_input_files("#file", str(xlsx(tmp_path / "bad.xlsx", "12%")))
        page.get_by_role("button", name="Check the file (dry run)").click()
        problems = page.locator("#problems")
        problems.wait_for()
        text = problems.inner_text()
        assert "1 problem(s)" in text and "row 2" in text and "without the % sign" in text
        assert page.locator("table.sheet td.bad").count() == 1
        page.screenshot(path=ARTIFACTS / "03-upload-error.png", full_page=True)

        # fix it and upload: dry run, then confirm
        page.set_input_files("#file", str(xlsx(tmp_path / "good.xlsx", 12)))
        page.get_by_role("button", name="Check the file (dry run)").click()
        page.locator("#preview").wait_for()
        assert "2 changed" in page.locator("#preview").inner_text()
        page.screenshot(path=ARTIFACTS / "04-upload-preview.png", full_page=True)
        page.locator("#confirm-upload").click()
        assert "stored 0 new and 2 changed values as submitted" in page.locator("#flash-message").inner_text()

        # not approved yet: the overview has not changed
        page.goto(f"{base}/")
        assert page.locator("#row-top_talent .latest").inner_text() == before
        assert "pending" in page.locator("#row-top_talent").inner_text()
        page.get_by_role("button", name="Sign out").click()

        # approve as another user
        sign_in(page, base, "analyst")
        page.goto(f"{base}/approval")
        assert page.locator("#approval-table tbody tr").count() == 2
        page.screenshot(path=ARTIFACTS / "05-approval.png", full_page=True)
        for _ in range(2):
            page.locator("button.approve").first.click()
            page.wait_for_url(f"{base}/approval")
            assert page.locator("#flash-message").inner_text() == "approved"
        assert "Nothing is waiting." in page.content()

        # the overview changed
        page.goto(f"{base}/")
        after = page.locator("#row-top_talent .latest").inner_text()
        assert after != before and after.startswith("32")  # 4+5+5+6 (2021–2024) + 12 (2025)
        page.screenshot(path=ARTIFACTS / "06-overview-after.png", full_page=True)

        # switch to Chinese: saved with the user
        page.select_option("#lang-select", "zh")
        page.get_by_role("button", name="Switch").click()
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == "zh-Hans"
        assert "总览" in page.locator("header nav").inner_text()
        assert "顶尖人才" in page.content()
        page.screenshot(path=ARTIFACTS / "07-overview-zh.png", full_page=True)
        page.goto(f"{base}/indicators/rd_intensity")
        page.wait_for_selector("#chart[data-ready='1']", timeout=20_000)
        page.screenshot(path=ARTIFACTS / "08-indicator-zh.png", full_page=True)

        # keyboard: the skip link is the first stop
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.className") == "skip"
        context.close()
    assert not [e for e in errors if "favicon" not in e and "status of 422" not in e], "\n".join(errors)
