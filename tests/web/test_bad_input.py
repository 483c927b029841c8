"""Bad input: wrong passwords, other departments' indicators, forged forms, bad and huge uploads,
markup in texts, SQL metacharacters in filters, a session that expires in the middle of an upload."""

from __future__ import annotations

import io
import time

import pytest
from fastapi.testclient import TestClient

from scicity.store import Database, ObservationRepository
from scicity.web.sessions import ClockSigner
from tests.web.conftest import PASSWORD, csrf_of, page_csrf


def count_rows(settings) -> int:  # noqa: ANN001
    return len(ObservationRepository(Database(settings.database_url)).all_latest_for_export(None, statuses=None))


def test_many_wrong_passwords_are_rate_limited(client_for) -> None:  # noqa: ANN001
    client = client_for(None)
    codes = []
    for _ in range(7):
        r = client.post("/login", data={"username": "analyst", "password": "wrong-password", "csrf_token": page_csrf(client)})
        codes.append(r.status_code)
    assert codes[:5] == [401] * 5
    assert codes[5:] == [429, 429]
    # even the right password waits now, and the answer says how long
    r = client.post("/login", data={"username": "analyst", "password": PASSWORD, "csrf_token": page_csrf(client)})
    assert r.status_code == 429 and "try again in about" in r.text and int(r.headers["retry-after"]) > 0
    # another user name from the same address is not blocked
    r = client.post("/login", data={"username": "viewer", "password": PASSWORD, "csrf_token": page_csrf(client)})
    assert r.status_code == 303


def test_provider_cannot_report_another_departments_indicator(client_for, web_settings) -> None:  # noqa: ANN001
    client = client_for("provider")
    before = count_rows(web_settings)
    form = {"indicator": "rd_expenditure", "unit": "wcsc", "period": "2024", "value": "600", "csrf_token": page_csrf(client)}
    r = client.post("/data/value", data=form)
    assert r.status_code == 403 and "does not report R&amp;D expenditure (rd_expenditure)" in r.text
    assert 'id="value-error"' in r.text and 'value="600"' in r.text  # the page again, with what was typed
    r = client.post("/api/v1/observations", headers={"X-CSRF-Token": page_csrf(client)},
                    json={"observations": [{"indicator": "rd_expenditure", "unit": "wcsc", "period": 2024, "value": 600}]})
    assert r.status_code == 403
    csv = b"indicator,unit,period,value\ntop_talent,wcsc,2024,9\nrd_expenditure,wcsc,2024,600\n"
    r = client.post("/data/upload", data={"csrf_token": page_csrf(client)}, files={"file": ("x.csv", csv, "text/csv")})
    assert r.status_code == 403 and 'id="data-error"' in r.text
    assert '<strong title="rd_expenditure">R&amp;D expenditure</strong>: Western (Chongqing) Science City 2024</li>' in r.text
    assert count_rows(web_settings) == before
    # their own indicator is fine
    form["indicator"] = "top_talent"
    assert client.post("/data/value", data=form).status_code == 303


def test_forged_forms_without_csrf_token_are_refused(client_for, web_settings) -> None:  # noqa: ANN001
    client = client_for("analyst")
    before = count_rows(web_settings)
    form = {"indicator": "grp", "unit": "wcsc", "period": "2024", "value": "1"}
    assert client.post("/data/value", data=form).status_code == 403
    assert client.post("/data/value", data={**form, "csrf_token": "forged"}).status_code == 403
    r = client.post("/api/v1/observations", json={"observations": [{"indicator": "grp", "unit": "wcsc", "period": 2024, "value": 1}]})
    assert r.status_code == 403 and "security token" in r.json()["detail"]
    anonymous = client_for(None)
    assert anonymous.post("/login", data={"username": "analyst", "password": PASSWORD}).status_code == 403
    assert count_rows(web_settings) == before


def test_upload_that_is_not_a_spreadsheet_gets_a_clear_error(client_for, web_settings) -> None:  # noqa: ANN001
    client = client_for("analyst")
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10
    r = client.post("/data/upload", data={"csrf_token": page_csrf(client)}, files={"file": ("photo.png", png, "image/png")})
    assert r.status_code == 422
    assert "nothing was imported" in r.text and "UTF-8" in r.text
    assert not list((web_settings.data_dir / "uploads").iterdir())


