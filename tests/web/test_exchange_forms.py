"""Forms for experts, shared facilities and talent exchanges: an organisation's own, the operator's all;
input kept on a bad value, with the field named; organisations and units chosen by name."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from scicity.domain.exchange import Achievement, Publication
from scicity.store import Database, UserRepository
from scicity.store.exchange import ExchangeRepository
from scicity.store.exchange_deals import DealRepository
from tests.web.conftest import PASSWORD, csrf_of, login


@pytest.fixture
def platform(make_app, web_settings):  # noqa: ANN001, ANN201
    db = Database(web_settings.database_url)
    users, deals = UserRepository(db), DealRepository(db)
    for name, org, kind in (("tto", "UNI-A", "institution"), ("tto2", "UNI-B", "institution"),
                            ("ent1", "ENT-1", "enterprise")):
        user = users.create(name, PASSWORD, "viewer", actor="test", display_name=name)
        deals.set_member(user.id, org, kind)
    repo = ExchangeRepository(db)
    repo.save(Achievement(code="A-1", owner="UNI-A", owner_name="示例大学甲", title_zh="成果", status=Publication.PUBLISHED),
              actor="test")
    yield make_app(exchange_embeddings=False), db
    db.dispose()


def client(app, name: str) -> TestClient:  # noqa: ANN001
    return login(TestClient(app, follow_redirects=False), name)


def post(c: TestClient, kind: str, data: dict) -> object:
    return c.post(f"/exchange/records/{kind}", data={**data, "csrf_token": csrf_of(c.get("/exchange").text)})


def test_transfer_office_creates_and_edits_its_own_expert(platform):  # noqa: ANN001
    app, db = platform
    tto = client(app, "tto")
    page = tto.get("/exchange/records/experts/new?lang=zh")
    assert page.status_code == 200 and "示例大学甲" in page.text  # the organisation by name, not typed
    saved = post(tto, "experts", {"code": "EXP-1", "name": "张教授", "institution": "UNI-B", "field": "new energy",
                                  "unit": "science_avenue", "bio_zh": "动力电池正极材料"})
    assert saved.status_code == 303 and saved.headers["location"].startswith("/exchange/records/experts/EXP-1")
    expert = ExchangeRepository(db).get("experts", "EXP-1")
    assert expert.institution == "UNI-A" and expert.unit == "science_avenue"  # its own organisation, whatever was sent
    edit = tto.get("/exchange/records/experts/EXP-1")
    assert edit.status_code == 200 and "动力电池正极材料" in edit.text and 'value="science_avenue" selected' in edit.text
    assert post(tto, "experts", {"code": "EXP-1", "name": "张教授", "keywords": "正极; 单晶"}).status_code == 303
    assert ExchangeRepository(db).get("experts", "EXP-1").keywords == "正极; 单晶"
    # another transfer office neither reads nor changes it
    other = client(app, "tto2")
    assert other.get("/exchange/records/experts/EXP-1").status_code == 404
    assert post(other, "experts", {"code": "EXP-1", "name": "改名"}).status_code == 403
    assert ExchangeRepository(db).get("experts", "EXP-1").name == "张教授"


def test_bad_input_comes_back_with_what_was_typed(platform):  # noqa: ANN001
    app, db = platform
    tto = client(app, "tto")
    bad = post(tto, "facilities", {"code": "FAC-1", "name_zh": "场发射电镜", "kind": "instrument",
                                   "description": "对外共享", "hourly_rate": "-5"})
    assert bad.status_code == 400 and "hourly_rate" in bad.text
    assert "场发射电镜" in bad.text and "对外共享" in bad.text  # kept
    assert "FAC-1" not in ExchangeRepository(db).known("facilities", ["FAC-1"])
    missing = post(tto, "talent_exchanges", {"code": "TX-1", "person": "李工", "direction": "to_enterprise",
                                             "from_org": "UNI-A", "to_org": "ENT-1", "starts_on": "2026-02-30"})
    assert missing.status_code == 400 and "starts_on" in missing.text and "李工" in missing.text
    notmine = post(tto, "talent_exchanges", {"code": "TX-1", "person": "李工", "direction": "to_enterprise",
                                             "from_org": "UNI-B", "to_org": "ENT-1", "starts_on": "2026-03-01"})
    assert notmine.status_code == 400 and "from_org" in notmine.text
    ok = post(tto, "talent_exchanges", {"code": "TX-1", "person": "李工", "direction": "to_enterprise", "title": "科技副总",
                                        "from_org": "UNI-A", "to_org": "ENT-1", "starts_on": "2026-03-01", "hours": "240"})
    assert ok.status_code == 303
    assert ExchangeRepository(db).get("talent_exchanges", "TX-1").hours == 240
    assert client(app, "ent1").get("/exchange/records/talent_exchanges/TX-1").status_code == 200  # the other side


def test_operator_edits_every_record_and_chooses_the_organisation(platform):  # noqa: ANN001
    app, db = platform
    operator = client(app, "analyst")
    made = post(operator, "facilities", {"code": "FAC-2", "name_en": "Pilot line", "kind": "pilot_line", "owner": "UNI-A"})
    assert made.status_code == 303 and ExchangeRepository(db).get("facilities", "FAC-2").owner == "UNI-A"
    assert client(app, "tto").get("/exchange/records/facilities/FAC-2").status_code == 200
    assert client(app, "tto2").get("/exchange/records/facilities/FAC-2").status_code == 404
    assert operator.get("/exchange/records/widgets/new").status_code == 404


def test_facility_owner_records_a_booking_of_its_instrument(platform):  # noqa: ANN001
    app, db = platform
    tto = client(app, "tto")
    assert post(tto, "facilities", {"code": "FAC-9", "name_zh": "场发射电镜", "kind": "instrument"}).status_code == 303
    form = tto.get("/exchange/records/bookings/new?lang=zh")
    assert form.status_code == 200 and "设施仪器共享记录" in form.text and "场发射电镜" in form.text  # its own, by name
    bad = post(tto, "bookings", {"code": "BK-1", "facility": "FAC-9", "user_org": "ENT-1", "starts_on": "2026-13-01",
                                 "hours": "6"})
    assert bad.status_code == 400 and "starts_on" in bad.text and "BK-1" in bad.text  # input kept, field named
    too_long = post(tto, "bookings", {"code": "BK-1", "facility": "FAC-9", "user_org": "ENT-1", "starts_on": "2026-03-02",
                                      "hours": "-3"})
    assert too_long.status_code == 400 and "hours" in too_long.text
    assert "BK-1" not in ExchangeRepository(db).known("bookings", ["BK-1"])
    ok = post(tto, "bookings", {"code": "BK-1", "facility": "FAC-9", "user_org": "ENT-1", "starts_on": "2026-03-02",
                                "hours": "6.5"})
    assert ok.status_code == 303
    booking = ExchangeRepository(db).get("bookings", "BK-1")
    assert (booking.facility, booking.user_org, booking.hours) == ("FAC-9", "ENT-1", 6.5)
    assert client(app, "ent1").get("/exchange/records/bookings/BK-1").status_code == 200  # the user of the hours
    other = client(app, "tto2")  # another transfer office: neither reads it nor books on another's instrument
    assert other.get("/exchange/records/bookings/BK-1").status_code == 404
    refused = post(other, "bookings", {"code": "BK-2", "facility": "FAC-9", "user_org": "ENT-1",
                                       "starts_on": "2026-03-02", "hours": "2"})
    assert refused.status_code == 400 and "facility" in refused.text
    assert "BK-2" not in ExchangeRepository(db).known("bookings", ["BK-2"])
