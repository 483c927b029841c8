"""Definitions compiled into Ibis expressions: one grouped query per registry scan.

The rows of a registry (for certificates: certificates joined to their
enterprises) are filtered by the definitions' ``where`` fields and cut to
those that can count in the years asked for. Each definition and year
becomes a 0/1 flag that compares the dates with 31 December directly — the
validity rules of :mod:`scicity.domain.registry_definition`, as the
plain-Python reference (:mod:`scicity.engine.registry.reference`) reads
them. An equi-join with the roll-up pairs (unit, ancestor) and a sum of the
flags per ancestor give every unit × year in one query and one scan.
Definitions over the same registry (the five platform counts, the four
certificates, the four talent tiers) share the scan, each with its own flag
columns. No range join and no window function: the same SQL shape runs on
SQLite, PostgreSQL, DuckDB and Spark.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

import ibis
import ibis.expr.types as ir

from scicity.domain.plan import GeoUnit
from scicity.domain.registry_definition import ENTITIES, FLOW_ENTITIES, CountKind, RegistryDefinition, RegistryEntity
from scicity.engine.registry.flows import flow_expr, flow_members_expr
from scicity.engine.registry.layout import CERTIFICATIONS, ENTERPRISE_ID, TABLES, rollup_pairs

TableGetter = Callable[[str], ir.Table]
MAX_BITS = 62  # flags packed in one BIGINT by the bitwise path


def _where(table: ir.Table, definition: RegistryDefinition) -> ir.Table:
    for name, values in definition.conditions():
        column = table[name]
        if len(values) == 1:
            table = table.filter(column == values[0])
        else:
            table = table.filter(column.isin(list(values)))
    return table


def matching_rows(get: TableGetter, definition: RegistryDefinition) -> tuple[ir.Table, bool]:
    """Rows behind a definition as (key, unit, start, end) and whether ``end`` is inclusive."""
    layout = TABLES[definition.entity]
    spec = definition.spec
    own = _where(get(layout.table), definition)
    kinds = definition.certifications()
    if kinds:
        certs = get(CERTIFICATIONS)
        certs = certs.filter(certs.kind.isin([k.value for k in kinds]))
        joined = certs.join(own, certs.credit_code == own.credit_code)
        rows = joined.select(key=certs.credit_code, unit=own.unit, start=certs.valid_from, end=certs.valid_to)
        return rows, True
    end = own[spec.end] if spec.end else ibis.null("date")
    rows = own.select(key=own[layout.key], unit=own.unit, start=own[spec.start], end=end)
    return rows, False


ROLLUP_SCHEMA = {"unit_": "string", "ancestor": "string"}


def rollup_name(geography: GeoUnit) -> str:
    """The name of a tree's roll-up table: named by its pairs, so the SQL compiled for a tree is one text."""
    import hashlib

    return "scicity_rollup_" + hashlib.sha256(repr(rollup_pairs(geography)).encode()).hexdigest()[:16]


@functools.lru_cache(maxsize=16)
def rollup_table(geography: GeoUnit) -> ir.Table:
    """(unit_, ancestor) pairs as an in-memory table (Arrow); for backends that run Ibis expressions (Spark)."""
    import ibis.expr.operations as ops
    import pyarrow as pa
    from ibis.formats.pyarrow import PyArrowTableProxy

    pairs = rollup_pairs(geography)
    data = pa.Table.from_arrays([pa.array([u for u, _ in pairs], pa.string()), pa.array([a for _, a in pairs], pa.string())],
                                names=list(ROLLUP_SCHEMA))
    # a memtable with our name (Ibis's own are random per process) and the schema given
    return ops.InMemoryTable(name=rollup_name(geography), schema=ibis.schema(ROLLUP_SCHEMA),
                             data=PyArrowTableProxy(data)).to_expr()


