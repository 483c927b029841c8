"""Control characters in any text input are refused at the edge with 422, on both stores; what is stored re-imports."""

from __future__ import annotations

from pathlib import Path

import pytest

from scicity.domain import ObservationKey
from scicity.ingest.detect import read_any
from scicity.reports.long_table import write_observations
from scicity.service.plans import resolve_plan
from scicity.store import Database, ObservationRepository
from tests.web.conftest import page_csrf

GETS = ["/api/v1/observations?indicator=a%00b", "/api/v1/observations?unit=%01", "/registries/enterprises?q=%00",
        "/api/v1/registries/enterprises?q=x%00", "/audit?actor=%00", "/api/v1/audit?actor=a%00",
        "/indicators/grp%00", "/api/v1/indicators/grp%00/series", "/?plan=%1b"]


def test_control_characters_in_the_address_are_refused(demo_client) -> None:  # noqa: ANN001
    analyst = demo_client("analyst")
    for path in GETS:
        r = analyst.get(path, headers={"accept": "application/json"})
        assert r.status_code == 422, (path, r.status_code, r.text[:300])
        assert "control character" in r.json()["detail"]


def test_control_characters_in_form_fields_and_json_are_refused(demo_client, demo_settings) -> None:  # noqa: ANN001
    anonymous = demo_client(None)
    csrf = page_csrf(anonymous)
    r = anonymous.post("/login", data={"username": "ad\x00min", "password": "x", "csrf_token": csrf, "next": "/"})
    assert r.status_code == 422 and "control character" in r.text
    analyst = demo_client("analyst")
    csrf = page_csrf(analyst, "/data")
    for field, value in (("source", "year\x00book"), ("source", "bell\x07"), ("unit", "wcsc\x00")):
        form = {"indicator": "grp", "unit": "wcsc", "period": "2023", "value": "1", "csrf_token": csrf, field: value}
        r = analyst.post("/data/value", data=form)
        assert r.status_code == 422, (field, r.status_code, r.text[:300])
    r = analyst.post("/goals/g1", data={"status": "achieved", "evidence": "note\x00", "csrf_token": page_csrf(analyst, "/goals")})
    assert r.status_code == 422
    token_headers = {"x-csrf-token": csrf}
    for source in ("x\x00y", "x\x01y", "x\ry"):
        r = analyst.post("/api/v1/observations", headers=token_headers, json={"observations": [
            {"indicator": "grp", "unit": "wcsc", "period": 2023, "value": 1.5, "source": source}]})
        assert r.status_code == 422, (repr(source), r.status_code, r.text[:300])
    db = Database(demo_settings.database_url)
    try:
        assert not any("\x00" in (o.source or "") or "\x01" in (o.source or "")
                       for o in ObservationRepository(db).history(ObservationKey("grp", "wcsc", 2023)))
    finally:
        db.dispose()


def test_what_the_api_stores_exports_and_reimports(demo_client, demo_settings, tmp_path: Path) -> None:  # noqa: ANN001
    analyst = demo_client("analyst")
    csrf = page_csrf(analyst, "/data")
    source = "统计年鉴\t2024, p. 3\nsecond line"
    r = analyst.post("/api/v1/observations", headers={"x-csrf-token": csrf}, json={"observations": [
        {"indicator": "grp", "unit": "wcsc", "period": 2023, "value": 1234.5, "source": source}]})
    assert r.status_code == 200, r.text
    db = Database(demo_settings.database_url)
    try:
        stored = ObservationRepository(db).history(ObservationKey("grp", "wcsc", 2023))[-1]
    finally:
        db.dispose()
    assert stored.source == source
    for suffix in (".csv", ".xlsx"):
        f = tmp_path / f"export{suffix}"
        write_observations(f, [stored])
        [again] = read_any(f, resolve_plan(None).plan)
        assert (again.value, again.source) == (1234.5, source)


HEADERS = [{"accept-language": "zh\x00"}, {"x-csrf-token": "a\x01b"}, {"user-agent": "bot\x7f"},
           {"authorization": "Bearer sct_\x00"}, {"cookie": "scicity_lang=zh\x01"},
           {"cookie": 'scicity_lang="\\000zh"'}, {"cookie": 'scicity_session="\\001"'}]


def test_control_characters_in_headers_and_cookies_are_refused(demo_client) -> None:  # noqa: ANN001
    anonymous = demo_client(None)
    analyst = demo_client("analyst")
    for headers in HEADERS:
        for client, path in ((anonymous, "/api/v1/plans"), (analyst, "/"), (analyst, "/api/v1/audit")):
            r = client.get(path, headers={**headers, "accept": "application/json"})
            assert r.status_code == 400, (headers, path, r.status_code, r.text[:300])
            assert "control character" in r.json()["detail"], r.text
            name = next(iter(headers))
            assert name in r.json()["detail"], r.text
        r = anonymous.post("/login", headers=headers, data={"username": "admin", "password": "x"})
        assert r.status_code == 400 and "control character" in r.text, (headers, r.status_code, r.text[:300])
    r = analyst.get("/api/v1/plans?lang=zh", headers={"user-agent": "bot\x00"})
    assert r.status_code == 400 and "控制字符" in r.json()["detail"], r.text
    assert analyst.get("/api/v1/plans", headers={"user-agent": "tab\tok"}).status_code == 200
