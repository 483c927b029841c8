"""Observations: what happened, as reported.

An observation is one value of one reported id (an indicator or a raw series)
for one geography unit and one period (a year). A revision never overwrites:
it adds a new *revision* of the same key, with the *vintage* (publication
date) it came with. The highest revision wins unless an as-of date is asked
for, in which case the newest revision recorded by then wins.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum


class ObservationStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"


@dataclass(frozen=True, slots=True, order=True)
class ObservationKey:
    """What an observation is about: (reported id, geography unit, period)."""

    indicator: str
    unit: str
    period: int


@dataclass(frozen=True, slots=True)
class Observation:
    """One reported value of one key, at one revision."""

    indicator: str
    unit: str
    period: int
    value: float
    source: str | None = None
    vintage: date | None = None  # publication date of the figure, as reported
    revision: int = 1  # 1 for the first value of a key, +1 for each correction
    status: ObservationStatus = ObservationStatus.APPROVED
    created_by: str | None = None
    created_at: datetime | None = None
    approved_by: str | None = None

    @property
    def key(self) -> ObservationKey:
        return ObservationKey(self.indicator, self.unit, self.period)


def latest_revisions(observations: Iterable[Observation]) -> dict[ObservationKey, Observation]:
    """Keep, for each key, the observation with the highest revision."""
    out: dict[ObservationKey, Observation] = {}
    for obs in observations:
        best = out.get(obs.key)
        if best is None or obs.revision > best.revision:
            out[obs.key] = obs
    return out