@functools.lru_cache(maxsize=16)
def rollup_by_name(geography: GeoUnit) -> ir.Table:
    """The roll-up table by name only, for SQL backends: :func:`rollup_sql` puts it on each connection.

    No data in the expression: no Arrow table to build (pyarrow imports pandas on its first array, about
    0.5 s of a process's first count) and nothing for Ibis to register before the kept SQL runs.
    """
    return ibis.table(ROLLUP_SCHEMA, name=rollup_name(geography))


def rollup_sql(geography: GeoUnit) -> str:
    """``CREATE TEMP TABLE`` of a tree's roll-up pairs, in SQL that SQLite, PostgreSQL and DuckDB all read."""

    def text(value: str) -> str:
        return "'" + value.replace("'", "''") + "'"

    rows = " UNION ALL ".join(f"SELECT {text(u)} AS unit_, {text(a)} AS ancestor" for u, a in rollup_pairs(geography))
    return f'CREATE TEMP TABLE IF NOT EXISTS "{rollup_name(geography)}" AS {rows}'


def enterprise_key(get: TableGetter) -> str:
    """The column that joins certificates to their enterprise: the integer ``enterprise_id`` where both tables
    have it (Parquet exports, :mod:`.parquet`), else the credit code (the store's tables)."""
    try:
        both = all(ENTERPRISE_ID in get(name).columns for name in (CERTIFICATIONS, TABLES[RegistryEntity.ENTERPRISES].table))
    except Exception:  # noqa: BLE001 - a missing table: the credit code (the query fails later, as before)
        both = False
    return ENTERPRISE_ID if both else "credit_code"


def needs_distinct(definition: RegistryDefinition) -> bool:
    """True when one entity may match several rows: certificates (renewals, several kinds), talent (several tiers)."""
    return bool(definition.certifications()) or definition.entity is RegistryEntity.TALENT


def flag_column(index: int, year: int) -> str:
    return f"c{index}_y{year}"


def scan_groups(definitions: Sequence[RegistryDefinition]) -> dict[tuple[RegistryEntity, bool], list[int]]:
    """Definitions that one scan can count together: the same registry, with or without certificates."""
    groups: dict[tuple[RegistryEntity, bool], list[int]] = {}
    for i, d in enumerate(definitions):
        groups.setdefault((d.entity, bool(d.certifications())), []).append(i)
    return groups


def _base(get: TableGetter, entity: RegistryEntity, used: set[str]) -> ir.Table:
    """Every row of a registry as (key, unit, start, end, the fields filtered on)."""
    layout = TABLES[entity]
    spec = ENTITIES[entity]
    own = get(layout.table)
    fields = {f.name: own[f.name] for f in spec.fields if f.name in used}
    end = own[spec.end] if spec.end else ibis.null("date")
    return own.select(key=own[layout.key], unit=own.unit, start=own[spec.start], end=end, **fields)


def _condition(rows: ir.Table, definition: RegistryDefinition) -> ir.BooleanValue | None:
    parts = [rows[name].isin(list(values)) if len(values) > 1 else rows[name] == values[0] for name, values in definition.conditions()]
    kinds = [k.value for k in definition.certifications()]
    if kinds:
        parts.append(rows.kind.isin(kinds))
    if not parts:
        return None
    out = parts[0]
    for part in parts[1:]:
        out = out & part
    return out


def _window(
    rows: ir.Table, definitions: Sequence[RegistryDefinition], years: Sequence[int], has_end: bool, inclusive: bool
) -> ir.BooleanValue:
    """Rows that can count in any of the years at all (fewer rows to flag and group)."""
    first, last = min(years), max(years)
    keep = rows.start <= ibis.date(last, 12, 31)
    kinds = {d.count for d in definitions}
    if kinds == {CountKind.INTRODUCED}:
        keep = keep & (rows.start >= ibis.date(first, 1, 1))
    elif kinds == {CountKind.VALID} and has_end:
        day = ibis.date(first, 12, 31)
        keep = keep & (rows.end.isnull() | ((rows.end >= day) if inclusive else (rows.end > day)))
    return keep


