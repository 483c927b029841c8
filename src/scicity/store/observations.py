"""Observations in the database: latest values, history, import preview and apply, review status.

Every correction adds a revision (1, 2, 3, ...) of its key; rows are never
overwritten (the database refuses it). "Latest" means the highest revision
among rows with the asked statuses, optionally among those recorded by a
given moment (``as_of``), so that any earlier view can be reproduced.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, insert, select

from scicity.domain.changes import ChangeKind, ChangeSet, diff
from scicity.domain.observation import Observation, ObservationKey, ObservationStatus
from scicity.store.audit import AuditRepository, check_actor, event_params
from scicity.store.db import Database
from scicity.store.errors import InvalidObservation
from scicity.store.observation_queries import (
    COLUMNS,
    current_select,
    filters,
    is_current,
    find_for_update,
    insert_rows,
    key_is,
    latest_select,
    stored_latest,
)
from scicity.store.observation_rows import (
    ObservationRecord,
    check_incoming,
    snapshot,
    to_observation,
    to_record,
)
from scicity.store.tables import ImportBatch, ObservationRow
from scicity.store.transitions import ACTIONS, check_transition
from scicity.store.types import as_utc, utcnow

APPROVED = ObservationStatus.APPROVED


@dataclass(frozen=True)
class AppliedChangeSet(ChangeSet):
    """The changes an :meth:`ObservationRepository.apply` wrote, and the import batch that holds them."""

    batch_id: int | None = None


class ObservationRepository:
    """The SQLAlchemy implementation of :class:`scicity.store.protocols.ObservationStore`."""

    def __init__(self, db: Database, *, clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.clock = clock
        self.audit = AuditRepository(db, clock=clock)

    # -- reading -------------------------------------------------------------
    def latest(
        self,
        indicators: Iterable[str] | None = None,
        units: Iterable[str] | None = None,
        *,
        statuses: Iterable[ObservationStatus | str] | None = (APPROVED,),
        as_of: datetime | None = None,
    ) -> dict[ObservationKey, Observation]:
        """The highest revision of each key among rows with ``statuses`` (None: any status).

        With ``as_of``, only rows recorded by then count, and a row approved
        later counts as it was then: submitted. (Other earlier states are not
        reconstructed: a row returned after ``as_of`` counts as returned.)
        """
        stmt = _latest(indicators, units, statuses, as_of)
        with self.db.session() as session:
            return {(obs := to_observation(row)).key: obs for row in session.execute(stmt)}

    def all_latest_for_export(
        self,
        indicators: Iterable[str] | None = None,
        units: Iterable[str] | None = None,
        *,
        statuses: Iterable[ObservationStatus | str] | None = (APPROVED,),
        as_of: datetime | None = None,
    ) -> list[ObservationRecord]:
        """Like :meth:`latest`, with the review fields and batch, sorted by indicator, unit, period."""
        o = ObservationRow
        stmt = _latest(indicators, units, statuses, as_of).order_by(o.indicator, o.unit, o.period)
        with self.db.session() as session:
            return [to_record(row) for row in session.execute(stmt)]

    def exists(self, row_id: int) -> bool:
        """Whether an observation row with this id is stored (any status, any revision)."""
        with self.db.session() as session:
            return session.execute(select(ObservationRow.id).where(ObservationRow.id == row_id)).first() is not None

    def history(self, key: ObservationKey) -> list[Observation]:
        """Every revision of ``key``, oldest first, whatever its status."""
        return [r.observation for r in self.records(key)]

    def records(self, key: ObservationKey) -> list[ObservationRecord]:
        """Every revision of ``key`` with the store's bookkeeping, oldest first."""
        stmt = select(*COLUMNS).where(*key_is(key)).order_by(ObservationRow.revision)
        with self.db.session() as session:
            return [to_record(row) for row in session.execute(stmt)]

    def records_many(self, indicators: Iterable[str], units: Iterable[str]) -> list[ObservationRecord]:
        """Every revision of every key of ``indicators`` at ``units``, in one query.

        Sorted by indicator, unit, period, then revision (oldest first).
        """
        o = ObservationRow
        stmt = select(*COLUMNS).where(*filters(indicators, units)).order_by(o.indicator, o.unit, o.period, o.revision)
        with self.db.session() as session:
            return [to_record(row) for row in session.execute(stmt)]

    # -- importing -------------------------------------------------------------
    def preview(self, incoming: Sequence[Observation]) -> ChangeSet:
        """What :meth:`apply` would do, writing nothing. Drafts and submitted rows count as stored."""
        incoming = list(incoming)
        check_incoming(incoming)
        with self.db.session() as session:
            stored = {k: to_observation(r) for k, r in stored_latest(session, [o.key for o in incoming]).items()}
        return diff(incoming, stored)

    def apply(
        self,
        incoming: Sequence[Observation],
        *,
        actor: str,
        status: ObservationStatus | str = APPROVED,
        file_name: str | None = None,
        sha256: str | None = None,
    ) -> AppliedChangeSet:
        """Store new and changed values as new revisions, in one transaction, with a batch and audit events.

        Unchanged values are not written. If anything fails, nothing at all is written.
        """
        incoming = list(incoming)
        check_actor(actor)
        check_incoming(incoming)
        status = ObservationStatus(status)
        if status is ObservationStatus.RETURNED:
            raise InvalidObservation(
                "values cannot be imported as 'returned'; import them as draft, submitted or approved"
            )
        now = as_utc(self.clock(), "clock")
        by_key = {obs.key: obs for obs in incoming}
        with self.db.session(write=True) as session:
            stored_rows = stored_latest(session, list(by_key))
            changes = diff(incoming, {k: to_observation(r) for k, r in stored_rows.items()})
            counts = changes.counts()
            batch_id = session.execute(
                insert(ImportBatch).returning(ImportBatch.id),
                {
                    "file_name": file_name,
                    "sha256": sha256,
                    "actor": actor,
                    "created_at": now,
                    "row_count": len(incoming),
                    "new_count": counts[ChangeKind.NEW.value],
                    "changed_count": counts[ChangeKind.CHANGED.value],
                    "unchanged_count": counts[ChangeKind.UNCHANGED.value],
                },
            ).scalar_one()
            writes = changes.writes
            params = [_new_row(by_key[c.key], c.old_revision, status, actor, now, batch_id) for c in writes]
            ids = insert_rows(session, params, batch_id)
            events = [
                event_params(
                    actor=actor,
                    action="observation.create" if change.kind is ChangeKind.NEW else "observation.revise",
                    entity="observation",
                    entity_id=row_id,
                    at=now,
                    before=snapshot(stored_rows[change.key]) if change.key in stored_rows else None,
                    after=snapshot({**values, "id": row_id}),
                    batch_id=batch_id,
                )
                for change, values, row_id in zip(writes, params, ids, strict=True)
            ]
            self.audit.record_many(session, events)
        return AppliedChangeSet(changes.changes, batch_id=batch_id)

    # -- review ----------------------------------------------------------------
    def set_status(
        self,
        key_or_id: ObservationKey | int,
        revision: int | None,
        status: ObservationStatus | str,
        *,
        actor: str,
        comment: str | None = None,
    ) -> ObservationRecord:
        """Move one revision along the review workflow (draft → submitted → approved | returned).

        ``key_or_id`` is a key (with ``revision``; None means its latest
        revision) or a row id. Returning a value needs a ``comment`` saying why.
        """
        check_actor(actor)
        target = ObservationStatus(status)
        if target is ObservationStatus.RETURNED and not (comment and comment.strip()):
            raise InvalidObservation("returning a value needs a comment that says what to fix")
        with self.db.session(write=True) as session:
            row = find_for_update(session, key_or_id, revision)
            where = f"{row.indicator}/{row.unit}/{row.period} revision {row.revision}"
            check_transition(ObservationStatus(row.status), target, where)
            before = snapshot(row)
            now = as_utc(self.clock(), "clock")
            row.status = target.value
            if target is ObservationStatus.APPROVED:
                row.approved_by, row.approved_at = actor, now
            if comment is not None:
                row.comment = comment
            session.flush()
            self.audit.record(
                session,
                actor=actor,
                action=ACTIONS[target],
                entity="observation",
                entity_id=row.id,
                before=before,
                after=snapshot(row),
                batch_id=row.batch_id,
                at=now,
            )
            return to_record(row)


# -- helpers ---------------------------------------------------------------------
def _latest(indicators: Iterable[str] | None, units: Iterable[str] | None,
            statuses: Iterable[ObservationStatus | str] | None, as_of: datetime | None) -> Select[Any]:
    """Today's approved values from ``current_values``; any other view from the revisions themselves."""
    if is_current(statuses, as_of):
        return current_select(indicators, units)
    return latest_select(statuses, as_of, filters(indicators, units))


def _new_row(
    obs: Observation, old_revision: int | None, status: ObservationStatus, actor: str, now: datetime, batch_id: int
) -> dict[str, Any]:
    approved = status is APPROVED
    return {
        "indicator": obs.indicator,
        "unit": obs.unit,
        "period": obs.period,
        "revision": (old_revision or 0) + 1,
        "value": float(obs.value),
        "status": status.value,
        "source": obs.source,
        "vintage": obs.vintage,
        "created_by": actor,
        "created_at": now,
        "approved_by": actor if approved else None,
        "approved_at": now if approved else None,
        "comment": None,
        "batch_id": batch_id,
    }
