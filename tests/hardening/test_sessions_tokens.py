"""Sessions and tokens end when they should: sign-out, revocation, expiry, password change, deactivation —
at once, also when the change is made outside the server process; the login limiter is bounded fairly."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from scicity.store import Database, UserRepository
from scicity.store.types import utcnow
from scicity.store.user_tables import ApiTokenRow
from scicity.web.login_limits import LoginLimiter
from scicity.web.sessions import COOKIE_NAME
from tests.web.conftest import PASSWORD, page_csrf

BEARER = "Authorization"


def _me(client, cookie: str | None = None, token: str | None = None) -> int:  # noqa: ANN001
    headers = {BEARER: f"Bearer {token}"} if token else {}
    client.cookies.clear()
    if cookie:
        client.cookies.set(COOKIE_NAME, cookie)
    return client.get("/api/v1/me", headers=headers).status_code


def test_sessions_and_tokens_end_when_they_should(demo_client, demo_settings) -> None:  # noqa: ANN001
    db = Database(demo_settings.database_url)
    users = UserRepository(db)
    try:
        # sign-out ends the session on the server: a saved copy of the cookie no longer works
        analyst = demo_client("analyst")
        saved = analyst.cookies[COOKIE_NAME]
        other = demo_client("analyst").cookies[COOKIE_NAME]  # a second sign-in of the same user
        probe = demo_client(None)
        assert _me(probe, saved) == 200
        r = analyst.post("/logout", data={"csrf_token": page_csrf(analyst, "/")})
        assert r.status_code == 303
        assert _me(probe, saved) == 401
        assert _me(probe, other) == 200  # only that session ended

        # tokens: revocation (CLI's repository, outside the server) counts at once; expiry; last-used time
        info, token = users.create_token("analyst", "ci", actor="test")
        assert _me(probe, token=token) == 200
        assert users.tokens("analyst")[-1].last_used_at is not None
        users.revoke_token(info.id, actor="cli:admin")
        assert _me(probe, token=token) == 401
        info, token = users.create_token("analyst", "short", actor="test", expires_at=utcnow() + timedelta(days=1))
        assert _me(probe, token=token) == 200
        with db.session(write=True) as s:  # a day later
            s.execute(update(ApiTokenRow).where(ApiTokenRow.id == info.id).values(expires_at=utcnow() - timedelta(seconds=1)))
        assert _me(probe, token=token) == 401

        # a password change (made outside the server) ends every session and token of the user at once
        _info, token = users.create_token("analyst", "ci2", actor="test")
        assert _me(probe, other) == 200 and _me(probe, token=token) == 200
        users.set_password("analyst", "another long passphrase", actor="cli:admin")
        assert _me(probe, other) == 401 and _me(probe, token=token) == 401

        # deactivation ends them too, and activating again revives neither
        viewer_cookie = demo_client("viewer").cookies[COOKIE_NAME]
        _info, viewer_token = users.create_token("viewer", "v", actor="test")
        users.update("viewer", actor="cli:admin", active=False)
        users.update("viewer", actor="cli:admin", active=True)
        assert _me(probe, viewer_cookie) == 401 and _me(probe, token=viewer_token) == 401
        assert _me(probe, demo_client("viewer").cookies[COOKIE_NAME]) == 200  # signing in again works

        # the web page lists one's tokens and revokes them
        admin = demo_client("admin")
        _info, admin_token = users.create_token("admin", "mine", actor="test")
        page = admin.get("/admin").text
        assert "mine" in page and "/revoke" in page
        r = admin.post(f"/account/token/{_info.id}/revoke", data={"csrf_token": page_csrf(admin, "/admin")})
        assert r.status_code == 303
        assert _me(probe, token=admin_token) == 401
        viewer = demo_client("viewer")
        _vinfo, _ = users.create_token("viewer", "theirs", actor="test")
        r = viewer.post(f"/account/token/{info.id}/revoke", data={"csrf_token": page_csrf(viewer, "/")})
        assert r.status_code == 403  # not the viewer's token
    finally:
        db.dispose()


def test_the_cli_lists_and_revokes_tokens(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    from typer.testing import CliRunner

    from scicity.cli import app

    env = {"SCICITY_DATA_DIR": str(tmp_path), "COLUMNS": "200", "NO_COLOR": "1"}
    run = CliRunner()
    for name in list(__import__("os").environ):
        if name.startswith("SCICITY_"):
            monkeypatch.delenv(name)
    assert run.invoke(app, ["init"], env=env).exit_code == 0
    assert run.invoke(app, ["user", "add", "ann", "--password", PASSWORD], env=env).exit_code == 0
    made = run.invoke(app, ["user", "token", "ann", "--name", "ci", "--expires-in-days", "30"], env=env)
    assert made.exit_code == 0 and "valid until" in made.stdout and "sct_" in made.stdout
    listed = run.invoke(app, ["user", "tokens", "ann"], env=env).stdout
    assert "ci" in listed and "last used -" in listed and "active" in listed
    token_id = listed.split()[0]
    assert "revoked" in run.invoke(app, ["user", "revoke-token", token_id], env=env).stdout
    assert "revoked 2" in run.invoke(app, ["user", "tokens", "ann"], env=env).stdout
    missing = run.invoke(app, ["user", "revoke-token", "999"], env=env)
    assert missing.exit_code != 0 and "no API token with id 999" in missing.output


def test_the_limiter_evicts_the_oldest_names_not_every_lockout() -> None:
    now = [0.0]
    limiter = LoginLimiter(3, window=900, clock=lambda: now[0], max_keys=1000, address_failures=10**9)
    for _ in range(3):
        limiter.failed("victim", "10.0.0.1")
    assert limiter.retry_after("victim", "10.0.0.1") > 0
    for i in range(5000):  # a flood of made-up names from elsewhere
        now[0] += 0.001
        limiter.failed(f"name{i}", "10.0.0.2")
        if i == 10:
            limiter.retry_after("victim", "10.0.0.1")  # the locked-out name is tried again meanwhile
    assert len(limiter._failures) <= 1000
    assert limiter.retry_after("name4999", "10.0.0.2") == 0  # one failure each: still allowed


def test_one_address_trying_many_names_is_limited(client_for) -> None:  # noqa: ANN001
    client = client_for(None)
    statuses = []
    for i in range(25):
        r = client.post("/login", data={"username": f"guess{i}", "password": "wrong", "csrf_token": page_csrf(client),
                                        "next": "/"})
        statuses.append(r.status_code)
    assert statuses[:20] == [401] * 20 and 429 in statuses[20:], statuses
