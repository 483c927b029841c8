"""Benchmark: the web application on 1,000,000 observations, and datasette on the same SQLite file.

    .venv/bin/python bench/bench_web.py                 # 500 indicators x 200 units x 10 years
    .venv/bin/python bench/bench_web.py --quick         # 50 x 40 x 10 (a smoke run)
    .venv/bin/python -m pip install datasette           # optional, for the comparison (not a scicity dependency)

A synthetic plan (500 indicators, a geography of 1 + 199 units, 2016-2025) is
written and stored; the observations are bulk-inserted with executemany (not
through the importer). Then a real Uvicorn server (one process) serves the app
on 127.0.0.1 and 50 concurrent clients (httpx, async) request, for a bounded
number of requests each:

- the overview page (signed in as a viewer),
- an indicator page,
- the API series endpoint ``/api/v1/indicators/{id}/series?unit=...`` (API token),

and, in the same run, ``datasette`` (one process, if installed) serves the same
file; its JSON for the same rows is
``/scicity/observations.json?indicator=...&unit=...&status=approved&_shape=array``.
Reported: p50/p99 latency and throughput per endpoint, and the ratio of the
API series endpoint to datasette. Goals: overview p99 < 150 ms; the series
endpoint at least as fast as datasette.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scicity.store import Database, PlanRepository, UserRepository, migrate  # noqa: E402
from tests.web.live_server import free_port  # noqa: E402

PASSWORD = "bench-password-123"
SECRET = "bench-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
YEARS = list(range(2016, 2026))


def plan_yaml(n_ind: int, n_units: int) -> str:
    lines = ["id: bench-plan", "name: {en: Benchmark plan, zh: 基准规划}", "period: [2021, 2025]",
             "baseline_year: 2020", "target_year: 2025", "areas:"]
    for a in range(5):
        lines.append(f"  - {{id: area{a}, name: {{en: Area {a}, zh: 领域{a}}}}}")
    lines.append("indicators:")
    for i in range(n_ind):
        lines += [f"  - id: ind{i:03d}", f"    area: area{i % 5}", f"    name: {{en: Indicator {i}, zh: 指标{i}}}",
                  "    measure: things", "    targets:", f"      - {{comparator: '>=', value: {150 + i % 50}}}"]
    lines += ["geography:", "  id: zone", "  name: {en: Zone, zh: 全域}", "  kind: city", "  children:"]
    for u in range(1, n_units):
        lines.append(f"    - {{id: u{u:03d}, name: {{en: Unit {u}, zh: 单元{u}}}, kind: point}}")
    return "\n".join(lines) + "\n"


def build(folder: Path, n_ind: int, n_units: int) -> Path:
    db_file = folder / "scicity.db"
    url = f"sqlite:///{db_file}"
    migrate.upgrade(url)
    db = Database(url)
    PlanRepository(db).save("bench-plan", "Benchmark plan", plan_yaml(n_ind, n_units), actor="bench", make_default=True)
    users = UserRepository(db)
    users.create("viewer", PASSWORD, "viewer", actor="bench")
    _, token = users.create_token("viewer", "bench", actor="bench")
    (folder / "token").write_text(token)
    db.dispose()
    rng = random.Random(7)
    now = datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")
    units = ["zone"] + [f"u{u:03d}" for u in range(1, n_units)]
    started = time.perf_counter()
    con = sqlite3.connect(db_file)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=OFF")
    rows = (
        (f"ind{i:03d}", unit, year, round(100 + (year - 2016) * rng.uniform(2, 8) + rng.gauss(0, 3), 3), "approved",
         "synthetic benchmark data", None, 1, "bench", now, "bench", now, None, None)
        for i in range(n_ind) for unit in units for year in YEARS
    )
    con.executemany(
        "INSERT INTO observations (indicator, unit, period, value, status, source, vintage, revision, created_by, "
        "created_at, approved_by, approved_at, comment, batch_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
    con.commit()
    total = con.execute("SELECT count(*) FROM observations").fetchone()[0]
    con.execute("ANALYZE")
    con.close()
    print(f"loaded {total:,} observations in {time.perf_counter() - started:.1f} s (executemany)")
    return db_file


async def _get(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str, path: str, extra: bytes) -> int:
    """One HTTP/1.1 GET on a kept-alive connection; returns the status (the body is read and dropped)."""
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\n".encode() + extra + b"\r\n")
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    else:  # chunked
        while True:
            size = int((await reader.readline()).strip() or b"0", 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    return status


async def hammer(base: str, paths: list[str], *, clients: int, per_client: int, headers: dict[str, str] | None = None,
                 cookies: httpx.Cookies | None = None) -> dict[str, float]:
    """``clients`` concurrent keep-alive connections, ``per_client`` GETs each (a plain asyncio client:
    httpx itself would be the bottleneck at this rate on a small machine)."""
    latencies: list[float] = []
    errors = 0
    host_port = base.split("//", 1)[1]
    host, port = host_port.split(":")
    # like a browser, accept gzip (the body is counted, not unpacked: unpacking is the browser's cost)
    extra = b"Accept-Encoding: gzip\r\n" + b"".join(f"{k}: {v}\r\n".encode() for k, v in (headers or {}).items())
    if cookies:
        extra += ("Cookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items()) + "\r\n").encode()

    async def worker(k: int) -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection(host, int(port), limit=1 << 22)
        try:
            for j in range(per_client):
                path = paths[(k * per_client + j) % len(paths)]
                t0 = time.perf_counter()
                status = await _get(reader, writer, host_port, path, extra)
                latencies.append(time.perf_counter() - t0)
                if status != 200:
                    errors += 1
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker(k) for k in range(clients)))
    wall = time.perf_counter() - started
    latencies.sort()
    n = len(latencies)
    return {"n": n, "errors": errors, "p50": latencies[n // 2] * 1000, "p99": latencies[min(n - 1, int(n * 0.99))] * 1000,
            "rps": n / wall}


def show(name: str, s: dict[str, float]) -> None:
    print(f"{name:<34} n={s['n']:>5}  p50 {s['p50']:7.1f} ms  p99 {s['p99']:7.1f} ms  {s['rps']:7.0f} req/s"
          f"{'  ERRORS ' + str(int(s['errors'])) if s['errors'] else ''}")


def sign_in(base: str) -> httpx.Cookies:
    with httpx.Client(base_url=base) as c:
        page = c.get("/login").text
        csrf = page.split('name="csrf_token" value="')[1].split('"')[0]
        r = c.post("/login", data={"username": "viewer", "password": PASSWORD, "csrf_token": csrf, "next": "/"})
        assert r.status_code in (200, 303), r.text
        return c.cookies


@contextmanager
def scicity_server(folder: Path):  # noqa: ANN201
    """``uvicorn`` serving the app in its own process (as datasette does), one worker."""
    port = free_port()
    env = {**os.environ, "SCICITY_DATA_DIR": str(folder), "SCICITY_SECRET_KEY": SECRET}
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "--factory", "scicity.web.app:create_app_from_env",
                             "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"], env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                if httpx.get(f"{base}/login", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def start_datasette(db_file: Path) -> tuple[subprocess.Popen | None, str | None]:
    if importlib.util.find_spec("datasette") is None:
        print("datasette is not installed: skipping the comparison (pip install datasette into the venv to add it)")
        return None, None
    port = free_port()
    exe = shutil.which("datasette", path=str(Path(sys.executable).parent)) or "datasette"
    proc = subprocess.Popen([exe, "serve", str(db_file), "--host", "127.0.0.1", "--port", str(port), "-i", str(db_file),
                             "--setting", "max_returned_rows", "1000", "--setting", "sql_time_limit_ms", "10000"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            if httpx.get(f"{base}/-/versions.json", timeout=1).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    print("datasette did not start: skipping the comparison")
    return None, None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="50 indicators x 40 units (smoke run)")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=20, help="requests per client per endpoint")
    parser.add_argument("--keep", type=Path, help="build the database in this folder and keep it (reused when present)")
    args = parser.parse_args()
    n_ind, n_units = (50, 40) if args.quick else (500, 200)
    folder = args.keep or Path(tempfile.mkdtemp(prefix="scicity-bench-web-"))
    try:
        if args.keep and (folder / "scicity.db").exists():
            db_file = folder / "scicity.db"
        else:
            folder.mkdir(parents=True, exist_ok=True)
            db_file = build(folder, n_ind, n_units)
        token = (folder / "token").read_text()
        rng = random.Random(1)
        series = [f"/api/v1/indicators/ind{rng.randrange(n_ind):03d}/series?unit=u{rng.randrange(1, n_units):03d}"
                  for _ in range(200)]
        with scicity_server(folder) as base:
            t0 = time.perf_counter()
            cookies = sign_in(base)
            first = httpx.get(f"{base}/", cookies=cookies, timeout=600)
            assert first.status_code == 200, first.text[:500]
            print(f"first overview (judging {n_ind} targets over all observations, then cached): "
                  f"{time.perf_counter() - t0:.1f} s")
            c, k = args.clients, args.requests
            results = {
                "static file (client ceiling)": asyncio.run(hammer(base, ["/static/app.css"], clients=c, per_client=k)),
                "overview page": asyncio.run(hammer(base, ["/"], clients=c, per_client=k, cookies=cookies)),
                "indicator page": asyncio.run(hammer(base, [f"/indicators/ind{i:03d}" for i in range(0, n_ind, 7)],
                                                     clients=c, per_client=k, cookies=cookies)),
                "API series": asyncio.run(hammer(base, series, clients=c, per_client=k,
                                                 headers={"Authorization": f"Bearer {token}"})),
            }
        for name, s in results.items():
            show(name, s)
        proc, ds = start_datasette(db_file)
        if proc is not None:
            try:
                ds_paths = [f"/scicity/observations.json?indicator={p.split('/')[4]}&unit={p.split('unit=')[1]}"
                            "&status=approved&_shape=array&_sort=period" for p in series]
                asyncio.run(hammer(ds, ds_paths[:10], clients=5, per_client=2))  # warm-up
                d = asyncio.run(hammer(ds, ds_paths, clients=c, per_client=k))
                show("datasette JSON (same rows)", d)
                s = results["API series"]
                print(f"API series vs datasette: throughput x{s['rps'] / d['rps']:.2f}, "
                      f"p50 x{d['p50'] / s['p50']:.2f} faster, p99 x{d['p99'] / s['p99']:.2f} faster")
            finally:
                proc.terminate()
                proc.wait(timeout=10)
        ok = results["overview page"]["p99"] < 150
        print(f"goal overview p99 < 150 ms: {'met' if ok else 'NOT met'} ({results['overview page']['p99']:.1f} ms)")
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    main()
