"""The exchange platform's records as yearly flows, compiled into Ibis: counts and sums per unit and year.

Each exchange entity is a table expression of rows (key, unit, start, the
fields ``where`` may filter on, the numeric fields ``sum`` may add up):

- contracts: ``exchange_contracts``, dated by their ``year`` (of registration);
- deals: the moves of ``exchange_deal_events`` joined to their deal, dated by
  the day of the move; the unit is the achievement's (the seller's side), else
  the need's; one deal counts once per unit and year however many moves;
- achievements transferred: contracts joined to the deal they came from, keyed
  by the deal's achievement (distinct), dated and placed like the contract;
- talent exchanges (``exchange_talent``) and instrument bookings
  (``exchange_bookings`` with the facility's ``kind``, at the facility's unit
  when the booking names none), dated by their ``year``.

The platform is the zone's own: a record that names no unit counts at the
root of the plan's geography (the zone as a whole), not below it.

Flags compare an integer year (``start == Y``) or a date with 1 January and
31 December; the roll-up is the same equi-join with (unit, ancestor) pairs as
for the registries, then a ``sum`` of flags (counts) or of flagged values
(sums) per ancestor. Entities that may repeat a key (deals, achievements
transferred) are first reduced with ``max`` per (key, ancestor).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import ibis
import ibis.expr.types as ir

from scicity.domain.plan import GeoUnit
from scicity.domain.registry_definition import ENTITIES, RegistryDefinition, RegistryEntity

TableGetter = Callable[[str], ir.Table]
#: entities one key may appear on several rows of: counted once per (key, ancestor)
REPEATED = frozenset({RegistryEntity.DEALS, RegistryEntity.ACHIEVEMENTS_TRANSFERRED})
_CONTRACT_FIELDS = ("type", "field", "seller_type", "ip", "government_funded")


def flow_rows(get: TableGetter, entity: RegistryEntity) -> ir.Table:
    """Every row of an exchange entity as (key, unit, start, its fields, its numeric fields)."""
    if entity is RegistryEntity.CONTRACTS:
        c = get("exchange_contracts")
        return c.select(key=c.code, unit=c.unit, start=c.year, amount=c.amount, **{f: c[f] for f in _CONTRACT_FIELDS})
    if entity is RegistryEntity.TALENT_EXCHANGES:
        t = get("exchange_talent")
        return t.select(key=t.code, unit=t.unit, start=t.year, direction=t.direction, hours=t.hours)
    if entity is RegistryEntity.INSTRUMENT_BOOKINGS:
        b, f = get("exchange_bookings"), get("exchange_facilities")
        kinds = f.select(fcode=f.code, kind=f.kind, funit=f.unit)
        joined = b.join(kinds, b.facility == kinds.fcode)
        return joined.select(key=joined.code, unit=joined.unit.coalesce(joined.funit), start=joined.year, kind=joined.kind,
                             hours=joined.hours)
    if entity is RegistryEntity.ACHIEVEMENTS_TRANSFERRED:
        c, d = get("exchange_contracts"), get("exchange_deals")
        d = d.filter(d.achievement.notnull()).select(dcode=d.code, achievement=d.achievement)
        joined = c.join(d, c.deal == d.dcode)
        return joined.select(key=joined.achievement, unit=joined.unit, start=joined.year,
                             **{name: joined[name] for name in _CONTRACT_FIELDS})
    if entity is RegistryEntity.DEALS:
        e, d = get("exchange_deal_events"), get("exchange_deals")
        n, a = get("exchange_needs"), get("exchange_achievements")
        deals = d.select(dcode=d.code, need=d.need, achievement=d.achievement)
        moves = e.join(deals, e.deal == deals.dcode)
        needs = n.select(ncode=n.code, nunit=n.unit, nfield=n.field)
        moves = moves.left_join(needs, moves.need == needs.ncode)
        owners = a.select(acode=a.code, aunit=a.unit, afield=a.field)
        moves = moves.left_join(owners, moves.achievement == owners.acode)
        return moves.select(key=moves.deal, unit=moves.aunit.coalesce(moves.nunit), start=moves.on, stage=moves.stage,
                            field=moves.afield.coalesce(moves.nfield))
    raise ValueError(f"{entity.value} is not an exchange record")


def in_year(rows: ir.Table, entity: RegistryEntity, year: int) -> ir.BooleanValue:
    """Rows of ``year``: an integer year equal to it, or a date within it."""
    if ENTITIES[entity].start == "year":
        return rows.start == year
    return (rows.start >= ibis.date(year, 1, 1)) & (rows.start <= ibis.date(year, 12, 31))


def _condition(rows: ir.Table, definition: RegistryDefinition) -> ir.BooleanValue | None:
    out: ir.BooleanValue | None = None
    for name, values in definition.conditions():
        part = rows[name].isin(list(values)) if len(values) > 1 else rows[name] == values[0]
        out = part if out is None else out & part
    return out


def placed_rows(get: TableGetter, entity: RegistryEntity, root: str) -> ir.Table:
    """The rows with a unit: their own, else the root's."""
    rows = flow_rows(get, entity)
    return rows.mutate(unit=rows.unit.coalesce(ibis.literal(root, "string")))


def flow_expr(
    get: TableGetter,
    definitions: Sequence[RegistryDefinition],
    years: Sequence[int],
    rollup: ir.Table,
    column: Callable[[int, int], str],
    root: str,
) -> ir.Table:
    """One query for definitions over one exchange entity: a row per unit with a column per definition and year."""
    entity = definitions[0].entity
    for d in definitions:
        if d.sum is not None and d.sum not in ENTITIES[entity].sums:
            raise ValueError(f"{entity.value} have no numeric field {d.sum!r} to sum")
    rows = placed_rows(get, entity, root)
    if ENTITIES[entity].start == "year":
        rows = rows.filter(rows.start.isin([int(y) for y in years]))
    else:
        rows = rows.filter((rows.start >= ibis.date(min(years), 1, 1)) & (rows.start <= ibis.date(max(years), 12, 31)))
    values: dict[str, ir.Value] = {}
    for i, d in enumerate(definitions):
        cond = _condition(rows, d)
        for y in years:
            hit = in_year(rows, entity, y)
            hit = hit if cond is None else cond & hit
            if d.sum is not None:
                values[column(i, y)] = ibis.ifelse(hit, rows[d.sum].cast("float64"), ibis.literal(0.0, "float64"))
            else:
                values[column(i, y)] = ibis.ifelse(hit, 1, 0)
    flagged = rows.select(rows.key, rows.unit, **values)
    joined = flagged.join(rollup, flagged.unit == rollup.unit_)
    if entity in REPEATED:  # sums are only over entities with unique keys (ENTITIES[...].sums)
        reduced = joined.group_by(["key", "ancestor"]).aggregate(**{c: joined[c].max() for c in values})
        return reduced.group_by(unit=reduced.ancestor).aggregate(**{c: reduced[c].sum() for c in values})
    return joined.group_by(unit=joined.ancestor).aggregate(**{c: joined[c].sum() for c in values})


def flow_members_expr(get: TableGetter, definition: RegistryDefinition, year: int, units: set[str], root: str) -> ir.Table:
    """The keys behind one flow of one year and one unit's subtree (rows, not yet distinct)."""
    rows = placed_rows(get, definition.entity, root)
    cond = _condition(rows, definition)
    keep = in_year(rows, definition.entity, year) & rows.unit.isin(sorted(units))
    return rows.filter(keep if cond is None else keep & cond).select("key")
