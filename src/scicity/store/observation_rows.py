"""Between observation rows and domain observations: conversion, audit snapshots, input checks."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeAlias

from sqlalchemy import Row

from scicity.domain.observation import Observation, ObservationKey, ObservationStatus
from scicity.store.errors import InvalidObservation
from scicity.store.tables import ID_LENGTH, ObservationRow

MAX_PROBLEMS_SHOWN = 10
# An ORM row or a plain result row with the same columns.
RowLike: TypeAlias = ObservationRow | Row[Any]


@dataclass(frozen=True, slots=True)
class ObservationRecord:
    """A stored observation with the store's bookkeeping (row id, review fields, import batch)."""

    id: int
    observation: Observation
    approved_at: datetime | None = None
    comment: str | None = None
    batch_id: int | None = None

    @property
    def key(self) -> ObservationKey:
        return self.observation.key


def to_observation(row: RowLike) -> Observation:
    return Observation(
        indicator=row.indicator,
        unit=row.unit,
        period=row.period,
        value=row.value,
        source=row.source,
        vintage=row.vintage,
        revision=row.revision,
        status=ObservationStatus(row.status),
        created_by=row.created_by,
        created_at=row.created_at,
        approved_by=row.approved_by,
    )


def to_record(row: RowLike) -> ObservationRecord:
    return ObservationRecord(row.id, to_observation(row), row.approved_at, row.comment, row.batch_id)


def snapshot(values: dict[str, Any] | RowLike) -> dict[str, Any]:
    """An observation row as a JSON-ready dict, for the audit log's before/after."""
    get = values.get if isinstance(values, dict) else (lambda name: getattr(values, name))
    out: dict[str, Any] = {}
    for name in _SNAPSHOT_COLUMNS:
        value = get(name)
        out[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return out


_SNAPSHOT_COLUMNS = (
    "id",
    "indicator",
    "unit",
    "period",
    "revision",
    "value",
    "status",
    "source",
    "vintage",
    "created_by",
    "created_at",
    "approved_by",
    "approved_at",
    "comment",
    "batch_id",
)


def check_incoming(incoming: Sequence[Observation]) -> None:
    """Refuse a list that cannot be stored as given, naming every problem (up to a limit) at once.

    Readers in :mod:`scicity.ingest` check files with row numbers first; this
    is the last guard before the database, so items are named by position.
    """
    problems: list[str] = []
    first_seen: dict[ObservationKey, int] = {}
    for pos, obs in enumerate(incoming, start=1):
        where = f"item {pos} ({obs.indicator!r}, {obs.unit!r}, {obs.period!r})"
        for field, text in (("indicator", obs.indicator), ("unit", obs.unit)):
            if not isinstance(text, str) or not text.strip():
                problems.append(f"{where}: {field} is empty")
            elif len(text) > ID_LENGTH:
                problems.append(f"{where}: {field} is {len(text)} characters long; at most {ID_LENGTH} fit")
        if isinstance(obs.period, bool) or not isinstance(obs.period, int):
            problems.append(f"{where}: period must be a whole year, got {obs.period!r}")
        if isinstance(obs.value, bool) or not isinstance(obs.value, (int, float)) or not math.isfinite(obs.value):
            problems.append(f"{where}: value must be a finite number, got {obs.value!r}")
        previous = first_seen.setdefault(obs.key, pos)
        if previous != pos:
            problems.append(f"{where}: same indicator, unit and period as item {previous}; keep one of them")
        if len(problems) > MAX_PROBLEMS_SHOWN:
            break
    if problems:
        shown = problems[:MAX_PROBLEMS_SHOWN]
        more = " (and more; fix these first)" if len(problems) > MAX_PROBLEMS_SHOWN else ""
        raise InvalidObservation(
            f"{len(shown)} problem(s) in the observations to store, nothing was written{more}:\n  " + "\n  ".join(shown)
        )
