"""One engine over any backend: counts per (unit, year) and the entities behind a count.

Building an Ibis expression and compiling it to SQL costs more than DuckDB
takes to run it, so each count query is compiled once per process: the SQL of
a scan group (its definitions, years, geography and backend kind) is kept in
:data:`_COMPILED` and later runs — on this engine or on another one of the same
kind opened later in the process — send the SQL straight to the connection
(Spark, whose Ibis backend has no DB-API cursor, runs the kept expression).
The first run sends the compiled SQL too (one compilation, not one to run and
one to keep). The SQL names the roll-up pairs' table (one per tree), which
each connection makes once as a temporary table from plain SQL: no Arrow
table and no Ibis registration on the way.
Whether a registry is kept asks ``SELECT EXISTS (…)`` of the connection (SQL backends; Spark reads one row with
``LIMIT 1``), not a count. With :attr:`RegistryEngine.sql_cache` set (a directory), the kept SQL is also
written there and read by later processes, so a fresh process's first count does not build and compile its
queries again (about 0.4 s of CPU for the seed plan; the files are named by everything the SQL depends on).
"""

from __future__ import annotations

import functools
import hashlib
import threading
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import ibis.expr.types as ir
from ibis.backends import BaseBackend

from scicity.domain.plan import GeoUnit
from scicity.domain.registry_definition import CountKind, RegistryDefinition
from scicity.engine.cache_file import keep_text
from scicity.engine.registry.layout import (
    CERTIFICATION_COLUMNS,
    CERTIFICATIONS,
    FLOW_TABLES,
    NO_UNIT_TABLES,
    TABLES,
    rollup_pairs,
    subtree,
    tables_read,
)
from scicity.engine.registry.query import counts_expr, enterprise_key, flag_column, members_expr, rollup_by_name, rollup_name, rollup_sql, scan_groups


#: backends whose Ibis compiler has BIT_OR (not SQLite; not Ibis 12's PySpark compiler)
BIT_OR_BACKENDS = frozenset({"duckdb", "postgres"})
#: backends run by sending kept SQL to their DB-API connection
SQL_BACKENDS = frozenset({"duckdb", "sqlite", "postgres"})


@dataclass(frozen=True)
class _Compiled:
    expr: ir.Table | None  # what Spark runs (the SQL backends run ``sql``; None: SQL read from the disk cache)
    sql: str


#: (backend kind, scan group, years, geography, bitwise) -> the query, compiled once per process
_COMPILED: dict[Hashable, _Compiled] = {}
_COMPILED_LOCK = threading.Lock()


@functools.lru_cache(maxsize=1)
def _sources_stamp() -> str:
    """The Ibis version and the text of the modules that build the count queries (read once per process)."""
    import ibis

    here = Path(__file__).parent
    texts = [(here / f"{m}.py").read_text(encoding="utf-8") for m in ("engine", "query", "flows", "layout")]
    return hashlib.sha256("|".join([ibis.__version__, *texts]).encode()).hexdigest()


def _tables_of(group: Sequence[RegistryDefinition]) -> set[str]:
    """Every table a scan group's query reads (exchange entities: all of theirs, not only those that must hold rows)."""
    out: set[str] = set()
    for d in group:
        out.update(FLOW_TABLES.get(d.entity, ()) or tables_read(d))
        if d.certifications():
            out.add("enterprises")
    return out


@dataclass(frozen=True)
class Member:
    """One entity behind a count: its columns (key first) and, for certified enterprises, the certificates that count."""

    key: str
    fields: dict[str, Any]
    certifications: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class Members:
    """A page of the entities behind a count, with their total."""

    definition: RegistryDefinition
    year: int
    unit: str
    total: int
    rows: tuple[Member, ...]
    offset: int = 0
    columns: tuple[str, ...] = field(default=())


