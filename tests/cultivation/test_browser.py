"""The cultivation pages in a real browser over the demo registries: the funnel chart is drawn, the card reads."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.web.conftest import SECRET
from tests.web.live_server import live_server
from tests.web.test_browser import ARTIFACTS, browser, sign_in  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_funnel_pool_and_card_in_chinese(browser, tmp_path: Path, registry_db_file: Path):  # noqa: F811
    from scicity.settings import get_settings
    from scicity.web.app import create_app

    data_dir = tmp_path / "data"
    data_dir.mkdir()
    shutil.copy(registry_db_file, data_dir / "scicity.db")
    app = create_app(get_settings(data_dir=data_dir, secret_key=SECRET, database_url=""))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with live_server(app) as base:
        page = browser.new_page(viewport={"width": 1280, "height": 1500})
        page.set_default_timeout(240_000)
        sign_in(page, base, "viewer")
        page.goto(f"{base}/cultivation?year=2025")
        page.wait_for_selector("#funnel-chart svg, #funnel-chart canvas")
        assert page.locator("#tier-high_tech").count() == 1
        page.screenshot(path=str(ARTIFACTS / "cultivation-en.png"), full_page=True)
        page.context.add_cookies([{"name": "scicity_lang", "value": "zh", "url": base}])
        page.goto(f"{base}/cultivation/pool?tier=high_tech&year=2025")
        first = page.locator("#pool tbody tr a").first
        first.click()
        page.wait_for_selector("#card-high_tech")
        assert "达标差距" in page.content()
        page.screenshot(path=str(ARTIFACTS / "cultivation-card-zh.png"), full_page=True)
        page.close()