def counts_expr(
    get: TableGetter,
    definitions: Sequence[RegistryDefinition],
    years: Sequence[int],
    geography: GeoUnit,
    *,
    bitwise: bool = False,
    rollup: Callable[[GeoUnit], ir.Table] = rollup_table,
) -> ir.Table:
    """One query, one scan, for definitions of one scan group: a row per unit of the tree (rolled up)
    with a column ``c<i>_y<year>`` per definition and year.

    Each definition and year is a 0/1 flag (dates compared directly with
    31 December); the roll-up is an equi-join with (unit, ancestor) pairs and
    the flags are summed per ancestor, so no range join is needed. Where one
    entity may match several rows the flags are first reduced with ``max``,
    which counts each entity once: per enterprise before the join with the
    enterprises for certificates (:func:`_certified_counts`), per (person,
    ancestor) after the roll-up for talent (a person may have records at
    two units). ``bitwise`` packs the flags for that reduction into one
    BIGINT reduced by ``bit_or`` (backends with BIT_OR: DuckDB, PostgreSQL).
    ``rollup`` gives the roll-up table of the tree: in memory (:func:`rollup_table`) or by name
    (:func:`rollup_by_name`, for SQL that runs where :func:`rollup_sql` made it).
    """
    groups = scan_groups(definitions)
    if len(groups) != 1:
        raise ValueError("counts_expr takes definitions of one scan group (see scan_groups)")
    ((entity, certified),) = groups
    if entity in FLOW_ENTITIES:
        return flow_expr(get, definitions, years, rollup(geography), flag_column, geography.id)
    if certified:
        return _certified_counts(get, definitions, years, geography, bitwise=bitwise, rollup=rollup)
    rows = _base(get, entity, {name for d in definitions for name, _ in d.conditions()})
    conditions = [_condition(rows, d) for d in definitions]
    if all(c is not None for c in conditions):
        keep = conditions[0]
        for c in conditions[1:]:
            keep = keep | c
        rows = rows.filter(keep)
    has_end = ENTITIES[entity].end is not None
    rows = rows.filter(_window(rows, definitions, years, has_end, False))
    flags = {}
    for i, d in enumerate(definitions):
        cond = _condition(rows, d)
        for y in years:
            hit = counts_at(rows, d, y, False)
            flags[flag_column(i, y)] = hit if cond is None else cond & hit
    ancestors = rollup(geography)
    if not any(needs_distinct(d) for d in definitions):  # keys are unique: sum the flags per unit, then roll up
        flagged = rows.select(rows.unit, **{c: ibis.ifelse(f, 1, 0) for c, f in flags.items()})
        per_unit = flagged.group_by("unit").aggregate(**{c: flagged[c].sum() for c in flags})
        return _roll_up(per_unit, ancestors, list(flags))
    # talent: a person may have several records (tiers), at two units: once per (person, ancestor)
    if bitwise and len(flags) <= MAX_BITS:
        packed = _packed(rows, definitions, years, False, ["key", "unit"],
                         sorted({name for d in definitions for name, _ in d.conditions()}), _condition)
        joined = packed.join(ancestors, packed.unit == ancestors.unit_)
        reduced = joined.group_by(["key", "ancestor"]).aggregate(mask=joined.mask.bit_or())
        return reduced.group_by(unit=reduced.ancestor).aggregate(
            **{c: ((reduced.mask >> bit) & 1).sum() for bit, c in enumerate(flags)}
        )
    flagged = rows.select(rows.key, rows.unit, **{c: ibis.ifelse(f, 1, 0) for c, f in flags.items()})
    joined = flagged.join(ancestors, flagged.unit == ancestors.unit_)
    reduced = joined.group_by(["key", "ancestor"]).aggregate(**{c: joined[c].max() for c in flags})
    return reduced.group_by(unit=reduced.ancestor).aggregate(**{c: reduced[c].sum() for c in flags})