class RegistryEngine:
    """Registry definitions run on one Ibis backend.

    ``tables`` maps table names to Ibis tables when they were registered
    (Parquet files); otherwise tables are looked up in the backend (the
    store's own database).
    """

    def __init__(
        self,
        backend: BaseBackend,
        name: str,
        tables: Mapping[str, ir.Table] | None = None,
        on_close: Callable[[], None] | None = None,
    ) -> None:
        self.backend = backend
        self.name = name
        self._tables = dict(tables) if tables is not None else None
        self._on_close = on_close
        self._present: set[str] | None = None
        self._sizes: dict[tuple[str, frozenset[str] | None], int] = {}
        self._filled: dict[tuple[str, frozenset[str] | None], bool] = {}
        self._rollups: set[str] = set()  # roll-up tables made on this connection (SQL backends)
        self._enterprise_key: str | None = None  # the column certificates join enterprises on (query.enterprise_key)
        #: a directory where compiled count SQL is kept for later processes (SQL backends; None: this process only)
        self.sql_cache: Path | None = None

    def __repr__(self) -> str:
        return f"RegistryEngine({self.name!r})"

    # -- tables -----------------------------------------------------------------
    def table(self, name: str) -> ir.Table:
        if self._tables is not None:
            return self._tables[name]
        return self.backend.table(name)

    def has_table(self, name: str) -> bool:
        if self._present is None:
            self._present = set(self._tables) if self._tables is not None else set(self.backend.list_tables())
        return name in self._present

    def rows_in(self, name: str, units: frozenset[str] | None = None) -> int:
        """Rows of a registry table (0 when it does not exist); with ``units``, rows at those units only.

        Certificates have no unit of their own: with ``units`` they are those
        of enterprises at the units.
        """
        key = (name, units)
        if key not in self._sizes:
            if not self.has_table(name):
                self._sizes[key] = 0
            elif units is None or name in NO_UNIT_TABLES:
                self._sizes[key] = int(self.table(name).count().execute())
            elif name == CERTIFICATIONS:
                certs, ents = self.table(name), self.table("enterprises")
                at = ents.filter(ents.unit.isin(sorted(units)))
                self._sizes[key] = int(certs.join(at, certs.credit_code == at.credit_code).count().execute())
            else:
                t = self.table(name)
                self._sizes[key] = int(t.filter(t.unit.isin(sorted(units))).count().execute())
        return self._sizes[key]

    def has_rows(self, name: str, units: frozenset[str] | None = None) -> bool:
        """Whether a registry table holds any row (at ``units``, when given): one row read, not a count."""
        key = (name, units)
        if key not in self._filled:
            if not self.has_table(name):
                self._filled[key] = False
            elif key in self._sizes:
                self._filled[key] = self._sizes[key] > 0
            elif self.name in SQL_BACKENDS:
                self._filled[key] = self._exists(name, None if name in NO_UNIT_TABLES else units)
            else:
                t = self.table(name)
                if units is None or name in NO_UNIT_TABLES:
                    pass
                elif name == CERTIFICATIONS:
                    ents = self.table("enterprises")
                    at = ents.filter(ents.unit.isin(sorted(units)))
                    t = t.join(at, t.credit_code == at.credit_code).select(t.credit_code)
                else:
                    t = t.filter(t.unit.isin(sorted(units)))
                self._filled[key] = t.limit(1).to_pyarrow().num_rows > 0
        return self._filled[key]

    def _exists(self, name: str, units: frozenset[str] | None) -> bool:
        """``SELECT EXISTS (…)`` on the connection: the database stops at the first row (no Ibis compile, no Arrow)."""

        def text(value: str) -> str:
            return "'" + value.replace("'", "''") + "'"

        if units is not None and not units:
            return False
        at = f" IN ({', '.join(text(u) for u in sorted(units))})" if units else ""
        if units is None:
            inner = f'SELECT 1 FROM "{name}"'
        elif name == CERTIFICATIONS:
            inner = f'SELECT 1 FROM "{name}" AS c JOIN "enterprises" AS e ON c."credit_code" = e."credit_code" WHERE e."unit"{at}'
        else:
            inner = f'SELECT 1 FROM "{name}" WHERE "unit"{at}'
        cursor = self.backend.raw_sql(f"SELECT EXISTS ({inner})")
        try:
            row = cursor.fetchall()[0]  # all (one row): DuckDB refuses other work on an unfinished result
        finally:
            if self.name != "duckdb":  # DuckDB's raw_sql hands back the connection itself
                cursor.close()
        return bool(row[0])

    def keeps(self, definition: RegistryDefinition, units: frozenset[str] | None = None) -> bool:
        """True when every table the definition reads holds rows (at ``units``, when given): the registry is kept."""
        return all(self.has_rows(t, units) for t in tables_read(definition))

    # -- counts -----------------------------------------------------------------
    def counts(
        self, definition: RegistryDefinition, years: Sequence[int], geography: GeoUnit
    ) -> dict[tuple[str, int], int | float]:
        """Distinct entities (or, with ``sum``, the total of a field) per (unit, year) for every unit of the tree
        (rolled up), zeros included."""
        return self.counts_many({"_": definition}, years, geography)["_"]

    def counts_many(
        self, definitions: Mapping[str, RegistryDefinition], years: Sequence[int], geography: GeoUnit
    ) -> dict[str, dict[tuple[str, int], int | float]]:
        """Counts of several definitions, one query per registry scan (definitions on one registry share it);
        sums (``sum: FIELD``) are floats."""
        units = {unit for unit, _ in rollup_pairs(geography)}
        names = list(definitions)
        zero = {n: (0.0 if definitions[n].sum is not None else 0) for n in names}
        out: dict[str, dict[tuple[str, int], int | float]] = {
            n: {(u, int(y)): zero[n] for u in units for y in years} for n in names
        }
        if not years:
            return out
        for indices in scan_groups([definitions[n] for n in names]).values():
            group = [definitions[names[i]] for i in indices]
            result = self._run_counts(group, years, geography)
            for row in result:
                for j, i in enumerate(indices):
                    cast = float if group[j].sum is not None else int
                    for y in years:
                        out[names[i]][(str(row["unit"]), int(y))] = cast(row[flag_column(j, y)] or 0)
        return out

    def _run_counts(self, group: Sequence[RegistryDefinition], years: Sequence[int], geography: GeoUnit) -> list[dict[str, Any]]:
        """The rows of one scan group's count query, compiled on the first call in the process (once: the SQL
        that runs is the SQL kept)."""
        bitwise = self.name in BIT_OR_BACKENDS
        if any(d.certifications() for d in group):  # the SQL joins on enterprise_id where the tables have it
            if self._enterprise_key is None:
                self._enterprise_key = enterprise_key(self.table)
            joins_on = self._enterprise_key
        else:
            joins_on = ""
        key = (self.name, tuple(d.model_dump_json() for d in group), tuple(int(y) for y in years), geography, bitwise, joins_on)
        with _COMPILED_LOCK:
            compiled = _COMPILED.get(key)
        sql_backend = self.name in SQL_BACKENDS
        file = self._sql_file(key, group) if compiled is None and sql_backend and self.sql_cache is not None else None
        if compiled is None and file is not None:
            try:
                kept = file.read_text(encoding="utf-8")
            except OSError:
                kept = ""
            if kept:
                with _COMPILED_LOCK:
                    compiled = _COMPILED.setdefault(key, _Compiled(None, kept))
        if compiled is None:
            expr = counts_expr(self.table, group, years, geography, bitwise=bitwise,
                               **({"rollup": rollup_by_name} if sql_backend else {}))
            sql = str(self.backend.compile(expr)) if sql_backend else ""
            with _COMPILED_LOCK:
                compiled = _COMPILED.setdefault(key, _Compiled(expr, sql))
            if file is not None:
                keep_text(file, sql)
        if self.name not in SQL_BACKENDS:
            assert compiled.expr is not None
            return compiled.expr.to_pyarrow().to_pylist()
        name = rollup_name(geography)
        if name not in self._rollups:  # the roll-up pairs the SQL joins, as a temporary table of this connection
            self._execute(rollup_sql(geography))
            self._rollups.add(name)
        cursor = self.backend.raw_sql(compiled.sql)
        try:
            columns = [d[0] for d in cursor.description]
            return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
        finally:
            if self.name != "duckdb":  # DuckDB's raw_sql hands back the connection itself
                cursor.close()

    def _sql_file(self, key: Hashable, group: Sequence[RegistryDefinition]) -> Path | None:
        """Where the SQL of ``key`` is kept between processes: named by the key, the columns of the tables it
        reads, the Ibis version and the source of the modules that build it (any change: another file)."""
        assert self.sql_cache is not None
        try:
            schemas = [(t, repr(self.table(t).schema())) for t in sorted(_tables_of(group)) if self.has_table(t)]
        except Exception:  # noqa: BLE001 - a table that cannot be read: compile in this process only
            return None
        text = "|".join([repr(key), repr(schemas), _sources_stamp()])
        return self.sql_cache / f"registry-sql-{hashlib.sha256(text.encode()).hexdigest()[:32]}.sql"

    def _execute(self, sql: str) -> None:
        cursor = self.backend.raw_sql(sql)
        if self.name != "duckdb":  # DuckDB's raw_sql hands back the connection itself
            cursor.close()

    def members(
        self,
        definition: RegistryDefinition,
        year: int,
        unit: str,
        geography: GeoUnit,
        *,
        limit: int = 50,
        offset: int = 0,
    ) -> Members:
        """The entities behind the count of ``year`` at ``unit`` (its subtree), ordered by key, one page."""
        layout = TABLES[definition.entity]
        rows_ = members_expr(self.table, definition, year, subtree(geography, unit), geography.id)
        # group_by, not distinct(): Ibis 12 pushes distinct() below the projection (DISTINCT over every column)
        keys = rows_.group_by("key").aggregate(rows=rows_.key.count()).select("key")
        total = int(keys.count().execute())
        ordered = keys.order_by("key")
        if self.name == "spark":  # Ibis 12 on PySpark fails on OFFSET (a row_number column leaks): slice here
            found_keys = ordered.limit(offset + limit).to_pyarrow().to_pylist()[offset:]
        else:
            found_keys = ordered.limit(limit, offset=offset).to_pyarrow().to_pylist()
        page = [str(r["key"]) for r in found_keys]
        rows: list[Member] = []
        if page:
            own = self.table(layout.table)
            found = own.filter(own[layout.key].isin(page)).select(*layout.columns).to_pyarrow().to_pylist()
            by_key = {str(r[layout.key]): r for r in found}
            certs: dict[str, list[dict[str, Any]]] = {}
            kinds = [k.value for k in definition.certifications()]
            if kinds:
                c = self.table(CERTIFICATIONS)
                expr = c.filter(c.credit_code.isin(page) & c.kind.isin(kinds)).select("credit_code", *CERTIFICATION_COLUMNS)
                for r in expr.to_pyarrow().to_pylist():
                    if _counts_in(definition, r["valid_from"], r["valid_to"], year):
                        certs.setdefault(str(r.pop("credit_code")), []).append(r)
            for key in page:
                listed = tuple(sorted(certs.get(key, []), key=lambda r: (r["valid_from"], r["kind"])))
                rows.append(Member(key, by_key.get(key, {layout.key: key}), listed))
        return Members(definition, year, unit, total, tuple(rows), offset, layout.columns)

    def close(self) -> None:
        if self._on_close is not None:
            self._on_close()
            self._on_close = None


def _counts_in(definition: RegistryDefinition, start: date, end: date | None, year: int) -> bool:
    """A certificate that makes the enterprise count for ``year`` (the one shown in a drill-through)."""
    day = date(year, 12, 31)
    if definition.count is CountKind.INTRODUCED:
        return start.year == year
    return start <= day and (end is None or end >= day)
