"""The nouns of assessment: statuses, the resolved target, projections, explanations, results.

Everything here is a plain frozen value. The methods that produce them live in
:mod:`scicity.assess.builtin`; the entry points in :mod:`scicity.assess.api`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np

from scicity.domain.plan import Comparator, Direction, Indicator, Plan, Target, TargetKind


class Status(StrEnum):
    """The common scale every method maps its native label onto."""

    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    REGRESSING = "regressing"
    INSUFFICIENT_DATA = "insufficient_data"
    MISSED = "missed"


#: Integer code of each status in batch results (``list(Status).index``).
STATUS_CODE: dict[Status, int] = {s: i for i, s in enumerate(Status)}

#: Rank for "better/worse" comparisons on the common scale (higher is better).
#: ``insufficient_data`` has no rank: it says nothing about progress.
STATUS_RANK: dict[Status, int] = {
    Status.ACHIEVED: 5,
    Status.ON_TRACK: 4,
    Status.AT_RISK: 3,
    Status.OFF_TRACK: 2,
    Status.REGRESSING: 1,
    Status.MISSED: 0,
}


@dataclass(frozen=True)
class TargetSpec:
    """What one target asks, resolved (years filled in).

    ``value`` (and ``high`` for ``between``) are on the target's own scale: a level
    for LEVEL, a sum of yearly flows for CUMULATIVE, a change from the baseline
    level for INCREMENT.
    """

    comparator: Comparator
    value: float
    high: float | None
    kind: TargetKind
    baseline_year: int
    target_year: int
    direction: Direction = Direction.HIGHER
    milestones: tuple[tuple[int, float], ...] = ()

    def __post_init__(self) -> None:
        problems: list[str] = []
        if self.baseline_year >= self.target_year:
            problems.append(
                f"baseline_year {self.baseline_year} must come before target_year {self.target_year}"
            )
        if not math.isfinite(self.value):
            problems.append(f"target value must be a finite number, found {self.value!r}")
        if self.comparator is Comparator.BETWEEN:
            if self.high is None or not math.isfinite(self.high):
                problems.append("comparator 'between' needs a finite 'high' (the upper bound)")
            elif self.high < self.value:
                problems.append(f"'high' ({self.high}) is below 'value' ({self.value})")
        elif self.high is not None:
            problems.append(f"'high' is only allowed with 'between', not {self.comparator.value!r}")
        years = [y for y, _ in self.milestones]
        if len(set(years)) != len(years):
            problems.append(f"milestone years repeat: {sorted(years)}")
        if any(not math.isfinite(v) for _, v in self.milestones):
            problems.append("milestone values must be finite numbers")
        if problems:
            raise ValueError("invalid TargetSpec: " + "; ".join(problems))

    @classmethod
    def of(cls, plan: Plan, indicator: Indicator, target: Target) -> TargetSpec:
        """The spec of one target of ``indicator`` in ``plan``, with the plan's years filled in."""
        return cls(
            comparator=target.comparator,
            value=target.value,
            high=target.high,
            kind=target.kind,
            baseline_year=plan.baseline_year_of(target),
            target_year=plan.target_year_of(target),
            direction=indicator.direction,
            milestones=tuple((m.year, m.value) for m in target.milestones),
        )


@dataclass(frozen=True)
class Projection:
    """A projected value at ``year`` with its interval (80 % for the projection method).

    Methods without an uncertainty model (unsd, escap) report a point projection:
    ``low == high == value``.
    """

    value: float
    low: float
    high: float
    year: int
    model: str


@dataclass(frozen=True)
class Explanation:
    """How a verdict was reached, with the actual numbers."""

    summary: str
    formula: str
    inputs: dict[str, float | int | str | None]
    steps: tuple[str, ...]
    flags: tuple[str, ...]


@dataclass(frozen=True)
class Assessment:
    """One method's verdict on one target."""

    method: str
    status: Status
    native_label: str
    final: bool
    score: float | None
    projection: Projection | None
    p_meet: float | None
    required_yearly_change: float | None
    recent_yearly_change: float | None
    judged_value: float | None
    judged_target: float
    explanation: Explanation


@dataclass(frozen=True)
class Verdict:
    """What a method function returns for a prepared case (see :class:`scicity.assess.case.Case`).

    ``status`` and ``native_label`` are the method's trend verdict; when a guard
    applies (target already met, or the baseline met it and the latest no longer
    does) the framework replaces them and keeps the numbers.
    """

    status: Status
    native_label: str
    summary: str
    formula: str
    inputs: dict[str, float | int | str | None] = field(default_factory=dict)
    steps: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    score: float | None = None
    projection: Projection | None = None
    p_meet: float | None = None


@dataclass
class BatchResult:
    """Vectorised verdicts for many series judged against one target.

    ``status`` holds codes into ``list(Status)``; ``native`` codes into
    ``native_labels``. ``projection``, ``p_meet`` and ``score`` are NaN where the
    method reports none, or ``None`` when the method never reports them.
    """

    status: np.ndarray
    native: np.ndarray
    native_labels: tuple[str, ...]
    projection: np.ndarray | None
    p_meet: np.ndarray | None
    score: np.ndarray | None
    final: np.ndarray | None = None

    def statuses(self) -> list[Status]:
        """The status of each series as :class:`Status` values."""
        members = list(Status)
        return [members[int(c)] for c in self.status]

    def labels(self) -> list[str]:
        """The native label of each series."""
        return [self.native_labels[int(c)] for c in self.native]
