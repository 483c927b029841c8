"""Wall time of `scicity status` on the seed plan after the demo import.

Goal (issue 2): under 1 s after import. Measures the whole command as a user
runs it (a fresh process: interpreter start-up and imports included), and,
in the same run, the in-process work alone (plan load, database read,
indicator values, assessment of all 18 targets).

    python bench/bench_status.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "SCICITY_DATA_DIR": tmp, "COLUMNS": "160"}
        scicity = str(BIN / "scicity")
        subprocess.run([scicity, "init", "--demo"], env=env, check=True, capture_output=True)
        cli = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            subprocess.run([scicity, "status", "--format", "json"], env=env, check=True, capture_output=True)
            cli.append(time.perf_counter() - t0)
        os.environ["SCICITY_DATA_DIR"] = tmp
        from scicity.engine.values import compute_values
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
    print(f"scicity status on the seed plan ({args.runs} runs, median, min):")
    print(f"  whole command (new process): {statistics.median(cli):.3f} s  (min {min(cli):.3f} s)   goal < 1 s")
    print(f"  in-process work:             {statistics.median(work) * 1000:.1f} ms (min {min(work) * 1000:.1f} ms)")


if __name__ == "__main__":
    main()
