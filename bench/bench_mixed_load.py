"""Benchmark: the overview under a mixed load — 50 readers, 1 writer approving a value every second, registry imports.

    .venv/bin/python bench/bench_mixed_load.py                      # 1,000,000 observations; registries at 10 % (~460,000 rows)
    .venv/bin/python bench/bench_mixed_load.py --registry-scale 1   # registries at full size (~4,620,000 rows)
    .venv/bin/python bench/bench_mixed_load.py --quick              # 50 x 40 x 10 observations, registries at 1 % (a smoke run)
    .venv/bin/python bench/bench_mixed_load.py --think 0            # readers as fast as they can (capacity, not users)

What it models. The database of ``bench/bench_web.py`` (a synthetic plan of
500 indicators over 200 units and 2016–2025, observations bulk-inserted), plus
four registry-defined indicators (all enterprises, high-tech enterprises,
invention patents, institutions) over registries generated as in
``bench/bench_registry.py`` and bulk-inserted into the store's own tables; one
Uvicorn process serves it. The 50 readers are *users*: each signed-in viewer
asks for the overview, reads it for a uniformly random 1–2 s (``--think``) and
asks again (about 33 requests a second in all) — an open, paced load, so a
latency is one user's wait, not a queue the benchmark builds itself. (With
``--think 0`` the readers are 50 loops asking as fast as they can: the
latencies are then queueing — 50 / throughput — and the throughput is what
the server gets of a core.) Two phases, the readers running throughout:

1. *approvals* (``--seconds``): a writer in another process (this one, through
   its own engine: the server learns of writes only from the audit log)
   submits and approves a new value of one of the plan's indicators every
   second; a watcher asks for the overview after each approval until the new
   value is on it (goal: within 1 s);
2. *registry imports* (``--imports``): the writer imports 1,000 new enterprises
   through the registry repository (one transaction, one audit event, as the
   importer does), and the watcher asks until the overview shows the
   enterprise count 1,000 higher (goal: within 2 s at ~4.6 M registry rows).

Then the server is restarted and its first overview timed (the registry
counts come back from the tally kept on disk). Reported per phase: overview p50/p99 (goal: p99 < 150 ms throughout) and the
times to visibility; the server's resident memory (VmRSS, VmHWM), its CPU
time per overview (user + system, from /proc: the figure the load of others
does not change) and the load average of the machine. The datasette
comparison (same SQLite file, series endpoint) is in bench_web.py.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_registry import generate, insert_rows  # noqa: E402
from bench_web import SECRET, _get, build, plan_yaml, sign_in  # noqa: E402

from scicity.domain.credit_code import make_credit_code  # noqa: E402
from scicity.domain.observation import Observation, ObservationKey, ObservationStatus  # noqa: E402
from scicity.domain.registries import Enterprise, RegistryKind  # noqa: E402
from scicity.i18n import fmt_number  # noqa: E402
from scicity.store import Database, ObservationRepository, PlanRepository  # noqa: E402
from scicity.store.registries import RegistryRepository  # noqa: E402
from tests.web.live_server import free_port  # noqa: E402

#: the registry-defined indicators added to the bench plan; ``reg000`` (every enterprise) is what an import moves
REGISTRY_INDICATORS = (
    ("reg000", "Enterprises", "{entity: enterprises, count: valid}"),
    ("reg001", "High-tech enterprises", "{entity: enterprises, count: valid, certification: high_tech}"),
    ("reg002", "Valid invention patents", "{entity: patents, count: valid, where: {type: invention}}"),
    ("reg003", "Municipal-level R&D institutions", "{entity: institutions, count: valid, where: {level: municipal}}"),
)


@contextmanager
def server(folder: Path):  # noqa: ANN201
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
        yield base, proc.pid
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def memory(pid: int) -> dict[str, int]:
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            out[name] = int(value.split()[0]) // 1024
    return out


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (what it cost, whatever else loads the machine)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * q))] if values else float("nan")


def registry_plan(n_ind: int, n_units: int) -> str:
    """The bench plan with the registry-defined indicators (in area 0, targets at the root)."""
    lines = [plan_yaml(n_ind, n_units).split("geography:", 1)[0].rstrip("\n")]
    for ident, name, registry in REGISTRY_INDICATORS:
        lines += [f"  - id: {ident}", "    area: area0", f"    name: {{en: {name}, zh: 登记{ident}}}",
                  "    measure: things", "    decimals: 0", f"    registry: {registry}", "    targets:",
                  "      - {comparator: '>=', value: 1000000}"]
    return "\n".join(lines) + "\ngeography:" + plan_yaml(n_ind, n_units).split("geography:", 1)[1]


def fill_registries(db_file: Path, scale: float, units: list[str]) -> int:
    """Registries of ``bench_registry.generate(scale)`` bulk-inserted into the store's tables; returns rows."""
    data = generate(scale, units)
    con = sqlite3.connect(db_file)
    con.execute("PRAGMA synchronous=OFF")
    total = 0
    for table, columns in data.items():
        # OR IGNORE: a random draw may repeat a certificate (same enterprise, kind and start), which the table refuses
        insert_rows(con, table, columns, or_ignore=True)
        total += con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    con.commit()
    con.execute("ANALYZE")
    con.close()
    return total


