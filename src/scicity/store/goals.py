"""Status of qualitative goals, confirmed by a person with evidence; revisions, the latest wins."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime

from sqlalchemy import and_, func, insert, select
from sqlalchemy.exc import IntegrityError

from scicity.domain.plan import GoalStatus
from scicity.domain.message import Msg
from scicity.store.audit import AuditRepository, check_actor
from scicity.store.db import Database
from scicity.store.errors import ConcurrentWrite
from scicity.store.goal_entries import GoalStatusEntry
from scicity.store.tables import GoalStatusRow
from scicity.store.types import as_utc, utcnow


class GoalStatusRepository:
    def __init__(self, db: Database, *, clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.clock = clock
        self.audit = AuditRepository(db, clock=clock)

    def record(
        self, plan_id: str, goal_id: str, status: GoalStatus | str, *, actor: str, evidence: str | None = None
    ) -> GoalStatusEntry:
        """Add a new status for a goal (a new revision; earlier ones stay), audited as "goal.status"."""
        check_actor(actor)
        status = GoalStatus(status)
        now = as_utc(self.clock(), "clock")
        g = GoalStatusRow
        with self.db.session(write=True) as session:
            previous = session.scalars(
                select(g).where(g.plan_id == plan_id, g.goal_id == goal_id).order_by(g.revision.desc()).limit(1)
            ).first()
            entry = GoalStatusEntry(
                plan_id=plan_id,
                goal_id=goal_id,
                revision=(previous.revision if previous else 0) + 1,
                status=status,
                evidence=evidence,
                confirmed_by=actor,
                at=now,
            )
            values = {**asdict(entry), "status": status.value}
            try:
                row_id = session.execute(insert(g).returning(g.id), values).scalar_one()
            except IntegrityError as err:
                raise ConcurrentWrite(Msg(
                    "someone else recorded a status for goal {goal} of plan {plan} at the same time; "
                    "look at the latest status and try again", goal=repr(goal_id), plan=repr(plan_id)
                )) from err
            before = None
            if previous is not None:
                before = {"revision": previous.revision, "status": previous.status, "evidence": previous.evidence}
            self.audit.record(
                session,
                actor=actor,
                action="goal.status",
                entity="goal_status",
                entity_id=row_id,
                before=before,
                after={**values, "at": now.isoformat()},
                at=now,
            )
        return entry

    def latest(self, plan_id: str) -> dict[str, GoalStatusEntry]:
        """The latest status of every goal of ``plan_id`` that has one, by goal id."""
        g = GoalStatusRow
        top = (
            select(g.goal_id, func.max(g.revision).label("revision"))
            .where(g.plan_id == plan_id)
            .group_by(g.goal_id)
            .subquery()
        )
        stmt = select(g).join(top, and_(g.goal_id == top.c.goal_id, g.revision == top.c.revision)).where(
            g.plan_id == plan_id
        )
        with self.db.session() as session:
            return {row.goal_id: _entry(row) for row in session.scalars(stmt)}

    def history(self, plan_id: str, goal_id: str) -> list[GoalStatusEntry]:
        g = GoalStatusRow
        stmt = select(g).where(g.plan_id == plan_id, g.goal_id == goal_id).order_by(g.revision)
        with self.db.session() as session:
            return [_entry(row) for row in session.scalars(stmt)]


def _entry(row: GoalStatusRow) -> GoalStatusEntry:
    return GoalStatusEntry(
        row.plan_id, row.goal_id, row.revision, GoalStatus(row.status), row.evidence, row.confirmed_by, row.at
    )

