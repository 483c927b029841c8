"""From reported points to the case a method judges: the judged series, the target on its scale, the guards.

This is method-independent and computed once: sorting, the as-of cut, the
baseline (or its substitute), running sums for cumulative targets, the target
on the judged scale (``y0 + N`` for increments), the side the target lies on,
and which guard applies (too little data, final verdict, already achieved,
"hold").
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from scicity.assess.types import TargetSpec
from scicity.domain.plan import Comparator, TargetKind


class Guard(StrEnum):
    """Which guard decides the verdict before (or instead of) the method's trend judgement."""

    INSUFFICIENT = "insufficient_data"  # fewer than two judged points (and no known outcome)
    FINAL = "final"  # as-of year >= target year: achieved or missed
    ACHIEVED = "achieved"  # the latest judged value meets the target
    HOLD = "hold"  # the baseline met the target and the latest value no longer does


@dataclass(frozen=True)
class Case:
    """One target and its judged series, ready for a method.

    ``years``/``values`` are the judged series from the baseline on (a level, a
    running sum, or a level for increments). ``aim`` is the value trend methods
    aim at (the nearer bound from the baseline side for ``between``), ``d`` the
    side it lies on (+1 above the baseline, -1 below). ``low``/``high`` are the
    target on the judged scale (``high`` only for ``between``).
    """

    spec: TargetSpec
    years: tuple[int, ...]
    values: tuple[float, ...]
    as_of: int | None
    final: bool
    low: float | None
    high: float | None
    aim: float | None
    d: int
    met_now: bool
    hold: bool
    guard: Guard | None
    flags: tuple[str, ...]

    @property
    def n(self) -> int:
        return len(self.years)

    @property
    def t0(self) -> int:
        return self.years[0]

    @property
    def y0(self) -> float:
        return self.values[0]

    @property
    def tc(self) -> int:
        return self.years[-1]

    @property
    def yc(self) -> float:
        return self.values[-1]

    @property
    def tT(self) -> int:
        return self.spec.target_year

    def meets(self, value: float) -> bool:
        """Does ``value`` (on the judged scale) meet the target?"""
        if self.low is None:
            return False
        return meets(self.spec.comparator, value, self.low, self.high)

    def required_yearly_change(self) -> float | None:
        """``(yT - yc) / (tT - tc)``: the yearly change needed from the latest year on."""
        if self.n == 0 or self.aim is None or self.final or self.tc >= self.tT:
            return None
        return (self.aim - self.yc) / (self.tT - self.tc)

    def recent_yearly_change(self) -> float | None:
        """The latest year-on-year change of the judged series (per year across a gap)."""
        if self.n < 2:
            return None
        return (self.values[-1] - self.values[-2]) / (self.years[-1] - self.years[-2])


def meets(comparator: Comparator, value: float, low: float, high: float | None) -> bool:
    return comparator.holds(value, low, high)


def aim_and_side(comparator: Comparator, y0: float, low: float, high: float | None) -> tuple[float, int]:
    """The value a trend aims at and the side of the baseline it lies on (+1 / -1)."""
    if comparator in (Comparator.GT, Comparator.GE):
        return low, 1
    if comparator in (Comparator.LT, Comparator.LE):
        return low, -1
    if comparator is Comparator.EQ:
        return low, (1 if y0 <= low else -1)
    assert high is not None
    if y0 < low:
        return low, 1
    if y0 > high:
        return high, -1
    # inside the band ("hold"): the nearer bound, approached from inside
    return (low, -1) if (y0 - low) <= (high - y0) else (high, 1)


