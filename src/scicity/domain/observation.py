"""Observations: what happened, as reported.

An observation is one value of one reported id (an indicator or a raw series)
for one geography unit and one period (a year). A revision never overwrites:
it adds a new *vintage*, and the latest vintage wins unless an earlier date is
asked for.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class ObservationStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"


@dataclass(frozen=True, slots=True)
class ObservationKey:
    """What an observation is about: (reported id, geography unit, period)."""

    indicator: str
    unit: str
    period: int


@dataclass(frozen=True, slots=True)
class Observation:
    """One reported value. ``vintage`` orders revisions (higher is newer)."""

    indicator: str
    unit: str
    period: int
    value: float
    source: str | None = None
    vintage: int = 1
    status: ObservationStatus = ObservationStatus.APPROVED
    created_by: str | None = None
    created_at: datetime | None = None
    published: str | None = field(default=None, compare=False)

    @property
    def key(self) -> ObservationKey:
        return ObservationKey(self.indicator, self.unit, self.period)


def latest_vintages(observations: list[Observation] | tuple[Observation, ...]) -> dict[ObservationKey, Observation]:
    """Keep, for each key, the observation with the highest vintage."""
    out: dict[ObservationKey, Observation] = {}
    for obs in observations:
        best = out.get(obs.key)
        if best is None or obs.vintage > best.vintage:
            out[obs.key] = obs
    return out
