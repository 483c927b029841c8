"""Users, departments and API tokens: who may sign in, with which role, reporting which indicators.

Passwords are hashed with argon2 (argon2-cffi) and never leave this module
in clear; API tokens are random, shown once, and kept as SHA-256 digests.
Every change is an audit event (``user.*``, ``department.*``, ``api_token.*``)
without any secret in ``before``/``after``.
"""

from __future__ import annotations

import builtins
import functools
import hashlib
import re
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from scicity.store.audit import AuditRepository, check_actor
from scicity.store.db import Database
from scicity.store.errors import InvalidInput, NotFound
from scicity.store.tables import ID_LENGTH
from scicity.store.types import as_utc, utcnow
from scicity.store.web_sessions import end_all_for
from scicity.store.user_tables import (
    LANGS,
    ROLES,
    USERNAME_LENGTH,
    ApiTokenRow,
    DepartmentIndicatorRow,
    DepartmentRow,
    UserRow,
)

MIN_PASSWORD_LENGTH = 10
TOKEN_PREFIX = "sct_"
_USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]*$")
_DEPARTMENT = re.compile(r"^[a-z][a-z0-9_]*$")
_HASHER = PasswordHasher()
# Verified against when the user does not exist, so that a wrong name takes as long as a wrong password.


@functools.cache
def _dummy_hash() -> str:
    """A hash to verify against for unknown users (same work as a real check); made on first use, not at import."""
    return _HASHER.hash("not-a-real-password-" + secrets.token_hex(8))


