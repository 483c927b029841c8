"""Drafts of the next plan: targets edited with an optimistic check, versions, comments, states.

Every change makes a new version of the draft (who, when, which targets went
from what to what) and an audit event. A target is edited against the
revision the editor last saw: if someone else changed it in between, the edit
is refused with :class:`EditConflict` naming who changed it to what, and
nothing is written — a lost update is impossible, also across processes,
because the update itself is conditional on the revision.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from scicity.store.audit import AuditRepository, check_actor
from scicity.store.db import Database
from scicity.store.errors import InvalidInput, InvalidTransition, NotFound, StoreError
from scicity.store.plan_draft_tables import (
    DRAFT_STATES,
    PlanDraftRow,
    PlanDraftTargetRow,
    PlanDraftVersionRow,
    PlanTargetCommentRow,
)
from scicity.store.tables import ID_LENGTH
from scicity.store.types import as_utc, utcnow

#: the state changes a draft allows
TRANSITIONS = {("draft", "consultation"), ("consultation", "draft"), ("consultation", "adopted")}
COMMENT_LENGTH = 4000


class EditConflict(StoreError):
    """The target was changed by someone else since the editor read it."""

    def __init__(self, message: str, current: DraftTarget) -> None:
        super().__init__(message)
        self.current = current


@dataclass(frozen=True, slots=True)
class DraftTarget:
    indicator: str
    value: float
    revision: int
    updated_by: str
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class StoredDraft:
    id: str
    base_plan_id: str
    name: str
    state: str
    version: int
    yaml_text: str
    created_by: str
    created_at: datetime
    updated_at: datetime
    targets: dict[str, DraftTarget]


@dataclass(frozen=True, slots=True)
class DraftVersion:
    version: int
    actor: str
    at: datetime
    action: str  # create | edit | state
    changes: Any


@dataclass(frozen=True, slots=True)
class TargetChange:
    """How one target differs between two versions, and who changed it last."""

    indicator: str
    before: float | None
    after: float | None
    by: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Comment:
    id: int
    indicator: str
    author: str
    at: datetime
    body: str


class PlanDraftRepository:
    def __init__(self, db: Database, *, clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.clock = clock
        self.audit = AuditRepository(db, clock=clock)

    def create(self, draft_id: str, base_plan_id: str, name: str, yaml_text: str, targets: Mapping[str, float],
               *, actor: str) -> StoredDraft:
        """Store a new draft (version 1) with its targets."""
        check_actor(actor)
        if not draft_id or len(draft_id) > ID_LENGTH:
            raise InvalidInput(f"draft id must be 1 to {ID_LENGTH} characters, got {draft_id!r}")
        now = as_utc(self.clock(), "clock")
        with self.db.session() as session:
            if session.get(PlanDraftRow, draft_id) is not None:
                raise InvalidInput(f"a draft {draft_id!r} exists already; edit it, or give the new one another id (--id)")
            session.add(PlanDraftRow(id=draft_id, base_plan_id=base_plan_id, name=name[:256], state="draft", version=1,
                                     yaml_text=yaml_text, created_by=actor, created_at=now, updated_at=now))
            session.flush()
            for ind, value in targets.items():
                session.add(PlanDraftTargetRow(draft_id=draft_id, indicator=ind, value=float(value), revision=1,
                                               updated_by=actor, updated_at=now))
            changes = {"targets": {k: float(v) for k, v in targets.items()}, "from": base_plan_id}
            session.add(PlanDraftVersionRow(draft_id=draft_id, version=1, actor=actor, at=now, action="create", changes=changes))
            self.audit.record(session, actor=actor, action="plan_draft.create", entity="plan_draft", entity_id=draft_id,
                              before=None, after={"from": base_plan_id, "targets": len(targets)}, at=now)
        return self.get(draft_id)

    def get(self, draft_id: str) -> StoredDraft:
        with self.db.session() as session:
            row = self._row(session, draft_id)
            return _stored(row, self._targets(session, draft_id))

    def list(self) -> builtins.list[StoredDraft]:
        with self.db.session() as session:
            rows = session.scalars(select(PlanDraftRow).order_by(PlanDraftRow.id)).all()
            return [_stored(r, self._targets(session, r.id)) for r in rows]

    def edit_target(self, draft_id: str, indicator: str, value: float, *, expected_revision: int, actor: str) -> DraftTarget:
        """Set one target, if it is still at ``expected_revision``; else :class:`EditConflict`."""
        check_actor(actor)
        now = as_utc(self.clock(), "clock")
        with self.db.session() as session:
            # The write comes first, so that the transaction holds the write lock before it reads anything
            # (SQLite cannot upgrade a read lock while another writer waits; PostgreSQL then queues the second editor).
            bumped = session.execute(
                update(PlanDraftRow)
                .where(PlanDraftRow.id == draft_id, PlanDraftRow.state != "adopted")
                .values(version=PlanDraftRow.version + 1, updated_at=now)
                .execution_options(synchronize_session=False)
            )
            if bumped.rowcount != 1:
                self._row(session, draft_id)  # NotFound for an unknown draft
                raise InvalidTransition(f"draft {draft_id!r} is adopted: its targets can no longer be edited")
            current = session.get(PlanDraftTargetRow, (draft_id, indicator))
            if current is None:
                raise NotFound(f"draft {draft_id!r} has no target for {indicator!r}")
            before = current.value
            result = session.execute(
                update(PlanDraftTargetRow)
                .where(PlanDraftTargetRow.draft_id == draft_id, PlanDraftTargetRow.indicator == indicator,
                       PlanDraftTargetRow.revision == expected_revision)
                .values(value=float(value), revision=expected_revision + 1, updated_by=actor, updated_at=now)
                .execution_options(synchronize_session=False)
            )
            if result.rowcount != 1:
                session.refresh(current)
                mine = _target(current)
                raise EditConflict(
                    f"the target of {indicator!r} was changed by {mine.updated_by} to {mine.value:g} "
                    f"(revision {mine.revision}) after you opened revision {expected_revision}; your value "
                    f"{float(value):g} was not saved — look at the new value and set yours again if it still holds",
                    mine,
                )
            version = session.scalar(select(PlanDraftRow.version).where(PlanDraftRow.id == draft_id))
            change = {"indicator": indicator, "before": before, "after": float(value), "revision": expected_revision + 1}
            session.add(PlanDraftVersionRow(draft_id=draft_id, version=version, actor=actor, at=now, action="edit",
                                            changes=change))
            self.audit.record(session, actor=actor, action="plan_draft.edit_target", entity="plan_draft",
                              entity_id=f"{draft_id}/{indicator}", before={"value": before, "revision": expected_revision},
                              after={"value": float(value), "revision": expected_revision + 1}, at=now)
            session.flush()
            session.refresh(current)
            return _target(current)

    def set_state(self, draft_id: str, state: str, *, actor: str) -> StoredDraft:
        """Move a draft along draft → consultation → adopted (or back from consultation to draft)."""
        check_actor(actor)
        if state not in DRAFT_STATES:
            raise InvalidInput(f"unknown state {state!r}; states: {', '.join(DRAFT_STATES)}")
        now = as_utc(self.clock(), "clock")
        with self.db.session() as session:
            draft = self._row(session, draft_id, lock=True)
            if (draft.state, state) not in TRANSITIONS:
                allowed = sorted(b for a, b in TRANSITIONS if a == draft.state)
                raise InvalidTransition(
                    f"draft {draft_id!r} is in {draft.state!r}; it can go to {', '.join(allowed) or 'no other state'}, "
                    f"not to {state!r}"
                )
            before = draft.state
            draft.state, draft.updated_at = state, now
            draft.version += 1
            session.add(PlanDraftVersionRow(draft_id=draft_id, version=draft.version, actor=actor, at=now, action="state",
                                            changes={"before": before, "after": state}))
            self.audit.record(session, actor=actor, action="plan_draft.state", entity="plan_draft", entity_id=draft_id,
                              before={"state": before}, after={"state": state}, at=now)
        return self.get(draft_id)

    def versions(self, draft_id: str) -> builtins.list[DraftVersion]:
        with self.db.session() as session:
            self._row(session, draft_id)
            rows = session.scalars(select(PlanDraftVersionRow).where(PlanDraftVersionRow.draft_id == draft_id)
                                   .order_by(PlanDraftVersionRow.version))
            return [DraftVersion(r.version, r.actor, r.at, r.action, r.changes) for r in rows]

    def diff(self, draft_id: str, since: int, until: int | None = None) -> builtins.list[TargetChange]:
        """The targets that changed after version ``since`` up to ``until`` (default: now), with who changed them."""
        seen: dict[str, tuple[float | None, float | None, builtins.list[str]]] = {}
        for v in self.versions(draft_id):
            if v.version <= since or (until is not None and v.version > until) or v.action != "edit":
                continue
            ind = v.changes["indicator"]
            before, _, by = seen.get(ind, (v.changes["before"], None, []))
            if v.actor not in by:
                by.append(v.actor)
            seen[ind] = (before, v.changes["after"], by)
        return [TargetChange(k, b, a, tuple(by)) for k, (b, a, by) in sorted(seen.items()) if b != a]

    def comment(self, draft_id: str, indicator: str, body: str, *, author: str) -> Comment:
        check_actor(author)
        body = body.strip()
        if not body:
            raise InvalidInput("a comment needs some text")
        if len(body) > COMMENT_LENGTH:
            raise InvalidInput(f"a comment is at most {COMMENT_LENGTH} characters; this one has {len(body)}")
        now = as_utc(self.clock(), "clock")
        with self.db.session() as session:
            self._row(session, draft_id)
            if session.get(PlanDraftTargetRow, (draft_id, indicator)) is None:
                raise NotFound(f"draft {draft_id!r} has no target for {indicator!r}")
            row = PlanTargetCommentRow(draft_id=draft_id, indicator=indicator, author=author, at=now, body=body)
            session.add(row)
            session.flush()
            self.audit.record(session, actor=author, action="plan_draft.comment", entity="plan_draft",
                              entity_id=f"{draft_id}/{indicator}", before=None, after={"comment": row.id}, at=now)
            return Comment(row.id, indicator, author, now, body)

    def comments(self, draft_id: str, indicator: str | None = None) -> builtins.list[Comment]:
        with self.db.session() as session:
            q = select(PlanTargetCommentRow).where(PlanTargetCommentRow.draft_id == draft_id)
            if indicator is not None:
                q = q.where(PlanTargetCommentRow.indicator == indicator)
            rows = session.scalars(q.order_by(PlanTargetCommentRow.at, PlanTargetCommentRow.id))
            return [Comment(r.id, r.indicator, r.author, r.at, r.body) for r in rows]

    def comment_counts(self, draft_id: str) -> dict[str, int]:
        with self.db.session() as session:
            q = (select(PlanTargetCommentRow.indicator, func.count()).where(PlanTargetCommentRow.draft_id == draft_id)
                 .group_by(PlanTargetCommentRow.indicator))
            return {ind: int(n) for ind, n in session.execute(q)}

    def _row(self, session: Session, draft_id: str, *, lock: bool = False) -> PlanDraftRow:
        row = session.get(PlanDraftRow, draft_id, with_for_update=lock)
        if row is None:
            known = session.scalars(select(PlanDraftRow.id).order_by(PlanDraftRow.id)).all()
            raise NotFound(f"no draft plan {draft_id!r} (drafts: {', '.join(known) if known else 'none yet'})")
        return row

    @staticmethod
    def _targets(session: Session, draft_id: str) -> dict[str, DraftTarget]:
        rows = session.scalars(select(PlanDraftTargetRow).where(PlanDraftTargetRow.draft_id == draft_id))
        return {r.indicator: _target(r) for r in rows}


def _target(row: PlanDraftTargetRow) -> DraftTarget:
    return DraftTarget(row.indicator, row.value, row.revision, row.updated_by, row.updated_at)


def _stored(row: PlanDraftRow, targets: dict[str, DraftTarget]) -> StoredDraft:
    return StoredDraft(row.id, row.base_plan_id, row.name, row.state, row.version, row.yaml_text, row.created_by,
                       row.created_at, row.updated_at, targets)