def _fill(folder: Path, n_ind: int, n_units: int, scale: float) -> int:
    """The bench database in ``folder``: observations, the plan with its registry indicators, registries."""
    db_file = build(folder, n_ind, n_units)
    db = Database(f"sqlite:///{db_file}")
    PlanRepository(db).save("bench-plan", "Benchmark plan", registry_plan(n_ind, n_units), actor="bench",
                            make_default=True)
    db.dispose()
    t0 = time.perf_counter()
    units = ["zone"] + [f"u{u:03d}" for u in range(1, n_units)]
    rows = fill_registries(db_file, scale, units)
    print(f"loaded {rows:,} registry rows in {time.perf_counter() - t0:.1f} s (executemany)")
    return rows


def _registry_rows(db_file: Path) -> int:
    con = sqlite3.connect(db_file)
    try:
        return sum(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                   for t in ("institutions", "enterprises", "certifications", "talent", "patents"))
    finally:
        con.close()


def enterprises_at(db_file: Path, year: int) -> int:
    """What ``reg000`` shows at the root for ``year``: enterprises founded by its 31 December."""
    con = sqlite3.connect(db_file)
    try:
        return con.execute("SELECT count(*) FROM enterprises WHERE founded_on <= ?", (f"{year}-12-31",)).fetchone()[0]
    finally:
        con.close()


