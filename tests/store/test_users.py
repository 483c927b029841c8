"""Users, departments and API tokens in the store (both dialects)."""

from __future__ import annotations

import pytest

from scicity.store import AuditRepository, UserRepository
from scicity.store.errors import InvalidInput, NotFound


def test_create_authenticate_and_change_password(database) -> None:  # noqa: ANN001
    users = UserRepository(database)
    user = users.create("li.wei", "a long passphrase", "analyst", actor="admin", display_name="Li Wei")
    assert user.role == "analyst" and user.password_version == 1
    assert users.authenticate("li.wei", "a long passphrase") is not None
    assert users.authenticate("li.wei", "wrong password!") is None
    assert users.authenticate("nobody", "a long passphrase") is None
    changed = users.set_password("li.wei", "another passphrase", actor="admin")
    assert changed.password_version == 2
    assert users.authenticate("li.wei", "a long passphrase") is None
    users.update("li.wei", actor="admin", active=False)
    assert users.authenticate("li.wei", "another passphrase") is None
    events = AuditRepository(database).list(entity="user")
    assert {e.action for e in events} >= {"user.create", "user.set_password", "user.update"}
    assert all("password_hash" not in (e.after or {}) for e in events)


@pytest.mark.parametrize(("name", "password", "role", "message"), [
    ("<b>x</b>", "a long passphrase", "viewer", "not allowed"),
    ("ok", "short", "viewer", "at least 10"),
    ("ok", "aaaaaaaaaaaa", "viewer", "too few"),
    ("ok", "a long passphrase", "boss", "unknown role"),
])
def test_bad_users_are_refused(database, name, password, role, message) -> None:  # noqa: ANN001
    with pytest.raises(InvalidInput, match=message):
        UserRepository(database).create(name, password, role, actor="admin")


def test_duplicate_user_names_are_refused(database) -> None:  # noqa: ANN001
    users = UserRepository(database)
    users.create("wang", "a long passphrase", "viewer", actor="admin")
    with pytest.raises(InvalidInput, match="already a user"):
        users.create("wang", "a long passphrase", "viewer", actor="admin")


def test_departments_report_indicators(database) -> None:  # noqa: ANN001
    users = UserRepository(database)
    users.save_department("stats", "Statistics bureau", ["top_talent", "grp"], actor="admin")
    users.create("p", "a long passphrase", "provider", actor="admin", department_id="stats")
    assert users.department_indicators("stats") == {"top_talent", "grp"}
    users.save_department("stats", "Statistics bureau", ["grp"], actor="admin")
    assert users.department_indicators("stats") == {"grp"}
    with pytest.raises(NotFound, match="no department"):
        users.create("q", "a long passphrase", "provider", actor="admin", department_id="nope")


def test_api_tokens_are_hashed_shown_once_and_revocable(database) -> None:  # noqa: ANN001
    users = UserRepository(database)
    users.create("api", "a long passphrase", "analyst", actor="admin")
    info, token = users.create_token("api", "script", actor="admin")
    assert token.startswith("sct_") and info.prefix == token[:12]
    assert users.user_for_token(token).username == "api"
    assert users.user_for_token(token + "x") is None
    assert users.user_for_token("not-a-token") is None
    with database.connect() as conn:
        stored = conn.exec_driver_sql("SELECT token_hash FROM api_tokens").scalars().all()
    assert token not in stored and len(stored[0]) == 64
    users.revoke_token(info.id, actor="admin")
    assert users.user_for_token(token) is None


def test_departments_are_read_in_one_query(database) -> None:  # noqa: ANN001
    from tests.queries import selects_from, statements

    users = UserRepository(database)
    for n in range(6):
        users.save_department(f"d{n}", f"Department {n}", [f"ind_{n}_{k}" for k in range(n)], actor="admin")
    with statements() as seen:
        found = users.departments()
    assert [(d.id, d.indicators) for d in found] == [(f"d{n}", tuple(f"ind_{n}_{k}" for k in range(n))) for n in range(6)]
    assert len(selects_from(seen, "departments")) == 1 and len([s for s in seen if s.startswith("SELECT")]) == 1
