"""The plain-Python reference: the validity rules read literally, over lists of rows.

Slow and obvious on purpose: the contract suite compares every backend with
it. It shares no logic with the engine: the roll-up over the geography is
walked here again (parent links, not the engine's ``layout.rollup_pairs``),
so a roll-up bug in the engine cannot pass the suite by being in both; only
the table names and keys of ``layout`` are read. Rows are mappings of column name to value (dates as ``datetime.date``),
one list per table name.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from scicity.domain.plan import GeoUnit
from scicity.domain.registry_definition import FLOW_ENTITIES, CountKind, RegistryDefinition, RegistryEntity
from scicity.engine.registry.layout import CERTIFICATIONS, TABLES

Rows = Mapping[str, Sequence[Mapping[str, Any]]]


def _parents(geography: GeoUnit) -> dict[str, str | None]:
    """Each unit's parent (None at the root), by a plain breadth-first walk."""
    parent: dict[str, str | None] = {geography.id: None}
    queue = [geography]
    while queue:
        node = queue.pop(0)
        for child in node.children:
            parent[child.id] = node.id
            queue.append(child)
    return parent


def _ancestors(geography: GeoUnit) -> dict[str, list[str]]:
    """Each unit with itself and every unit above it."""
    parent = _parents(geography)
    out: dict[str, list[str]] = {}
    for unit in parent:
        chain: list[str] = []
        at: str | None = unit
        while at is not None:
            chain.append(at)
            at = parent[at]
        out[unit] = chain
    return out


def _matches(row: Mapping[str, Any], definition: RegistryDefinition) -> bool:
    return all(row.get(name) in values for name, values in definition.conditions())


def _counts_at(definition: RegistryDefinition, start: date, end: date | None, inclusive: bool, year: int) -> bool:
    if definition.count is CountKind.INTRODUCED:
        return start.year == year
    day = date(year, 12, 31)
    if start > day:
        return False
    if end is None:
        return True
    return day <= end if inclusive else end > day


def _rows(data: Rows, definition: RegistryDefinition) -> Iterable[tuple[str, str, date, date | None, bool]]:
    """(key, unit, start, end, inclusive) of every row behind the definition."""
    layout = TABLES[definition.entity]
    spec = definition.spec
    own = [r for r in data.get(layout.table, ()) if _matches(r, definition)]
    kinds = {k.value for k in definition.certifications()}
    if kinds:
        by_code = {r["credit_code"]: r for r in own}
        for cert in data.get(CERTIFICATIONS, ()):
            enterprise = by_code.get(cert["credit_code"])
            if cert["kind"] in kinds and enterprise is not None:
                yield cert["credit_code"], enterprise["unit"], cert["valid_from"], cert["valid_to"], True
        return
    for r in own:
        yield r[layout.key], r["unit"], r[spec.start], r[spec.end] if spec.end else None, False


_CONTRACT_FIELDS = ("type", "field", "seller_type", "ip", "government_funded")


