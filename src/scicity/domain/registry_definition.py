"""Indicator definitions over registries: "count the entities that …".

A series or indicator of a plan can be defined by a registry instead of being
reported: ``registry: {entity: institutions, count: valid, where: {type: key_lab}}``
counts the key laboratories valid at the end of each year. This module holds
the definition (a frozen value, validated with the plan) and the vocabulary
of the registries it may name: entities, the fields a ``where`` may filter
on and their allowed values. Nothing here reads registries; the engine
(:mod:`scicity.engine.registry`) compiles a definition into queries.

Validity at a date D (the period end, 31 December of the year):

- institutions, talent, patents count while ``start <= D`` and the end
  (closed / departed / lapsed date, the first day no longer counting) is
  empty or ``> D``;
- certifications count while ``valid_from <= D`` and ``valid_to`` (inclusive)
  is empty or ``>= D``.

"Introduced in year Y" means the start date falls within Y.

The exchange platform's records are yearly flows, not stocks: technology
contracts (of their registration year), deals (the year a deal reached a
stage), achievements transferred (distinct achievements in deals that became
a registered contract, in the contract's year), talent exchanges (of their
start year) and instrument bookings (hours booked, of their year). They are
always ``count: introduced`` and may ``sum: FIELD`` instead of counting, e.g.
``registry: {entity: contracts, sum: amount, where: {type: transfer}}`` is the
technology-contract turnover of transfer contracts per year and unit. A
record that names no unit counts at the root of the plan's geography.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from scicity.domain.message import Msg
from scicity.domain.vocabularies import (CertificationKind, ContractType, DealStage, FacilityKind, InstitutionLevel,
                                         InstitutionType, PatentType, SellerType, TalentDirection, TalentTier)


class RegistryEntity(StrEnum):
    """The registries a definition may count."""

    INSTITUTIONS = "institutions"
    ENTERPRISES = "enterprises"
    TALENT = "talent"
    PATENTS = "patents"
    # the exchange platform's records (yearly flows)
    CONTRACTS = "contracts"
    DEALS = "deals"
    ACHIEVEMENTS_TRANSFERRED = "achievements_transferred"
    TALENT_EXCHANGES = "talent_exchanges"
    INSTRUMENT_BOOKINGS = "instrument_bookings"


class CountKind(StrEnum):
    """What is counted for a year."""

    VALID = "valid"  # entities valid (recognised, certified, present, in force) at the end of the year
    INTRODUCED = "introduced"  # entities whose start date falls within the year (a yearly flow)


@dataclass(frozen=True)
class FieldSpec:
    """A field of a registry that ``where`` may filter on."""

    name: str
    kind: str  # "choice", "text" or "bool"
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class EntitySpec:
    """What a definition may say about one registry."""

    entity: RegistryEntity
    fields: tuple[FieldSpec, ...]
    start: str  # the date an entity starts counting
    end: str | None  # the first date it no longer counts (None: never ends)
    flow: bool = False  # a yearly flow (exchange records): always 'introduced', dated by ``start``
    sums: tuple[str, ...] = ()  # numeric fields that ``sum`` may add up

    def field(self, name: str) -> FieldSpec | None:
        return next((f for f in self.fields if f.name == name), None)


# The allowed values are the registries' own vocabulary (one source: domain.registries).
INSTITUTION_TYPES = tuple(t.value for t in InstitutionType)
LEVELS = tuple(level.value for level in InstitutionLevel)
TALENT_TIERS = tuple(t.value for t in TalentTier)
PATENT_TYPES = tuple(t.value for t in PatentType)
CONTRACT_TYPES = tuple(t.value for t in ContractType)
SELLER_TYPES = tuple(t.value for t in SellerType)
DEAL_STAGES = tuple(t.value for t in DealStage)
TALENT_DIRECTIONS = tuple(t.value for t in TalentDirection)
_CONTRACT_FIELDS = (
    FieldSpec("type", "choice", CONTRACT_TYPES),
    FieldSpec("field", "text"),
    FieldSpec("seller_type", "choice", SELLER_TYPES),
    FieldSpec("ip", "bool"),
    FieldSpec("government_funded", "bool"),
)

ENTITIES: dict[RegistryEntity, EntitySpec] = {
    RegistryEntity.INSTITUTIONS: EntitySpec(
        RegistryEntity.INSTITUTIONS,
        (FieldSpec("type", "choice", INSTITUTION_TYPES), FieldSpec("level", "choice", LEVELS), FieldSpec("host", "text")),
        "recognised_on",
        "closed_on",
    ),
    RegistryEntity.ENTERPRISES: EntitySpec(
        RegistryEntity.ENTERPRISES,
        (FieldSpec("industry", "text"), FieldSpec("strategic_emerging", "bool")),
        "founded_on",
        None,
    ),
    RegistryEntity.TALENT: EntitySpec(
        RegistryEntity.TALENT,
        (FieldSpec("tier", "choice", TALENT_TIERS), FieldSpec("programme", "text")),
        "introduced_on",
        "departed_on",
    ),
    RegistryEntity.PATENTS: EntitySpec(
        RegistryEntity.PATENTS,
        (FieldSpec("type", "choice", PATENT_TYPES), FieldSpec("holder", "text")),
        "granted_on",
        "lapsed_on",
    ),
    # start "year": an integer year column; "on": a date (the year it falls in)
    RegistryEntity.CONTRACTS: EntitySpec(RegistryEntity.CONTRACTS, _CONTRACT_FIELDS, "year", None, True, ("amount",)),
    RegistryEntity.DEALS: EntitySpec(
        RegistryEntity.DEALS, (FieldSpec("stage", "choice", DEAL_STAGES), FieldSpec("field", "text")), "on", None, True
    ),
    RegistryEntity.ACHIEVEMENTS_TRANSFERRED: EntitySpec(
        RegistryEntity.ACHIEVEMENTS_TRANSFERRED, _CONTRACT_FIELDS, "year", None, True
    ),
    RegistryEntity.TALENT_EXCHANGES: EntitySpec(
        RegistryEntity.TALENT_EXCHANGES, (FieldSpec("direction", "choice", TALENT_DIRECTIONS),), "year", None, True, ("hours",)
    ),
    RegistryEntity.INSTRUMENT_BOOKINGS: EntitySpec(
        RegistryEntity.INSTRUMENT_BOOKINGS, (FieldSpec("kind", "choice", tuple(k.value for k in FacilityKind)),), "year", None,
        True, ("hours",)
    ),
}
FLOW_ENTITIES = frozenset(e for e, spec in ENTITIES.items() if spec.flow)

FilterValue = str | bool | list[str]


class RegistryDefinition(BaseModel):
    """A count over a registry, per geography unit (rolled up the tree) and year."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    entity: RegistryEntity = Field(
        description="The registry counted: institutions, enterprises, talent or patents; or the exchange platform's "
        "contracts, deals, achievements_transferred, talent_exchanges or instrument_bookings (yearly flows)."
    )
    count: CountKind = Field(
        CountKind.VALID,
        description="'valid': entities valid at the end of the year (a level); "
        "'introduced': entities whose start date falls within the year (a yearly flow).",
    )
    certification: Annotated[
        CertificationKind | list[CertificationKind] | None,
        Field(description="Enterprises only: count those holding a certification of this kind (or any of these kinds)."),
    ] = None
    where: dict[str, FilterValue] = Field(
        default_factory=dict,
        description="Filters: field -> value or list of values (any of them), e.g. {type: key_lab, level: [municipal, national]}.",
    )
    sum: str | None = Field(
        None,
        description="Exchange records only: add up this numeric field instead of counting, "
        "e.g. 'amount' of contracts (CNY 10,000) or 'hours' of talent exchanges and instrument bookings.",
    )

    @model_validator(mode="before")
    @classmethod
    def _flows_are_introduced(cls, data: object) -> object:
        """Exchange records are yearly flows: 'count' defaults to 'introduced' for them."""
        if isinstance(data, dict) and "count" not in data and data.get("entity") in {e.value for e in FLOW_ENTITIES}:
            return {**data, "count": CountKind.INTRODUCED.value}
        return data

    def certifications(self) -> tuple[CertificationKind, ...]:
        """The certification kinds asked for (empty: no certification filter)."""
        if self.certification is None:
            return ()
        if isinstance(self.certification, list):
            return tuple(self.certification)
        return (self.certification,)

    def conditions(self) -> tuple[tuple[str, tuple[str | bool, ...]], ...]:
        """The ``where`` filters as (field, allowed values), in a stable order."""
        out = []
        for name in sorted(self.where):
            value = self.where[name]
            out.append((name, tuple(value) if isinstance(value, list) else (value,)))
        return tuple(out)

    @property
    def spec(self) -> EntitySpec:
        return ENTITIES[self.entity]

    def describe(self) -> str:
        """Human text, e.g. 'institutions valid at year end where type = key_lab, level in (municipal, national)'."""
        certs = self.certifications()
        if self.spec.flow:
            what = f"sum of {self.sum} within the year" if self.sum else "within the year"
        elif certs:
            kinds = " or ".join(c.value for c in certs)
            when = "valid at year end" if self.count is CountKind.VALID else "starting within the year"
            what = f"with a {kinds} certificate {when}"
        else:
            what = "valid at year end" if self.count is CountKind.VALID else "introduced in the year"
        parts = []
        for name, values in self.conditions():
            shown = [str(v).lower() if isinstance(v, bool) else str(v) for v in values]
            parts.append(f"{name} = {shown[0]}" if len(shown) == 1 else f"{name} in ({', '.join(shown)})")
        where = f" where {', '.join(parts)}" if parts else ""
        return f"{self.entity.value} {what}{where}"


