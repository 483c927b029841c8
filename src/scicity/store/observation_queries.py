"""SQL for observations: latest revision per key, bulk look-up of stored keys, bulk insert, row lock.

Everything runs in SQL on either dialect; nothing loads a whole table to filter it in Python.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Column, Integer, MetaData, Row, Select, String, Table, and_, func, insert, or_, select, tuple_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from scicity.domain.message import Msg
from scicity.domain.observation import ObservationKey, ObservationStatus
from scicity.store.errors import ConcurrentWrite, NotFound
from scicity.store.tables import ID_LENGTH, CurrentValueRow, ObservationRow
from scicity.store.types import as_utc

APPROVED = ObservationStatus.APPROVED
KEY_CHUNK = 500  # up to this many keys are looked up with an IN list, more through a temporary table
_T = ObservationRow.__table__
COLUMNS = tuple(_T.c)
# Keys of a large import, for one matching query. Per connection; dropped after use (and at commit on PostgreSQL).
_KEYS = Table(
    "scicity_incoming_keys",
    MetaData(),
    Column("indicator", String(ID_LENGTH)),
    Column("unit", String(ID_LENGTH)),
    Column("period", Integer),
    prefixes=["TEMPORARY"],
    postgresql_on_commit="DROP",
)


def key_is(key: ObservationKey) -> tuple[Any, ...]:
    o = ObservationRow
    return (o.indicator == key.indicator, o.unit == key.unit, o.period == key.period)


def filters(indicators: Iterable[str] | None, units: Iterable[str] | None, table: Any = ObservationRow) -> list[Any]:
    """Conditions for the given indicator and unit ids; a single id may be passed as a plain string."""
    out: list[Any] = []
    if indicators is not None:
        out.append(table.indicator.in_([indicators] if isinstance(indicators, str) else list(indicators)))
    if units is not None:
        out.append(table.unit.in_([units] if isinstance(units, str) else list(units)))
    return out


def is_current(statuses: Iterable[ObservationStatus | str] | None, as_of: datetime | None) -> bool:
    """Whether a "latest" look-up asks for today's approved values: what ``current_values`` holds."""
    return as_of is None and statuses is not None and {ObservationStatus(s) for s in statuses} == {APPROVED}


def current_select(indicators: Iterable[str] | None, units: Iterable[str] | None) -> Select[Any]:
    """The rows of the current approved values (``current_values``, kept by triggers): no grouping, one join."""
    c = CurrentValueRow
    return select(*COLUMNS).join_from(c, _T, c.observation_id == ObservationRow.id).where(
        *filters(indicators, units, c))


def latest_select(
    statuses: Iterable[ObservationStatus | str] | None, as_of: datetime | None, where: Sequence[Any]
) -> Select[Any]:
    """Rows holding the highest revision per key among the rows that pass the filters."""
    o = ObservationRow
    conditions = list(where)
    wanted = None if statuses is None else {ObservationStatus(s).value for s in statuses}
    if as_of is None:
        if wanted is not None:
            conditions.append(o.status.in_(wanted))
    else:
        moment = as_utc(as_of, "as_of")
        conditions.append(o.created_at <= moment)
        if wanted is not None:
            # A row approved after ``as_of`` was still 'submitted' then (the only way to 'approved').
            was = and_(o.status.in_(wanted), or_(o.status != APPROVED.value, o.approved_at <= moment))
            if ObservationStatus.SUBMITTED.value in wanted:
                was = or_(was, and_(o.status == APPROVED.value, o.approved_at > moment))
            conditions.append(was)
    top = (
        select(o.indicator, o.unit, o.period, func.max(o.revision).label("revision"))
        .where(*conditions)
        .group_by(o.indicator, o.unit, o.period)
        .subquery("top")
    )
    joined = and_(
        o.indicator == top.c.indicator, o.unit == top.c.unit, o.period == top.c.period, o.revision == top.c.revision
    )
    return select(*COLUMNS).join_from(_T, top, joined)


def stored_latest(session: Session, keys: Sequence[ObservationKey]) -> dict[ObservationKey, Row[Any]]:
    """The latest row of any status for each of ``keys`` that is stored.

    A few keys are looked up with one ``(indicator, unit, period) IN (...)``
    query; many are first bulk-inserted into a temporary table, then matched
    with one query (several times faster than chunked IN lists at 100k keys).
    """
    columns = tuple_(ObservationRow.indicator, ObservationRow.unit, ObservationRow.period)
    if len(keys) <= KEY_CHUNK:
        wanted: Any = [(k.indicator, k.unit, k.period) for k in keys]
        return by_key(session.execute(latest_select(None, None, [columns.in_(wanted)])))
    # Created inside the transaction: if anything fails, the rollback removes the table too.
    conn = session.connection()
    _KEYS.create(conn)
    for start in range(0, len(keys), KEY_CHUNK * 20):
        chunk = keys[start : start + KEY_CHUNK * 20]
        conn.execute(insert(_KEYS), [{"indicator": k.indicator, "unit": k.unit, "period": k.period} for k in chunk])
    wanted = select(_KEYS.c.indicator, _KEYS.c.unit, _KEYS.c.period)
    found = by_key(session.execute(latest_select(None, None, [columns.in_(wanted)])))
    _KEYS.drop(conn)
    return found


def by_key(rows: Iterable[Row[Any]]) -> dict[ObservationKey, Row[Any]]:
    return {ObservationKey(row.indicator, row.unit, row.period): row for row in rows}


def insert_rows(session: Session, params: list[dict[str, Any]], batch_id: int) -> list[int]:
    """Bulk insert with the driver's executemany; the new ids in the order of ``params``.

    The ids are read back by batch in one query rather than with RETURNING,
    which SQLite can only do row by row when the order must be kept.
    """
    if not params:
        return []
    try:
        session.execute(insert(_T), params)
    except IntegrityError as err:
        reason = str(err.orig)
        # the unique key, or on SQLite the guard against REPLACE (migration 0004) that fires first
        if "uq_observations" in reason or "UNIQUE constraint failed: observations" in reason \
                or "observations rows cannot be replaced" in reason:
            raise ConcurrentWrite(Msg(
                "another import or entry stored a revision of the same values while this one ran; "
                "nothing of this import was written. Preview again and re-apply."
            )) from err
        raise
    o = ObservationRow
    ids = {
        (row.indicator, row.unit, row.period): row.id
        for row in session.execute(select(o.id, o.indicator, o.unit, o.period).where(o.batch_id == batch_id))
    }
    return [ids[(p["indicator"], p["unit"], p["period"])] for p in params]


def find_for_update(session: Session, key_or_id: ObservationKey | int, revision: int | None) -> ObservationRow:
    o = ObservationRow
    if isinstance(key_or_id, ObservationKey):
        stmt = select(o).where(*key_is(key_or_id))
        stmt = stmt.where(o.revision == revision) if revision is not None else stmt.order_by(o.revision.desc())
        what = f"{key_or_id.indicator}/{key_or_id.unit}/{key_or_id.period}" + (
            f" revision {revision}" if revision is not None else ""
        )
    else:
        stmt = select(o).where(o.id == key_or_id)
        what = f"observation id {key_or_id}"
    row = session.scalars(stmt.limit(1).with_for_update()).first()
    if row is None:
        raise NotFound(f"no stored observation {what}")
    if revision is not None and row.revision != revision:
        raise NotFound(f"observation id {key_or_id} is revision {row.revision}, not {revision}")
    return row
