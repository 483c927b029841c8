"""Web sign-ins kept in the database, so that signing out ends a session for good.

    key = SessionRepository(db).start(user_id)        # goes into the signed cookie
    SessionRepository(db).user(key)                    # the active user, or None once ended
    SessionRepository(db).end(key)                     # sign-out

Only the SHA-256 of the key is stored. :func:`end_all_for` ends every session
of a user (a password change or deactivation calls it in its own transaction,
with the tokens revoked too), and a session once ended never comes back, not
even when the user is activated again. Every request asks the database, so a
change made elsewhere (another server process, the CLI) counts at once.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select, update
from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from scicity.store.users import User

from scicity.store.db import Database
from scicity.store.types import as_utc, utcnow
from scicity.store.user_tables import ApiTokenRow, UserRow, WebSessionRow


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def end_all_for(session: Session, user_id: int, now: datetime, *, except_key: str | None = None) -> None:
    """End every session of the user (but ``except_key``) and revoke their API tokens, in ``session``'s transaction."""
    s = WebSessionRow
    query = update(s).where(s.user_id == user_id, s.ended_at.is_(None))
    if except_key is not None:
        query = query.where(s.id != _digest(except_key))
    session.execute(query.values(ended_at=now))
    t = ApiTokenRow
    session.execute(update(t).where(t.user_id == user_id, t.revoked_at.is_(None)).values(revoked_at=now))


class SessionRepository:
    def __init__(self, db: Database, *, clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.clock = clock

    def start(self, user_id: int) -> str:
        """A new session for the user; the key (for the cookie) is returned, its hash stored."""
        key = secrets.token_urlsafe(32)
        with self.db.session(write=True) as session:
            session.add(WebSessionRow(id=_digest(key), user_id=user_id, created_at=as_utc(self.clock(), "clock"),
                                      ended_at=None))
        return key

    def user(self, key: str | None, user_id: int) -> UserRow | None:
        """The active user of a session that has not ended (None otherwise)."""
        if not key or len(key) > 200:
            return None
        with self.db.session() as session:
            row = session.execute(
                select(UserRow).join(WebSessionRow, WebSessionRow.user_id == UserRow.id)
                .where(WebSessionRow.id == _digest(key), WebSessionRow.ended_at.is_(None), UserRow.id == user_id,
                       UserRow.active.is_(True))
            ).scalar_one_or_none()
            if row is not None:
                session.expunge(row)
            return row

    def active_user(self, key: str | None, user_id: int) -> User | None:
        """:meth:`user` as a :class:`User`, in one Core query (every signed-in request asks it: no ORM objects)."""
        from scicity.store.users import User  # users imports this module

        if not key or len(key) > 200:
            return None
        u, w = UserRow, WebSessionRow
        query = (select(u.id, u.username, u.display_name, u.role, u.department_id, u.lang, u.active,
                        u.password_version, u.created_at)
                 .join_from(w, u, w.user_id == u.id)
                 .where(w.id == _digest(key), w.ended_at.is_(None), u.id == user_id, u.active.is_(True)))
        with self.db.connect() as conn:
            row = conn.execute(query).first()
        return None if row is None else User(*row)

    def end(self, key: str | None) -> None:
        if not key or len(key) > 200:
            return
        with self.db.session(write=True) as session:
            session.execute(update(WebSessionRow).where(WebSessionRow.id == _digest(key),
                                                        WebSessionRow.ended_at.is_(None))
                            .values(ended_at=as_utc(self.clock(), "clock")))

    def end_others(self, user_id: int, key: str | None) -> None:
        """End the user's other sessions and revoke their tokens (after they changed their own password)."""
        with self.db.session(write=True) as session:
            end_all_for(session, user_id, as_utc(self.clock(), "clock"), except_key=key)

    def active_count(self, user_id: int) -> int:
        with self.db.session() as session:
            return len(session.scalars(select(WebSessionRow.id).where(WebSessionRow.user_id == user_id,
                                                                      WebSessionRow.ended_at.is_(None))).all())
