"""Reads of an SQLite database file straight through Python's sqlite3 driver, without SQLAlchemy.

What a read-only command needs at start-up — the schema revision, the stored plans, the current
approved values of some ids, the newest audit event — as the SQL the repositories send, so that
``scicity status`` does not spend about 0.4 s importing SQLAlchemy (and its ORM and the table
classes). Each function here has one caller in the store that uses it only for a plain SQLite file
URL (:attr:`scicity.store.db.Database.sqlite_file`) and keeps its SQLAlchemy query for everything
else (:func:`scicity.store.schema.schema_revision`, :func:`scicity.store.data_version.data_version`,
:mod:`scicity.store.current_reads`); ``tests/store/test_sqlite_reads.py`` checks that both give the
same results.

A connection is opened per call, as the repositories open a session per call, with the same busy
timeout; nothing here writes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

from scicity.domain.observation import Observation, ObservationStatus
from scicity.store.errors import DatabaseUnavailable

#: the columns of ``observations`` that make an :class:`Observation`, in this order
_OBSERVATION = ("indicator", "unit", "period", "value", "source", "vintage", "revision", "status", "created_by",
                "created_at", "approved_by")


@contextmanager
def connected(file: Path) -> Iterator[sqlite3.Connection]:
    """A connection to ``file`` (created when missing, as SQLAlchemy's driver does), closed after the block."""
    from scicity.store.db import BUSY_TIMEOUT

    try:
        conn = sqlite3.connect(file, timeout=BUSY_TIMEOUT)
    except sqlite3.OperationalError as err:
        raise DatabaseUnavailable(
            f"Cannot open the SQLite database sqlite:///{file}: {err}. Check that the file's directory is writable."
        ) from err
    try:
        yield conn
    finally:
        conn.close()


def has_table(conn: sqlite3.Connection, name: str) -> bool:
    sql = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"
    return conn.execute(sql, (name,)).fetchone() is not None


def schema_revision(file: Path) -> str | None:
    """The Alembic revision the database is at, or None for a database never migrated."""
    with connected(file) as conn:
        if not has_table(conn, "alembic_version"):
            return None
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return None if row is None else row[0]


def newest_audit_id(file: Path, *, except_entities: Iterable[str] = ()) -> int:
    """The id of the newest audit event (0: none), leaving out events on ``except_entities``."""
    skipped = sorted(except_entities)
    sql = "SELECT max(id) FROM audit_events"
    if skipped:
        sql += f" WHERE entity NOT IN ({', '.join('?' for _ in skipped)})"
    with connected(file) as conn:
        return int(conn.execute(sql, skipped).fetchone()[0] or 0)


def stored_plans(file: Path) -> tuple[str | None, dict[str, str]]:
    """The default plan's id and the YAML text of every stored plan, by id."""
    with connected(file) as conn:
        default = conn.execute("SELECT id FROM plans WHERE is_default").fetchone()
        texts = {plan_id: text for plan_id, text in conn.execute("SELECT id, yaml_text FROM plans ORDER BY id")}
    return (None if default is None else default[0]), texts


def current_approved(file: Path, indicators: Iterable[str] | None) -> list[Observation]:
    """The highest approved revision of every key of ``indicators`` (None: all), from ``current_values``."""
    columns = ", ".join(f"observations.{c}" for c in _OBSERVATION)
    sql = (f"SELECT {columns} FROM current_values JOIN observations "
           "ON current_values.observation_id = observations.id")
    wanted: list[str] = []
    if indicators is not None:
        wanted = [indicators] if isinstance(indicators, str) else list(indicators)
        sql += f" WHERE current_values.indicator IN ({', '.join('?' for _ in wanted)})" if wanted else " WHERE 0"
    with connected(file) as conn:
        rows = conn.execute(sql, wanted).fetchall()
    return [_observation(row) for row in rows]


def _observation(row: tuple) -> Observation:  # type: ignore[type-arg]
    indicator, unit, period, value, source, vintage, revision, status, created_by, created_at, approved_by = row
    return Observation(
        indicator=indicator,
        unit=unit,
        period=period,
        value=value,
        source=source,
        vintage=None if vintage is None else date.fromisoformat(vintage),
        revision=revision,
        status=ObservationStatus(status),
        created_by=created_by,
        created_at=utc_time(created_at),
        approved_by=approved_by,
    )


def utc_time(text: str | None) -> datetime | None:
    """A time as the store keeps it in SQLite (naive UTC text), timezone-aware, as ``UTCDateTime`` reads it."""
    if text is None:
        return None
    return datetime.fromisoformat(text).replace(tzinfo=UTC)