def prepare(points: Sequence[tuple[int, float]], spec: TargetSpec, as_of: int | None = None) -> Case:
    """Build the :class:`Case` for ``points`` (any order; NaN or infinite values count as missing)."""
    flags: list[str] = []
    seen: dict[int, float] = {}
    for year, value in points:
        y = int(year)
        if y != year:
            raise ValueError(f"years must be whole numbers, found {year!r}")
        if y in seen:
            raise ValueError(
                f"two values for year {y} ({seen[y]!r} and {value!r}); pass one value per year "
                "(the latest vintage, see scicity.domain.latest_vintages)"
            )
        seen[y] = float(value)
    rows = sorted((y, v) for y, v in seen.items() if math.isfinite(v))
    if len(rows) < len(seen):
        flags.append("nonfinite_values_dropped")
    if as_of is not None:
        rows = [(y, v) for y, v in rows if y <= as_of]
    eff_as_of = as_of if as_of is not None else (rows[-1][0] if rows else None)
    t_target = spec.target_year
    final = eff_as_of is not None and eff_as_of >= t_target
    if any(y > t_target for y, _ in rows):
        flags.append("points_after_target_year_ignored")
        rows = [(y, v) for y, v in rows if y <= t_target]

    years, values = _judged_series(rows, spec, flags)
    if final and years and years[-1] < t_target:
        flags.append("final_without_target_year_value")

    low: float | None = None
    high: float | None = None
    aim: float | None = None
    if years:
        span = t_target - years[0]
        low = spec.kind.implied_level(spec.value, values[0], span)
        high = None if spec.high is None else spec.kind.implied_level(spec.high, values[0], span)
        if high is not None and high < low:  # a reduction band: the larger reduction is the lower level
            low, high = high, low

    d = 1
    met_now = hold = False
    guard: Guard | None
    # a known outcome: the plan period is over and the target year's own value exists; for a level target
    # that one value decides, however few points came before it
    known = final and bool(years) and years[-1] == t_target and spec.kind is TargetKind.LEVEL and low is not None
    if (len(years) < 2 and not known) or low is None:
        guard = Guard.INSUFFICIENT
        if low is not None:
            aim, d = aim_and_side(spec.comparator, values[0], low, high)
    else:
        aim, d = aim_and_side(spec.comparator, values[0], low, high)
        met_now = meets(spec.comparator, values[-1], low, high)
        hold = len(years) >= 2 and meets(spec.comparator, values[0], low, high)
        if hold and spec.comparator in (Comparator.EQ, Comparator.BETWEEN):
            # the baseline sat on the target: aim at the bound nearer to the latest value
            aim, d = aim_and_side(spec.comparator, values[-1], low, high)
        if final:
            guard = Guard.FINAL
        elif met_now:
            guard = Guard.ACHIEVED
        elif hold:
            guard = Guard.HOLD
        else:
            guard = None
        if hold:
            flags.append("hold_baseline_already_met")
    if spec.comparator in (Comparator.GT, Comparator.GE, Comparator.LT, Comparator.LE):
        if spec.direction.sign != d:
            flags.append("direction_conflicts_with_comparator")
    return Case(
        spec=spec,
        years=tuple(years),
        values=tuple(values),
        as_of=eff_as_of,
        final=final,
        low=low,
        high=high,
        aim=aim,
        d=d,
        met_now=met_now,
        hold=hold,
        guard=guard,
        flags=tuple(flags),
    )


def _judged_series(rows: list[tuple[int, float]], spec: TargetSpec, flags: list[str]) -> tuple[list[int], list[float]]:
    """The series that is judged: levels from the baseline on, or running sums of flows after it."""
    base = spec.baseline_year
    if spec.kind is TargetKind.CUMULATIVE:
        years = [base]
        values = [0.0]
        running = 0.0
        for y, v in rows:
            if y > base:
                running += v
                years.append(y)
                values.append(running)
        if any(b - a > 1 for a, b in zip(years, years[1:])):
            flags.append("cumulative_missing_years_counted_as_zero")
        return years, values
    kept = [(y, v) for y, v in rows if y >= base]
    if kept and kept[0][0] != base:
        flags.append("baseline_substituted")
    return [y for y, _ in kept], [v for _, v in kept]