class Readers:
    """``clients`` signed-in users asking for the overview, each pausing ``think`` seconds (uniform) in between."""

    def __init__(self, base: str, cookies: httpx.Cookies, clients: int, think: tuple[float, float]) -> None:
        self.host_port = base.split("//", 1)[1]
        self.extra = b"Accept-Encoding: gzip\r\n" + (
            "Cookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items()) + "\r\n").encode()
        self.clients, self.think = clients, think
        self.samples: list[tuple[float, float]] = []  # (start, seconds)
        self.errors = 0
        self.stopped = False

    async def user(self, k: int) -> None:
        host, port = self.host_port.split(":")
        rng = random.Random(k)
        await asyncio.sleep(rng.uniform(*self.think))  # users arrive spread out, not all at once
        r, w = await asyncio.open_connection(host, int(port), limit=1 << 22)
        try:
            while not self.stopped:
                t0 = time.perf_counter()
                status = await _get(r, w, self.host_port, "/", self.extra)
                self.samples.append((t0, time.perf_counter() - t0))
                self.errors += status != 200
                if self.think[1] > 0:
                    await asyncio.sleep(rng.uniform(*self.think))
        finally:
            w.close()

    def between(self, start: float, end: float) -> list[float]:
        return [d for t, d in self.samples if start <= t < end]


async def watch_for(watch: httpx.AsyncClient, text: str, since: float, timeout: float) -> float | None:
    """Seconds from ``since`` until the overview shows ``text`` (None: not within ``timeout``)."""
    while True:
        page = (await watch.get("/")).text
        if text in page:
            return time.perf_counter() - since
        if time.perf_counter() - since > timeout:
            return None
        await asyncio.sleep(0.02)


async def run(base: str, cookies: httpx.Cookies, db_url: str, db_file: Path, seconds: float, clients: int,
              think: tuple[float, float], imports: int) -> dict[str, object]:
    readers = Readers(base, cookies, clients, think)
    users = [asyncio.create_task(readers.user(k)) for k in range(clients)]
    await asyncio.sleep(think[1])  # every user has arrived
    db = Database(db_url)
    plain = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
    out: dict[str, object] = {}
    async with httpx.AsyncClient(base_url=base, headers=plain, timeout=120) as watch:
        # phase 1: an approval every second
        repo = ObservationRepository(db)
        visible: list[float] = []
        missed = 0
        begin = time.perf_counter()
        k = 0
        run_base = 9000.0 + (int(time.time()) % 10000) * 100  # values new to a database kept from an earlier run
        while time.perf_counter() < begin + seconds - 1.5:
            started = time.perf_counter()
            ident, value = f"ind{k % 5:03d}", run_base + k  # indicator k of area k: one per area block shown
            key = ObservationKey(ident, "zone", 2025)

            def write() -> None:
                repo.apply([Observation(ident, "zone", 2025, value, source="bench writer")], actor="writer",
                           status=ObservationStatus.SUBMITTED)
                repo.set_status(key, None, ObservationStatus.APPROVED, actor="approver")

            await asyncio.to_thread(write)
            seen = await watch_for(watch, fmt_number(value, 1, "en"), time.perf_counter(), 5)
            visible.append(seen) if seen is not None else None
            missed += seen is None
            k += 1
            await asyncio.sleep(max(0.0, 1.0 - (time.perf_counter() - started)))
        phase1 = (begin, time.perf_counter())
        out["approvals"] = {"window": phase1, "visible": visible, "missed": missed}
        # phase 2: registry imports of 1,000 enterprises
        registries = RegistryRepository(db)
        rng = random.Random(time.time_ns())  # credit codes new to a database kept from an earlier run
        reflected: list[float] = []
        not_seen = 0
        count = enterprises_at(db_file, 2025)
        begin2 = time.perf_counter()
        for i in range(imports):
            batch = [Enterprise(credit_code=make_credit_code(rng), name_en=f"Bench enterprise {i}-{j}",
                                founded_on=date(2025, 6, 1), unit="u001") for j in range(1000)]
            await asyncio.to_thread(registries.apply, RegistryKind.ENTERPRISES, batch, actor="importer")
            count += 1000
            seen = await watch_for(watch, fmt_number(count, 0, "en"), time.perf_counter(), 120)
            reflected.append(seen) if seen is not None else None
            not_seen += seen is None
            await asyncio.sleep(2.0)
        phase2 = (begin2, time.perf_counter())
        out["imports"] = {"window": phase2, "visible": reflected, "missed": not_seen}
    readers.stopped = True
    await asyncio.gather(*users)
    db.dispose()
    out["readers"] = readers
    return out


def _latency_line(name: str, values: list[float], seconds: float, goal: str) -> str:
    if not values:
        return f"{name:<32} no requests"
    return (f"{name:<32} n={len(values)}  p50 {pct(values, 0.5) * 1000:.1f} ms  p99 {pct(values, 0.99) * 1000:.1f} ms  "
            f"max {max(values) * 1000:.0f} ms  {len(values) / seconds:.0f} req/s   {goal}")


def _visible_line(name: str, phase: dict[str, object], goal: str) -> str:
    seen: list[float] = phase["visible"]  # type: ignore[assignment]
    n = len(seen) + int(phase["missed"])  # type: ignore[arg-type]
    if not seen:
        return f"{name:<32} {n} writes, none seen on the overview in time   {goal}"
    return (f"{name:<32} {n} writes  median {pct(seen, 0.5):.2f} s  max {max(seen):.2f} s  "
            f"not seen in time: {phase['missed']}   {goal}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="50 indicators x 40 units, registries at 1 %% (a smoke run)")
    parser.add_argument("--seconds", type=float, default=20.0, help="length of the approvals phase")
    parser.add_argument("--clients", type=int, default=50, help="readers (signed-in users)")
    parser.add_argument("--think", default="1-2", help="seconds a reader pauses between overviews, 'LOW-HIGH' "
                        "(uniform); 0: ask as fast as possible")
    parser.add_argument("--registry-scale", type=float, default=None,
                        help="registry size as a fraction of ~4.62 M rows (default 0.1; --quick 0.01)")
    parser.add_argument("--imports", type=int, default=3, help="imports of 1,000 enterprises in the second phase")
    parser.add_argument("--keep", type=Path, default=None, metavar="DIR",
                        help="build the database in DIR and keep it; a later run with the same DIR reuses it (the "
                        "writes of earlier runs included) instead of building it again")
    args = parser.parse_args()
    n_ind, n_units = (50, 40) if args.quick else (500, 200)
    scale = args.registry_scale if args.registry_scale is not None else (0.01 if args.quick else 0.1)
    low, _, high = args.think.partition("-")
    think = (float(low), float(high or low))
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        db_file = folder / "scicity.db"
        if db_file.exists():
            rows = _registry_rows(db_file)
            print(f"reusing {db_file} ({rows:,} registry rows)")
        else:
            rows = _fill(folder, n_ind, n_units, scale)
        with server(folder) as (base, pid):
            cookies = sign_in(base)
            t0 = time.perf_counter()
            httpx.get(f"{base}/", cookies=cookies, timeout=600)
            first = time.perf_counter() - t0
            before = memory(pid)
            load = os.getloadavg()[0]
            cpu0, wall0 = cpu_seconds(pid), time.perf_counter()
            result = asyncio.run(run(base, cookies, f"sqlite:///{db_file}", db_file, args.seconds, args.clients, think,
                                     args.imports))
            server_cpu, wall = cpu_seconds(pid) - cpu0, time.perf_counter() - wall0
            after = memory(pid)
        with server(folder) as (base, pid):  # a restart: what the first overview costs with the kept registry tally
            cookies = sign_in(base)
            t0 = time.perf_counter()
            httpx.get(f"{base}/", cookies=cookies, timeout=600)
            restarted, restarted_cpu = time.perf_counter() - t0, cpu_seconds(pid)
        readers: Readers = result["readers"]  # type: ignore[assignment]
        model = (f"{args.clients} users, each pausing {think[0]:g}–{think[1]:g} s between overviews" if think[1] > 0
                 else f"{args.clients} readers asking as fast as they can (latency = queueing)")
        print(f"{n_ind * n_units * 10:,} observations, {rows:,} registry rows; {model}; 1 writer; "
              f"load average {load:.1f} -> {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        print(f"first overview (cold)            {first * 1000:8.0f} ms")
        print(f"first overview after a restart   {restarted * 1000:8.0f} ms  (server CPU since start "
              f"{restarted_cpu:.1f} s; no registry written in between: the kept registry tally is taken back)")
        for phase, goal_seen, label in (("approvals", "goal < 1 s", "approval -> on the overview"),
                                        ("imports", "goal < 2 s", "import of 1,000 -> on overview")):
            info: dict[str, object] = result[phase]  # type: ignore[assignment]
            start, end = info["window"]  # type: ignore[misc]
            print(_latency_line(f"overview during {phase}", readers.between(start, end), end - start, "goal p99 < 150 ms"))
            print(_visible_line(label, info, goal_seen))
        n = len(readers.samples)
        print(f"errors                           {readers.errors} of {n} overviews")
        print(f"server CPU                       {server_cpu:.1f} s over {wall:.1f} s wall "
              f"({server_cpu / wall * 100:.0f} % of a core); {server_cpu / max(1, n) * 1000:.1f} ms per overview "
              f"(writes and recomputations included)")
        print(f"server memory                    RSS {before.get('VmRSS')} -> {after.get('VmRSS')} MiB, "
              f"peak {after.get('VmHWM')} MiB")


if __name__ == "__main__":
    main()
