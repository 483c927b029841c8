"""Tables of the people who use the web application: users, departments, API tokens.

On the same declarative ``Base`` as :mod:`scicity.store.tables`, so that the
migration test compares them too (migration ``0003_users_and_roles``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from scicity.store.tables import ACTOR_LENGTH, ID_LENGTH, Base
from scicity.store.types import BigIntPK, UTCDateTime

#: roles a user can have; what each may do is decided by ``scicity.web.permissions``
ROLES = ("admin", "analyst", "provider", "viewer")
LANGS = ("en", "zh")
USERNAME_LENGTH = 64


class DepartmentRow(Base):
    """A department (e.g. the statistics bureau) that reports some indicators."""

    __tablename__ = "departments"

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    name: Mapped[str] = mapped_column(String(256))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class DepartmentIndicatorRow(Base):
    """One id (indicator or series) that a department reports."""

    __tablename__ = "department_indicators"

    department_id: Mapped[str] = mapped_column(ForeignKey("departments.id"), primary_key=True)
    indicator: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)


class UserRow(Base):
    """A person who signs in. The password is kept as an argon2 hash only."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role IN ('admin', 'analyst', 'provider', 'viewer')", name="role_known"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(USERNAME_LENGTH), unique=True)
    display_name: Mapped[str] = mapped_column(String(ACTOR_LENGTH))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(16))
    department_id: Mapped[str | None] = mapped_column(ForeignKey("departments.id"))
    lang: Mapped[str | None] = mapped_column(String(8))
    active: Mapped[bool] = mapped_column()
    # bumped when the password changes: sessions signed before it stop working
    password_version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ApiTokenRow(Base):
    """A personal API token: only its SHA-256 is kept (the token is shown once)."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(128))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class WebSessionRow(Base):
    """A sign-in: only the SHA-256 of the session key (in the cookie) is kept; ended for good at sign-out,
    a password change or deactivation (migration ``0004_hardening``)."""

    __tablename__ = "web_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
