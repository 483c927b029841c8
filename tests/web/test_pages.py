"""Pages as a browser gets them: compressed overview, languages, headers."""

from __future__ import annotations

import gzip

from tests.web.conftest import page_csrf


def test_overview_is_gzipped_when_asked_and_decompresses_to_the_same_page(client_for) -> None:  # noqa: ANN001
    client = client_for("viewer")
    plain = client.get("/", headers={"accept-encoding": "identity"})
    packed = client.get("/", headers={"accept-encoding": "gzip"})
    assert packed.headers["content-encoding"] == "gzip" and plain.headers.get("content-encoding") is None
    assert packed.text == plain.text  # httpx unpacks it
    assert "Major sci-tech infrastructure facilities" in packed.text


def test_secure_headers_are_set(client_for) -> None:  # noqa: ANN001
    r = client_for(None).get("/login")
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert r.headers["x-frame-options"] == "DENY" and r.headers["x-content-type-options"] == "nosniff"
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie


def test_language_from_accept_language_and_saved_choice(client_for) -> None:  # noqa: ANN001
    anonymous = client_for(None)
    assert 'lang="zh-Hans"' in anonymous.get("/login", headers={"accept-language": "zh-CN,zh;q=0.9"}).text
    viewer = client_for("viewer")
    r = viewer.post("/lang", data={"lang": "zh", "next": "/", "csrf_token": page_csrf(viewer)})
    assert r.status_code == 303
    page = viewer.get("/", headers={"accept-language": "en"}).text
    assert "总览" in page and "重大科技基础设施" in page and "已实现" in page


def test_weak_secret_is_refused_outside_demo_mode(web_settings) -> None:  # noqa: ANN001
    import pytest
    from pydantic import SecretStr

    from scicity.web.app import WeakSecret, create_app

    for key in (None, "short-key", "a" * 40):
        settings = web_settings.model_copy(update={"secret_key": SecretStr(key) if key else None})
        with pytest.raises(WeakSecret):
            create_app(settings)
    create_app(web_settings.model_copy(update={"secret_key": None, "demo": True}))


def test_indicator_page_shows_every_method_and_the_quote(client_for) -> None:  # noqa: ANN001
    html = client_for("viewer").get("/indicators/rd_intensity?as_of=2023").text
    for method in ("projection", "schedule", "eurostat", "opensdg", "unsd", "escap"):
        assert f'id="verdict-{method}"' in html
    assert "rd_expenditure / grp * 100" in html and "data-spec=" in html
    assert "R&amp;D" in html


def test_goal_status_with_an_evidence_document_is_audited_and_downloadable(client_for) -> None:  # noqa: ANN001
    analyst = client_for("analyst")
    r = analyst.post("/goals/innovation_system", data={"status": "achieved", "evidence": "signed by the committee",
                                                      "csrf_token": page_csrf(analyst)},
                     files={"document": ("minutes <2025>.pdf", b"%PDF-1.4 fake", "application/pdf")})
    assert r.status_code == 303
    html = analyst.get("/goals").text
    link = html.split('href="/goals/evidence/')[1].split('"')[0]
    doc = analyst.get(f"/goals/evidence/{link}")
    assert doc.status_code == 200 and doc.content == b"%PDF-1.4 fake"
    assert doc.headers["content-type"] == "application/octet-stream" and "attachment" in doc.headers["content-disposition"]
    assert analyst.get("/goals/evidence/..%2F..%2Fscicity.db").status_code == 404
    events = analyst.get("/api/v1/audit", params={"actor": "analyst"}).json()
    assert events[0]["action"] == "goal.status" and events[0]["after"]["status"] == "achieved"
    assert client_for("viewer").post("/goals/innovation_system", data={"status": "achieved"}).status_code == 403


def test_the_page_around_the_cached_overview_follows_the_user_and_the_session(client_for, app) -> None:  # noqa: ANN001
    """The chrome around the overview's body is rendered once per session and data version: a second session,
    another user, a new display name and a sign-out each get their own page, never another's."""
    viewer, analyst = client_for("viewer"), client_for("analyst")
    first = viewer.get("/")
    assert first.text == viewer.get("/").text  # served again from the cache, the same bytes
    assert "(viewer)" in first.text and "(analyst)" not in first.text
    assert "(analyst)" in analyst.get("/").text and "(viewer)" not in analyst.get("/").text
    app.state.web.users.update("viewer", display_name="Renamed Viewer", actor="admin")  # as another process would
    app.state.web.read_model.touch()
    assert "Renamed Viewer" in viewer.get("/").text
    csrf = page_csrf(viewer, "/")
    assert viewer.post("/logout", data={"csrf_token": csrf}).status_code in (200, 303)
    after = viewer.get("/", follow_redirects=False)
    assert after.status_code in (303, 401) or "(viewer)" not in after.text


def test_a_data_write_renders_the_body_again_but_not_the_page_around_it(client_for, app, monkeypatch) -> None:  # noqa: ANN001
    """After an approval only the overview's body is made again: the page around it (the same shell of plan,
    years and methods) is kept per session, so many readers cost no chrome render after each write."""
    from scicity.domain.observation import Observation, ObservationKey, ObservationStatus
    from scicity.web.routes import overview

    made: list[str] = []
    real = overview._around
    monkeypatch.setattr(overview, "_around", lambda request, shell: made.append("around") or real(request, shell))
    viewer = client_for("viewer")
    viewer.get("/", headers={"accept-encoding": "gzip"})
    assert made == ["around"]
    repo = app.state.web.observations
    repo.apply([Observation("key_labs", "wcsc", 2025, 123.0, source="bulletin")], actor="analyst",
               status=ObservationStatus.SUBMITTED)
    repo.set_status(ObservationKey("key_labs", "wcsc", 2025), None, ObservationStatus.APPROVED, actor="approver")
    app.state.web.wrote()
    page = viewer.get("/", headers={"accept-encoding": "gzip"}).text
    assert "123" in page and made == ["around"]  # the new value, the kept page around it
    viewer.get("/?as_of=2023", headers={"accept-encoding": "gzip"})  # another shell (the as-of year): its own
    assert made == ["around", "around"]
