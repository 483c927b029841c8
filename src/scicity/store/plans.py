"""Plan files kept in the database, side by side, one of them the default.

The store keeps the YAML text as loaded (and its SHA-256); parsing and
validating it is :mod:`scicity.ingest`'s job. Saving is audited with the
before and after checksum, so a replaced plan can be traced.
"""

from __future__ import annotations

import builtins
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from scicity.store.audit import AuditRepository, check_actor
from scicity.store.db import Database
from scicity.store.errors import InvalidInput, NotFound
from scicity.store.tables import ID_LENGTH, PlanRow
from scicity.store.types import as_utc, utcnow


@dataclass(frozen=True, slots=True)
class StoredPlan:
    """A stored plan without its text (get it with :meth:`PlanRepository.get_text`)."""

    id: str
    name: str
    sha256: str
    loaded_at: datetime
    is_default: bool


def sha256_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class PlanRepository:
    def __init__(self, db: Database, *, clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.clock = clock
        self.audit = AuditRepository(db, clock=clock)

    def save(
        self,
        plan_id: str,
        name: str,
        yaml_text: str,
        *,
        actor: str = "system",
        make_default: bool | None = None,
    ) -> StoredPlan:
        """Store or replace a plan's text.

        ``make_default``: True makes it the default; None makes it the default
        only if there is none yet; False leaves the default as it is. Saving
        the same text and name again changes nothing and records nothing.
        """
        check_actor(actor)
        if not plan_id or len(plan_id) > ID_LENGTH:
            raise InvalidInput(f"plan id must be 1 to {ID_LENGTH} characters, got {plan_id!r}")
        digest = sha256_of(yaml_text)
        with self.db.session(write=True) as session:
            row = session.get(PlanRow, plan_id, with_for_update=True)
            has_default = session.scalar(select(PlanRow.id).where(PlanRow.is_default)) is not None
            becomes_default = bool(make_default) or (make_default is None and not has_default)
            if row is not None and row.sha256 == digest and row.name == name and (row.is_default or not becomes_default):
                return _stored(row)
            before = None if row is None else {"name": row.name, "sha256": row.sha256, "is_default": row.is_default}
            now = as_utc(self.clock(), "clock")
            if becomes_default:
                _clear_default(session)
            if row is None:
                row = PlanRow(id=plan_id, name=name, yaml_text=yaml_text, sha256=digest, loaded_at=now, is_default=False)
                session.add(row)
            row.name, row.yaml_text, row.sha256, row.loaded_at = name, yaml_text, digest, now
            row.is_default = row.is_default or becomes_default
            session.flush()
            self.audit.record(
                session,
                actor=actor,
                action="plan.load",
                entity="plan",
                entity_id=plan_id,
                before=before,
                after={"name": name, "sha256": digest, "is_default": row.is_default},
                at=now,
            )
            return _stored(row)

    def set_default(self, plan_id: str, *, actor: str) -> None:
        """Make a stored plan the default one (audited)."""
        check_actor(actor)
        with self.db.session(write=True) as session:
            row = self._get(session, plan_id)
            if row.is_default:
                return
            previous = session.scalar(select(PlanRow.id).where(PlanRow.is_default))
            _clear_default(session)
            row.is_default = True
            session.flush()
            self.audit.record(
                session,
                actor=actor,
                action="plan.set_default",
                entity="plan",
                entity_id=plan_id,
                before={"default": previous},
                after={"default": plan_id},
            )

    def get_text(self, plan_id: str) -> str:
        """The YAML text of a stored plan."""
        with self.db.session() as session:
            return self._get(session, plan_id).yaml_text

    def get(self, plan_id: str) -> StoredPlan:
        with self.db.session() as session:
            return _stored(self._get(session, plan_id))

    def list(self) -> builtins.list[StoredPlan]:
        """Every stored plan, by id."""
        with self.db.session() as session:
            return [_stored(row) for row in session.scalars(select(PlanRow).order_by(PlanRow.id))]

    def default_id(self) -> str | None:
        """The id of the default plan, or None when no plan is stored."""
        with self.db.session() as session:
            return session.scalar(select(PlanRow.id).where(PlanRow.is_default))

    def _get(self, session: Session, plan_id: str) -> PlanRow:
        row = session.get(PlanRow, plan_id)
        if row is None:
            known = session.scalars(select(PlanRow.id).order_by(PlanRow.id)).all()
            listing = ", ".join(known) if known else "none yet"
            raise NotFound(f"no stored plan {plan_id!r} (stored plans: {listing})")
        return row


def _clear_default(session: Session) -> None:
    session.execute(update(PlanRow).where(PlanRow.is_default).values(is_default=False))


def _stored(row: PlanRow) -> StoredPlan:
    return StoredPlan(row.id, row.name, row.sha256, row.loaded_at, row.is_default)
