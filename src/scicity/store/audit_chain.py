"""A hash chain over the audit log: each event carries the hash of its content and of the event before it.

    link(session, events)        # fill prev_hash / hash of new events, in id order (inside the write)
    event_hash(prev, event)      # what verify recomputes

``hash = sha256(prev_hash + "\\n" + canonical JSON of the event's content)``,
the content being its time, actor, action, entity, entity id, before, after
and import batch. The first event's ``prev_hash`` is :data:`GENESIS`. An
event changed, removed or slipped in with direct SQL breaks the chain at
that row (``scicity db verify`` names it) unless whoever did it recomputed
every later hash too — which a database owner can; keeping the head that
``scicity db verify`` prints somewhere else catches that as well.

Writers must not fork the chain: two transactions that read the same head
would both link to it. SQLite write sessions already hold the write lock
(``BEGIN IMMEDIATE``); on PostgreSQL :func:`link` takes a transaction-level
advisory lock before reading the head, so audit writers queue there.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from scicity.store.tables import AuditEventRow
from scicity.store.types import as_utc

#: the previous hash of the first event
GENESIS = "0" * 64
#: pg_advisory_xact_lock key of the audit chain's head ("scicity audit" in a 63-bit number)
PG_LOCK_KEY = 0x5C1C17A0D17C4A17
CONTENT = ("at", "actor", "action", "entity", "entity_id", "before", "after", "batch_id")


def _number(value: float | int) -> Any:
    """Numbers as PostgreSQL's JSONB gives them back and SQLite's JSON text does: one spelling for both.

    JSONB keeps numbers as decimals (1e20 returns as the integer 100000000000000000000,
    -0.0 as 0), so every number is hashed as a float, with -0.0 as 0.0.
    """
    try:
        f = float(value) + 0.0
    except OverflowError:
        return str(value)
    return f if math.isfinite(f) else str(value)


def _canonical(value: Any) -> Any:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return _number(value)
    if isinstance(value, Mapping):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    if isinstance(value, datetime):
        return as_utc(value).isoformat(timespec="microseconds")
    return str(value)


def content_of(event: Mapping[str, Any] | AuditEventRow) -> str:
    """The canonical JSON of an event's content (a row, or the column values of :func:`~scicity.store.audit.event_params`)."""
    get = event.get if isinstance(event, Mapping) else (lambda name: getattr(event, name))
    values = {name: get(name) for name in CONTENT}
    values["entity_id"] = str(values["entity_id"])
    values["batch_id"] = None if values["batch_id"] is None else int(values["batch_id"])
    values["at"] = as_utc(values["at"]).isoformat(timespec="microseconds")
    return json.dumps(_canonical(values), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def event_hash(prev_hash: str, event: Mapping[str, Any] | AuditEventRow) -> str:
    return hashlib.sha256(f"{prev_hash}\n{content_of(event)}".encode()).hexdigest()


def lock_head(session: Session) -> None:
    """On PostgreSQL, queue behind any other transaction that is adding audit events (held until commit)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_LOCK_KEY})


def head(session: Session) -> str:
    """The hash of the newest event (:data:`GENESIS` for an empty log)."""
    a = AuditEventRow
    last = session.execute(select(a.hash).order_by(a.id.desc()).limit(1)).scalar_one_or_none()
    return last or GENESIS


def link(session: Session, events: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """``events`` with ``prev_hash`` and ``hash`` set, chained after the current head (take the lock first)."""
    lock_head(session)
    prev = head(session)
    out = []
    for event in events:
        digest = event_hash(prev, event)
        out.append({**event, "prev_hash": prev, "hash": digest})
        prev = digest
    return out


def chain(rows: Iterable[Any], prev: str = GENESIS) -> Iterable[tuple[Any, str, str]]:
    """``(row, expected_prev, expected_hash)`` along rows in id order, continuing from each row's stored hash
    (so one change is reported once, at its row)."""
    for row in rows:
        expected = event_hash(row.prev_hash if row.prev_hash is not None else prev, row)
        yield row, prev, expected
        prev = row.hash if row.hash is not None else expected