def _packed(
    rows: ir.Table, definitions: Sequence[RegistryDefinition], years: Sequence[int], inclusive: bool, keep: Sequence[str],
    fields: Sequence[str], condition: Callable[[ir.Table, RegistryDefinition], ir.BooleanValue | None],
) -> ir.Table:
    """``keep`` and ``mask``: the flags of every definition (``condition``, over ``fields``) and year packed in one BIGINT, bit ``i * len(years) + j``
    for definition ``i`` and year ``j`` (what :func:`_pack` gives for the same flags, with fewer comparisons).

    The years a row counts in depend on its dates and on how the definition counts (valid or introduced), not on the
    definition's own condition: they are flagged once per way of counting (``years_<n>``, bit ``j`` for year ``j``),
    and each definition whose condition holds takes those bits shifted to its place — a product, as the places
    do not overlap. 6 + 4 comparisons a row for four definitions over six years, not 24.
    """
    ways: dict[tuple[CountKind, bool], int] = {}
    for d in definitions:
        ways.setdefault((d.count, bool(d.spec.end)), len(ways))
    first = {way: next(d for d in definitions if (d.count, bool(d.spec.end)) == way) for way in ways}
    per_year = {}
    for way, n in ways.items():
        bits: ir.IntegerValue | None = None
        for j, y in enumerate(years):
            term = ibis.ifelse(counts_at(rows, first[way], y, inclusive), 1 << j, 0).cast("int64")
            bits = term if bits is None else bits + term
        per_year[f"years_{n}"] = bits
    staged = rows.select(*keep, *fields, **per_year)
    mask: ir.IntegerValue | None = None
    for i, d in enumerate(definitions):
        shifted = staged[f"years_{ways[(d.count, bool(d.spec.end))]}"] * ibis.literal(1 << (i * len(years)), "int64")
        cond = condition(staged, d)
        term = shifted if cond is None else ibis.ifelse(cond, shifted, ibis.literal(0, "int64"))
        mask = term if mask is None else mask + term
    assert mask is not None
    return staged.select(*keep, mask=mask)


def _pack(flags: dict[str, ir.BooleanValue]) -> ir.IntegerValue:
    """The flags as bits of one BIGINT (flag i is bit i), for one ``bit_or`` instead of a ``max`` per flag."""
    mask: ir.IntegerValue | None = None
    for bit, flag in enumerate(flags.values()):
        term = ibis.ifelse(flag, 1 << bit, 0).cast("int64")
        mask = term if mask is None else mask + term
    assert mask is not None
    return mask


