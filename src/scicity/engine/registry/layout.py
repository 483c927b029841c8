"""Where each registry lives: table names, keys, dates and the columns shown in a drill-through.

The tables are those of migration ``0002_registries`` (and their Parquet
exports, one file per table named ``<table>.parquet``).
"""

from __future__ import annotations

from dataclasses import dataclass

from scicity.domain.plan import GeoUnit
from scicity.domain.registry_definition import RegistryDefinition, RegistryEntity

#: every registry table the engine reads (and the Parquet exporter writes)
REGISTRY_TABLES = ("institutions", "enterprises", "certifications", "enterprise_financials", "talent", "patents")
CERTIFICATIONS = "certifications"


@dataclass(frozen=True)
class EntityTable:
    """One registry table as the engine reads it."""

    table: str
    key: str  # unique id of an entity
    columns: tuple[str, ...]  # shown in a drill-through, key first


TABLES: dict[RegistryEntity, EntityTable] = {
    RegistryEntity.INSTITUTIONS: EntityTable(
        "institutions",
        "code",
        ("code", "name_en", "name_zh", "type", "level", "host", "unit", "recognised_on", "closed_on"),
    ),
    RegistryEntity.ENTERPRISES: EntityTable(
        "enterprises",
        "credit_code",
        ("credit_code", "name_zh", "name_en", "industry", "strategic_emerging", "unit", "founded_on"),
    ),
    RegistryEntity.TALENT: EntityTable(
        "talent",
        "person_id",
        ("person_id", "tier", "programme", "unit", "introduced_on", "departed_on"),
    ),
    RegistryEntity.PATENTS: EntityTable(
        "patents",
        "number",
        ("number", "type", "holder", "unit", "granted_on", "lapsed_on"),
    ),
}
#: certification columns shown beside a certified enterprise
CERTIFICATION_COLUMNS = ("kind", "valid_from", "valid_to")


def tables_read(definition: RegistryDefinition) -> tuple[str, ...]:
    """The tables a definition reads."""
    own = TABLES[definition.entity].table
    return (CERTIFICATIONS, own) if definition.certifications() else (own,)


def rollup_pairs(geography: GeoUnit) -> list[tuple[str, str]]:
    """(unit, ancestor) for every unit and each of its ancestors, itself included: the roll-up."""
    out: list[tuple[str, str]] = []

    def walk(node: GeoUnit, above: tuple[str, ...]) -> None:
        chain = (*above, node.id)
        out.extend((node.id, ancestor) for ancestor in chain)
        for child in node.children:
            walk(child, chain)

    walk(geography, ())
    return out


def subtree(geography: GeoUnit, unit: str) -> set[str]:
    """The unit and every unit below it."""
    return {u for u, ancestor in rollup_pairs(geography) if ancestor == unit}