@dataclass(frozen=True, slots=True)
class User:
    id: int
    username: str
    display_name: str
    role: str
    department_id: str | None
    lang: str | None
    active: bool
    password_version: int
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Department:
    id: str
    name: str
    indicators: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ApiToken:
    id: int
    user_id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None
    expires_at: datetime | None = None


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"the password is {len(password)} characters long; use at least {MIN_PASSWORD_LENGTH}")
    if len(set(password)) < 4:
        raise InvalidInput("the password repeats too few characters; use a passphrase or a generated password")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class UserRepository:
    def __init__(self, db: Database, *, clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.clock = clock
        self.audit = AuditRepository(db, clock=clock)

    # -- users -----------------------------------------------------------------
    def create(
        self,
        username: str,
        password: str,
        role: str,
        *,
        actor: str,
        display_name: str | None = None,
        department_id: str | None = None,
        lang: str | None = None,
    ) -> User:
        check_actor(actor)
        username = username.strip()
        if not _USERNAME.match(username) or len(username) > USERNAME_LENGTH:
            raise InvalidInput(
                f"user name {username!r} is not allowed: use 1 to {USERNAME_LENGTH} letters, digits, '.', '_', '-' or '@', "
                "starting with a letter or digit"
            )
        _check_role(role)
        _check_lang(lang)
        check_password_strength(password)
        now = as_utc(self.clock(), "clock")
        values = {
            "username": username,
            "display_name": (display_name or username).strip()[:128] or username,
            "password_hash": _HASHER.hash(password),
            "role": role,
            "department_id": department_id or None,
            "lang": lang,
            "active": True,
            "password_version": 1,
            "created_at": now,
        }
        with self.db.session(write=True) as session:
            if department_id:
                self._department(session, department_id)
            if session.scalar(select(UserRow.id).where(UserRow.username == username)) is not None:
                raise InvalidInput(f"there is already a user {username!r}; choose another name")
            try:
                user_id = session.execute(insert(UserRow).returning(UserRow.id), values).scalar_one()
            except IntegrityError as err:
                raise InvalidInput(f"there is already a user {username!r}; choose another name") from err
            row = session.get(UserRow, user_id)
            assert row is not None
            self.audit.record(session, actor=actor, action="user.create", entity="user", entity_id=username,
                              after=_public(row), at=now)
            return _user(row)

    def get(self, user_id: int) -> User | None:
        with self.db.session() as session:
            row = session.get(UserRow, user_id)
            return _user(row) if row else None

    def by_username(self, username: str) -> User | None:
        with self.db.session() as session:
            row = session.scalar(select(UserRow).where(UserRow.username == username.strip()))
            return _user(row) if row else None

    def list(self) -> builtins.list[User]:
        with self.db.session() as session:
            return [_user(r) for r in session.scalars(select(UserRow).order_by(UserRow.username))]

    def authenticate(self, username: str, password: str) -> User | None:
        """The active user with this name and password, or None (same time for unknown names)."""
        with self.db.session() as session:
            row = session.scalar(select(UserRow).where(UserRow.username == username.strip()))
            stored = row.password_hash if row is not None else _dummy_hash()
            try:
                _HASHER.verify(stored, password)
            except (VerificationError, InvalidHashError):
                return None
            if row is None or not row.active:
                return None
            if _HASHER.check_needs_rehash(row.password_hash):
                row.password_hash = _HASHER.hash(password)
            return _user(row)

    def set_password(self, username: str, password: str, *, actor: str) -> User:
        """A new password; sessions signed with the old one stop working."""
        check_actor(actor)
        check_password_strength(password)
        with self.db.session(write=True) as session:
            row = self._user_row(session, username)
            row.password_hash = _HASHER.hash(password)
            row.password_version += 1
            end_all_for(session, row.id, as_utc(self.clock(), "clock"))  # sessions and tokens end with the old password
            session.flush()
            self.audit.record(session, actor=actor, action="user.set_password", entity="user", entity_id=username,
                              after={"password_version": row.password_version})
            return _user(row)

    def update(
        self,
        username: str,
        *,
        actor: str,
        role: str | None = None,
        department_id: str | None = None,
        clear_department: bool = False,
        display_name: str | None = None,
        active: bool | None = None,
        lang: str | None = None,
    ) -> User:
        """Change a user's role, department, name, language or whether they may sign in (audited)."""
        check_actor(actor)
        if role is not None:
            _check_role(role)
        _check_lang(lang)
        with self.db.session(write=True) as session:
            row = self._user_row(session, username)
            before = _public(row)
            if role is not None:
                row.role = role
            if clear_department:
                row.department_id = None
            elif department_id is not None:
                self._department(session, department_id)
                row.department_id = department_id
            if display_name is not None and display_name.strip():
                row.display_name = display_name.strip()[:128]
            if active is not None:
                row.active = active
                row.password_version += 0 if active else 1  # deactivating ends the user's sessions
                if not active:  # ... and its tokens, for good: activating again revives neither
                    end_all_for(session, row.id, as_utc(self.clock(), "clock"))
            if lang is not None:
                row.lang = lang
            session.flush()
            after = _public(row)
            if after != before:
                action = "user.set_lang" if set(_changed(before, after)) == {"lang"} else "user.update"
                self.audit.record(session, actor=actor, action=action, entity="user", entity_id=username,
                                  before=before, after=after)
            return _user(row)

    # -- departments -----------------------------------------------------------
    def save_department(self, department_id: str, name: str, indicators: Iterable[str] | None = None,
                        *, actor: str) -> Department:
        """Create or rename a department; with ``indicators``, replace the ids it reports (audited)."""
        check_actor(actor)
        if not _DEPARTMENT.match(department_id) or len(department_id) > ID_LENGTH:
            raise InvalidInput(f"department id {department_id!r}: use lower-case letters, digits and '_', "
                               "starting with a letter")
        if not name.strip():
            raise InvalidInput("a department needs a name")
        ids = None if indicators is None else sorted({i.strip() for i in indicators if i.strip()})
        for ind in ids or ():
            if len(ind) > ID_LENGTH:
                raise InvalidInput(f"indicator id {ind[:20]!r}… is longer than {ID_LENGTH} characters")
        now = as_utc(self.clock(), "clock")
        with self.db.session(write=True) as session:
            row = session.get(DepartmentRow, department_id)
            before = None if row is None else _dept_dict(session, row)
            if row is None:
                row = DepartmentRow(id=department_id, name=name.strip()[:256], created_at=now)
                session.add(row)
            row.name = name.strip()[:256]
            session.flush()
            if ids is not None:
                session.execute(delete(DepartmentIndicatorRow).where(DepartmentIndicatorRow.department_id == department_id))
                if ids:
                    session.execute(insert(DepartmentIndicatorRow),
                                    [{"department_id": department_id, "indicator": i} for i in ids])
            after = _dept_dict(session, row)
            if after != before:
                self.audit.record(session, actor=actor, action="department.save", entity="department",
                                  entity_id=department_id, before=before, after=after, at=now)
            return Department(row.id, row.name, tuple(after["indicators"]))

    def departments(self) -> builtins.list[Department]:
        """Every department with the indicators it reports, in one query (an outer join)."""
        d, i = DepartmentRow, DepartmentIndicatorRow
        stmt = (select(d.id, d.name, i.indicator).outerjoin(i, i.department_id == d.id)
                .order_by(d.id, i.indicator))
        names: dict[str, str] = {}
        indicators: dict[str, builtins.list[str]] = {}
        with self.db.session() as session:
            for dept, name, indicator in session.execute(stmt):
                names[dept] = name
                ids = indicators.setdefault(dept, [])
                if indicator is not None:
                    ids.append(indicator)
        return [Department(dept, names[dept], tuple(indicators[dept])) for dept in names]

    def department_indicators(self, department_id: str | None) -> frozenset[str]:
        if not department_id:
            return frozenset()
        d = DepartmentIndicatorRow
        with self.db.session() as session:
            return frozenset(session.scalars(select(d.indicator).where(d.department_id == department_id)))

    # -- API tokens ------------------------------------------------------------
    def create_token(self, username: str, name: str, *, actor: str,
                     expires_at: datetime | None = None) -> tuple[ApiToken, str]:
        """A new token for the user (refused after ``expires_at`` when given); the clear token is returned once."""
        check_actor(actor)
        if expires_at is not None:
            expires_at = as_utc(expires_at, "expires_at")
            if expires_at <= as_utc(self.clock(), "clock"):
                raise InvalidInput("the token's expiry must lie in the future")
        name = (name or "api").strip()[:128] or "api"
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        now = as_utc(self.clock(), "clock")
        with self.db.session(write=True) as session:
            user = self._user_row(session, username)
            values = {"user_id": user.id, "name": name, "token_hash": hash_token(token), "prefix": token[:12],
                      "created_at": now, "last_used_at": None, "revoked_at": None, "expires_at": expires_at}
            token_id = session.execute(insert(ApiTokenRow).returning(ApiTokenRow.id), values).scalar_one()
            self.audit.record(session, actor=actor, action="api_token.create", entity="api_token",
                              entity_id=token_id, after={"user": username, "name": name, "prefix": token[:12]}, at=now)
            row = session.get(ApiTokenRow, token_id)
            assert row is not None
            return _token(row), token

    def user_for_token(self, token: str) -> User | None:
        """The active user a (not revoked) token belongs to; records when it was last used."""
        if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
            return None
        with self.db.session() as session:
            row = session.scalar(select(ApiTokenRow).where(ApiTokenRow.token_hash == hash_token(token)))
            if row is None or row.revoked_at is not None:
                return None
            if row.expires_at is not None and row.expires_at <= as_utc(self.clock(), "clock"):
                return None
            user = session.get(UserRow, row.user_id)
            if user is None or not user.active:
                return None
            found, token_id, last_used = _user(user), row.id, row.last_used_at
        now = as_utc(self.clock(), "clock")
        if last_used is None or (now - last_used).total_seconds() > 60:
            try:  # best effort, in its own short transaction: a busy database must not fail the request
                with self.db.session(write=True) as session:
                    session.execute(update(ApiTokenRow).where(ApiTokenRow.id == token_id).values(last_used_at=now))
            except OperationalError:
                pass
        return found

    def tokens(self, username: str) -> builtins.list[ApiToken]:
        with self.db.session() as session:
            user = self._user_row(session, username)
            rows = session.scalars(select(ApiTokenRow).where(ApiTokenRow.user_id == user.id).order_by(ApiTokenRow.id))
            return [_token(r) for r in rows]

    def revoke_token(self, token_id: int, *, actor: str) -> None:
        check_actor(actor)
        with self.db.session(write=True) as session:
            row = session.get(ApiTokenRow, token_id)
            if row is None:
                raise NotFound(f"no API token with id {token_id}")
            if row.revoked_at is None:
                row.revoked_at = as_utc(self.clock(), "clock")
                self.audit.record(session, actor=actor, action="api_token.revoke", entity="api_token",
                                  entity_id=token_id, after={"prefix": row.prefix})

    # -- helpers ---------------------------------------------------------------
    def _user_row(self, session: Session, username: str) -> UserRow:
        row = session.scalar(select(UserRow).where(UserRow.username == username.strip()))
        if row is None:
            raise NotFound(f"no user {username!r}; 'scicity user list' shows who exists")
        return row

    def _department(self, session: Session, department_id: str) -> DepartmentRow:
        row = session.get(DepartmentRow, department_id)
        if row is None:
            known = ", ".join(session.scalars(select(DepartmentRow.id).order_by(DepartmentRow.id))) or "none yet"
            raise NotFound(f"no department {department_id!r} (departments: {known})")
        return row


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise InvalidInput(f"unknown role {role!r}; roles are: {', '.join(ROLES)}")


def _check_lang(lang: str | None) -> None:
    if lang is not None and lang not in LANGS:
        raise InvalidInput(f"unknown language {lang!r}; use one of: {', '.join(LANGS)}")


def _public(row: UserRow) -> dict[str, object]:
    return {"username": row.username, "display_name": row.display_name, "role": row.role,
            "department_id": row.department_id, "lang": row.lang, "active": row.active}


def _changed(before: dict[str, object], after: dict[str, object]) -> builtins.list[str]:
    return [k for k in after if before.get(k) != after[k]]


def _dept_dict(session: Session, row: DepartmentRow) -> dict[str, object]:
    d = DepartmentIndicatorRow
    ids = list(session.scalars(select(d.indicator).where(d.department_id == row.id).order_by(d.indicator)))
    return {"name": row.name, "indicators": ids}


def _user(row: UserRow) -> User:
    return User(row.id, row.username, row.display_name, row.role, row.department_id, row.lang, row.active,
                row.password_version, row.created_at)


def _token(row: ApiTokenRow) -> ApiToken:
    return ApiToken(row.id, row.user_id, row.name, row.prefix, row.created_at, row.last_used_at, row.revoked_at,
                    row.expires_at)
