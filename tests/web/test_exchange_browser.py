"""The exchange pages in a real browser (Chromium): the public catalogue with demo-like records, a match page
with its explanations in Chinese and English, one-click interest. Screenshots in test-artifacts/browser/."""

from __future__ import annotations

import pytest

from scicity.domain.exchange import Achievement, Need, Publication, Terms
from scicity.store import Database, UserRepository
from scicity.store.exchange import ExchangeRepository
from scicity.store.exchange_deals import DealRepository
from tests.web.conftest import PASSWORD
from tests.web.live_server import live_server
from tests.web.test_browser import ARTIFACTS, browser, sign_in  # noqa: F401 - the module's browser fixture

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_catalogue_and_match_page(browser, make_app, web_settings):  # noqa: ANN001, F811
    db = Database(web_settings.database_url)
    user = UserRepository(db).create("ent", PASSWORD, "viewer", actor="t", display_name="Enterprise user")
    DealRepository(db).set_member(user.id, "ENT-1", "enterprise")
    repo = ExchangeRepository(db)
    repo.save(Achievement(code="A-NCM", owner="UNI-A", owner_name="科学城示例大学（示例）", title_zh="高镍单晶正极材料（示例）",
                          title_en="Single-crystal high-nickel cathode (synthetic)",
                          abstract_zh="熔盐烧结抑制动力电池正极颗粒开裂，提升能量密度", field="new energy", ipc=("H01M4",),
                          trl=6, terms=(Terms.LICENCE,), status=Publication.PUBLISHED), actor="t")
    repo.save(Achievement(code="A-SIC", owner="UNI-B", title_zh="碳化硅功率芯片（示例）", abstract_zh="1200V 沟槽栅 MOSFET",
                          field="integrated circuits", trl=6, status=Publication.PUBLISHED), actor="t")
    repo.save(Need(code="N-EV", enterprise="ENT-1", title_en="Cathode cracking in EV cells (synthetic)",
                   problem_en="High-nickel cathode particles crack after cycling; we need higher energy density",
                   field="new energy", ipc=("H01M10",), min_trl=7, budget=300, deadline=None,
                   status=Publication.PUBLISHED), actor="t")
    db.dispose()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with live_server(make_app(exchange_embeddings=True)) as base:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{base}/exchange")
        assert page.get_by_role("heading", name="Exchange platform").is_visible()
        assert page.get_by_text("高镍单晶正极材料（示例）").is_visible()
        page.screenshot(path=str(ARTIFACTS / "exchange-catalogue.png"), full_page=True)
        sign_in(page, base, "ent")
        page.goto(f"{base}/exchange/match?need=N-EV")
        first = page.locator("ol.matches > li").first
        assert "A-NCM" in first.inner_text()
        assert "same field: new energy" in first.inner_text()
        assert "TRL 6 is below the required 7" in first.inner_text()
        page.screenshot(path=str(ARTIFACTS / "exchange-match.png"), full_page=True)
        page.context.add_cookies([{"name": "scicity_lang", "value": "zh", "url": base}])
        page.goto(f"{base}/exchange/match?need=N-EV")
        assert "领域相同：新能源" in page.locator("ol.matches > li").first.inner_text()
        page.screenshot(path=str(ARTIFACTS / "exchange-match-zh.png"), full_page=True)
        page.context.clear_cookies(name="scicity_lang")
        page.goto(f"{base}/exchange/match?need=N-EV")
        page.locator("ol.matches > li").first.get_by_role("button").click()
        page.wait_for_url(f"{base}/exchange/deals")
        assert "A-NCM" in page.content()
        page.close()
