"""Registry indicators at scale: every registry indicator of the seed plan, 2020–2025, every geography unit.

Synthetic registries (full size: 1,000,000 enterprises with about 1,500,000
certifications over 2016–2025, 2,000,000 patents, 100,000 talent records,
20,000 institutions) are generated with numpy straight to Parquet and into
SQLite (not through the importer). Each backend then recomputes the 14
registry indicators of the seed plan for 2020–2025 and the five units of its
geography, and a straightforward pandas implementation does the same in the
same run; every backend's counts must equal pandas'.

Each (backend, size) runs in a fresh process, so that its peak memory is its
own: peak RSS of the process (VmHWM) and of its children (Spark's JVM), and
for pandas the tracemalloc peak of the Python allocations too.

    python bench/bench_registry.py                       # sizes 10 %, 30 %, 100 %; pandas, sqlite, duckdb, spark
    python bench/bench_registry.py --quick               # sizes 1 %, 3 %, 10 %
    python bench/bench_registry.py --sizes 0.1,1 --backends pandas,duckdb --postgres-url postgresql+psycopg://…
    python bench/bench_registry.py --sizes 1 --backends pandas,sqlite,duckdb --duckdb-threads 0,1   # DuckDB on 2 and 1 threads
    python bench/bench_registry.py --sizes 1 --backends pandas,duckdb --kept-sql    # and a process reading the kept SQL

Goals (issue 4): DuckDB at least 10× faster than pandas; SQLite no slower than 3× pandas.
Goals (issue 14): DuckDB at least 10× pandas and 5× SQLite. Count queries are compiled
once per process (engine.py), so "again" is what every pass after the first costs.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

FULL = {"enterprises": 1_000_000, "certifications": 1_500_000, "patents": 2_000_000, "talent": 100_000, "institutions": 20_000}
BACKENDS = ("pandas", "sqlite", "duckdb", "spark")
YEARS = list(range(2020, 2026))
EPOCH = np.datetime64("1970-01-01", "D")


# -- data -------------------------------------------------------------------------


def _days(rng: np.random.Generator, n: int, first: int, last: int) -> np.ndarray:
    lo = (np.datetime64(f"{first}-01-01", "D") - EPOCH).astype(int)
    hi = (np.datetime64(f"{last}-12-31", "D") - EPOCH).astype(int)
    return rng.integers(lo, hi + 1, n).astype("int32")


def _ends(rng: np.random.Generator, start: np.ndarray, share: float, low: int, high: int) -> np.ndarray:
    """End dates (days) for a share of rows, ``low``–``high`` days after the start; -1 = open."""
    end = start + rng.integers(low, high, len(start)).astype("int32")
    end[rng.random(len(start)) >= share] = -1
    return end


def generate(scale: float, units: list[str], seed: int = 2025) -> dict[str, dict[str, np.ndarray]]:
    """Columns per table (dates as int32 days since 1970, -1 for none)."""
    from scicity.domain.registry_definition import CertificationKind, INSTITUTION_TYPES, LEVELS, PATENT_TYPES, TALENT_TIERS

    rng = np.random.default_rng(seed)
    n = {k: max(10, int(v * scale)) for k, v in FULL.items()}
    unit_arr = np.array(units, dtype=object)
    ent_codes = np.char.add("E", np.arange(n["enterprises"]).astype(str)).astype(object)
    # the certificates the seed plan counts (the cultivation kinds specialised / little_giant are not counted)
    kinds = np.array([k.value for k in (CertificationKind.TECH_SME, CertificationKind.HIGH_TECH, CertificationKind.GAZELLE,
                                        CertificationKind.POTENTIAL_UNICORN, CertificationKind.UNICORN)], dtype=object)
    cert_start = _days(rng, n["certifications"], 2016, 2025)
    cert_kind = kinds[rng.choice(len(kinds), n["certifications"], p=[0.55, 0.3, 0.1, 0.03, 0.02])]
    length = np.where(cert_kind == "high_tech", 3 * 365 - 1, 365)
    cert_end = (cert_start + length).astype("int32")
    cert_end[rng.random(n["certifications"]) < 0.1] = -1
    inst_start = _days(rng, n["institutions"], 2005, 2025)
    talent_start = _days(rng, n["talent"], 2015, 2025)
    pat_start = _days(rng, n["patents"], 2005, 2025)
    return {
        "institutions": {
            "code": np.char.add("I", np.arange(n["institutions"]).astype(str)).astype(object),
            "type": np.array(INSTITUTION_TYPES, dtype=object)[rng.integers(0, len(INSTITUTION_TYPES), n["institutions"])],
            "level": np.array(LEVELS, dtype=object)[rng.integers(0, len(LEVELS), n["institutions"])],
            "unit": unit_arr[rng.integers(0, len(units), n["institutions"])],
            "recognised_on": inst_start,
            "closed_on": _ends(rng, inst_start, 0.15, 200, 6000),
        },
        "enterprises": {
            "credit_code": ent_codes,
            "unit": unit_arr[rng.integers(0, len(units), n["enterprises"])],
            "founded_on": _days(rng, n["enterprises"], 1990, 2025),
            "strategic_emerging": rng.random(n["enterprises"]) < 0.4,
        },
        "certifications": {
            "credit_code": ent_codes[rng.integers(0, n["enterprises"], n["certifications"])],
            "kind": cert_kind,
            "valid_from": cert_start,
            "valid_to": cert_end,
        },
        "talent": {
            "person_id": np.char.add("P", np.arange(n["talent"]).astype(str)).astype(object),
            "tier": np.array(TALENT_TIERS, dtype=object)[rng.choice(4, n["talent"], p=[0.01, 0.09, 0.3, 0.6])],
            "unit": unit_arr[rng.integers(0, len(units), n["talent"])],
            "introduced_on": talent_start,
            "departed_on": _ends(rng, talent_start, 0.2, 100, 3000),
        },
        "patents": {
            "number": np.char.add("ZL", np.arange(n["patents"]).astype(str)).astype(object),
            "type": np.array(PATENT_TYPES, dtype=object)[rng.choice(3, n["patents"], p=[0.4, 0.45, 0.15])],
            "unit": unit_arr[rng.integers(0, len(units), n["patents"])],
            "granted_on": pat_start,
            "lapsed_on": _ends(rng, pat_start, 0.3, 300, 7000),
        },
    }


DATE_COLUMNS = {"recognised_on", "closed_on", "founded_on", "valid_from", "valid_to", "introduced_on", "departed_on", "granted_on", "lapsed_on"}


def write_parquet(data: dict[str, dict[str, np.ndarray]], directory: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from scicity.engine.registry.parquet import with_enterprise_ids

    directory.mkdir(parents=True, exist_ok=True)
    tables = {}
    for table, columns in data.items():
        arrays = {}
        for name, values in columns.items():
            if name in DATE_COLUMNS:
                arrays[name] = pa.array(values, type=pa.int32(), mask=values < 0).cast(pa.date32())
            else:
                arrays[name] = pa.array(values)
        tables[table] = pa.table(arrays)
    for table, arrow in with_enterprise_ids(tables).items():  # the integer keys `scicity engine export-parquet` writes
        pq.write_table(arrow, directory / f"{table}.parquet")


def insert_rows(con: Any, table: str, columns: dict[str, np.ndarray], *, or_ignore: bool = False) -> None:
    """Insert generated columns into an SQLite table (dates as ISO text, negative days as NULL, booleans as 0/1);
    ``or_ignore`` skips rows the table refuses (a random draw may repeat a certificate's key)."""
    names = list(columns)
    cols = []
    for name in names:
        values = columns[name]
        if name in DATE_COLUMNS:
            text = (EPOCH + values.astype("timedelta64[D]")).astype(str).astype(object)
            text[values < 0] = None
            cols.append(text)
        elif values.dtype == bool:
            cols.append(values.astype(int).tolist())
        else:
            cols.append(values.tolist() if values.dtype != object else values)
    verb = "INSERT OR IGNORE" if or_ignore else "INSERT"
    con.executemany(f"{verb} INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})", zip(*cols))


def write_sqlite(data: dict[str, dict[str, np.ndarray]], path: Path) -> None:
    """The registry tables (the engine's columns) filled with executemany; dates as ISO text, as SQLAlchemy stores them."""
    import sqlite3

    from scicity.engine.registry.sample import SAMPLE_TABLES
    from sqlalchemy import create_engine

    path.unlink(missing_ok=True)  # a --work-dir of an earlier run: written again
    engine = create_engine(f"sqlite:///{path}")
    for table in SAMPLE_TABLES.values():
        table.create(engine, checkfirst=True)
    engine.dispose()
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode = OFF")
    con.execute("PRAGMA synchronous = OFF")
    for table, columns in data.items():
        insert_rows(con, table, columns)
        con.commit()
    con.close()


# -- pandas -------------------------------------------------------------------------


def pandas_counts(frames: dict[str, Any], definition: Any, years: list[int], pairs: list[tuple[str, str]]) -> dict[tuple[str, int], int]:
    """The straightforward pandas way: filter, a mask per year, merge the roll-up, nunique per ancestor."""
    import pandas as pd

    from scicity.engine.registry.layout import TABLES

    layout = TABLES[definition.entity]
    spec = definition.spec
    own = frames[layout.table]
    for name, values in definition.conditions():
        own = own[own[name].isin(list(values))]
    kinds = [k.value for k in definition.certifications()]
    if kinds:
        certs = frames["certifications"]
        certs = certs[certs["kind"].isin(kinds)]
        rows = certs.merge(own[["credit_code", "unit"]], on="credit_code")
        key, start, end, inclusive = rows["credit_code"], rows["valid_from"], rows["valid_to"], True
    else:
        rows = own
        key, start = rows[layout.key], rows[spec.start]
        end = rows[spec.end] if spec.end else pd.Series(pd.NaT, index=rows.index)
        inclusive = False
    ancestors = pd.DataFrame(pairs, columns=["unit", "ancestor"])
    frame = pd.DataFrame({"key": key.values, "unit": rows["unit"].values})
    out = {(a, y): 0 for _, a in pairs for y in years}
    for year in years:
        day = pd.Timestamp(year, 12, 31)
        if definition.count.value == "introduced":
            mask = start.dt.year.values == year
        else:
            still = (end >= day) if inclusive else (end > day)
            mask = ((start <= day) & (end.isna() | still)).values
        counted = frame[mask].merge(ancestors, on="unit").groupby("ancestor")["key"].nunique()
        for ancestor, n in counted.items():
            out[(ancestor, year)] = int(n)
    return out


# -- one worker: one backend, one size -------------------------------------------------


def _plan() -> Any:
    from scicity.ingest.plan_file import load_plan_file
    from scicity.plans import default_plan_path

    return load_plan_file(default_plan_path()).plan


def worker(backend: str, data_dir: Path, postgres_url: str | None, duckdb_threads: int | None = None,
           sql_cache: Path | None = None) -> dict[str, Any]:
    import tracemalloc

    from scicity.engine.registry.layout import rollup_pairs

    from scicity.domain.registry_definition import FLOW_ENTITIES

    plan = _plan()
    # the registers' indicators (the exchange flows the plan also counts read the exchange records: not generated)
    definitions = {k: d for k, d in plan.registry_definitions().items() if d.entity not in FLOW_ENTITIES}
    result: dict[str, Any] = {"backend": backend}
    t0 = time.perf_counter()
    counts: dict[str, dict[tuple[str, int], int]] = {}
    if backend == "pandas":
        import pandas as pd

        from scicity.engine.registry.layout import ENTERPRISE_ID

        tracemalloc.start()
        frames = {t: pd.read_parquet(data_dir / f"{t}.parquet") for t in ("institutions", "enterprises", "certifications", "talent", "patents")}
        for name, frame in frames.items():
            if ENTERPRISE_ID in frame.columns:  # the engines' integer key: pandas joins on the credit codes, as it did
                frames[name] = frame = frame.drop(columns=[ENTERPRISE_ID])
            for c in frame.columns:
                if c in DATE_COLUMNS:
                    frame[c] = pd.to_datetime(frame[c])
        result["load_s"] = time.perf_counter() - t0
        t1, c1 = time.perf_counter(), time.process_time()
        pairs = rollup_pairs(plan.geography)
        for ident, d in definitions.items():
            counts[ident] = pandas_counts(frames, d, YEARS, pairs)
        result["compute_s"], result["compute_cpu_s"] = time.perf_counter() - t1, time.process_time() - c1
        t2, c2 = time.perf_counter(), time.process_time()
        for ident, d in definitions.items():
            pandas_counts(frames, d, YEARS, pairs)
        result["warm_s"], result["warm_cpu_s"] = time.perf_counter() - t2, time.process_time() - c2
        result["tracemalloc_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    else:
        from scicity.engine.registry.connect import connect_duckdb, connect_spark, connect_store

        if backend == "sqlite":
            engine = connect_store(f"sqlite:///{data_dir / 'registries.db'}")
        elif backend == "postgres":
            engine = connect_store(postgres_url or "")
        elif backend == "duckdb":
            engine = connect_duckdb(data_dir, threads=duckdb_threads)
            result["threads"] = duckdb_threads or 0
        else:
            engine = connect_spark(data_dir)
        engine.sql_cache = sql_cache  # None: compiled in this process only
        result["load_s"] = time.perf_counter() - t0
        t1, c1 = time.perf_counter(), time.process_time()
        counts = engine.counts_many(definitions, YEARS, plan.geography)  # as `scicity status` does
        result["compute_s"], result["compute_cpu_s"] = time.perf_counter() - t1, time.process_time() - c1
        t2, c2 = time.perf_counter(), time.process_time()
        engine.counts_many(definitions, YEARS, plan.geography)  # again: the SQL compiled once per process
        result["warm_s"], result["warm_cpu_s"] = time.perf_counter() - t2, time.process_time() - c2
        result["children_peak_rss_mb"] = _children_peak_mb()  # Spark's JVM, while it runs
        engine.close()
    result["wall_s"] = time.perf_counter() - t0
    result["peak_rss_mb"] = _own_peak_mb()
    result.setdefault("children_peak_rss_mb", resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
    result["counts"] = {k: sorted([u, y, n] for (u, y), n in v.items()) for k, v in counts.items()}
    return result


def _own_peak_mb() -> float:
    """Peak RSS of this process since it started (VmHWM; ru_maxrss would carry the parent's over fork+exec)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _children_peak_mb() -> float:
    """Peak RSS (VmHWM) of this process's live children, e.g. the JVM PySpark starts (Linux /proc)."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) != os.getpid():
                continue
            for line in (stat.parent / "status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1]) / 1024
        except (OSError, IndexError, ValueError):
            continue
    return total


def load_postgres(data_dir: Path, url: str) -> None:
    import pyarrow.parquet as pq
    from sqlalchemy import create_engine

    from scicity.engine.registry.sample import SAMPLE_TABLES

    engine = create_engine(url)
    for table in SAMPLE_TABLES.values():
        table.drop(engine, checkfirst=True)
        table.create(engine)
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        for name in ("institutions", "enterprises", "certifications", "talent", "patents"):
            t = pq.read_table(data_dir / f"{name}.parquet")
            with cur.copy(f"COPY {name} ({', '.join(t.column_names)}) FROM STDIN") as copy:
                for row in zip(*(c.to_pylist() for c in t.columns)):
                    copy.write_row(row)
        raw.commit()
    finally:
        raw.close()
        engine.dispose()


# -- the run ---------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="0.1,0.3,1", help="fractions of the full size, comma-separated")
    parser.add_argument("--backends", default=",".join(BACKENDS), help="pandas,sqlite,duckdb,spark[,postgres]")
    parser.add_argument("--quick", action="store_true", help="sizes 0.01,0.03,0.1")
    parser.add_argument("--spark-max-size", type=float, default=1.0, help="skip Spark above this fraction")
    parser.add_argument("--postgres-url", default=None, help="also run PostgreSQL (its tables are replaced)")
    parser.add_argument("--work-dir", type=Path, default=None, help="where the data go (default: a temporary directory)")
    parser.add_argument("--json", type=Path, default=None, help="write the results here too")
    parser.add_argument("--duckdb-threads", default="0",
                        help="DuckDB worker threads, comma-separated to run each (0: DuckDB's default, one per core)")
    parser.add_argument("--kept-sql", action="store_true",
                        help="run DuckDB once more in a fresh process that reads the count SQL the first one kept on disk")
    parser.add_argument("--sql-cache", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        res = worker(args.worker, args.data, args.postgres_url, int(args.duckdb_threads) or None, args.sql_cache)
        print(json.dumps(res))
        return
    sizes = [0.01, 0.03, 0.1] if args.quick else [float(s) for s in args.sizes.split(",")]
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    if args.postgres_url and "postgres" not in backends:
        backends.append("postgres")
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    plan = _plan()
    units = [u.id for u in plan.geography.walk()]
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="scicity-bench-") as tmp:
        base = args.work_dir or Path(tmp)
        for size in sizes:
            data_dir = base / f"size-{size:g}"
            t0 = time.perf_counter()
            data = generate(size, units)
            rows = sum(len(next(iter(c.values()))) for c in data.values())
            write_parquet(data, data_dir)
            if "sqlite" in backends:
                write_sqlite(data, data_dir / "registries.db")
            del data
            if args.postgres_url and "postgres" in backends:
                load_postgres(data_dir, args.postgres_url)
            print(f"size {size:g}: {rows:,} rows generated and written in {time.perf_counter() - t0:.1f} s", flush=True)
            reference = None
            runs = [(b, t, kept) for b in backends for t in ([int(x) for x in args.duckdb_threads.split(",")] if b == "duckdb" else [0])
                    for kept in ((False, True) if b == "duckdb" and args.kept_sql else (False,))]
            for backend, threads, kept in runs:
                if backend == "spark" and size > args.spark_max_size:
                    print(f"  {backend:8s} skipped (--spark-max-size {args.spark_max_size:g})", flush=True)
                    continue
                cmd = [sys.executable, __file__, "--worker", backend, "--data", str(data_dir), "--duckdb-threads", str(threads)]
                if args.kept_sql and backend == "duckdb":  # the first run compiles and keeps the SQL, the second reads it
                    cache = data_dir / f"sql-cache-{threads}"
                    if not kept:
                        for old in cache.glob("*.sql"):
                            old.unlink()
                    cmd += ["--sql-cache", str(cache)]
                if args.postgres_url:
                    cmd += ["--postgres-url", args.postgres_url]
                proc = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ})
                if proc.returncode != 0:
                    print(f"  {backend:8s} FAILED:\n{proc.stderr[-2000:]}", flush=True)
                    continue
                res = json.loads(proc.stdout.strip().splitlines()[-1])
                if threads:
                    res["backend"] = f"{backend}-{threads}t"  # e.g. duckdb-1t: DuckDB on one thread
                if kept:
                    res["backend"] += "-kept"  # a fresh process whose first pass reads the SQL kept on disk
                counts = res.pop("counts")
                if reference is None:
                    reference = counts
                res["agrees"] = counts == reference
                res.update(size=size, rows=rows)
                results.append(res)
                extra = f", tracemalloc peak {res['tracemalloc_peak_mb']:.0f} MB" if "tracemalloc_peak_mb" in res else ""
                print(
                    f"  {res['backend']:14s} load {res['load_s']:7.2f} s  compute {res['compute_s']:7.2f} s  (again {res['warm_s']:6.2f} s)  "
                    f"CPU {res['compute_cpu_s']:6.2f} s (again {res['warm_cpu_s']:5.2f} s)  "
                    f"peak RSS {res['peak_rss_mb']:6.0f} MB (children {res['children_peak_rss_mb']:.0f} MB){extra}  "
                    f"{'agrees' if res['agrees'] else 'DIFFERS'}",
                    flush=True,
                )
    summary(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")


def summary(results: list[dict[str, Any]]) -> None:
    """Per size and backend: wall and CPU time (first pass, and again), and the speed-up over pandas and SQLite.

    CPU time is process time (all threads: DuckDB's too), printed because the machine may be shared; the
    ratios are of wall time, then of CPU time.
    """
    print(f"\n1-minute load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print("size  rows        backend        compute s  again s  CPU s  CPU again  × pandas first/again (wall)  "
          "× pandas first/again (CPU)  × pandas load+compute  × sqlite first/again (wall)  × sqlite (CPU)")
    for size in sorted({r["size"] for r in results}):
        here = [r for r in results if r["size"] == size]
        base = {b: next((r for r in here if r["backend"] == b), None) for b in ("pandas", "sqlite")}

        def ratio(b: str, r: dict[str, Any], key: str) -> str:
            other = base[b]
            return f"{other[key] / r[key]:.1f}×" if other and r["backend"] != b and r[key] > 0 else "—"

        for r in here:
            total = (f"{(base['pandas']['compute_s'] + base['pandas']['load_s']) / r['compute_s']:.1f}×"
                     if base["pandas"] and r["backend"] != "pandas" else "—")
            print(
                f"{size:<5g} {r['rows']:<11,} {r['backend']:14s} {r['compute_s']:9.2f} {r['warm_s']:8.2f}"
                f" {r['compute_cpu_s']:6.2f} {r['warm_cpu_s']:10.2f}"
                f"  {ratio('pandas', r, 'compute_s') + ' / ' + ratio('pandas', r, 'warm_s'):>27}"
                f"  {ratio('pandas', r, 'compute_cpu_s') + ' / ' + ratio('pandas', r, 'warm_cpu_s'):>26}"
                f"  {total:>21}"
                f"  {ratio('sqlite', r, 'compute_s') + ' / ' + ratio('sqlite', r, 'warm_s'):>27}"
                f"  {ratio('sqlite', r, 'compute_cpu_s') + ' / ' + ratio('sqlite', r, 'warm_cpu_s'):>14}"
            )


if __name__ == "__main__":
    main()
