"""Exchange pages and API: the public catalogue, a transfer office publishes, an enterprise posts a need in the
other language, both are told of the fit with its explanation, the deal moves to a registered contract;
an enterprise cannot read another enterprise's private need; HTML in text is escaped."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient

from scicity.domain.exchange import Achievement, Need, Publication
from scicity.store import Database, UserRepository
from scicity.store.exchange import ExchangeRepository
from scicity.store.exchange_deals import DealRepository
from tests.web.conftest import PASSWORD, csrf_of, login


@pytest.fixture
def platform(make_app, web_settings):  # noqa: ANN001, ANN201
    db = Database(web_settings.database_url)
    users = UserRepository(db)
    deals = DealRepository(db)
    for name, org, kind in (("tto", "UNI-A", "institution"), ("ent1", "ENT-1", "enterprise"),
                            ("ent2", "ENT-2", "enterprise")):
        user = users.create(name, PASSWORD, "viewer", actor="test", display_name=name)
        deals.set_member(user.id, org, kind, email=f"{name}@example.invalid")
    repo = ExchangeRepository(db)
    repo.save(Need(code="N-PRIVATE", enterprise="ENT-2", title_zh="保密需求：电池隔膜", status=Publication.DRAFT),
              actor="test")
    repo.save(Achievement(code="A-HTML", owner="UNI-A", title_en="<script>alert(1)</script> coating",
                          status=Publication.PUBLISHED), actor="test")
    app = make_app(exchange_embeddings=False)
    yield app, db
    db.dispose()


def client(app, name: str | None) -> TestClient:  # noqa: ANN001
    c = TestClient(app, follow_redirects=False)
    return login(c, name) if name else c


def post(c: TestClient, path: str, data: dict) -> object:
    csrf = csrf_of(c.get("/exchange").text)
    return c.post(path, data={**data, "csrf_token": csrf})


def test_catalogue_is_public_and_escapes_html(platform):  # noqa: ANN001
    app, _db = platform
    page = client(app, None).get("/exchange")
    assert page.status_code == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt; coating" in page.text and "<script>alert(1)" not in page.text
    assert "保密需求" not in page.text


def test_enterprise_cannot_read_another_enterprises_private_need(platform):  # noqa: ANN001
    app, _db = platform
    other, owner = client(app, "ent1"), client(app, "ent2")
    assert other.get("/api/v1/exchange/needs/N-PRIVATE").status_code == 404
    assert "N-PRIVATE" not in {n["code"] for n in other.get("/api/v1/exchange/needs").json()}
    assert other.get("/exchange/match?need=N-PRIVATE").status_code == 404
    assert owner.get("/api/v1/exchange/needs/N-PRIVATE").json()["title_zh"] == "保密需求：电池隔膜"
    assert client(app, "analyst").get("/api/v1/exchange/needs/N-PRIVATE").status_code == 200  # operator


def test_publish_match_interest_and_deal_to_registered_contract(platform):  # noqa: ANN001
    app, db = platform
    tto, ent, operator = client(app, "tto"), client(app, "ent1"), client(app, "analyst")
    made = post(tto, "/exchange/new/achievements", {
        "code": "A-NCM", "title_zh": "高镍单晶正极材料", "title_en": "Single-crystal high-nickel cathode",
        "text_zh": "熔盐烧结抑制动力电池正极颗粒开裂，提升能量密度", "field": "new energy", "trl": "6"})
    assert made.status_code == 303
    assert post(operator, "/exchange/achievements/A-NCM/publish", {}).status_code == 303
    assert "A-NCM" in client(app, None).get("/exchange").text
    posted = post(ent, "/exchange/new/needs", {
        "code": "N-EV", "title_en": "Cathode cracking in EV cells",
        "text_en": "High-nickel cathode particles crack after long cycling; we need higher energy density",
        "field": "new energy", "trl": "5"})
    assert posted.status_code == 303 and posted.headers["location"] == "/exchange/match?need=N-EV"
    page = ent.get("/exchange/match?need=N-EV")
    assert page.status_code == 200 and "A-NCM" in page.text and "same field: new energy" in page.text
    deals = DealRepository(db)
    told_tto = [n for n in deals.notifications("UNI-A") if n.kind == "fit"]
    told_ent = [n for n in deals.notifications("ENT-1") if n.kind == "fit"]
    assert told_tto and told_ent and "same field: new energy" in told_ent[0].body
    assert post(ent, "/exchange/interest", {"achievement": "A-NCM", "need": "N-EV"}).status_code == 303
    (deal,) = [d for d in deals.list(org="ENT-1")]
    assert post(client(app, "ent2"), f"/exchange/deals/{deal.code}/move", {"stage": "contacted"}).status_code == 403
    assert post(tto, f"/exchange/deals/{deal.code}/move", {"stage": "signed"}).status_code == 400  # skips stages
    today = date.today().isoformat()
    for stage in ("contacted", "negotiating", "signed"):
        assert post(tto, f"/exchange/deals/{deal.code}/move", {"stage": stage, "on": today}).status_code == 303
    done = post(tto, f"/exchange/deals/{deal.code}/move", {"stage": "registered", "on": today,
                                                         "contract_code": "TC-2026-1", "contract_type": "transfer",
                                                         "amount": "350"})
    assert done.status_code == 303
    assert ExchangeRepository(db).get("contracts", "TC-2026-1").amount == 350
    assert ExchangeRepository(db).get("needs", "N-EV").closed
    assert "TC-2026-1" in ent.get("/exchange/deals").text
