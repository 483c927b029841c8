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
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

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


def verify(db: Database) -> VerifyReport:
    """Compare every observation row with its newest audit snapshot, and every snapshot with a row."""
    report = VerifyReport()
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
            where = f"observation {row.id} ({row.indicator}/{row.unit}/{row.period} revision {row.revision})"
            hit = newest.get(key)
            if hit is None:
                report.add(f"{where}: no audit event records it — it was inserted behind scicity's back")
                continue
            event_id, action, after = hit
            now = snapshot(row)
            differs = [name for name, value in (after or {}).items() if name in now and not _same(value, now[name])]
            if differs:
                shown = ", ".join(f"{n} {after[n]!r} → {now[n]!r}" for n in differs[:4])  # type: ignore[index]
                report.add(f"{where}: differs from audit event {event_id} ({action}): {shown} — "
                           "changed behind scicity's back")
    for entity_id, (event_id, action, _after) in newest.items():
        if entity_id not in seen:
            report.add(f"observation {entity_id}: audit event {event_id} ({action}) records it, but the row is gone — "
                       "deleted or replaced behind scicity's back")
    return report
