"""Indicator values of a plan from observations *and* registries, with the reconciliation of both.

For every id the plan defines by a registry (``registry:`` on a series or an
indicator) the count from the registry is the value: it enters the value
table as an observation whose source reads ``registry: <entity> (N entities)``,
so formulas over it (patents per 10,000 people) work as over any series. A
value reported for the same id, unit and year is not used but kept for the
**reconciliation**: the two are compared and a difference beyond the
tolerance is flagged.

A registry that holds no rows at the plan's geography units is taken as not
kept: its ids then use the reported values, and a note says so (the same happens without a database,
in ``scicity status --plan FILE --data FILE``). A year is counted once it
has ended (31 December has passed).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING

from scicity.domain.message import Msg
from scicity.domain.observation import Observation, ObservationKey
from scicity.domain.plan import Plan
from scicity.domain.registry_definition import RegistryDefinition
from scicity.engine.indicator_values import ValueTable, compute_values

if TYPE_CHECKING:
    from scicity.engine.registry.engine import RegistryEngine

#: how a registry count's source is recorded (parsed back by :func:`source_words`)
RECORDED_SOURCE = "registry: {entity} ({n} entities)"
#: the same source as a person reads it (thousands separated)
REGISTRY_SOURCE = "registry: {entity} ({n:,} entities)"
REGISTRY_SUM_SOURCE = "registry: {entity} (sum of {field})"
#: the source of the demo's synthetic values (scicity.demo.generator.SOURCE), said in the reader's language
DEMO_SOURCE = "synthetic demo data (scicity demo generator) — not real statistics"
_REGISTRY_SOURCE = re.compile(r"^registry: (?P<entity>\w+) \((?:(?P<n>\d+) entities|sum of (?P<field>\w+))\)$")


def source_words(source: str | None) -> str:
    """A value's source for people: a registry count's source (``registry: talent (120 entities)``) as a message
    with the registry's name, translatable (``scicity.i18n.tr``); any other source as it was written."""
    if source == DEMO_SOURCE:
        return Msg(DEMO_SOURCE)
    found = _REGISTRY_SOURCE.match(source or "")
    if found is None:
        return source or ""
    entity = Msg(found["entity"])
    if found["n"] is not None:
        return Msg(REGISTRY_SOURCE, entity=entity, n=int(found["n"]))
    return Msg(REGISTRY_SUM_SOURCE, entity=entity, field=Msg(found["field"]))


@dataclass(frozen=True)
class Tolerance:
    """How far a reported aggregate may be from the registry count before it is flagged.

    Flagged when ``|registry - reported| > absolute + relative * |reported|``
    (the rule of ``numpy.isclose``). The default flags any difference.
    """

    absolute: float = 0.0
    relative: float = 0.0

    def exceeded(self, registry: float, reported: float) -> bool:
        return abs(registry - reported) > self.absolute + self.relative * abs(reported)


@dataclass(frozen=True)
class Reconciliation:
    """A reported aggregate beside the registry count for the same id, unit and year."""

    id: str
    unit: str
    period: int
    entity: str
    registry: float
    reported: float
    flagged: bool
    reported_source: str | None = None

    @property
    def difference(self) -> float:
        return self.registry - self.reported

    @property
    def relative(self) -> float | None:
        return self.difference / abs(self.reported) if self.reported else None


@dataclass
class PlanValues:
    """The value table of a plan, the reconciliation, and where the registry values came from."""

    table: ValueTable
    reconciliation: list[Reconciliation] = field(default_factory=list)
    from_registry: dict[str, str] = field(default_factory=dict)  # id -> entity
    from_reports: list[str] = field(default_factory=list)  # registry-defined ids that use reported values
    engine: str | None = None
    notes: list[str] = field(default_factory=list)
    inputs: dict[ObservationKey, Observation] = field(default_factory=dict)  # what the table was computed from

    def points(self, ident: str, unit: str) -> list[tuple[int, float]]:
        """(period, value) of a series as reported or counted (series are inputs, not in the value table)."""
        return sorted((k.period, o.value) for k, o in self.inputs.items() if k.indicator == ident and k.unit == unit)

    def observation(self, ident: str, unit: str, period: int) -> Observation | None:
        """The observation (reported, or a registry count) used for one key."""
        return self.inputs.get(ObservationKey(ident, unit, period))

    def flagged(self) -> list[Reconciliation]:
        return [r for r in self.reconciliation if r.flagged]


def current_date() -> date:
    """The date used when a caller passes no ``today``: the machine's local date.

    The one place the service reads the clock; every function that depends on
    the date takes ``today`` (tests and reports of a fixed day pass it).
    """
    return date.today()


def counted_years(plan: Plan, today: date | None = None) -> list[int]:
    """Baseline to target year, the years that have ended by ``today`` (default :func:`current_date`) only."""
    today = current_date() if today is None else today
    return [y for y in range(plan.baseline_year, plan.target_year + 1) if date(y, 12, 31) < today]


