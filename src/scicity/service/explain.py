"""Drill-through: a value, how it is defined, the numbers of its formula, and the entities behind each count."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from scicity.domain.message import Msg
from scicity.ingest.registry_words import describe_definition
from scicity.domain.formula import Formula
from scicity.domain.plan import Plan
from scicity.domain.registry_definition import RegistryDefinition
from scicity.engine.indicator_values import IndicatorValue
from scicity.i18n import tr
from scicity.service.reconciled_values import PlanValues, Reconciliation, source_words

if TYPE_CHECKING:
    from scicity.engine.registry.engine import Members, RegistryEngine


class UnknownId(LookupError):
    pass


@dataclass(frozen=True)
class RegistryPart:
    """One registry count behind the value: the id it defines, its definition, its members (a page)."""

    id: str
    definition: RegistryDefinition
    value: float | None
    members: Members | None  # None: the registry is not kept (or no engine), the reported value is used


@dataclass(frozen=True)
class Explanation:
    plan: Plan
    id: str
    name: str
    measure: str
    unit: str
    period: int
    value: IndicatorValue | None
    definition: str | None
    formula: str | None
    parts: tuple[RegistryPart, ...]
    reconciliation: tuple[Reconciliation, ...]
    lang: str = "en"  # the language of name, measure, definition and the registry counts' descriptions

    @property
    def how(self) -> str:
        return self.value.how if self.value else "no value"


def _registry_ids_behind(plan: Plan, ident: str, seen: set[str] | None = None) -> list[str]:
    """Registry-defined ids that ``ident`` is, or that its formula reads (through nested formulas)."""
    seen = seen if seen is not None else set()
    if ident in seen:
        return []
    seen.add(ident)
    definitions = plan.registry_definitions()
    if ident in definitions:
        return [ident]
    indicator = next((i for i in plan.indicators if i.id == ident), None)
    if indicator is None or not indicator.formula:
        return []
    out: list[str] = []
    for name in Formula.parse(indicator.formula).names:
        out.extend(i for i in _registry_ids_behind(plan, name, seen) if i not in out)
    return out


def explain(
    plan: Plan,
    values: PlanValues,
    engine: RegistryEngine | None,
    ident: str,
    period: int,
    unit: str | None = None,
    *,
    limit: int = 20,
    offset: int = 0,
    lang: str = "en",
) -> Explanation:
    """Everything behind one value of one indicator (or series) for one unit and year."""
    unit = unit or plan.geography.id
    if unit not in plan.geo_units():
        raise UnknownId(Msg("unknown geography unit {unit}; known: {known}", unit=repr(unit), known=", ".join(plan.geo_units())))
    series = plan.series_by_id()
    indicator = next((i for i in plan.indicators if i.id == ident), None)
    if indicator is None and ident not in series:
        raise UnknownId(Msg("plan {plan} has no indicator or series {indicator_id}", plan=repr(plan.id), indicator_id=repr(ident)))
    thing = indicator or series[ident]
    value = values.table.series(ident, unit).get(period) if indicator else None
    if indicator is None:  # a series: its value is its own observation (registry count or reported)
        value = _series_value(values, ident, unit, period)
    definitions = plan.registry_definitions()
    parts = []
    for rid in _registry_ids_behind(plan, ident):
        members = None
        if engine is not None and rid in values.from_registry:
            members = engine.members(definitions[rid], period, unit, plan.geography, limit=limit, offset=offset)
        parts.append(RegistryPart(rid, definitions[rid], _part_value(values, rid, unit, period), members))
    recon = tuple(r for r in values.reconciliation if r.id in {ident, *(p.id for p in parts)} and r.unit == unit and r.period == period)
    return Explanation(
        plan, ident, thing.name.get(lang), thing.measure_in(lang), unit, period, value,
        (thing.definition_in(lang) if getattr(thing, "definition", None) else None) or getattr(thing, "description", None),
        indicator.formula if indicator else None, tuple(parts), recon, lang,
    )


def _series_value(values: PlanValues, ident: str, unit: str, period: int) -> IndicatorValue | None:
    obs = values.observation(ident, unit, period)
    if obs is None:
        return None
    how = "registry" if (obs.source or "").startswith("registry:") else "reported"
    return IndicatorValue(ident, unit, period, obs.value, how, (obs,))


def _part_value(values: PlanValues, ident: str, unit: str, period: int) -> float | None:
    obs = values.observation(ident, unit, period)
    return obs.value if obs else None


def explanation_json(e: Explanation) -> dict[str, Any]:
    v = e.value
    return {
        "plan": e.plan.id,
        "id": e.id,
        "name": e.name,
        "measure": e.measure,
        "unit": e.unit,
        "period": e.period,
        "value": v.value if v else None,
        "how": e.how,
        "definition": e.definition,
        "formula": e.formula,
        "substituted": v.substituted if v else None,
        "sources": [tr(source_words(src), e.lang) for src in v.sources] if v else [],
        "registry": [
            {
                "id": p.id,
                "definition": p.definition.model_dump(mode="json", exclude_defaults=True),
                "described": describe_definition(p.definition, e.lang),
                "value": p.value,
                "total": p.members.total if p.members else None,
                "offset": p.members.offset if p.members else None,
                "members": [
                    {**m.fields, **({"certifications": list(m.certifications)} if m.certifications else {})}
                    for m in (p.members.rows if p.members else ())
                ],
            }
            for p in e.parts
        ],
        "reconciliation": [
            {"id": r.id, "registry": r.registry, "reported": r.reported, "difference": r.difference, "flagged": r.flagged}
            for r in e.reconciliation
        ],
    }


def registry_ids_behind(plan: Plan, ident: str) -> list[str]:
    """Registry-defined ids that ``ident`` is or that its formula reads: where a drill-through has entities."""
    return _registry_ids_behind(plan, ident)


def explain_in_store(
    plan: Plan, values: PlanValues, database_url: str, ident: str, period: int, unit: str | None = None, *,
    limit: int = 20, offset: int = 0, lang: str = "en",
) -> Explanation:
    """:func:`explain` with the entities read from the store's own database (the engine is open only meanwhile)."""
    if not any(rid in values.from_registry for rid in _registry_ids_behind(plan, ident)):
        return explain(plan, values, None, ident, period, unit, limit=limit, offset=offset, lang=lang)
    from scicity.engine.registry.connect import connect_store

    engine = connect_store(database_url)
    try:
        return explain(plan, values, engine, ident, period, unit, limit=limit, offset=offset, lang=lang)
    finally:
        engine.close()