def test_100_mb_upload_is_refused_while_streaming(make_app, web_settings) -> None:  # noqa: ANN001
    from tests.web.conftest import login

    client = login(TestClient(make_app(), follow_redirects=False), "analyst")
    csrf = page_csrf(client)
    big = io.BytesIO(b"a" * (100 * 1024 * 1024))
    started = time.monotonic()
    r = client.post("/data/upload", data={"csrf_token": csrf}, files={"file": ("big.csv", big, "text/csv")})
    assert r.status_code == 413 and "larger than the limit of 20 MB" in r.text
    assert time.monotonic() - started < 30

    def chunks():  # no Content-Length: the limit must hold while the body streams in
        boundary = b"--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.csv\"\r\n\r\n"
        yield boundary
        for _ in range(30):
            yield b"b" * (1024 * 1024)

    r = client.post("/data/upload", content=chunks(), headers={"content-type": "multipart/form-data; boundary=x",
                                                               "x-csrf-token": csrf})
    assert r.status_code == 413
    uploads = web_settings.data_dir / "uploads"
    assert not uploads.exists() or not list(uploads.iterdir())


def test_markup_in_comments_and_names_is_escaped(client_for) -> None:  # noqa: ANN001
    admin = client_for("admin")
    evil = "<script>alert('x')</script>"
    r = admin.post("/admin/users", data={"username": "mallory", "password": "a-long-password-1", "role": "viewer",
                                         "display_name": evil, "csrf_token": page_csrf(admin)})
    assert r.status_code == 303
    page = admin.get("/admin").text
    assert evil not in page and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
    provider = client_for("provider")
    provider.post("/data/value", data={"indicator": "top_talent", "unit": "wcsc", "period": "2024", "value": "9",
                                       "source": evil, "csrf_token": page_csrf(provider)})
    analyst = client_for("analyst")
    html = analyst.get("/approval").text
    assert evil not in html and "&lt;script&gt;" in html
    row_id = int(html.split('id="obs-')[1].split('"')[0])
    r = analyst.post(f"/approval/{row_id}/return", data={"comment": evil, "csrf_token": page_csrf(analyst)})
    assert r.status_code == 303
    html = analyst.get("/indicators/top_talent").text
    assert evil not in html and "&lt;script&gt;" in html
    # a user name with markup is refused outright
    r = admin.post("/admin/users", data={"username": "<b>x</b>", "password": "a-long-password-1", "role": "viewer",
                                         "csrf_token": page_csrf(admin)})
    assert r.status_code == 400 and "<b>x</b>" not in r.text


@pytest.mark.parametrize("value", ["' OR 1=1 --", "x'; DROP TABLE observations; --", "\" OR \"\"=\"", "%' OR '%'='"])
def test_sql_metacharacters_in_filters_are_just_text(client_for, web_settings, value: str) -> None:  # noqa: ANN001
    client = client_for("analyst")
    before = count_rows(web_settings)
    r = client.get("/audit", params={"actor": value, "indicator": value})
    assert r.status_code == 200 and "No events match." in r.text
    assert client.get("/api/v1/audit", params={"actor": value}).json() == []
    assert client.get("/api/v1/observations", params={"indicator": value, "unit": value}).json() == []
    assert client.get("/api/v1/indicators/x/series", params={"unit": value}).status_code == 404
    assert client.get("/", params={"method": value}).status_code == 400
    assert client.get("/", params={"as_of": value}).status_code == 422
    assert count_rows(web_settings) == before


def test_session_expiring_mid_upload_writes_nothing(client_for, web_settings, monkeypatch) -> None:  # noqa: ANN001
    client = client_for("provider")
    before = count_rows(web_settings)
    csv = b"indicator,unit,period,value\ntop_talent,wcsc,2024,11\nyoung_talent,wcsc,2024,530\n"
    r = client.post("/data/upload", data={"csrf_token": page_csrf(client, "/data")}, files={"file": ("t.csv", csv, "text/csv")})
    assert r.status_code == 200 and "Dry run" in r.text
    upload_id = r.text.split('name="upload_id" value="')[1].split('"')[0]
    csrf = csrf_of(r.text)
    later = time.time() + web_settings.session_max_age + 60
    monkeypatch.setattr(ClockSigner, "clock", staticmethod(lambda: later))
    # the signature is checked against the (moved) clock: the session has expired
    import itsdangerous.timed

    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: later)
    r = client.post("/data/confirm", data={"upload_id": upload_id, "csrf_token": csrf})
    assert r.status_code in (401, 403)
    assert "expired" in r.text or "sign in" in r.text.lower()
    assert count_rows(web_settings) == before
