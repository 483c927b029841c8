"""Tier evaluation at scale: N enterprises × 6 years (2021–2026) × every tier, DuckDB and SQLite against pandas.

The sample registries (:mod:`scicity.engine.registry.tier_sample`) are written
once per size to Parquet (DuckDB) and to an SQLite file. Each backend then
evaluates every tier in force for every enterprise and year through the Ibis
query of :mod:`scicity.engine.registry.tiers`. The baseline ``pandas`` is the
fair straightforward one, vectorised (bench/tiers_pandas.py: earlier years
merged in, every criterion over whole NumPy columns); ``python`` applies the
pure evaluator row by row (the reference; hours at 1,000,000). All outcomes
must agree. Each (backend, size) runs in a fresh process, so that its peak
memory (VmHWM) is its own; wall and CPU seconds are both reported (the
machine may be shared), and the Ibis compile time is shown apart (a process
compiles once: the web application keeps the SQL).

    python bench/bench_tiers.py                      # 1,000,000 enterprises: sizes 10 %, 30 %, 100 %
    python bench/bench_tiers.py --sizes 1000,3000,10000 --backends pandas,sqlite,duckdb

Goals (issue 10): DuckDB ≥ 10× pandas; cost linear in rows; peak memory reported.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # bench.tiers_pandas

FULL = 1_000_000
BACKENDS = ("pandas", "sqlite", "duckdb")
YEARS = (2021, 2022, 2023, 2024, 2025, 2026)
#: the metrics as a temporary table first, then the tiers over it (scicity.engine.registry.tiers.tier_table_staged)
STAGED = True


def prepare(n: int, folder: Path, sqlite: bool = True) -> None:
    from scicity.engine.registry.tier_sample import tier_rows, write_tier_parquet, write_tier_sql

    rows = tier_rows(n, YEARS, seed=3)
    write_tier_parquet(folder / "parquet", rows)
    if sqlite:
        write_tier_sql(f"sqlite:///{folder / 'tiers.db'}", rows)


def run_one(backend: str, folder: Path) -> dict[str, object]:
    from scicity.ingest.tier_rules_file import load_rule_book

    book = load_rule_book()
    start, cpu = time.perf_counter(), time.process_time()
    compile_s = 0.0
    if backend == "pandas":
        from bench.tiers_pandas import tier_outcomes

        per = tier_outcomes(folder / "parquet", book)
        outcomes = {tier: _counts(col[~np.isnan(col)].astype(int)) for tier, col in per.items()}
    elif backend == "python":
        outcomes = _python(book, folder)
    else:
        import ibis

        from scicity.engine.registry.connect import connect_duckdb, connect_store
        from scicity.engine.registry.tiers import tier_table, tier_table_staged

        engine = connect_duckdb(folder / "parquet") if backend == "duckdb" else \
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
                        help="of pandas (vectorised), sqlite, duckdb, python (row by row, the reference)")
    parser.add_argument("--one", nargs=2, metavar=("BACKEND", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one[0], Path(args.one[1]))))
        return
    results = []
    for n in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory(prefix="scicity-bench-tiers-") as tmp:
            folder = Path(tmp)
            t0 = time.perf_counter()
            prepare(n, folder, sqlite="sqlite" in args.backends.split(","))
            print(f"[{n:,} enterprises × {len(YEARS)} years] data written in {time.perf_counter() - t0:.1f}s",
                  flush=True)
            by_backend = {}
            for backend in args.backends.split(","):
                out = subprocess.run([sys.executable, __file__, "--one", backend, str(folder)], check=False,
                                     capture_output=True, text=True)
                if out.returncode != 0:
                    sys.exit(f"{backend} failed:\n{out.stderr}")
                r = json.loads(out.stdout.strip().splitlines()[-1])
                by_backend[backend] = r
                print(f"  {backend:7s} wall {r['seconds']:8.2f}s  cpu {r['cpu_seconds']:8.2f}s  (compile "
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