def _flow_rows(data: Rows, entity: RegistryEntity) -> list[dict[str, Any]]:
    """The exchange records as rows of (key, unit, year, fields, numbers), joined by plain look-ups."""
    out: list[dict[str, Any]] = []
    if entity is RegistryEntity.CONTRACTS:
        for c in data.get("exchange_contracts", ()):
            out.append({"key": c["code"], "unit": c["unit"], "year": c["year"], "amount": c["amount"],
                        **{f: c[f] for f in _CONTRACT_FIELDS}})
    elif entity is RegistryEntity.TALENT_EXCHANGES:
        for t in data.get("exchange_talent", ()):
            out.append({"key": t["code"], "unit": t["unit"], "year": t["year"], "direction": t["direction"], "hours": t["hours"]})
    elif entity is RegistryEntity.INSTRUMENT_BOOKINGS:
        facilities = {f["code"]: f for f in data.get("exchange_facilities", ())}
        for b in data.get("exchange_bookings", ()):
            f = facilities.get(b["facility"])
            if f is not None:
                unit = b["unit"] if b["unit"] is not None else f["unit"]
                out.append({"key": b["code"], "unit": unit, "year": b["year"], "kind": f["kind"], "hours": b["hours"]})
    elif entity is RegistryEntity.ACHIEVEMENTS_TRANSFERRED:
        achievement = {d["code"]: d["achievement"] for d in data.get("exchange_deals", ()) if d["achievement"] is not None}
        for c in data.get("exchange_contracts", ()):
            if c["deal"] in achievement:
                out.append({"key": achievement[c["deal"]], "unit": c["unit"], "year": c["year"],
                            **{f: c[f] for f in _CONTRACT_FIELDS}})
    elif entity is RegistryEntity.DEALS:
        deals = {d["code"]: d for d in data.get("exchange_deals", ())}
        needs = {n["code"]: n for n in data.get("exchange_needs", ())}
        achievements = {a["code"]: a for a in data.get("exchange_achievements", ())}
        for e in data.get("exchange_deal_events", ()):
            deal = deals.get(e["deal"])
            if deal is None:
                continue
            need, ach = needs.get(deal["need"]) or {}, achievements.get(deal["achievement"]) or {}
            unit = ach.get("unit") if ach.get("unit") is not None else need.get("unit")
            field = ach.get("field") if ach.get("field") is not None else need.get("field")
            out.append({"key": e["deal"], "unit": unit, "year": e["on"].year, "stage": e["stage"], "field": field})
    return out


def _flow_totals(data: Rows, definition: RegistryDefinition, years: Sequence[int], geography: GeoUnit) -> dict[tuple[str, int], Any]:
    ancestors = _ancestors(geography)
    keys: dict[tuple[str, int], set[str]] = {(u, y): set() for u in ancestors for y in years}
    sums: dict[tuple[str, int], float] = {(u, y): 0.0 for u in ancestors for y in years}
    for row in _flow_rows(data, definition.entity):
        if row["year"] not in years or not _matches(row, definition):
            continue
        unit = geography.id if row["unit"] is None else row["unit"]  # no unit: the zone as a whole
        for ancestor in ancestors.get(unit, ()):
            keys[(ancestor, row["year"])].add(row["key"])
            if definition.sum is not None:
                sums[(ancestor, row["year"])] += row[definition.sum] or 0.0
    if definition.sum is not None:
        return sums
    return {k: len(v) for k, v in keys.items()}


def reference_counts(data: Rows, definition: RegistryDefinition, years: Sequence[int], geography: GeoUnit) -> dict[tuple[str, int], Any]:
    """Distinct entities (or the sum of a field) per (unit, year), every unit of the tree rolled up, zeros included."""
    if definition.entity in FLOW_ENTITIES:
        return _flow_totals(data, definition, years, geography)
    ancestors = _ancestors(geography)
    seen: dict[tuple[str, int], set[str]] = {(u, y): set() for u in ancestors for y in years}
    for key, unit, start, end, inclusive in _rows(data, definition):
        for year in years:
            if _counts_at(definition, start, end, inclusive, year):
                for ancestor in ancestors.get(unit, ()):
                    seen[(ancestor, year)].add(key)
    return {k: len(v) for k, v in seen.items()}


def reference_members(data: Rows, definition: RegistryDefinition, year: int, unit: str, geography: GeoUnit) -> list[str]:
    """The keys of the entities behind one count, sorted."""
    units = {u for u, chain in _ancestors(geography).items() if unit in chain}
    if definition.entity in FLOW_ENTITIES:
        rows = _flow_rows(data, definition.entity)
        return sorted({r["key"] for r in rows if (geography.id if r["unit"] is None else r["unit"]) in units
                       and r["year"] == year and _matches(r, definition)})
    keys = {
        key
        for key, u, start, end, inclusive in _rows(data, definition)
        if u in units and _counts_at(definition, start, end, inclusive, year)
    }
    return sorted(keys)
