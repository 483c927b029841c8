"""Tier evaluation at scale: N enterprises × 6 years (2021–2026) × every tier, DuckDB and SQLite against pandas.

The sample registries (:mod:`scicity.engine.registry.tier_sample`, drawn with
NumPy: seconds per million enterprises) are written once per size to Parquet
and to an SQLite file. Backends:

- ``pandas``: the baseline, fair and straightforward, vectorised
  (bench/tiers_pandas.py: earlier years merged in, every criterion over whole
  NumPy columns);
- ``duckdb``: what the pages run (:func:`scicity.engine.registry.tier_duckdb.run_on`: the SQL of ``tier_sql``,
  compiled once per rule book, in the parent; the compile time is shown apart) on one connection whose tables
  are views over the Parquet files; the outcomes fetched as an Arrow table and counted as pandas' are;
- ``duckdb_ibis``: the Ibis expression of :mod:`scicity.engine.registry.tiers`
  over Parquet (compiled in the run), the result read into pandas;
- ``sqlite``: the same Ibis expression on the SQLite file;
- ``python``: the pure evaluator row by row (the reference; hours at 1,000,000).

All outcomes must agree. Each (backend, size) runs in a fresh process, so that
its peak memory (VmHWM) is its own; wall and CPU seconds are both reported
(the machine may be shared; CPU seconds count every thread).

    python bench/bench_tiers.py                      # 1,000,000 enterprises: sizes 10 %, 30 %, 100 %
    python bench/bench_tiers.py --sizes 1000,3000,10000 --backends pandas,sqlite,duckdb

Goals (issue 10): DuckDB ≥ 10× pandas; cost linear in rows; peak memory reported.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # bench.tiers_pandas

FULL = 1_000_000
BACKENDS = ("pandas", "sqlite", "duckdb")
#: DuckDB's threads (the machine's cores; its CPU seconds count every thread)
THREADS = 2
YEARS = (2021, 2022, 2023, 2024, 2025, 2026)
#: the metrics as a temporary table first, then the tiers over it (scicity.engine.registry.tiers.tier_table_staged)
STAGED = True


def prepare(n: int, folder: Path, sqlite: bool = True) -> None:
    from scicity.engine.registry.tier_sample import tier_arrow, write_tier_parquet, write_tier_sql

    tables = tier_arrow(n, YEARS, seed=3)
    write_tier_parquet(folder / "parquet", tables)
    if sqlite:
        write_tier_sql(f"sqlite:///{folder / 'tiers.db'}", tables)


def run_one(backend: str, folder: Path, cache: Path) -> dict[str, object]:
    from scicity.ingest.tier_rules_file import load_rule_book

    book = load_rule_book()
    _import_all()
    start, cpu = time.perf_counter(), time.process_time()
    compile_s = 0.0
    if backend == "pandas":
        from bench.tiers_pandas import tier_outcomes

        per = tier_outcomes(folder / "parquet", book)
        outcomes = {tier: _counts(col[~np.isnan(col)].astype(int)) for tier, col in per.items()}
    elif backend == "python":
        outcomes = _python(book, folder)
    elif backend == "duckdb":
        outcomes = _duckdb(book, folder, cache)
    else:  # sqlite, duckdb_ibis: the Ibis expression run by the backend, the result read into pandas
        import ibis

        from scicity.engine.registry.connect import connect_duckdb, connect_store
        from scicity.engine.registry.tiers import tier_table, tier_table_staged

        engine = connect_duckdb(folder / "parquet") if backend == "duckdb_ibis" else \
            connect_store(f"sqlite:///{folder / 'tiers.db'}")
        c0 = time.perf_counter()
        expr = tier_table(engine, book)
        sql = ibis.to_sql(expr, dialect="duckdb" if backend == "duckdb" else "sqlite")
        compile_s = time.perf_counter() - c0
        del sql  # compiled once here to time it; execute() compiles the same expression
        df = (tier_table_staged(engine, book) if STAGED else expr).to_pandas()
        engine.close()
        outcomes = {}
        for tier in book.tiers():
            col = df[f"outcome_{tier}"].dropna().astype(int).to_numpy()
            outcomes[tier] = _counts(col)
    seconds, cpu_s = time.perf_counter() - start, time.process_time() - cpu
    return {"backend": backend, "seconds": seconds, "cpu_seconds": cpu_s, "compile_seconds": compile_s,
            "peak_mb": _peak_kb() / 1024, "outcomes": outcomes}


def _import_all() -> None:
    """The libraries of every backend imported before the clock starts, in every run alike (a constant of the
    process, ~1 s CPU for pandas and Ibis together, paid once by the long-running web app)."""
    import duckdb  # noqa: F401
    import pandas  # noqa: F401

    import bench.tiers_pandas  # noqa: F401
    import scicity.engine.registry.tier_duckdb  # noqa: F401


def _duckdb(book, folder: Path, cache: Path) -> dict[str, dict[str, int]]:  # noqa: ANN001
    """What the product runs (:func:`scicity.engine.registry.tiers.run_on`: the SQL of ``tier_sql``, compiled
    once: read from the cache the parent wrote) on one DuckDB connection whose tables are views over the Parquet
    files, the outcomes fetched as an Arrow table (what the pages read) and counted as pandas' are."""
    import duckdb

    from scicity.engine.registry.tier_duckdb import run_on

    con = duckdb.connect(":memory:", config={"threads": THREADS})
    for name in ("enterprises", "enterprise_financials", "certifications"):
        con.execute(f"CREATE VIEW \"{name}\" AS SELECT * FROM read_parquet('{folder / 'parquet' / name}.parquet')")
    table = run_on(con, book, failing=False, cache_dir=cache)
    con.close()
    outcomes = {}
    for tier in book.tiers():
        col = table.column(f"outcome_{tier}").to_numpy(zero_copy_only=False).astype("float64")
        outcomes[tier] = _counts(col[~np.isnan(col)].astype(int))
    return outcomes


