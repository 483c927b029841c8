"""Checks across the targets of a draft plan: ratios against their parts, tiers against totals, flows against stocks.

- **ratio**: a target on ``a / b * k`` (R&D intensity = R&D / GRP × 100)
  implies, at the trend of the denominator, a value of the numerator; that
  value is judged on the numerator's own trend. The ratio target and what it
  implies should have similar odds; when they differ by more than
  :data:`ODDS_GAP` the ratio target is flagged.
- **tier**: an indicator ``within`` another (high-tech within
  technology-based enterprises) may not have a higher level target.
- **flows**: the cumulative targets of tiers within a level total (talent
  introduced in 2026–2030 within the talent total) may not add up to more
  than the total's target level.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from scicity.assess.proposal import average_growth, history_spec, judge_value
from scicity.domain.formula import BinOp, Formula, Name, Num
from scicity.domain.plan import Comparator, Plan, TargetKind, Text
from scicity.engine.indicator_values import ValueTable

#: how each check level and kind reads (the keys are the JSON values); translated by the outer layers
LEVEL_TEXT = {"ok": "consistent", "warning": "worth a look", "error": "inconsistent"}
KIND_TEXT = {"ratio": "ratio and its parts", "tier": "tier and its total", "flows": "flows and the stock"}

#: p_meet difference between a ratio target and its implied numerator above which the pair is flagged
ODDS_GAP = 0.25


@dataclass(frozen=True)
class Check:
    """One finding: ``level`` is ok, warning or error; ``indicators`` are the ids it concerns."""

    kind: str  # ratio | tier | flows
    level: str
    indicators: tuple[str, ...]
    template: str  # an English message id with {placeholders}, translated by the outer layers
    params: dict[str, object]
    numbers: dict[str, float | None]

    @property
    def message(self) -> str:
        return self.text()

    def text(self, gettext: Callable[[str], str] = lambda s: s, lang: str = "en") -> str:
        """The message in a language: ``gettext`` translates the template, names are taken in ``lang``."""
        params = {k: (v.get(lang) if isinstance(v, Text) else v) for k, v in self.params.items()}
        if isinstance(self.params.get("tiers"), tuple):
            params["tiers"] = ("、" if lang == "zh" else ", ").join(t.get(lang) for t in self.params["tiers"])
        return gettext(self.template).format(**params)


RATIO = (
    "{name} {comparator} {ratio:g} at the {denominator} trend ({denominator_projection:,.4g} in {year}) implies "
    "{numerator} of {implied:,.4g}: {need} a year against {achieved} achieved; p_meet on its own trend {p_numerator} "
    "against {p_ratio} for the ratio target; the parts' own trends give {parts_ratio} in {year}"
)
RATIO_BAD = RATIO + " — the ratio target and its parts disagree"
TIER_OK = "{tier_name} {tier:,g} within {total_name} {total:,g}"
TIER_BAD = "{tier_name} {tier:,g} exceeds {total_name} {total:,g}: a tier cannot be above its total"
FLOWS_OK = "{tiers} add up to {inflow:,g} introduced in {start}–{end}, against {total_name} {total:,g} in {end}"
FLOWS_BAD = FLOWS_OK + ": more introduced than the whole stock"


def _pc(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.1f} %"


def ratio_parts(formula: str) -> tuple[str, str, float] | None:
    """``(numerator, denominator, factor)`` of a formula ``a / b * k``, ``a * k / b`` or ``a / b``; else None."""
    tree = Formula.parse(formula).tree
    factor = 1.0
    if isinstance(tree, BinOp) and tree.op == "*" and isinstance(tree.right, Num):
        factor, tree = tree.right.value, tree.left
    elif isinstance(tree, BinOp) and tree.op == "*" and isinstance(tree.left, Num):
        factor, tree = tree.left.value, tree.right
    if not (isinstance(tree, BinOp) and tree.op == "/" and isinstance(tree.right, Name)):
        return None
    num = tree.left
    if isinstance(num, BinOp) and num.op == "*" and isinstance(num.right, Num) and isinstance(num.left, Name):
        factor *= num.right.value
        num = num.left
    if not isinstance(num, Name):
        return None
    return num.id, tree.right.id, factor


def part_points(table: ValueTable, indicator: str, unit: str, part: str, up_to: int) -> list[tuple[int, float]]:
    """A formula's input series, read from what the indicator's values were computed from."""
    out: dict[int, float] = {}
    for year, value in table.series(indicator, unit).items():
        if year > up_to:
            continue
        for obs in value.inputs:
            if obs.indicator == part:
                out[year] = obs.value
    return sorted(out.items())


def check_targets(
    plan: Plan, targets: Mapping[str, float], last: Plan, table: ValueTable, baseline_year: int
) -> list[Check]:
    """Every cross-target check of ``plan`` with the target values ``targets`` (own scale, by indicator id)."""
    out: list[Check] = []
    out.extend(_ratio_checks(plan, targets, last, table, baseline_year))
    out.extend(_tier_checks(plan, targets))
    return out


def _ratio_checks(plan: Plan, targets: Mapping[str, float], last: Plan, table: ValueTable, base: int) -> list[Check]:
    out: list[Check] = []
    tT = plan.target_year
    for ind in plan.indicators:
        if not ind.formula or ind.id not in targets or not ind.targets or ind.targets[0].kind is not TargetKind.LEVEL:
            continue
        parts = ratio_parts(ind.formula)
        if parts is None:
            continue
        num, den, factor = parts
        unit = plan.unit_of(ind.targets[0])
        first = last.baseline_year
        den_pts = part_points(table, ind.id, unit, den, base)
        num_pts = part_points(table, ind.id, unit, num, base)
        if len(den_pts) < 2 or len(num_pts) < 2:
            continue
        den_proj = judge_value(den_pts, lambda v: history_spec(TargetKind.LEVEL, Comparator.GE, v, first, tT), den_pts[-1][1])
        projection = den_proj.assessment.projection
        if projection is None:
            continue
        ratio = targets[ind.id]
        implied = ratio * projection.value / factor
        comparator = ind.targets[0].comparator
        num_trial = judge_value(num_pts, lambda v: history_spec(TargetKind.LEVEL, comparator, v, first, tT, ind.direction), implied)
        ratio_trial = _ratio_odds(table, ind.id, unit, comparator, ratio, first, tT, ind.direction, base)
        num_base = dict(num_pts).get(base)
        need = average_growth(num_base, implied, tT - base) if num_base else None
        achieved = average_growth(num_pts[0][1], num_pts[-1][1], num_pts[-1][0] - num_pts[0][0])
        p_num, p_ratio = num_trial.p_meet, ratio_trial
        num_proj = num_trial.assessment.projection
        parts_ratio = None if num_proj is None or not projection.value else num_proj.value / projection.value * factor
        gap = None if p_num is None or p_ratio is None else abs(p_num - p_ratio)
        level = "warning" if gap is not None and gap > ODDS_GAP else "ok"
        numerator = plan.series_by_id().get(num)
        denominator = plan.series_by_id().get(den)
        params = {
            "name": ind.name, "comparator": comparator.value, "ratio": ratio,
            "denominator": denominator.name if denominator else den,
            "denominator_projection": projection.value, "year": tT,
            "numerator": numerator.name if numerator else num, "implied": implied, "need": _pc(need),
            "achieved": _pc(achieved), "p_numerator": _pc(p_num), "p_ratio": _pc(p_ratio),
            "parts_ratio": "—" if parts_ratio is None else f"{parts_ratio:.4g}",
        }
        out.append(
            Check("ratio", level, (ind.id,), RATIO_BAD if level == "warning" else RATIO, params,
                  {"ratio": ratio, "denominator_projection": projection.value, "implied_numerator": implied,
                   "required_growth": need, "achieved_growth": achieved, "p_meet_numerator": p_num, "p_meet_ratio": p_ratio,
                   "ratio_from_parts": parts_ratio})
        )
    return out


def _ratio_odds(table, ident, unit, comparator, value, first, tT, direction, base) -> float | None:
    pts = [(y, v) for y, v in table.points(ident, unit) if y <= base]
    if len(pts) < 2:
        return None
    return judge_value(pts, lambda v: history_spec(TargetKind.LEVEL, comparator, v, first, tT, direction), value).p_meet


def _tier_checks(plan: Plan, targets: Mapping[str, float]) -> list[Check]:
    out: list[Check] = []
    by_id = {i.id: i for i in plan.indicators}
    flows: dict[str, list[str]] = {}
    for ind in plan.indicators:
        total = by_id.get(ind.within) if ind.within else None
        if total is None or not ind.targets or not total.targets:
            continue
        kind, total_kind = ind.targets[0].kind, total.targets[0].kind
        if kind is TargetKind.CUMULATIVE and total_kind is TargetKind.LEVEL:
            flows.setdefault(total.id, []).append(ind.id)
            continue
        if kind is not TargetKind.LEVEL or total_kind is not TargetKind.LEVEL:
            continue
        if ind.id not in targets or total.id not in targets:
            continue
        tier, whole = targets[ind.id], targets[total.id]
        bad = tier > whole
        params = {"tier_name": ind.name, "tier": tier, "total_name": total.name, "total": whole}
        out.append(Check("tier", "error" if bad else "ok", (ind.id, total.id), TIER_BAD if bad else TIER_OK, params,
                         {"tier": tier, "total": whole}))
    for total_id, tiers in flows.items():
        if total_id not in targets or not all(t in targets for t in tiers):
            continue
        inflow = sum(targets[t] for t in tiers)
        whole = targets[total_id]
        bad = inflow > whole
        total = by_id[total_id]
        params = {"tiers": tuple(by_id[t].name for t in tiers), "inflow": inflow, "start": plan.period[0],
                  "end": plan.period[1], "total_name": total.name, "total": whole}
        out.append(Check("flows", "error" if bad else "ok", (*tiers, total_id), FLOWS_BAD if bad else FLOWS_OK, params,
                         {"inflow": inflow, "total": whole}))
    return out
