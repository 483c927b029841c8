"""Start-up and wall time of `scicity status` on the seed plan after the demo import.

Goals (issue 14): `scicity --version` and `--help` under 0.3 s, `scicity status`
(the table, and ``--format json``) under 0.6 s, each for the whole process. Reports the wall time and the CPU
time (user + system) of each process: on a shared, loaded machine the wall
time includes waiting for a core, the CPU time does not (the load average is
printed with the figures). Measures the whole command as a user
runs it (a fresh process: interpreter start-up and imports included), and,
in the same run, the in-process work alone (plan load, database read,
registry counts from their cache, indicator values, assessment of all 18
targets), and which heavy libraries ``scicity status`` imports.

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
#: the modules a command loads (run as: python -c _IMPORTED ARGS...)
_IMPORTED = ("import sys\nfrom scicity.cli import app\ntry:\n    app(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
             "print('\\n'.join(sorted(sys.modules)), file=sys.stderr)")


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
        commands = {" ".join(extra): timed([scicity, *extra], env, args.runs)
                    for extra in (["status"], ["status", "--format", "json"])}
        modules = subprocess.run([sys.executable, "-c", _IMPORTED, "status"], env=env, check=True,
                                 capture_output=True, text=True).stderr.split()
        os.environ["SCICITY_DATA_DIR"] = tmp
        from scicity.ingest.plan_file import load_plan_file
        from scicity.plans import default_plan_path
        from scicity.service.registry_cache import store_values
        from scicity.service.status import build_status
        from scicity.settings import get_settings
        from scicity.store.db import Database

        work = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            plan = load_plan_file(default_plan_path()).plan
            db = Database(get_settings().database_url)
            values = store_values(plan, db, Path(tmp) / "cache")  # what status reads, registry counts kept
            rows = build_status(plan, values.table)
            db.dispose()
            work.append(time.perf_counter() - t0)
        assert len(rows) == 18
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; {args.runs} runs each, median (min)")
    for flag, (wall, cpu) in startup.items():
        print(f"  scicity {flag:<22} wall {statistics.median(wall):.3f} s ({min(wall):.3f})  "
              f"cpu {statistics.median(cpu):.3f} s ({min(cpu):.3f})   goal < 0.3 s")
    for name, (wall, cpu) in commands.items():
        print(f"  scicity {name:<22} wall {statistics.median(wall):.3f} s ({min(wall):.3f})  "
              f"cpu {statistics.median(cpu):.3f} s ({min(cpu):.3f})   goal < 0.6 s")
    heavy = [m for m in ("sqlalchemy", "sqlalchemy.orm", "pandas", "ibis", "duckdb", "numpy", "pydantic", "rich")
             if m in modules]
    print(f"  'scicity status' imports {len(modules)} modules, of them: {', '.join(heavy) or 'none listed'}")
    print(f"  in-process work of status:        {statistics.median(work) * 1000:.1f} ms "
          f"(min {min(work) * 1000:.1f} ms)")


if __name__ == "__main__":
    main()
