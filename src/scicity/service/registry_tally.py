"""Registry counts kept per (definition, unit, year) and re-counted only where an import changed rows.

A registry-defined indicator counts entities valid on (or introduced in) a
year at a unit and everything below it. For most definitions an entity has
exactly one unit, so the count at a unit is the sum of the *own* counts (the
entities whose unit is exactly that one) over its subtree. The tally keeps
those own counts and rolls them up in Python; when an import changes rows,
its audit event names the registry and the units it touched (``units`` in
the event's ``after``: the new and the old unit of every inserted or updated
record, for certificates those of their enterprises), and only those units
are counted again, with the query restricted to their rows (the ``unit``
index, not a scan of the registry).

Where the own counts do not add up the tally counts the whole definition
again, only when a table it reads was written:

- talent (a person may have records at two units of one subtree: counted
  once at their common ancestor);
- exchange records (deals, contracts without a unit counted at the root);
- an event that does not name its units (older events, other writers).

Whether a registry is kept (its tables hold rows at the plan's units) is
read again after every change (one ``LIMIT 1`` per table). The state lives
in the process (the web server's read model) and is kept on disk after every
count (``<data dir>/cache/registry-tally-*.json``, the audit id it is current
at): a restarted server takes it back when no registry was written since, so
its first overview counts nothing; otherwise it counts whole, as before.
``scicity status`` keeps using the disk cache of
:mod:`scicity.service.registry_cache`.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scicity.domain.plan import GeoUnit
from scicity.domain.registry_definition import FLOW_ENTITIES, RegistryDefinition, RegistryEntity

#: audit entities of the registry tables the definitions read, by table (certificates also read enterprises)
REGISTRY_ENTITIES = {"institutions": "institutions", "enterprises": "enterprises",
                     "certifications": "certifications", "financials": "enterprise_financials",
                     "talent": "talent", "patents": "patents"}
#: an audit entity of this prefix writes the exchange platform's tables
EXCHANGE_PREFIX = "exchange."
#: the format of the tally kept on disk (a file of another format is not read)
DISK_FORMAT = 1
#: above this many units touched, count the definition again whole (the restriction no longer saves a scan)
MAX_UNITS = 2_000


@dataclass(frozen=True)
class RegistryChange:
    """One registry write from the audit log: its id, the table written (``*``: unknown) and the units touched
    (None: not named)."""

    event_id: int
    table: str
    units: frozenset[str] | None


def change_of(event_id: int, entity: str, after: Any) -> RegistryChange:
    """The change an audit event of a registry entity records."""
    if entity in REGISTRY_ENTITIES:
        table = REGISTRY_ENTITIES[entity]
    elif entity.startswith(EXCHANGE_PREFIX):
        table = "exchange"
    else:
        table = "*"
    units = None
    if isinstance(after, dict) and isinstance(after.get("units"), list):
        units = frozenset(str(u) for u in after["units"])
    return RegistryChange(event_id, table, units)


def tables_of(definition: RegistryDefinition) -> frozenset[str]:
    """The tables a definition's count reads (``exchange`` for the platform's tables)."""
    if definition.entity in FLOW_ENTITIES:
        return frozenset({"exchange"})
    from scicity.engine.registry.layout import TABLES

    own = TABLES[definition.entity].table
    return frozenset({own, "certifications"}) if definition.certifications() else frozenset({own})


def additive(definition: RegistryDefinition) -> bool:
    """Whether the count at a unit is the sum of the own counts below it (one unit per counted entity)."""
    return definition.entity not in FLOW_ENTITIES and definition.entity is not RegistryEntity.TALENT


#: the temporary table of the units counted (each its own only ancestor), on the connection of a count
UNITS_TABLE = "scicity_tally_units"
#: (backend, definitions, years, root) -> the SQL of their own counts at the units of UNITS_TABLE, compiled once
_SQL: dict[tuple[Any, ...], str] = {}
_SQL_LOCK = threading.Lock()


def own_counts(engine: Any, definitions: Sequence[RegistryDefinition], years: Sequence[int], geography: GeoUnit,
               units: Iterable[str]) -> list[dict[tuple[str, int], int]]:
    """Per definition (one scan group), the entities whose own unit is each of ``units``, per (unit, year):
    no roll-up, only the rows at those units read.

    The units go into a temporary table of the connection, which the query
    joins as its roll-up (each unit its own only ancestor) and reads the
    registry's rows through (``unit IN (SELECT ...)``: the unit index); the
    query is compiled once per process for its definitions and years.
    """
    import ibis

    from scicity.engine.registry.engine import BIT_OR_BACKENDS
    from scicity.engine.registry.query import counts_expr, flag_column

    wanted = sorted(set(units))
    out: list[dict[tuple[str, int], int]] = [{(u, int(y)): 0 for u in wanted for y in years} for _ in definitions]
    if not wanted or not years:
        return out
    key = (engine.name, tuple(d.model_dump_json() for d in definitions), tuple(int(y) for y in years), geography.id)
    with _SQL_LOCK:
        sql = _SQL.get(key)
    if sql is None:
        at = ibis.table({"unit_": "string", "ancestor": "string"}, name=UNITS_TABLE)

        def get(name: str):  # noqa: ANN202 - the registry's rows at the units only
            table = engine.table(name)
            if name == "certifications":
                ents = engine.table("enterprises")
                return table.filter(table.credit_code.isin(ents.filter(ents.unit.isin(at.unit_)).credit_code))
            return table.filter(table.unit.isin(at.unit_))

        expr = counts_expr(get, definitions, years, geography, bitwise=engine.name in BIT_OR_BACKENDS,
                           rollup=lambda _g: at)
        sql = str(engine.backend.compile(expr))
        with _SQL_LOCK:
            _SQL[key] = sql
    _execute(engine, f'CREATE TEMP TABLE IF NOT EXISTS "{UNITS_TABLE}" (unit_ VARCHAR(64), ancestor VARCHAR(64))')
    _execute(engine, f'DELETE FROM "{UNITS_TABLE}"')
    _execute(engine, f'INSERT INTO "{UNITS_TABLE}" (unit_, ancestor) VALUES '
             + ", ".join(f"({_text(u)}, {_text(u)})" for u in wanted))
    cursor = engine.backend.raw_sql(sql)
    try:
        columns = [d[0] for d in cursor.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    finally:
        if engine.name != "duckdb":  # DuckDB's raw_sql hands back the connection itself
            cursor.close()
    for row in rows:
        for i in range(len(definitions)):
            for y in years:
                out[i][(str(row["unit"]), int(y))] = int(row[flag_column(i, y)] or 0)
    return out


def _text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _execute(engine: Any, sql: str) -> None:
    cursor = engine.backend.raw_sql(sql)
    if engine.name != "duckdb":
        cursor.close()


def roll_up(own: Mapping[tuple[str, int], int], pairs: Sequence[tuple[str, str]],
            years: Sequence[int]) -> dict[tuple[str, int], int]:
    """Counts per (unit, year) of a tree from the own counts: each unit's summed over its subtree."""
    out = {(a, int(y)): 0 for _, a in pairs for y in years}
    for unit, ancestor in pairs:
        for y in years:
            out[(ancestor, int(y))] += own.get((unit, int(y)), 0)
    return out


