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
#: the exchange platform's tables (migration ``0006_exchange``) the engine reads, with the columns it reads
#: (the Parquet exporter writes these columns only: the JSON columns stay in the store)
EXCHANGE_COLUMNS: dict[str, tuple[str, ...]] = {
    "exchange_contracts": ("code", "type", "amount", "seller", "seller_type", "buyer", "field", "ip", "government_funded",
                           "signed_on", "registered_on", "year", "unit", "deal"),
    "exchange_deals": ("code", "need", "achievement", "stage", "opened_on", "contract", "seller_org", "buyer_org"),
    "exchange_deal_events": ("deal", "stage", "on"),
    "exchange_needs": ("code", "title_zh", "title_en", "field", "unit"),
    "exchange_achievements": ("code", "title_zh", "title_en", "field", "owner", "owner_type", "unit"),
    "exchange_talent": ("code", "person", "direction", "title", "from_org", "to_org", "starts_on", "ends_on", "year", "hours",
                        "unit"),
    "exchange_bookings": ("code", "facility", "user_org", "starts_on", "year", "hours", "unit"),
    "exchange_facilities": ("code", "name_zh", "name_en", "kind", "owner", "unit"),
}
EXCHANGE_TABLES = tuple(EXCHANGE_COLUMNS)
#: tables whose rows need not have a unit (an exchange record without one counts at the root): presence is not
#: checked per unit
NO_UNIT_TABLES = frozenset(EXCHANGE_TABLES)


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
    RegistryEntity.CONTRACTS: EntityTable("exchange_contracts", "code", EXCHANGE_COLUMNS["exchange_contracts"][:-1]),
    RegistryEntity.DEALS: EntityTable(
        "exchange_deals", "code", ("code", "stage", "need", "achievement", "seller_org", "buyer_org", "opened_on", "contract")
    ),
    RegistryEntity.ACHIEVEMENTS_TRANSFERRED: EntityTable(
        "exchange_achievements", "code", EXCHANGE_COLUMNS["exchange_achievements"]
    ),
    RegistryEntity.TALENT_EXCHANGES: EntityTable("exchange_talent", "code", EXCHANGE_COLUMNS["exchange_talent"]),
    RegistryEntity.INSTRUMENT_BOOKINGS: EntityTable("exchange_bookings", "code", EXCHANGE_COLUMNS["exchange_bookings"]),
}
#: the tables each exchange entity reads (the first holds the rows that are counted)
FLOW_TABLES: dict[RegistryEntity, tuple[str, ...]] = {
    RegistryEntity.CONTRACTS: ("exchange_contracts",),
    RegistryEntity.DEALS: ("exchange_deal_events", "exchange_deals", "exchange_needs", "exchange_achievements"),
    RegistryEntity.ACHIEVEMENTS_TRANSFERRED: ("exchange_contracts", "exchange_deals"),
    RegistryEntity.TALENT_EXCHANGES: ("exchange_talent",),
    RegistryEntity.INSTRUMENT_BOOKINGS: ("exchange_bookings", "exchange_facilities"),
}
#: the integer key of an enterprise in the Parquet exports (its row in ``enterprises.parquet``), carried by its
#: certificates too: certificates are reduced per enterprise and joined to it on this int32 column, not on the
#: 18-character credit code (the credit code stays in both files, for drill-through and for readers)
ENTERPRISE_ID = "enterprise_id"
#: certification columns shown beside a certified enterprise
CERTIFICATION_COLUMNS = ("kind", "valid_from", "valid_to")


def tables_read(definition: RegistryDefinition) -> tuple[str, ...]:
    """The tables a definition reads (for exchange records: those that must hold rows for it to count)."""
    if definition.entity in FLOW_TABLES:
        return FLOW_TABLES[definition.entity][:1] if definition.entity is not RegistryEntity.ACHIEVEMENTS_TRANSFERRED \
            else FLOW_TABLES[definition.entity]
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
