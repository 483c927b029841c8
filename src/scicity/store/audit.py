"""The audit log: who did what to which record, with the record before and after.

Append-only. This repository offers no way to change or delete an event,
and the database refuses UPDATE and DELETE on ``audit_events`` with a
trigger (see the first migration), so the promise holds for SQL users too.
Each event carries a hash of its content and of the event before it
(:mod:`scicity.store.audit_chain`), so what a database owner changes with
the guards switched off shows in ``scicity db verify``.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from scicity.store.audit_chain import link
from scicity.store.db import Database
from scicity.store.errors import InvalidInput
from scicity.store.tables import ACTOR_LENGTH, AuditEventRow
from scicity.store.types import as_utc, utcnow

DEFAULT_LIMIT = 1000


@dataclass(frozen=True, slots=True)
class AuditEvent:
    """One thing someone did. ``before`` is None for a creation, ``after`` None for a removal."""

    id: int
    at: datetime
    actor: str
    action: str  # "observation.create", "observation.revise", "observation.approve", "plan.load", ...
    entity: str  # "observation", "plan", "goal_status", ...
    entity_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    batch_id: int | None = None


def check_actor(actor: str) -> None:
    """Refuse an empty or over-long actor name: every change must say who made it."""
    if not isinstance(actor, str) or not actor.strip():
        raise InvalidInput("say who is doing this: 'actor' is empty")
    if len(actor) > ACTOR_LENGTH:
        raise InvalidInput(f"actor name is {len(actor)} characters long; at most {ACTOR_LENGTH} fit")


def event_params(
    *,
    actor: str,
    action: str,
    entity: str,
    entity_id: str | int,
    at: datetime,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    batch_id: int | None = None,
) -> dict[str, Any]:
    """The column values of one event, for bulk inserts (:meth:`AuditRepository.record_many`)."""
    check_actor(actor)
    return {
        "at": at,
        "actor": actor,
        "action": action,
        "entity": entity,
        "entity_id": str(entity_id),
        "before": before,
        "after": after,
        "batch_id": batch_id,
    }


class AuditRepository:
    """Writes events inside the caller's transaction; reads them back. No update, no delete."""

    def __init__(self, db: Database, *, clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.clock = clock

    def record(
        self,
        session: Session,
        *,
        actor: str,
        action: str,
        entity: str,
        entity_id: str | int,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
        batch_id: int | None = None,
        at: datetime | None = None,
    ) -> None:
        """Add one event to ``session``: it is written (or not) together with the change it describes."""
        self.record_many(
            session,
            [
                event_params(
                    actor=actor,
                    action=action,
                    entity=entity,
                    entity_id=entity_id,
                    at=at or self.clock(),
                    before=before,
                    after=after,
                    batch_id=batch_id,
                )
            ],
        )

    def record_many(self, session: Session, events: Sequence[dict[str, Any]]) -> None:
        """Add many events (built with :func:`event_params`) in one bulk insert, chained after the newest
        event (:mod:`scicity.store.audit_chain`; on PostgreSQL this takes the chain's lock until commit)."""
        if events:
            session.execute(insert(AuditEventRow.__table__), link(session, events))

    def list(
        self,
        actor: str | None = None,
        entity: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int | None = DEFAULT_LIMIT,
        *,
        entity_id: str | int | None = None,
        action: str | None = None,
        batch_id: int | None = None,
    ) -> builtins.list[AuditEvent]:
        """Events, newest first; ``since`` is inclusive, ``until`` exclusive; ``limit=None`` for all."""
        a = AuditEventRow
        stmt = select(a).order_by(a.id.desc())
        if actor is not None:
            stmt = stmt.where(a.actor == actor)
        if entity is not None:
            stmt = stmt.where(a.entity == entity)
        if entity_id is not None:
            stmt = stmt.where(a.entity_id == str(entity_id))
        if action is not None:
            stmt = stmt.where(a.action == action)
        if batch_id is not None:
            stmt = stmt.where(a.batch_id == batch_id)
        if since is not None:
            stmt = stmt.where(a.at >= as_utc(since, "since"))
        if until is not None:
            stmt = stmt.where(a.at < as_utc(until, "until"))
        if limit is not None:
            stmt = stmt.limit(limit)
        with self.db.session() as session:
            return [_event(row) for row in session.scalars(stmt)]


def _event(row: AuditEventRow) -> AuditEvent:
    return AuditEvent(
        id=row.id,
        at=row.at,
        actor=row.actor,
        action=row.action,
        entity=row.entity,
        entity_id=row.entity_id,
        before=row.before,
        after=row.after,
        batch_id=row.batch_id,
    )