def _compile(cache: Path) -> float:
    """Compile the DuckDB SQL of the tier rules once into ``cache`` (wall seconds)."""
    from scicity.engine.registry.tier_duckdb import tier_sql
    from scicity.ingest.tier_rules_file import load_rule_book

    t0 = time.perf_counter()
    tier_sql(load_rule_book(), failing=False, cache_dir=cache)
    return time.perf_counter() - t0


def _counts(codes: np.ndarray) -> dict[str, int]:
    values, n = np.unique(codes, return_counts=True)
    return {str(int(v)): int(k) for v, k in zip(values, n, strict=True)}


def _peak_kb() -> float:
    """This process's peak RSS: VmHWM (reset by exec; ru_maxrss keeps the parent's at fork on Linux)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return float(line.split()[1])
    except OSError:
        pass
    return float(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def _python(book, folder: Path) -> dict[str, dict[str, int]]:  # noqa: ANN001
    """Row by row with the pure evaluator (the reference; very slow at scale)."""
    import pandas as pd

    from scicity.domain.registries import Certification, Financials
    from scicity.domain.tier_eval import evaluate_year
    from scicity.domain.tier_metrics import EnterpriseFacts
    from scicity.engine.registry.tiers import CODES

    code_of = {v: k for k, v in CODES.items()}
    ents = pd.read_parquet(folder / "parquet" / "enterprises.parquet")
    fins = pd.read_parquet(folder / "parquet" / "enterprise_financials.parquet")
    certs = pd.read_parquet(folder / "parquet" / "certifications.parquet")
    fins = fins.astype(object).where(fins.notna(), None)
    by_code = {code: group for code, group in fins.groupby("credit_code", sort=False)}
    cert_of: dict[str, list[Certification]] = {}
    for rec in certs.itertuples(index=False):
        cert_of.setdefault(rec.credit_code, []).append(
            Certification(credit_code=rec.credit_code, kind=rec.kind, valid_from=rec.valid_from, valid_to=rec.valid_to))
    counts: dict[str, dict[str, int]] = {t: {} for t in book.tiers()}
    for e in ents.itertuples(index=False):
        group = by_code.get(e.credit_code)
        if group is None:
            continue
        years = {int(r["year"]): Financials(**{**r, "year": int(r["year"])}) for r in group.to_dict("records")}
        founded = None if pd.isna(e.founded_on) else e.founded_on
        facts = EnterpriseFacts(e.credit_code, founded, years, tuple(cert_of.get(e.credit_code, ())))
        for year in years:
            for r in evaluate_year(book, facts, year):
                c = str(code_of[r.outcome.value])
                counts[r.tier][c] = counts[r.tier].get(c, 0) + 1
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default=f"{FULL // 10},{3 * FULL // 10},{FULL}",
                        help="enterprises per run, comma-separated")
    parser.add_argument("--backends", default=",".join(BACKENDS),
                        help="of pandas (vectorised), sqlite, duckdb (the compiled SQL), duckdb_ibis (the Ibis expression over "
                             "Parquet, the result read into pandas), python (row by row, the reference)")
    parser.add_argument("--timeout", type=float, default=1800.0,
                        help="wall seconds after which a backend's run is stopped and left out")
    parser.add_argument("--one", nargs=3, metavar=("BACKEND", "FOLDER", "CACHE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one[0], Path(args.one[1]), Path(args.one[2]))))
        return
    cache = Path(tempfile.mkdtemp(prefix="scicity-bench-tiers-sql-"))
    try:
        _sizes(args, cache)
    finally:
        shutil.rmtree(cache, ignore_errors=True)


def _sizes(args: argparse.Namespace, cache: Path) -> None:
    results = []
    compile_s = _compile(cache) if "duckdb" in args.backends.split(",") else 0.0
    for n in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory(prefix="scicity-bench-tiers-") as tmp:
            folder = Path(tmp)
            t0 = time.perf_counter()
            prepare(n, folder, sqlite="sqlite" in args.backends.split(","))
            print(f"[{n:,} enterprises × {len(YEARS)} years] data written in {time.perf_counter() - t0:.1f}s",
                  flush=True)
            by_backend = {}
            for backend in args.backends.split(","):
                try:
                    out = subprocess.run([sys.executable, __file__, "--one", backend, str(folder), str(cache)], check=False,
                                         capture_output=True, text=True, timeout=args.timeout)
                except subprocess.TimeoutExpired:
                    print(f"  {backend:11s} did not finish in {args.timeout:.0f}s (wall); left out", flush=True)
                    continue
                if out.returncode != 0:
                    sys.exit(f"{backend} failed:\n{out.stderr}")
                r = json.loads(out.stdout.strip().splitlines()[-1])
                if backend == "duckdb":
                    r["compile_seconds"] = compile_s  # in the parent, apart: the SQL is compiled once per rule book
                by_backend[backend] = r
                print(f"  {backend:11s} wall {r['seconds']:8.2f}s  cpu {r['cpu_seconds']:8.2f}s  (compile "
                      f"{r['compile_seconds']:.2f}s)  peak {r['peak_mb']:7.0f} MB", flush=True)
            outcomes = {b: r["outcomes"] for b, r in by_backend.items()}
            first = next(iter(outcomes.values()))
            agree = all(o == first for o in outcomes.values())
            base = by_backend.get("pandas")
            ratios = {b: base["seconds"] / r["seconds"] for b, r in by_backend.items() if base and b != "pandas"}
            cpu_ratios = {b: base["cpu_seconds"] / r["cpu_seconds"] for b, r in by_backend.items()
                          if base and b != "pandas"}
            print(f"  outcomes agree: {agree}; pandas ÷ backend (wall): "
                  + ", ".join(f"{b} {x:.1f}×" for b, x in ratios.items()) + "; (cpu): "
                  + ", ".join(f"{b} {x:.1f}×" for b, x in cpu_ratios.items()), flush=True)
            results.append({"enterprises": n, "rows": n * len(YEARS), "agree": agree, "ratios": ratios,
                            "cpu_ratios": cpu_ratios,
                            "runs": {b: {k: v for k, v in r.items() if k != "outcomes"} for b, r in by_backend.items()}})
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