@dataclass(frozen=True)
class RegistryCounts:
    """The registry counts of a plan as observations, the ids whose registry is not kept, and the engine used."""

    engine: str
    observations: tuple[Observation, ...]
    missing: tuple[str, ...]


def monitored_years(plan: Plan, years: Sequence[int], today: date | None = None) -> list[int]:
    """The years a monitored series (``monitored: true``) is counted for: ``years`` and on through the current
    year (to date), so that a flow of this year (a contract registered today) shows while the plan runs and after."""
    today = current_date() if today is None else today
    first = min(years) if years else plan.baseline_year
    return sorted(set(years) | set(range(first, today.year + 1)))


def count_registries(
    plan: Plan,
    engine: RegistryEngine,
    years: Sequence[int],
    definitions: Mapping[str, RegistryDefinition] | None = None,
    *,
    today: date | None = None,
) -> RegistryCounts:
    """Observations from the registry counts of every kept registry, and the ids whose registry is not kept.

    Monitored series are counted through the current year (:func:`monitored_years`).
    """
    definitions = plan.registry_definitions() if definitions is None else definitions
    units = frozenset(plan.geo_units())
    missing = [ident for ident, d in definitions.items() if not engine.keeps(d, units)]
    kept = {ident: d for ident, d in definitions.items() if ident not in missing}
    watched = {s.id for s in plan.monitored()}
    out: list[Observation] = []
    groups = [({k: d for k, d in kept.items() if k not in watched}, list(years)),
              ({k: d for k, d in kept.items() if k in watched}, monitored_years(plan, years, today))]
    ended = set(years)
    for group, group_years in groups:
        if not group:
            continue
        for ident, counts in engine.counts_many(group, group_years, plan.geography).items():
            entity, total = group[ident].entity.value, group[ident].sum
            for (unit, year), n in sorted(counts.items()):
                if year not in ended and not n:
                    continue  # a year not yet ended (or past the plan's) counts once something happened in it
                source = (REGISTRY_SUM_SOURCE.format(entity=entity, field=total) if total
                          else RECORDED_SOURCE.format(entity=entity, n=n))
                out.append(Observation(ident, unit, year, float(n), source=source))
    return RegistryCounts(engine.name, tuple(out), tuple(missing))


def build_values(
    plan: Plan,
    observations: Mapping[ObservationKey, Observation] | Iterable[Observation],
    engine: RegistryEngine | None = None,
    *,
    counts: RegistryCounts | None = None,
    years: Sequence[int] | None = None,
    tolerance: Tolerance = Tolerance(),
    today: date | None = None,
) -> PlanValues:
    """The value table from observations and registry counts.

    The counts are ``counts`` when given (e.g. from a cache), else counted
    with ``engine`` for ``years`` (default: the plan's years that have
    ended); with neither, observations only.
    """
    reported = list(observations.values()) if isinstance(observations, Mapping) else list(observations)
    definitions = plan.registry_definitions()
    if counts is None and engine is not None and definitions:
        counts = count_registries(plan, engine, counted_years(plan, today) if years is None else list(years), definitions,
                                  today=today)
    if counts is None or not definitions:
        result = PlanValues(compute_values(plan, reported), from_reports=list(definitions), inputs={o.key: o for o in reported})
        if definitions:
            result.notes.append(
                f"{len(definitions)} registry-defined ids use reported values: no registry was read (no database)"
            )
        return result
    counted, missing = list(counts.observations), list(counts.missing)
    registry_ids = {ident: definitions[ident].entity.value for ident in definitions if ident not in missing}
    counted_keys = {o.key: o for o in counted}
    kept: list[Observation] = []
    reconciliation: list[Reconciliation] = []
    for obs in reported:
        if obs.indicator not in registry_ids:
            kept.append(obs)
            continue
        mine = counted_keys.get(obs.key)
        if mine is None:
            kept.append(obs)  # a year or unit the registry does not cover (e.g. the current year)
            continue
        reconciliation.append(
            Reconciliation(obs.indicator, obs.unit, obs.period, registry_ids[obs.indicator], mine.value, obs.value,
                           tolerance.exceeded(mine.value, obs.value), obs.source)
        )
    table = compute_values(plan, kept + counted)
    reported_at = {(r.id, r.unit, r.period): r.reported for r in reconciliation}
    for ident in registry_ids:
        for unit, per in table.values.get(ident, {}).items():
            for period, value in list(per.items()):
                if value.how == "reported" and value.inputs and value.inputs[0].source and value.inputs[0].source.startswith("registry:"):
                    per[period] = replace(value, how="registry", reported=reported_at.get((ident, unit, period)))
    result = PlanValues(
        table,
        sorted(reconciliation, key=lambda r: (r.id, r.unit, r.period)),
        registry_ids,
        missing,
        counts.engine,
        inputs={o.key: o for o in kept + counted},
    )
    if missing:
        result.notes.append(
            f"no rows in the registry at this plan's units for {', '.join(missing)}: "
            f"reported values are used for {'it' if len(missing) == 1 else 'them'}"
        )
    return result