def filter_problems(
    entity: object, certification: object, where: object, total: object = None, count: object = None
) -> list[tuple[tuple[str, ...], str]]:
    """Problems of a definition's plain data: ((path within 'registry'), message) pairs.

    The schema stage already names unknown entities, count kinds and
    certification kinds with their allowed values; these are the checks it
    cannot make: a certification for anything but enterprises, unknown fields
    in ``where`` and unknown values of fields with a fixed vocabulary.
    """
    out: list[tuple[tuple[str, ...], str]] = []
    try:
        ent = RegistryEntity(entity)
    except ValueError:
        return out  # the schema stage names the allowed entities
    if certification is not None and ent is not RegistryEntity.ENTERPRISES:
        out.append((("certification",), Msg("'certification' is only for entity enterprises, not {entity}", entity=ent.value)))
    spec = ENTITIES[ent]
    if total is not None:
        if not spec.sums:
            out.append((("sum",), Msg("{entity} are counted, not summed: remove 'sum' (exchange records may sum)", entity=ent.value)))
        elif total not in spec.sums:
            out.append((("sum",), Msg("{entity} have no numeric field {field} to sum; use {known}", entity=ent.value, field=repr(total),
                                      known=", ".join(spec.sums))))
    if spec.flow and count is not None and str(getattr(count, "value", count)) == CountKind.VALID.value:
        out.append((("count",), Msg("{entity} are yearly flows: use count 'introduced' (the default) or leave 'count' out",
                                    entity=ent.value)))
    if not isinstance(where, dict):
        return out
    for name, value in where.items():
        field = spec.field(name)
        if field is None:
            known = ", ".join(f.name for f in spec.fields)
            hint = Msg(" (geography is handled by the roll-up: do not filter on unit)") if name == "unit" else ""
            out.append((("where", name), Msg("{entity} have no field {field} to filter on; use one of {known}{hint}",
                                             entity=ent.value, field=repr(name), known=known, hint=hint)))
            continue
        values = value if isinstance(value, list) else [value]
        for v in values:
            if field.kind == "bool" and not isinstance(v, bool):
                out.append((("where", name), Msg("{field} is true or false, not {value}", field=name, value=repr(v))))
            elif field.kind != "bool" and not isinstance(v, str):
                out.append((("where", name), Msg("{field} takes text values, not {value}", field=name, value=repr(v))))
            elif field.kind == "choice" and v not in field.choices:
                out.append((("where", name), Msg("unknown {field} {value} for {entity}; use one of {known}", field=name, value=repr(v),
                                                     entity=ent.value, known=", ".join(field.choices))))
    return out
