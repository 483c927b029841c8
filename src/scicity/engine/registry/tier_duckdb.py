"""The tier engine on DuckDB, as the pages run it: the SQL of :mod:`scicity.engine.registry.tiers` compiled once per
rule book and process (and kept on disk), run on one reused in-memory connection over Arrow tables or views.

Two statements joined into one: the metrics (:func:`~.tiers.metric_table` over the tables with integer keys,
:func:`_keyed`), a materialised CTE ``tier_metrics``; then the tiers over them as stages of one query
(:func:`_staged_tiers_sql`), so that no formula is repeated where it is read.
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir

from scicity.domain.tier_rules import Criterion, RuleBook, RuleVersion, Score
from scicity.engine.cache_file import keep_text
from scicity.engine.registry import tiers
from scicity.engine.registry.engine import RegistryEngine
from scicity.engine.registry.tiers import MET, NOT_MET, _Compiler, _in_force, _lit, metric_table, score_totals

_SQL: dict[tuple[str, bool], tuple[str, str]] = {}
_LOCK = threading.Lock()
_DUCK: list[Any] = []  # the process's DuckDB connection, made on first use


def _fingerprint(book: RuleBook) -> str:
    return hashlib.sha256(book.model_dump_json().encode()).hexdigest()


def tier_sql(book: RuleBook, *, failing: bool = True, cache_dir: Path | None = None) -> tuple[str, str]:
    """The DuckDB SQL of :func:`tier_table` over the tables of :func:`~.tier_sample.arrow_schemas`, in two
    statements — the metrics (:func:`metric_table`, made a temporary table ``tier_metrics``), then the tiers over
    them (:func:`tiers_over`; one statement would repeat every metric's formula in every criterion using it) —
    compiled once per rule book and process (compiling takes longer than running them on a zone's
    registries); with ``cache_dir``, also kept in a file named by the rules, this module's code and the Ibis
    version."""
    from scicity.engine.registry.tier_sample import arrow_schemas

    key = (_fingerprint(book), failing)
    with _LOCK:
        found = _SQL.get(key)
    if found is not None:
        return found
    file = None
    if cache_dir is not None:
        code = [Path(f).read_text(encoding="utf-8") for f in (__file__, tiers.__file__)]
        stamp = hashlib.sha256("|".join([key[0], str(failing), ibis.__version__, *code]).encode()).hexdigest()[:32]
        file = cache_dir / f"tier-sql-{stamp}.sql"
        try:
            first, sep, second = file.read_text(encoding="utf-8").partition(SPLIT)
        except OSError:
            first, sep, second = "", "", ""
        if sep and first and second:
            with _LOCK:
                _SQL[key] = (first, second)
            return first, second
    tables = {}
    for name, schema in arrow_schemas().items():  # the tables with integer keys (see _keyed)
        columns = dict(ibis.Schema.from_pyarrow(schema).items())
        tables[name] = ibis.table(ibis.schema({**columns, "credit_code": "int64"}), name=f"keyed_{name}")
    engine = RegistryEngine(None, "duckdb", tables)  # type: ignore[arg-type]  # unbound tables: compiled, not run
    metrics = metric_table(engine, book)
    sql = (_keyed(str(ibis.to_sql(metrics, dialect="duckdb"))), _staged_tiers_sql(metrics.schema(), book, failing=failing))
    with _LOCK:
        _SQL[key] = sql
    if file is not None:
        keep_text(file, sql[0] + SPLIT + sql[1])
    return sql


SPLIT = "\n;\n-- tiers over tier_metrics\n"


def _keyed(metrics_sql: str) -> str:
    """The metrics' SQL (compiled over ``keyed_<table>``) over the tables themselves: each credit code made an
    integer once (numbered over the codes of ``enterprise_financials``), the figures read once into a
    materialised CTE, so that the self-joins for the earlier years, the founding date and the certificates join on
    integers (hash joins on 18-character text cost about twice as much); the codes put back at the end."""
    def keyed(name: str, alias: str, join: str = "JOIN") -> str:
        return (f'"keyed_{name}" AS {{m}}(SELECT tier_codes.k AS credit_code, {alias}.* EXCLUDE (credit_code) '
                f'FROM "{name}" AS {alias} {join} tier_codes ON {alias}.credit_code = tier_codes.code)')

    return ("WITH tier_codes AS MATERIALIZED (SELECT credit_code AS code, CAST(row_number() OVER () AS BIGINT) AS k "
            "FROM (SELECT DISTINCT credit_code FROM enterprise_financials)),\n"
            + keyed("enterprise_financials", "f").format(m="MATERIALIZED ") + ",\n"
            + keyed("enterprises", "e").format(m="") + ",\n"
            + keyed("certifications", "c").format(m="") + "\n"
            + "SELECT tier_codes.code AS credit_code, keyed_metrics.* EXCLUDE (credit_code) "
            + f"FROM ({metrics_sql}) AS keyed_metrics JOIN tier_codes ON keyed_metrics.credit_code = tier_codes.k")

def _staged_tiers_sql(metrics: Any, book: RuleBook, *, failing: bool) -> str:
    """:func:`tiers_over` over the table ``tier_metrics`` as one DuckDB query of stages (common table
    expressions), each compiled apart: a tier's outcome (and failing count) over the stage before, then what it
    means for the tiers that name it as prerequisite. Compiled as one Ibis expression, the selects merge and
    every reference repeats a whole formula — a tier's outcome in its ``as_held_`` column and in every later tier
    naming it, each criterion again in the failing count — about twice the expressions per row."""
    stages: list[tuple[str, str]] = []
    t = ibis.table(metrics, name="tier_metrics")

    def stage(expr: ir.Table) -> ir.Table:
        name = f"tier_stage_{len(stages)}"
        stages.append((name, str(ibis.to_sql(expr, dialect="duckdb"))))
        return ibis.table(expr.schema(), name=name)

    # the scores first: each part's points, then the totals, as columns (a total is read several times)
    used: dict[int, Score] = {}

    def walk(c: Criterion, v: RuleVersion) -> None:
        if c.kind == "score":
            score = v.scores[c.score or ""]
            used.setdefault(id(score), score)
        for child in c.children():
            walk(child, v)

    for v in book.versions:
        for c in [*v.criteria, *v.routes]:
            walk(c, v)
    parts: dict[int, list[tuple[str, str, str, bool]]] = {}
    if used:
        new_parts: dict[str, ir.Value] = {}
        for n, (key, score) in enumerate(used.items()):
            names = []
            for j, (low, high, missing, must) in enumerate(_Compiler(t, {}).part_values(score)):
                name = f"score_{n}_part_{j}"
                new_parts.update({f"{name}_low": low, f"{name}_high": high, f"{name}_missing": missing})
                names.append((f"{name}_low", f"{name}_high", f"{name}_missing", must))
            parts[key] = names
        t = stage(t.mutate(**new_parts))
    scores: dict[int, tuple[str, str, str, str, str]] = {}
    if used:
        totals: dict[str, ir.Value] = {}
        for n, key in enumerate(used):
            names5 = tuple(f"score_{n}_{what}" for what in ("low", "high", "missing", "must_zero", "must_low_zero"))
            totals.update(zip(names5, score_totals([(t[lo], t[hi], t[miss], must) for lo, hi, miss, must in parts[key]]),
                              strict=True))
            scores[key] = names5  # type: ignore[assignment]
        t = stage(t.mutate(**totals))
    done: list[str] = []
    columns: dict[str, str] = {}
    for tier in book.tiers():
        outcome, count = _in_force(t, _Compiler(t, {name: t[f"as_held_{name}"] for name in done}, scores), book, tier,
                                   failing=failing)
        new: dict[str, ir.Value] = {f"outcome_{tier}": outcome}
        if count is not None:
            new[f"failing_{tier}"] = count
        t = stage(t.mutate(**new))
        t = stage(t.mutate(**{f"as_held_{tier}": ibis.cases((t[f"held_{tier}"] == 1, _lit(MET)),
                                                          else_=t[f"outcome_{tier}"].fill_null(_lit(NOT_MET)))}))
        done.append(tier)
        columns[f"outcome_{tier}"] = f"outcome_{tier}"
        columns[f"certified_{tier}"] = f"held_{tier}"
        if failing:
            columns[f"failing_{tier}"] = f"failing_{tier}"
    final = str(ibis.to_sql(t.select("credit_code", "year", **{k: t[v] for k, v in columns.items()}), dialect="duckdb"))
    return "WITH " + ",\n".join(f'"{name}" AS ({sql})' for name, sql in stages) + "\n" + final



def run_in_memory(book: RuleBook, tables: dict[str, Any], *, failing: bool = True,
                  cache_dir: Path | None = None) -> Any:
    """:func:`tier_table` (with ``failing_<tier>``) over Arrow tables, on the process's DuckDB connection: an
    Arrow table of one row per (credit_code, year)."""
    import duckdb

    sql = tier_sql(book, failing=failing, cache_dir=cache_dir)  # outside the lock, which tier_sql takes
    with _LOCK:
        if not _DUCK:
            _DUCK.append(duckdb.connect(":memory:", config={"threads": 2}))
        con = _DUCK[0]
        for name, table in tables.items():
            con.register(name, table)
        try:
            return _run(con, sql)
        finally:
            for name in tables:
                con.unregister(name)


def run_on(con: Any, book: RuleBook, *, failing: bool = True, cache_dir: Path | None = None) -> Any:
    """:func:`tier_sql` run on a DuckDB connection whose ``enterprises``, ``enterprise_financials`` and
    ``certifications`` are tables or views: an Arrow table of one row per (credit_code, year)."""
    return _run(con, tier_sql(book, failing=failing, cache_dir=cache_dir))


def _run(con: Any, sql: tuple[str, str]) -> Any:
    # one statement: the metrics a materialised CTE, computed once and read by every criterion
    return con.sql(f"WITH tier_metrics AS MATERIALIZED ({sql[0]}) SELECT * FROM ({sql[1]})").to_arrow_table()
