"""Benchmark: the overview under a mixed load — 50 readers and 1 writer approving a value every second.

    .venv/bin/python bench/bench_mixed_load.py              # 500 indicators x 200 units x 10 years = 1,000,000
    .venv/bin/python bench/bench_mixed_load.py --quick      # 50 x 40 x 10 (a smoke run)
    .venv/bin/python bench/bench_mixed_load.py --seconds 20

The database of ``bench/bench_web.py`` (a synthetic plan, observations bulk-
inserted) is served by one Uvicorn process. For ``--seconds`` seconds, 50
keep-alive clients request the overview (signed in as a viewer) as fast as
they can, while a writer in *another process* (this one, through its own
engine: the server learns of the write only from the audit log) submits and
approves a new value of one of the plan's indicators every second; a watcher
requests the overview after each approval until the new value is on it.

Reported: overview p50/p99 over the whole run, the time from each approval's
commit to its first sight on the overview (goal: under 1 s), the server's
resident memory (VmRSS, VmHWM), the load average of the machine, and the
server's CPU time per overview (user + system, from /proc): the readers ask
as fast as they can, so the latencies are queueing — 50 clients / throughput —
and the throughput is what the server gets of a core on a shared machine; the
CPU per request is the figure the load of others does not change. The
datasette comparison (same SQLite file, series endpoint) is in bench_web.py.
Goals (issue 14): overview p99 < 150 ms throughout; each approval visible within 1 s.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_web import SECRET, _get, build, sign_in  # noqa: E402

from scicity.domain.observation import Observation, ObservationKey, ObservationStatus  # noqa: E402
from scicity.i18n import fmt_number  # noqa: E402
from scicity.store import Database, ObservationRepository  # noqa: E402
from tests.web.live_server import free_port  # noqa: E402


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


async def run(base: str, cookies: httpx.Cookies, db_url: str, seconds: float, clients: int) -> dict[str, object]:
    host_port = base.split("//", 1)[1]
    host, port = host_port.split(":")
    extra = b"Accept-Encoding: gzip\r\n" + ("Cookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items()) + "\r\n").encode()
    latencies: list[float] = []
    errors = 0
    begin = time.perf_counter()
    stop = begin + seconds
    slow: list[tuple[float, float]] = []

    async def reader() -> None:
        nonlocal errors
        r, w = await asyncio.open_connection(host, int(port), limit=1 << 22)
        try:
            while time.perf_counter() < stop:
                t0 = time.perf_counter()
                status = await _get(r, w, host_port, "/", extra)
                latencies.append(time.perf_counter() - t0)
                slow.append((t0 - begin, latencies[-1]))
                errors += status != 200
        finally:
            w.close()

    visible: list[float] = []
    missed = 0

    async def writer() -> None:
        nonlocal missed
        db = Database(db_url)
        repo = ObservationRepository(db)
        plain = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
        k = 0
        async with httpx.AsyncClient(base_url=base, headers=plain, timeout=10) as watch:
            while time.perf_counter() < stop - 1.5:
                started = time.perf_counter()
                ident, value = f"ind{k % 5:03d}", 9000.0 + k  # indicator k of area k: one per area block shown
                key = ObservationKey(ident, "zone", 2025)

                def write() -> None:
                    repo.apply([Observation(ident, "zone", 2025, value, source="bench writer")], actor="writer",
                               status=ObservationStatus.SUBMITTED)
                    repo.set_status(key, None, ObservationStatus.APPROVED, actor="approver")

                await asyncio.to_thread(write)
                committed = time.perf_counter()
                text = fmt_number(value, 1, "en")
                while True:
                    page = (await watch.get("/")).text
                    if text in page:
                        visible.append(time.perf_counter() - committed)
                        break
                    if time.perf_counter() - committed > 5:
                        missed += 1
                        break
                    await asyncio.sleep(0.02)
                k += 1
                await asyncio.sleep(max(0.0, 1.0 - (time.perf_counter() - started)))
        db.dispose()

    await asyncio.gather(writer(), *(reader() for _ in range(clients)))
    worst = sorted(slow, key=lambda x: -x[1])[: max(1, len(slow) // 100)]
    seconds_slow = sorted({int(t) for t, _ in worst})
    print(f"the slowest 1 % of requests started in seconds {seconds_slow} of the run")
    return {"n": len(latencies), "errors": errors, "p50": pct(latencies, 0.5) * 1000, "p99": pct(latencies, 0.99) * 1000,
            "max": max(latencies) * 1000, "rps": len(latencies) / seconds, "approvals": len(visible) + missed,
            "missed": missed, "visible_p50": pct(visible, 0.5), "visible_max": max(visible) if visible else float("nan")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="50 indicators x 40 units (a smoke run)")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--clients", type=int, default=50)
    args = parser.parse_args()
    n_ind, n_units = (50, 40) if args.quick else (500, 200)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db_file = build(folder, n_ind, n_units)
        with server(folder) as (base, pid):
            cookies = sign_in(base)
            t0 = time.perf_counter()
            httpx.get(f"{base}/", cookies=cookies, timeout=120)
            first = time.perf_counter() - t0
            before = memory(pid)
            load = os.getloadavg()[0]
            cpu0, wall0 = cpu_seconds(pid), time.perf_counter()
            result = asyncio.run(run(base, cookies, f"sqlite:///{db_file}", args.seconds, args.clients))
            server_cpu, wall = cpu_seconds(pid) - cpu0, time.perf_counter() - wall0
            after = memory(pid)
        print(f"{n_ind * n_units * 10:,} observations; {args.clients} readers + 1 writer for {args.seconds:.0f} s; "
              f"load average {load:.1f} -> {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        print(f"first overview (cold)           {first * 1000:8.0f} ms")
        print(f"overview under load             n={result['n']}  p50 {result['p50']:.1f} ms  p99 {result['p99']:.1f} ms  "
              f"max {result['max']:.0f} ms  {result['rps']:.0f} req/s  errors {result['errors']}   goal p99 < 150 ms")
        print(f"server CPU                      {server_cpu:.1f} s over {wall:.1f} s wall "
              f"({server_cpu / wall * 100:.0f} % of a core): {server_cpu / max(1, result['n']) * 1000:.2f} ms "
              f"per overview (a single process serves at most {result['n'] / server_cpu:.0f} req/s on one core)")
        print(f"approval -> visible on overview  {result['approvals']} approvals  median {result['visible_p50']:.2f} s  "
              f"max {result['visible_max']:.2f} s  not seen within 5 s: {result['missed']}   goal < 1 s")
        print(f"server memory                   RSS {before.get('VmRSS')} -> {after.get('VmRSS')} MiB, "
              f"peak {after.get('VmHWM')} MiB")


if __name__ == "__main__":
    main()
