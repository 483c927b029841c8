"""Where the plan stands: one row per target, judged by one method.

This is the application layer between the engine (indicator values) and the
outer layers (CLI, web, reports): it resolves each target's years and unit,
hands the series to :mod:`scicity.assess`, and shapes the result as the
documented JSON contract of ``scicity status --format json``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scicity.assess import Assessment, TargetSpec, assess, assess_all
from scicity.assess.review import Review, review
from scicity.domain.plan import Area, Indicator, Plan, Target
from scicity.engine.indicator_values import IndicatorValue, ValueTable


@dataclass(frozen=True)
class StatusRow:
    """One target of the plan with its verdict."""

    plan: Plan
    area: Area
    indicator: Indicator
    target: Target
    unit: str
    spec: TargetSpec
    points: tuple[tuple[int, float], ...]
    latest: IndicatorValue | None
    assessment: Assessment
    review: Review | None = None
    as_of: int | None = None

    @property
    def id(self) -> str:
        return self.indicator.id


def target_spec(plan: Plan, indicator: Indicator, target: Target) -> TargetSpec:
    """The target with its years filled in from the plan."""
    return TargetSpec(
        comparator=target.comparator,
        value=target.value,
        high=target.high,
        kind=target.kind,
        baseline_year=plan.baseline_year_of(target),
        target_year=plan.target_year_of(target),
        direction=indicator.direction,
        milestones=tuple((m.year, m.value) for m in target.milestones),
    )


def build_status(
    plan: Plan,
    table: ValueTable,
    *,
    method: str = "projection",
    as_of: int | None = None,
    indicators: set[str] | None = None,
    areas: set[str] | None = None,
) -> list[StatusRow]:
    """Judge every target of the plan (optionally only some indicators or areas)."""
    rows: list[StatusRow] = []
    for indicator, target in plan.targets():
        if indicators and indicator.id not in indicators:
            continue
        if areas and indicator.area not in areas:
            continue
        rows.append(_judged(plan, table, indicator, target, plan.unit_of(target), method, as_of))
    return rows


def _judged(plan: Plan, table: ValueTable, indicator: Indicator, target: Target, unit: str, method: str,
            as_of: int | None) -> StatusRow:
    """One target judged at one unit: its points up to ``as_of``, the method's verdict and the office's review."""
    spec = target_spec(plan, indicator, target)
    points = [(p, v) for p, v in table.points(indicator.id, unit) if as_of is None or p <= as_of]
    series = table.series(indicator.id, unit)
    latest = series[points[-1][0]] if points else None
    result = assess(points, spec, method=method, as_of=as_of)
    verdict = review(points, spec, as_of, status=result.status)
    return StatusRow(plan, plan.area(indicator.area), indicator, target, unit, spec, tuple(points), latest, result,
                     verdict, as_of)


def unit_row(plan: Plan, table: ValueTable, indicator: Indicator, unit: str, *, method: str = "projection",
             as_of: int | None = None) -> tuple[StatusRow, bool] | None:
    """The indicator judged at one geography unit, and whether the target is the unit's own.

    The unit's own target where the plan sets one; else the indicator's first target carried to the unit, so
    that its values are read on the same scale (running sums for a cumulative target) — a verdict against it
    is not the unit's and is not to be shown. None when the indicator has no target at all.
    """
    if not indicator.targets:
        return None
    own = [t for t in indicator.targets if plan.unit_of(t) == unit]
    target = own[0] if own else indicator.targets[0].model_copy(update={"unit": unit})
    return _judged(plan, table, indicator, target, unit, method, as_of), bool(own)


def compare_methods(plan: Plan, table: ValueTable, indicator_id: str, *, as_of: int | None = None,
                    target: Target | None = None) -> dict[str, Assessment]:
    """Every method's verdict on an indicator's target (default: its first), side by side."""
    indicator = plan.indicator(indicator_id)
    if not indicator.targets:
        return {}
    target = target or indicator.targets[0]
    points = [(p, v) for p, v in table.points(indicator.id, plan.unit_of(target)) if as_of is None or p <= as_of]
    return assess_all(points, target_spec(plan, indicator, target), as_of=as_of)


def row_json(row: StatusRow, lang: str = "en") -> dict[str, Any]:
    """The documented JSON object for one row of ``scicity status --format json``."""
    a = row.assessment
    proj = a.projection
    return {
        "plan": row.plan.id,
        "indicator": row.indicator.id,
        "name": row.indicator.name.get(lang),
        "area": row.area.id,
        "area_name": row.area.name.get(lang),
        "unit": row.unit,
        "measure": row.indicator.measure,
        "latest_period": row.latest.period if row.latest else None,
        "latest_value": row.latest.value if row.latest else None,
        "judged_value": a.judged_value,
        "target": {
            "comparator": row.target.comparator.value,
            "value": row.target.value,
            "high": row.target.high,
            "kind": row.target.kind.value,
            "year": row.spec.target_year,
            "baseline_year": row.spec.baseline_year,
            "judged_target": a.judged_target,
        },
        "status": a.status.value,
        "final": a.final,
        "method": a.method,
        "native_label": a.native_label,
        "score": a.score,
        "projection": None if proj is None else {"value": proj.value, "low": proj.low, "high": proj.high, "year": proj.year, "model": proj.model},
        "p_meet": a.p_meet,
        "required_yearly_change": a.required_yearly_change,
        "recent_yearly_change": a.recent_yearly_change,
        "explanation": {
            "summary": a.explanation.summary,
            "formula": a.explanation.formula,
            "inputs": a.explanation.inputs,
            "steps": list(a.explanation.steps),
            "flags": list(a.explanation.flags),
        },
        **_words(row, lang),
        "points": [{"period": p, "value": v} for p, v in row.points],
        "computed_from": row.latest.formula if row.latest and row.latest.formula else None,
        "sources": list(row.latest.sources) if row.latest else [],
        "source_quote": row.target.source_quote,
        "attribute": row.target.attribute.value,
        "review": row.review.as_json() if row.review is not None else None,
    }


def _words(row: StatusRow, lang: str) -> dict[str, Any]:
    """The texts for people in ``lang``: status, method and label words; the explanation translated (not in English,
    where ``explanation`` already is the text)."""
    from scicity.service.wording import worded

    w = worded(row.assessment.method, row.assessment, lang)
    out: dict[str, Any] = {"status_label": w.status_label, "method_title": w.title, "native_label_text": w.native_label,
                           "measure_text": row.indicator.measure_in(lang)}
    if lang != "en":
        out["explanation_text"] = {"summary": w.summary, "steps": w.steps, "flags": w.flags}
    return out


def status_counts(rows: list[StatusRow]) -> dict[str, int]:
    out: dict[str, int] = {}
    for row in rows:
        out[row.assessment.status.value] = out.get(row.assessment.status.value, 0) + 1
    return out