def _certified_counts(
    get: TableGetter, definitions: Sequence[RegistryDefinition], years: Sequence[int], geography: GeoUnit, *, bitwise: bool,
    rollup: Callable[[GeoUnit], ir.Table] = rollup_table,
) -> ir.Table:
    """Certified enterprises: certificates reduced per enterprise first, then joined to the enterprises.

    The flags of the certificate (its kind and dates) are reduced per
    credit code — one ``bit_or`` of packed flags, or a ``max`` per flag —
    before the join, so the join and the roll-up see one row per enterprise;
    the enterprise's own ``where`` fields then switch each definition's
    flags on or off.
    """
    certs = get(CERTIFICATIONS)
    key_column = enterprise_key(get)
    kinds = sorted({k.value for d in definitions for k in d.certifications()})
    certs = certs.filter(certs.kind.isin(kinds)).select(key=certs[key_column], kind=certs.kind, start=certs.valid_from, end=certs.valid_to)
    certs = certs.filter(_window(certs, definitions, years, True, True))
    flags: dict[str, ir.BooleanValue] = {}
    for i, d in enumerate(definitions):
        kind = certs.kind.isin([k.value for k in d.certifications()])
        for y in years:
            flags[flag_column(i, y)] = kind & counts_at(certs, d, y, True)
    packed = bitwise and len(flags) <= MAX_BITS
    if packed:
        m = _packed(certs, definitions, years, True, ["key"], ["kind"],
                    lambda t, d: t.kind.isin([k.value for k in d.certifications()]))
        reduced = m.group_by("key").aggregate(mask=m.mask.bit_or())
    else:
        f = certs.select(certs.key, **{c: ibis.ifelse(v, 1, 0) for c, v in flags.items()})
        reduced = f.group_by("key").aggregate(**{c: f[c].max() for c in flags})
    own = get(TABLES[RegistryEntity.ENTERPRISES].table)
    used = {name for d in definitions for name, _ in d.conditions()}
    ents = own.select(ekey=own[key_column], unit=own.unit, **{name: own[name] for name in sorted(used)})
    joined = reduced.join(ents, reduced.key == ents.ekey)
    ancestors = rollup(geography)
    wheres = [_condition(joined, d.model_copy(update={"certification": None})) for d in definitions]
    if packed:  # one row per (unit, mask) with its number of enterprises: the roll-up joins a few hundred rows
        mask = joined.mask
        if any(w is not None for w in wheres):  # an enterprise's own fields switch a definition's bits off
            block = (1 << len(years)) - 1
            allowed: ir.IntegerValue | None = None
            for i, where in enumerate(wheres):
                bits = ibis.literal(block << (i * len(years)), "int64")
                term = bits if where is None else ibis.ifelse(where, bits, ibis.literal(0, "int64"))
                allowed = term if allowed is None else allowed + term
            mask = mask & allowed
        masks = joined.select(joined.unit, mask=mask)
        per_mask = masks.group_by(["unit", "mask"]).aggregate(n=masks.count())
        rolled = per_mask.join(ancestors, per_mask.unit == ancestors.unit_)
        sums = {flag_column(i, y): (((rolled.mask >> (i * len(years) + j)) & 1) * rolled.n).sum()
                for i in range(len(definitions)) for j, y in enumerate(years)}
        return rolled.group_by(unit=rolled.ancestor).aggregate(**sums)
    columns = [flag_column(i, y) for i in range(len(definitions)) for y in years]
    values = {}
    for i, where in enumerate(wheres):
        for y in years:
            column = flag_column(i, y)
            values[column] = joined[column] if where is None else ibis.ifelse(where, joined[column], 0)
    flagged = joined.select(joined.unit, **values)
    per_unit = flagged.group_by("unit").aggregate(**{c: flagged[c].sum() for c in columns})
    return _roll_up(per_unit, ancestors, columns)


def _roll_up(per_unit: ir.Table, ancestors: ir.Table, columns: Sequence[str]) -> ir.Table:
    """Sums per unit rolled up to every ancestor: one row per unit of the tree (a join of a few rows, not of every entity)."""
    joined = per_unit.join(ancestors, per_unit.unit == ancestors.unit_)
    return joined.group_by(unit=joined.ancestor).aggregate(**{c: joined[c].sum() for c in columns})


def counts_at(rows: ir.Table, definition: RegistryDefinition, year: int, inclusive: bool) -> ir.BooleanValue:
    """True for rows that count for ``year``: valid on its 31 December, or introduced within it."""
    day = ibis.date(year, 12, 31)
    if definition.count is CountKind.INTRODUCED:
        return (rows.start >= ibis.date(year, 1, 1)) & (rows.start <= day)
    if not inclusive and not definition.spec.end:
        return rows.start <= day
    return (rows.start <= day) & (rows.end.isnull() | ((rows.end >= day) if inclusive else (rows.end > day)))


def members_expr(
    get: TableGetter, definition: RegistryDefinition, year: int, units: set[str], root: str | None = None
) -> ir.Table:
    """The keys of the entities behind the count of one year and one unit's subtree (rows, not yet distinct);
    ``root``: the geography's root, where exchange records without a unit count."""
    if definition.entity in FLOW_ENTITIES:
        return flow_members_expr(get, definition, year, units, root or "")
    rows, inclusive = matching_rows(get, definition)
    return rows.filter(counts_at(rows, definition, year, inclusive) & rows.unit.isin(sorted(units))).select("key")
