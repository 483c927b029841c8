"""Start-up and wall time of `scicity status` on the seed plan after the demo import.

Goals (issue 14): `scicity --version` and `--help` under 0.3 s, `scicity status`
under 0.6 s, each for the whole process. Reports the wall time and the CPU
time (user + system) of each process: on a shared, loaded machine the wall
time includes waiting for a core, the CPU time does not (the load average is
printed with the figures). Measures the whole command as a user
runs it (a fresh process: interpreter start-up and imports included), and,
in the same run, the in-process work alone (plan load, database read,
indicator values, assessment of all 18 targets).

    python bench/bench_status.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def timed(cmd: list[str], env: dict[str, str], runs: int) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of ``runs`` fresh processes of ``cmd``."""
    wall, cpu = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run(cmd, env=env, check=True, capture_output=True)
        wall.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "SCICITY_DATA_DIR": tmp, "COLUMNS": "160"}
        # as installed: with byte code (PYTHONDONTWRITEBYTECODE makes every process compile the sources again)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        scicity = str(BIN / "scicity")
        subprocess.run([scicity, "init", "--demo"], env=env, check=True, capture_output=True)
        subprocess.run([scicity, "status", "--format", "json"], env=env, check=True, capture_output=True)  # warm
        startup = {flag: timed([scicity, flag], env, args.runs) for flag in ("--version", "--help")}
        cli, cli_cpu = timed([scicity, "status", "--format", "json"], env, args.runs)
        os.environ["SCICITY_DATA_DIR"] = tmp
        from scicity.engine.indicator_values import compute_values
        from scicity.ingest.plan_file import load_plan_file
        from scicity.plans import default_plan_path
        from scicity.service.status import build_status
        from scicity.settings import get_settings
        from scicity.store.db import Database
        from scicity.store.observations import ObservationRepository

        work = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            plan = load_plan_file(default_plan_path()).plan
            db = Database(get_settings().database_url)
            obs = ObservationRepository(db).latest(set(plan.reported_ids()))
            rows = build_status(plan, compute_values(plan, obs))
            db.dispose()
            work.append(time.perf_counter() - t0)
        assert len(rows) == 18
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; {args.runs} runs each, median (min)")
    for flag, (wall, cpu) in startup.items():
        print(f"  scicity {flag:<10} wall {statistics.median(wall):.3f} s ({min(wall):.3f})  "
              f"cpu {statistics.median(cpu):.3f} s ({min(cpu):.3f})   goal < 0.3 s")
    print(f"  scicity status     wall {statistics.median(cli):.3f} s ({min(cli):.3f})  "
          f"cpu {statistics.median(cli_cpu):.3f} s ({min(cli_cpu):.3f})   goal < 0.6 s")
    print(f"  in-process work:             {statistics.median(work) * 1000:.1f} ms (min {min(work) * 1000:.1f} ms)")


if __name__ == "__main__":
    main()