@dataclass
class _Kept:
    version: int
    counts: dict[tuple[str, int], int | float]  # rolled up, as RegistryEngine.counts_many gives them
    own: dict[tuple[str, int], int] | None  # additive definitions: the own counts at every unit


class RegistryTally:
    """Counts of registry definitions on the store's database, kept current from the registry changes.

    ``changes_since(version)`` gives the registry changes after an audit id
    (None when they are no longer known: everything is counted again).
    """

    def __init__(self, url: str, changes_since: Callable[[int], list[RegistryChange] | None],
                 cache_dir: Path | None = None) -> None:
        self.url = url
        self.changes_since = changes_since
        self._kept: dict[tuple[str, tuple[int, ...], str], _Kept] = {}
        #: where the tally is kept for the next process (None: in memory only)
        self.file = (cache_dir / f"registry-tally-{hashlib.sha256(url.encode()).hexdigest()[:16]}.json"
                     if cache_dir is not None else None)
        self._lock = threading.Lock()
        #: (table, units) -> (holds rows, as of version); a table with rows keeps them (imports never delete)
        self._filled: dict[tuple[str, frozenset[str] | None], tuple[bool, int]] = {}
        self.full_counts = 0  # definitions counted whole (what the incremental path saves shows here)
        self.partial_counts = 0  # definitions counted again at the touched units only

    def restore(self, version: int, written_since: Callable[[int], bool]) -> bool:
        """Take back the tally kept on disk, current at ``version``, unless ``written_since(saved version)`` says
        a registry was written after it was saved. Whether it was taken."""
        if self.file is None:
            return False
        try:
            saved = json.loads(self.file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        if not isinstance(saved, dict) or saved.get("format") != DISK_FORMAT or written_since(int(saved["version"])):
            return False
        kept = {}
        for entry in saved["kept"]:
            definition, years, tree = entry["key"]
            counts = {(u, int(y)): n for u, y, n in entry["counts"]}
            own = {(u, int(y)): int(n) for u, y, n in entry["own"]} if entry["own"] is not None else None
            kept[(definition, tuple(int(y) for y in years), tree)] = _Kept(version, counts, own)
        with self._lock:
            self._kept.update(kept)
        return True

    def _save(self) -> None:
        """Keep the tally on disk, current at the oldest version of its counts (called under the lock)."""
        from scicity.engine.cache_file import keep_text

        if self.file is None or not self._kept:
            return
        entries = [{"key": [d, list(ys), tree], "counts": [[u, y, n] for (u, y), n in k.counts.items()],
                    "own": [[u, y, n] for (u, y), n in k.own.items()] if k.own is not None else None}
                   for (d, ys, tree), k in self._kept.items()]
        version = min(k.version for k in self._kept.values())
        keep_text(self.file, json.dumps({"format": DISK_FORMAT, "version": version, "kept": entries}))

    def engine(self, version: int) -> _TallyEngine:
        """An engine-like view for :func:`~scicity.service.reconciled_values.count_registries`, current at ``version``."""
        return _TallyEngine(self, version)

    def keeps(self, engine: Any, definition: RegistryDefinition, units: frozenset[str] | None, version: int) -> bool:
        """Whether every table the definition reads holds rows (at ``units``): read once, and again for an empty
        table only after a write to it."""
        from scicity.engine.registry.layout import tables_read

        out = True
        with self._lock:
            for table in tables_read(definition):
                hit = self._filled.get((table, units))
                if hit is not None and not hit[0]:
                    changes = self.changes_since(hit[1])
                    name = "exchange" if table.startswith("exchange_") else table
                    if changes is not None and not any(c.table in ("*", name) for c in changes
                                                       if c.event_id <= version):
                        out = False
                        continue
                elif hit is not None:
                    continue
                filled = bool(engine.real.has_rows(table, units))
                self._filled[(table, units)] = (filled, version)
                out = out and filled
        return out

    def counts_many(self, engine: Any, definitions: Mapping[str, RegistryDefinition], years: Sequence[int],
                    geography: GeoUnit, version: int) -> dict[str, dict[tuple[str, int], int | float]]:
        from scicity.engine.registry.layout import rollup_pairs
        from scicity.engine.registry.query import rollup_name

        pairs = rollup_pairs(geography)
        tree = rollup_name(geography)
        ys = tuple(int(y) for y in years)
        out: dict[str, dict[tuple[str, int], int | float]] = {}
        with self._lock:
            full: dict[str, RegistryDefinition] = {}
            partial: dict[frozenset[str], dict[str, RegistryDefinition]] = {}
            for ident, d in definitions.items():
                kept = self._kept.get((d.model_dump_json(), ys, tree))
                if kept is None or kept.version > version:
                    full[ident] = d
                    continue
                if kept.version == version:
                    out[ident] = kept.counts
                    continue
                changes = self.changes_since(kept.version)
                touched = [c for c in changes or () if c.event_id <= version and
                           (c.table == "*" or c.table in tables_of(d))]
                if changes is None or any(c.units is None for c in touched) or kept.own is None and touched:
                    full[ident] = d
                    continue
                units = frozenset().union(*(c.units for c in touched if c.units is not None))
                if len(units) > MAX_UNITS:
                    full[ident] = d
                elif not units:
                    kept.version = version
                    out[ident] = kept.counts
                else:
                    partial.setdefault(units, {})[ident] = d
            if full:
                self._count_full(engine, full, ys, geography, pairs, tree, version, out)
            for units, group in partial.items():
                self._count_partial(engine, group, ys, geography, pairs, tree, version, units, out)
            if full or partial:
                self._save()
        return out

    def _count_full(self, engine: Any, definitions: dict[str, RegistryDefinition], years: tuple[int, ...],
                    geography: GeoUnit, pairs: Sequence[tuple[str, str]], tree: str, version: int,
                    out: dict[str, dict[tuple[str, int], int | float]]) -> None:
        from scicity.engine.registry.query import scan_groups

        units = sorted({u for u, _ in pairs})
        rest = {k: d for k, d in definitions.items() if not additive(d)}
        if rest:
            for ident, counts in engine.real.counts_many(rest, list(years), geography).items():
                self._kept[(rest[ident].model_dump_json(), years, tree)] = _Kept(version, counts, None)
                out[ident] = counts
        summed = [(k, d) for k, d in definitions.items() if additive(d)]
        for indices in scan_groups([d for _, d in summed]).values():
            group = [summed[i] for i in indices]
            owns = own_counts(engine.real, [d for _, d in group], years, geography, units)
            for (ident, d), own in zip(group, owns, strict=True):
                counts: dict[tuple[str, int], int | float] = dict(roll_up(own, pairs, years))
                self._kept[(d.model_dump_json(), years, tree)] = _Kept(version, counts, own)
                out[ident] = counts
        self.full_counts += len(definitions)

    def _count_partial(self, engine: Any, definitions: dict[str, RegistryDefinition], years: tuple[int, ...],
                       geography: GeoUnit, pairs: Sequence[tuple[str, str]], tree: str, version: int,
                       units: frozenset[str], out: dict[str, dict[tuple[str, int], int | float]]) -> None:
        from scicity.engine.registry.query import scan_groups

        known = {u for u, _ in pairs}
        at = sorted(units & known)  # rows at units outside the tree count nowhere
        items = list(definitions.items())
        for indices in scan_groups([d for _, d in items]).values():
            group = [items[i] for i in indices]
            owns = own_counts(engine.real, [d for _, d in group], years, geography, at)
            for (ident, d), fresh in zip(group, owns, strict=True):
                kept = self._kept[(d.model_dump_json(), years, tree)]
                assert kept.own is not None
                kept.own.update(fresh)
                kept.counts = dict(roll_up(kept.own, pairs, years))
                kept.version = version
                out[ident] = kept.counts
        self.partial_counts += len(definitions)


class _TallyEngine:
    """What :func:`count_registries` needs of an engine, answered from the tally (opened on first use)."""

    def __init__(self, tally: RegistryTally, version: int) -> None:
        self.tally = tally
        self.version = version
        self._real: Any = None

    @property
    def real(self) -> Any:
        if self._real is None:
            from scicity.engine.registry.connect import connect_store

            self._real = connect_store(self.tally.url)
        return self._real

    @property
    def name(self) -> str:
        from sqlalchemy.engine import make_url

        return "postgres" if make_url(self.tally.url).get_backend_name() == "postgresql" else "sqlite"

    def keeps(self, definition: RegistryDefinition, units: frozenset[str] | None = None) -> bool:
        return self.tally.keeps(self, definition, units, self.version)

    def counts_many(self, definitions: Mapping[str, RegistryDefinition], years: Sequence[int],
                    geography: GeoUnit) -> dict[str, dict[tuple[str, int], int | float]]:
        return self.tally.counts_many(self, definitions, years, geography, self.version)

    def close(self) -> None:
        if self._real is not None:
            self._real.close()
            self._real = None
