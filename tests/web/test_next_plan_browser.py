"""The Next-plan workspace in Chromium: draft the 15th, type a target and watch its odds and the checks change, save,
comment, consult, adopt; the overview then judges the 15th and the 14th is one click away. Screenshots in
test-artifacts/next-plan/."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.web.conftest import PASSWORD
from tests.web.live_server import live_server
from tests.web.test_browser import ARGS, CHROMIUM, browser, sign_in  # noqa: F401  (the browser fixture)

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "next-plan"


def test_next_plan_in_chromium(browser, make_app) -> None:  # noqa: ANN001, F811
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    errors: list[str] = []
    with live_server(make_app()) as base:
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-GB")
        page = context.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        sign_in(page, base, "analyst")
        page.get_by_role("link", name="Next plan").click()
        page.get_by_role("button", name="Draft it").click()
        page.wait_for_url(f"{base}/next-plan/wcsc-15fyp-sti")
        page.screenshot(path=ARTIFACTS / "01-workspace.png", full_page=True)

        odds = page.locator("#odds-high_tech_enterprises .p-meet")
        before = odds.inner_text()
        field = page.locator("#v-high_tech_enterprises")
        field.fill("99999")
        expect(odds).to_have_text("0 %")
        assert page.locator("#checks").get_by_text("exceeds").count() == 1  # the checks updated at once
        page.locator("#t-high_tech_enterprises").screenshot(path=ARTIFACTS / "02-typed-too-high.png")
        page.locator("#checks").screenshot(path=ARTIFACTS / "03-checks.png")
        field.fill("560")
        expect(odds).not_to_have_text("0 %")
        assert page.locator("#checks").get_by_text("exceeds").count() == 0
        assert odds.inner_text() != before  # 560 is safer than the stretch proposal
        page.locator("#t-high_tech_enterprises").get_by_role("button", name="Save").click()
        page.wait_for_url(re.compile(r".*/next-plan/wcsc-15fyp-sti#t-high_tech_enterprises"))
        assert "r2" in page.locator("#t-high_tech_enterprises").inner_text()

        page.locator("#c-high_tech_enterprises").fill("Peer B reached 720: keep 560 as the safe floor")
        page.locator("#t-high_tech_enterprises").get_by_role("button", name="Comment").click()
        page.wait_for_load_state()
        assert "keep 560" in page.locator("#t-high_tech_enterprises").inner_text()
        page.get_by_role("button", name="Put to consultation").click()
        page.wait_for_load_state()
        assert page.locator("#draft-state").inner_text() == "consultation"
        page.screenshot(path=ARTIFACTS / "04-consultation.png", full_page=True)
        page.get_by_role("button", name="Adopt: make it the default plan").click()
        page.wait_for_url(f"{base}/next-plan")
        page.screenshot(path=ARTIFACTS / "05-adopted-side-by-side.png", full_page=True)
        assert page.locator("#side-by-side tbody tr").count() == 18

        page.goto(f"{base}/")
        assert "15th Five-Year Plan" in page.content()
        page.screenshot(path=ARTIFACTS / "06-overview-15th.png", full_page=True)
        page.goto(f"{base}/next-plan")
        page.locator("#last-plan-link").click()
        page.wait_for_load_state()
        assert "14th Five-Year Plan" in page.content()
        page.screenshot(path=ARTIFACTS / "07-overview-14th-final.png", full_page=True)
        context.close()
        zh = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
        page = zh.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{base}/login")
        page.locator("input[name=username]").fill("viewer")
        page.locator("input[name=password]").fill(PASSWORD)
        page.locator("form[action='/login'] button[type=submit]").click()
        page.wait_for_load_state()
        page.goto(f"{base}/next-plan/wcsc-15fyp-sti")
        assert "下期规划" in page.content() and "目标之间的一致性检查" in page.content()
        page.screenshot(path=ARTIFACTS / "08-workspace-zh-viewer.png", full_page=True)
        zh.close()
    assert not errors, errors
