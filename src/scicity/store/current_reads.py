"""What a read-only command reads of the current state: the stored plans and the current approved values.

For a plain SQLite file (:attr:`scicity.store.db.Database.sqlite_file`) through the sqlite3 driver
(:mod:`scicity.store.sqlite_reads`), so that ``scicity status`` starts without SQLAlchemy; for any other
database through the repositories, as every other reader does. Both give the same results
(``tests/store/test_sqlite_reads.py``).
"""

from __future__ import annotations

from collections.abc import Iterable

from scicity.domain.observation import Observation, ObservationKey
from scicity.store import sqlite_reads
from scicity.store.db import Database


def stored_plans(db: Database) -> tuple[str | None, dict[str, str]]:
    """The default plan's id (None: no plan stored) and the YAML text of every stored plan, by id."""
    if db.sqlite_file is not None:
        return sqlite_reads.stored_plans(db.sqlite_file)
    from scicity.store.plans import PlanRepository

    repo = PlanRepository(db)
    return repo.default_id(), {p.id: repo.get_text(p.id) for p in repo.list()}


def approved_values(db: Database, indicators: Iterable[str] | None = None) -> dict[ObservationKey, Observation]:
    """The highest approved revision of every key of ``indicators`` (None: all): ``ObservationRepository.latest``."""
    if db.sqlite_file is not None:
        return {obs.key: obs for obs in sqlite_reads.current_approved(db.sqlite_file, indicators)}
    from scicity.store.observations import ObservationRepository

    return ObservationRepository(db).latest(indicators)
