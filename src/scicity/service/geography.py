"""Each geography unit's figures, on the scale the overview judges.

A unit with a target of its own shows that target's row (judged value,
target, status). A unit without one shows the same quantity the overview
judges for the indicator: the running sum of the yearly flows after the
baseline year for a cumulative target (Σ), the change from the baseline for
an increment (Δ), else the latest level — so that the units' figures and the
overview's read alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from scicity.domain.plan import GeoUnit, Indicator, Plan, TargetKind
from scicity.engine.indicator_values import ValueTable
from scicity.service.status import StatusRow

INCREMENTS = (TargetKind.INCREMENT, TargetKind.POINTS_CHANGE)


@dataclass(frozen=True)
class UnitFigure:
    """One indicator at one unit."""

    indicator: Indicator
    unit: str
    value: float | None  # on the judged scale
    period: int | None  # the latest year that went into it
    scale: str  # "level", "sum" (Σ, a cumulative target) or "change" (Δ from the baseline)
    row: StatusRow | None = None  # the unit's own target, judged


def judged_kind(indicator: Indicator) -> TargetKind | None:
    """The kind of target the overview judges the indicator by (its first target's)."""
    return indicator.targets[0].kind if indicator.targets else None


def quantity(plan: Plan, indicator: Indicator, points: Sequence[tuple[int, float]]) -> tuple[float | None, int | None, str]:
    """The judged quantity of a unit's series that has no target of its own, with its latest year and scale."""
    kind = judged_kind(indicator)
    if not points:
        return None, None, "level"
    last_period, last_value = points[-1]
    if kind is TargetKind.CUMULATIVE:
        target = indicator.targets[0]
        base = plan.baseline_year_of(target)
        after = [(p, v) for p, v in points if p > base]
        if not after:
            return None, None, "sum"
        return sum(v for _, v in after), after[-1][0], "sum"
    if kind in INCREMENTS:
        base = plan.baseline_year_of(indicator.targets[0])
        at_base = [v for p, v in points if p == base]
        if at_base:
            return last_value - at_base[0], last_period, "change"
    return last_value, last_period, "level"


def unit_figures(plan: Plan, table: ValueTable, rows: Sequence[StatusRow], unit: GeoUnit,
                 as_of: int | None = None) -> list[UnitFigure]:
    """The figures of one unit, indicator by indicator in plan order: its own targets' rows where the plan
    sets them, else the judged quantity where the unit has data."""
    own: dict[str, list[StatusRow]] = {}
    for row in rows:
        if row.unit == unit.id:
            own.setdefault(row.indicator.id, []).append(row)
    out: list[UnitFigure] = []
    for ind in plan.indicators:
        if ind.id in own:
            for row in own[ind.id]:
                a = row.assessment
                scale = ("sum" if row.target.kind is TargetKind.CUMULATIVE
                         else "change" if row.target.kind in INCREMENTS else "level")
                period = row.points[-1][0] if row.points else None
                out.append(UnitFigure(ind, unit.id, a.judged_value, period, scale, row))
            continue
        points = [(p, v) for p, v in table.points(ind.id, unit.id) if as_of is None or p <= as_of]
        value, period, scale = quantity(plan, ind, points)
        if value is not None:
            out.append(UnitFigure(ind, unit.id, value, period, scale))
    return out
