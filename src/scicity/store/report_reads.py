"""What a report reads of the store besides the values: review states, goal statuses, the registry annex.

For a plain SQLite file (:attr:`scicity.store.db.Database.sqlite_file`) through the sqlite3 driver, as
:mod:`scicity.store.current_reads` does for ``scicity status``: importing SQLAlchemy, its ORM and the table
classes cost ``scicity report`` 0.9 s CPU, more than any read it then made. For any other database through
the repositories. Both give the same results (``tests/store/test_report_reads.py``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterable
from datetime import date
from typing import Any

from scicity.domain.plan import GoalStatus
from scicity.domain.registries import Certification, Enterprise
from scicity.store.db import Database
from scicity.store.goal_entries import GoalStatusEntry
from scicity.store.sqlite_reads import connected, utc_time


def _marks(values: Collection[Any]) -> str:
    return ", ".join("?" for _ in values) or "NULL"  # "IN (NULL)" matches nothing, as an empty IN list does


def latest_statuses(db: Database, indicators: Iterable[str]) -> list[tuple[int, str]]:
    """(period, status) of the highest revision of every key of ``indicators``, whatever its status."""
    wanted = sorted(set(indicators))
    if db.sqlite_file is None:
        from scicity.store.observations import ObservationRepository

        records = ObservationRepository(db).all_latest_for_export(wanted, statuses=None)
        return [(r.observation.period, r.observation.status.value) for r in records]
    sql = ("SELECT o.period, o.status FROM observations o JOIN (SELECT indicator, unit, period, max(revision) AS revision"
           f" FROM observations WHERE indicator IN ({_marks(wanted)}) GROUP BY indicator, unit, period) top"
           " ON o.indicator = top.indicator AND o.unit = top.unit AND o.period = top.period AND o.revision = top.revision"
           " ORDER BY o.indicator, o.unit, o.period")
    with connected(db.sqlite_file) as conn:
        return [(period, status) for period, status in conn.execute(sql, wanted)]


def latest_goal_statuses(db: Database, plan_id: str) -> dict[str, GoalStatusEntry]:
    """The latest status of every goal of ``plan_id`` that has one, by goal id: ``GoalStatusRepository.latest``."""
    if db.sqlite_file is None:
        from scicity.store.goals import GoalStatusRepository

        return GoalStatusRepository(db).latest(plan_id)
    sql = ("SELECT g.plan_id, g.goal_id, g.revision, g.status, g.evidence, g.confirmed_by, g.at FROM goal_status g"
           " JOIN (SELECT goal_id, max(revision) AS revision FROM goal_status WHERE plan_id = ? GROUP BY goal_id) top"
           " ON g.goal_id = top.goal_id AND g.revision = top.revision WHERE g.plan_id = ?")
    with connected(db.sqlite_file) as conn:
        rows = conn.execute(sql, (plan_id, plan_id)).fetchall()
    return {goal: GoalStatusEntry(plan, goal, revision, GoalStatus(status), evidence, by, utc_time(at))  # type: ignore[arg-type]
            for plan, goal, revision, status, evidence, by, at in rows}


_OF_UNITS = "credit_code IN (SELECT credit_code FROM enterprises WHERE unit IN ({}))"


def certifications_from(db: Database, units: Collection[str], first: date, last: date) -> dict[tuple[str, date], int]:
    """How many certifications of each kind start on each day from ``first`` to ``last`` (enterprises of ``units``):
    ``RegistryRepository.certifications_from``."""
    if db.sqlite_file is None:
        from scicity.store.registries import RegistryRepository

        return RegistryRepository(db).certifications_from(units, first, last)
    units = sorted(units)
    sql = (f"SELECT kind, valid_from, count(*) FROM certifications WHERE valid_from BETWEEN ? AND ?"
           f" AND {_OF_UNITS.format(_marks(units))} GROUP BY kind, valid_from")
    with connected(db.sqlite_file) as conn:
        rows = conn.execute(sql, [first.isoformat(), last.isoformat(), *units]).fetchall()
    return {(kind, date.fromisoformat(day)): int(n) for kind, day, n in rows}


def certifications_listed(db: Database, units: Collection[str], first: date, last: date, kinds: Collection[str],
                          limit: int) -> tuple[list[Certification], int]:
    """The first ``limit`` certifications of ``kinds`` from ``first`` to ``last`` (by kind, date and credit code) and
    how many there are: ``RegistryRepository.certifications_listed``."""
    if db.sqlite_file is None:
        from scicity.store.registries import RegistryRepository

        listed, total = RegistryRepository(db).certifications_listed(units, first, last, kinds, limit)
        return listed, total  # type: ignore[return-value]
    units, kinds = sorted(units), list(kinds)
    where = (f" FROM certifications WHERE valid_from BETWEEN ? AND ? AND kind IN ({_marks(kinds)})"
             f" AND {_OF_UNITS.format(_marks(units))}")
    params = [first.isoformat(), last.isoformat(), *kinds, *units]
    names = Certification.field_names()
    with connected(db.sqlite_file) as conn:
        total = int(conn.execute(f"SELECT count(*){where}", params).fetchone()[0])
        rows = conn.execute(f"SELECT {', '.join(names)}{where} ORDER BY kind, valid_from, credit_code LIMIT ?",
                            [*params, limit]).fetchall()
    return [_record(Certification, names, row) for row in rows], total


def enterprises(db: Database, codes: Collection[str]) -> dict[str, Enterprise]:
    """The enterprises with these credit codes, by code: ``RegistryRepository.enterprises``."""
    if db.sqlite_file is None:
        from scicity.store.registries import RegistryRepository

        return RegistryRepository(db).enterprises(codes)  # type: ignore[return-value]
    codes = sorted(codes)
    names = Enterprise.field_names()
    with connected(db.sqlite_file) as conn:
        rows = conn.execute(f"SELECT {', '.join(names)} FROM enterprises WHERE credit_code IN ({_marks(codes)})", codes).fetchall()
    found = [_record(Enterprise, names, row) for row in rows]
    return {e.credit_code: e for e in found}


def _record(cls: type, names: tuple[str, ...], row: tuple[Any, ...]) -> Any:
    """A registry record from an SQLite row, typed as SQLAlchemy's column types read it: dates from their ISO text,
    booleans from 0 and 1 (enumerations are made by the record itself)."""
    types = {f.name: str(f.type) for f in dataclasses.fields(cls)}
    values = {}
    for name, value in zip(names, row, strict=True):
        kind = types[name]
        if value is not None and kind.startswith("date"):
            value = date.fromisoformat(value)
        elif value is not None and kind == "bool":
            value = bool(value)
        values[name] = value
    return cls(**values)
