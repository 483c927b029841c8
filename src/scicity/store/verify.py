"""Check the record against itself: every observation row as its audit events describe it.

    report = verify(db)        # report.ok, report.problems

Every write of an observation records, in the same transaction, an audit
event whose ``after`` is a snapshot of the row (``observation.create``,
``observation.revise``, then one per review step). So for a store nobody
touched behind scicity's back:

- every observation row has audit events, and the newest one's snapshot
  equals the row as it is now (value, key, revision, status, source, …);
- every observation an audit event names still exists.

What a change made with direct SQL by a database owner (who can switch the
guards off) leaves behind is reported here as tampering.

The audit log itself is checked along its hash chain
(:mod:`scicity.store.audit_chain`): an event whose content no longer gives
its hash, or whose previous hash is not the hash of the event before it
(one removed or slipped in), is reported at its row. The report ends with
the chain's head (newest id and hash): kept elsewhere, it also shows a chain
rewritten from that point on (``--head ID:HASH``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from scicity.domain.message import Msg
from scicity.store.audit_chain import GENESIS, chain
from scicity.store.db import Database
from scicity.store.observation_rows import snapshot
from scicity.store.tables import AuditEventRow, ObservationRow

MAX_SHOWN = 200


@dataclass
class VerifyReport:
    observations: int = 0
    events: int = 0
    problems: list[str] = field(default_factory=list)
    total_problems: int = 0
    #: every audit event, all kinds (the chain covers them all)
    audit_events: int = 0
    #: the newest event's id and hash (None, GENESIS for an empty log)
    head_id: int | None = None
    head_hash: str = GENESIS
    #: the first event where the chain breaks (None: unbroken)
    first_break: int | None = None

    @property
    def ok(self) -> bool:
        return self.total_problems == 0

    def add(self, text: str) -> None:
        self.total_problems += 1
        if len(self.problems) < MAX_SHOWN:
            self.problems.append(text)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        try:
            return a is not None and b is not None and math.isclose(float(a), float(b), rel_tol=1e-12, abs_tol=0)
        except (TypeError, ValueError):
            return False
    return a == b


def _verify_chain(db: Database, report: VerifyReport, anchor: tuple[int, str] | None) -> None:
    a = AuditEventRow
    anchor_seen = False
    with db.session() as session:
        rows = session.execute(select(a).order_by(a.id).execution_options(yield_per=2_000)).scalars()
        for row, expected_prev, expected_hash in chain(rows):
            report.audit_events += 1
            report.head_id, report.head_hash = row.id, row.hash or ""
            where = Msg("audit event {id} ({action} {entity} {entity_id}, {actor})", id=row.id, action=row.action,
                        entity=row.entity, entity_id=row.entity_id, actor=row.actor)
            problem = None
            if row.hash is None or row.prev_hash is None:
                problem = Msg("{where}: carries no hash — added behind scicity's back", where=where)
            elif row.prev_hash != expected_prev:
                problem = Msg("{where}: the chain breaks here — its previous hash is not the hash of the event before "
                              "it: an event before it was deleted or slipped in behind scicity's back", where=where)
            elif row.hash != expected_hash:
                problem = Msg("{where}: its content no longer matches its hash — changed behind scicity's back", where=where)
            if problem:
                report.first_break = report.first_break or row.id
                report.add(problem)
            if anchor and row.id == anchor[0]:
                anchor_seen = True
                if row.hash != anchor[1]:
                    report.add(Msg("{where}: its hash is not the {hash}… kept for it — the chain was rewritten from there on",
                                   where=where, hash=anchor[1][:12]))
    if anchor and not anchor_seen:
        report.add(Msg("audit event {id} (kept with hash {hash}…) is gone — the log was cut back", id=anchor[0],
                       hash=anchor[1][:12]))


def verify(db: Database, *, head: tuple[int, str] | None = None) -> VerifyReport:
    """Check the audit log's hash chain, then compare every observation row with its newest audit snapshot,
    and every snapshot with a row. ``head``: an (id, hash) kept from an earlier verify, checked too."""
    report = VerifyReport()
    _verify_chain(db, report, head)
    a = AuditEventRow
    newest: dict[str, tuple[int, str, dict[str, Any] | None]] = {}
    with db.session() as session:
        for event_id, entity_id, action, after in session.execute(
                select(a.id, a.entity_id, a.action, a.after).where(a.entity == "observation").order_by(a.id)):
            report.events += 1
            newest[entity_id] = (event_id, action, after)
        rows = session.execute(select(ObservationRow)).scalars()
        seen: set[str] = set()
        for row in rows:
            report.observations += 1
            key = str(row.id)
            seen.add(key)
            where = Msg("observation {id} ({indicator}/{unit}/{period} revision {revision})", id=row.id,
                        indicator=row.indicator, unit=row.unit, period=row.period, revision=row.revision)
            hit = newest.get(key)
            if hit is None:
                report.add(Msg("{where}: no audit event records it — it was inserted behind scicity's back", where=where))
                continue
            event_id, action, after = hit
            now = snapshot(row)
            differs = [name for name, value in (after or {}).items() if name in now and not _same(value, now[name])]
            if differs:
                shown = ", ".join(f"{n} {after[n]!r} → {now[n]!r}" for n in differs[:4])  # type: ignore[index]
                report.add(Msg("{where}: differs from audit event {event} ({action}): {shown} — changed behind scicity's back",
                               where=where, event=event_id, action=action, shown=Msg.literal(shown)))
    for entity_id, (event_id, action, _after) in newest.items():
        if entity_id not in seen:
            report.add(Msg("observation {id}: audit event {event} ({action}) records it, but the row is gone — "
                           "deleted or replaced behind scicity's back", id=entity_id, event=event_id, action=action))
    return report
