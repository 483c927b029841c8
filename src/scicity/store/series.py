"""One approved series, fast: the latest approved revision of each year of one (id, unit).

A single prepared statement (the API's series endpoint serves it under load);
the same rows as ``ObservationRepository.latest([id], [unit])``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import text

from scicity.store.db import Database

_SQL = text(
    "SELECT o.period, o.value, o.revision, o.source, o.vintage, o.approved_by FROM observations o "
    "WHERE o.indicator = :indicator AND o.unit = :unit AND o.status = 'approved' AND o.revision = ("
    "SELECT max(p.revision) FROM observations p WHERE p.indicator = o.indicator AND p.unit = o.unit "
    "AND p.period = o.period AND p.status = 'approved') ORDER BY o.period"
)


def approved_series(db: Database, indicator: str, unit: str) -> list[dict[str, Any]]:
    with db.engine.connect() as conn:
        rows = conn.execute(_SQL, {"indicator": indicator, "unit": unit}).all()
    return [
        {"period": r[0], "value": r[1], "revision": r[2], "source": r[3],
         "vintage": r[4].isoformat() if isinstance(r[4], date) else r[4], "approved_by": r[5]}
        for r in rows
    ]
