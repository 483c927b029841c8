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
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from scicity.domain.registries import CertificationKind, InstitutionLevel, InstitutionType, PatentType, TalentTier


class RegistryEntity(StrEnum):
    """The registries a definition may count."""

    INSTITUTIONS = "institutions"
    ENTERPRISES = "enterprises"
    TALENT = "talent"
    PATENTS = "patents"


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

    def field(self, name: str) -> FieldSpec | None:
        return next((f for f in self.fields if f.name == name), None)


# The allowed values are the registries' own vocabulary (one source: domain.registries).
INSTITUTION_TYPES = tuple(t.value for t in InstitutionType)
LEVELS = tuple(level.value for level in InstitutionLevel)
TALENT_TIERS = tuple(t.value for t in TalentTier)
PATENT_TYPES = tuple(t.value for t in PatentType)

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
}

FilterValue = str | bool | list[str]


class RegistryDefinition(BaseModel):
    """A count over a registry, per geography unit (rolled up the tree) and year."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    entity: RegistryEntity = Field(description="The registry counted: institutions, enterprises, talent or patents.")
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
        if certs:
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


def filter_problems(entity: object, certification: object, where: object) -> list[tuple[tuple[str, ...], str]]:
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
        out.append((("certification",), f"'certification' is only for entity enterprises, not {ent.value}"))
    if not isinstance(where, dict):
        return out
    spec = ENTITIES[ent]
    for name, value in where.items():
        field = spec.field(name)
        if field is None:
            known = ", ".join(f.name for f in spec.fields)
            hint = " (geography is handled by the roll-up: do not filter on unit)" if name == "unit" else ""
            out.append((("where", name), f"{ent.value} have no field {name!r} to filter on; use one of {known}{hint}"))
            continue
        values = value if isinstance(value, list) else [value]
        for v in values:
            if field.kind == "bool" and not isinstance(v, bool):
                out.append((("where", name), f"{name} is true or false, not {v!r}"))
            elif field.kind != "bool" and not isinstance(v, str):
                out.append((("where", name), f"{name} takes text values, not {v!r}"))
            elif field.kind == "choice" and v not in field.choices:
                out.append((("where", name), f"unknown {name} {v!r} for {ent.value}; use one of {', '.join(field.choices)}"))
    return out
