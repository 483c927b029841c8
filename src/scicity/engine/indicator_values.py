"""Indicator values from observations: reported values and formulas.

For every indicator, geography unit and year this module says which value the
plan's indicator takes and where it came from:

- a reported indicator takes its reported value;
- a formula indicator is computed from its parts wherever every part is
  known; a value reported for it directly is then *checked* against the
  computed one (a mismatch beyond the tolerance is flagged, the computed value
  wins, because its parts are traceable);
- where the parts are missing, a directly reported value is used as it is.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from scicity.domain.formula import Formula
from scicity.domain.observation import Observation, ObservationKey
from scicity.domain.plan import Indicator, Plan

#: relative difference above which a reported ratio disagrees with its parts
RATIO_TOLERANCE = 0.005


@dataclass(frozen=True)
class IndicatorValue:
    """One value of one indicator, with what it was made of."""

    indicator: str
    unit: str
    period: int
    value: float
    how: str  # "reported", "computed" or "reported (parts missing)"
    inputs: tuple[Observation, ...] = ()
    formula: str | None = None
    substituted: str | None = None
    reported: float | None = None  # a directly reported value of a formula indicator
    mismatch: bool = False

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(sorted({o.source for o in self.inputs if o.source}))


@dataclass
class ValueTable:
    """Indicator values of one plan, indexed by indicator, unit and period."""

    plan: Plan
    values: dict[str, dict[str, dict[int, IndicatorValue]]] = field(default_factory=dict)

    def series(self, indicator: str, unit: str) -> dict[int, IndicatorValue]:
        return self.values.get(indicator, {}).get(unit, {})

    def points(self, indicator: str, unit: str) -> list[tuple[int, float]]:
        return sorted((p, v.value) for p, v in self.series(indicator, unit).items())

    def mismatches(self) -> list[IndicatorValue]:
        return [v for units in self.values.values() for per in units.values() for v in per.values() if v.mismatch]

    @cached_property
    def units_with_data(self) -> set[str]:
        return {u for units in self.values.values() for u in units}


def compute_values(plan: Plan, observations: Mapping[ObservationKey, Observation] | Iterable[Observation]) -> ValueTable:
    """Every indicator value the observations allow, for every unit and period."""
    obs_list = list(observations.values()) if isinstance(observations, Mapping) else list(observations)
    by_id: dict[str, dict[tuple[str, int], Observation]] = defaultdict(dict)
    for obs in obs_list:
        by_id[obs.indicator][(obs.unit, obs.period)] = obs
    formulas = {i.id: Formula.parse(i.formula) for i in plan.indicators if i.formula}
    table = ValueTable(plan)
    done: dict[str, dict[tuple[str, int], IndicatorValue]] = {}

    def resolve(ind: Indicator) -> dict[tuple[str, int], IndicatorValue]:
        if ind.id in done:
            return done[ind.id]
        reported = by_id.get(ind.id, {})
        out: dict[tuple[str, int], IndicatorValue] = {
            k: IndicatorValue(ind.id, k[0], k[1], o.value, "reported", (o,)) for k, o in reported.items()
        }
        formula = formulas.get(ind.id)
        if formula is not None:
            out = _apply_formula(ind, formula, plan, by_id, resolve, reported)
        done[ind.id] = out
        return out

    for ind in plan.indicators:
        resolved = resolve(ind)
        nested: dict[str, dict[int, IndicatorValue]] = defaultdict(dict)
        for (unit, period), val in resolved.items():
            nested[unit][period] = val
        table.values[ind.id] = dict(nested)
    return table


def _apply_formula(
    ind: Indicator,
    formula: Formula,
    plan: Plan,
    by_id: Mapping[str, Mapping[tuple[str, int], Observation]],
    resolve,  # type: ignore[no-untyped-def]
    reported: Mapping[tuple[str, int], Observation],
) -> dict[tuple[str, int], IndicatorValue]:
    indicator_ids = {i.id for i in plan.indicators}
    parts: dict[str, Mapping[tuple[str, int], IndicatorValue | Observation]] = {}
    for name in formula.names:
        parts[name] = resolve(plan.indicator(name)) if name in indicator_ids else by_id.get(name, {})
    keys = set.intersection(*(set(p) for p in parts.values())) if parts else set()
    out: dict[tuple[str, int], IndicatorValue] = {}
    for key in keys:
        env = {name: parts[name][key].value for name in formula.names}
        value = formula.evaluate(env)
        if value is None:
            continue
        inputs: list[Observation] = []
        for name in formula.names:
            part = parts[name][key]
            inputs.extend(part.inputs if isinstance(part, IndicatorValue) else (part,))
        own = reported.get(key)
        mismatch = own is not None and abs(own.value - value) > RATIO_TOLERANCE * max(abs(value), 1e-12)
        out[key] = IndicatorValue(
            ind.id,
            key[0],
            key[1],
            value,
            "computed",
            tuple(inputs),
            formula.text,
            formula.substitute(env),
            own.value if own else None,
            mismatch,
        )
    for key, own in reported.items():
        if key not in out:
            out[key] = IndicatorValue(ind.id, key[0], key[1], own.value, "reported (parts missing)", (own,), formula.text)
    return out
