"""Time of the reports, against a baseline revision: the seed plan's final PDF as a user runs it, every format, 500 indicators.

Goals (issue 12): the seed plan's PDF under 5 s; a 500-indicator plan's PDF under 60 s.

Both the baseline (``--baseline``, default ``8ac53b5``: ``main`` before the third round —
the report's store reads without SQLAlchemy, fewer garbage collections while WeasyPrint
writes, fontTools' instancer really deferred; ``c730e03`` is the one before the second
round; the older ``4949ccb`` no longer runs in today's venv, it needs
``pydantic_settings``) and the working tree are run by this one script, alternately, each
in its own process (``git archive`` of the baseline's ``src`` into a temporary
directory), so both see the same machine load. Reported for each: wall time
and CPU time — of the process *and its children* (chart worker processes
count) — and the ratio baseline / now, and each figure of the working tree against its
goal (figure / goal: below 1 meets it), the seed plan's and the 500-indicator plan's in
the same run. The machine is shared: CPU time is the steadier figure.

Measured:

1. ``scicity report final --lang zh -o final.pdf`` in a new process on the demo
   database, the chart cache emptied first (cold), and again with the charts
   cached on disk (warm);
2. each format rendered in-process from one report model (charts not cached);
3. the PDF of a generated plan with N indicators (a chart and a paragraph each).

    python bench/bench_reports.py [--indicators 500] [--runs 2] [--skip-large] [--baseline REV]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASELINE = "8ac53b5"  # main before the third round of report speed work (issue 12); runs in today's venv
SEED_GOAL, LARGE_GOAL = 5.0, 60.0  # seconds (issue 12): the seed plan's PDF, a 500-indicator plan's PDF


def against(seconds: float, goal: float) -> str:
    """``seconds`` as a share of ``goal``: "1.23 × goal (not met)"."""
    return f"{seconds / goal:.2f} × goal ({'met' if seconds < goal else 'not met'})"


def large_plan(n: int):  # noqa: ANN201
    """A plan with ``n`` indicators in 10 areas and six years of synthetic values each."""
    from scicity.domain.observation import Observation
    from scicity.domain.plan import Area, GeoUnit, Indicator, Plan, Target, Text
    from scicity.service.reconciled_values import build_values

    rng = random.Random(12)
    areas = tuple(Area(id=f"area_{a}", name=Text(en=f"Area {a + 1}", zh=f"领域{a + 1}")) for a in range(10))
    indicators, observations = [], []
    for i in range(n):
        base = rng.uniform(50, 5000)
        growth = rng.uniform(-0.02, 0.15)
        target = base * (1 + rng.uniform(0.02, 0.12)) ** 5
        indicators.append(Indicator(
            id=f"ind_{i:04d}", area=f"area_{i % 10}", name=Text(en=f"Indicator {i + 1}", zh=f"指标{i + 1}"),
            measure="enterprises", decimals=0, targets=(Target(comparator=">=", value=round(target)),),
        ))
        for k, year in enumerate(range(2020, 2026)):
            observations.append(Observation(f"ind_{i:04d}", "zone", year, round(base * (1 + growth) ** k * rng.uniform(0.97, 1.03)),
                                            source="bench: synthetic"))
    plan = Plan(id="bench-large", name=Text(en=f"Benchmark plan with {n} indicators", zh=f"{n}项指标的基准规划"),
                period=(2021, 2025), baseline_year=2020, target_year=2025, areas=areas, indicators=tuple(indicators),
                geography=GeoUnit(id="zone", name=Text(en="Zone", zh="园区")))
    return plan, build_values(plan, observations, None)


def _cpu() -> float:
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


# -- what runs inside a measured process (``--inner``), with the src of the version under test on sys.path -------------

def inner_formats(data_dir: str) -> dict[str, list[float]]:
    os.environ["SCICITY_DATA_DIR"] = data_dir
    from scicity.reports import charts
    from scicity.reports.formats import formats, render
    from scicity.service.plans import resolve_plan
    from scicity.service.report_service import live_model
    from scicity.settings import get_settings
    from scicity.store.db import Database

    s = get_settings()
    db = Database(s.database_url)
    plan = resolve_plan(None).plan
    model = live_model(db, plan, s.data_dir / "cache", kind="final", as_of=2025, lang="zh")
    db.dispose()
    out = {}
    for fmt in formats():
        charts._CACHE.clear()
        t0, c0 = time.perf_counter(), _cpu()
        content = render(model, fmt)
        out[fmt] = [time.perf_counter() - t0, _cpu() - c0, len(content)]
    return out


def inner_large(n: int) -> dict[str, float]:
    from scicity.reports.formats import render
    from scicity.service.report_model import build_report_model

    t0, c0 = time.perf_counter(), _cpu()
    plan, values = large_plan(n)
    model = build_report_model(plan, values, kind="final", as_of=2025, lang="zh")
    t1, c1 = time.perf_counter(), _cpu()
    pdf = render(model, "pdf")
    return {"model": t1 - t0, "wall": time.perf_counter() - t1, "cpu": _cpu() - c1, "bytes": len(pdf)}


# -- the driver ----------------------------------------------------------------------------------------------------------

def _env(src: Path, data_dir: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(src), "SCICITY_DATA_DIR": str(data_dir)}


def _inner(src: Path, data_dir: Path, *args: str) -> dict:
    code = [sys.executable, str(Path(__file__).resolve()), "--inner", *args]
    done = subprocess.run(code, env=_env(src, data_dir), check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _cli_pdf(src: Path, data_dir: Path, *, cold: bool) -> tuple[float, float, int]:
    if cold:
        shutil.rmtree(data_dir / "cache" / "charts", ignore_errors=True)
    out = data_dir / "final.pdf"
    r0 = os.times()
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", "from scicity.cli import main; main()", "report", "final", "--lang", "zh", "-o", str(out)],
                   env=_env(src, data_dir), check=True, capture_output=True)
    wall = time.perf_counter() - t0
    r1 = os.times()
    return wall, (r1.children_user + r1.children_system) - (r0.children_user + r0.children_system), out.stat().st_size


def _best(runs: list[tuple[float, ...]]) -> tuple[float, ...]:
    return min(runs, key=lambda r: r[1])  # the run with the least CPU: the one least disturbed by the other load


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--indicators", type=int, default=500)
    parser.add_argument("--runs", type=int, default=2, help="runs of each seed-plan measurement (the least CPU counts)")
    parser.add_argument("--skip-large", action="store_true")
    parser.add_argument("--baseline", default=BASELINE, help="git revision to compare with")
    parser.add_argument("--inner", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inner:
        what, arg = args.inner
        print(json.dumps(inner_formats(arg) if what == "formats" else inner_large(int(arg))))
        return

    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        base_src = tmp_path / "baseline"
        base_src.mkdir()
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.baseline, "src"], check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(base_src)], input=archive, check=True)
        versions = {f"baseline {args.baseline}": base_src / "src", "now": ROOT / "src"}
        data = {}
        for name, src in versions.items():
            data[name] = tmp_path / name.split()[0] / "data"
            done = subprocess.run([sys.executable, "-c", "from scicity.cli import main; main()", "init", "--demo"],
                                  env=_env(src, data[name]), capture_output=True, text=True)
            if done.returncode:  # e.g. a baseline needing a package the venv no longer has
                sys.exit(f"{name}: 'scicity init --demo' failed; pick another --baseline.\n{done.stderr[-2000:]}")
        cold: dict[str, list] = {n: [] for n in versions}
        for _ in range(args.runs):
            for name, src in versions.items():
                cold[name].append(_cli_pdf(src, data[name], cold=True))
        warm_runs: dict[str, list] = {n: [] for n in versions}
        for _ in range(args.runs):
            for name, src in versions.items():
                warm_runs[name].append(_cli_pdf(src, data[name], cold=False))
        bw, warm = (_best(v) for v in warm_runs.values())
        fmts = {name: _inner(src, data[name], "formats", str(data[name])) for name, src in versions.items()}

        load = os.getloadavg()[0]
        (b_name, b), (_, n) = [(k, _best(v)) for k, v in cold.items()]
        print(f"reports, seed plan final evaluation (18 indicators; load average {load:.1f} on {os.cpu_count()} cores)")
        print(f"  scicity report final -o final.pdf, a new process, charts not cached            goal < {SEED_GOAL:g} s")
        print(f"    {b_name:<18} {b[0]:6.2f} s wall {b[1]:6.2f} s CPU   {b[2] / 1e6:.2f} MB")
        print(f"    {'now':<18} {n[0]:6.2f} s wall {n[1]:6.2f} s CPU   {n[2] / 1e6:.2f} MB   ratio {b[0] / n[0]:.2f} wall, {b[1] / n[1]:.2f} CPU")
        print(f"    {'now against goal':<18} wall {against(n[0], SEED_GOAL)}, CPU {against(n[1], SEED_GOAL)}")
        print("  the same, charts cached on disk (the second run of the same report)")
        print(f"    {b_name:<18} {bw[0]:6.2f} s wall {bw[1]:6.2f} s CPU")
        print(f"    {'now':<18} {warm[0]:6.2f} s wall {warm[1]:6.2f} s CPU   ratio {bw[0] / warm[0]:.2f} wall, {bw[1] / warm[1]:.2f} CPU")
        print(f"    {'now against goal':<18} wall {against(warm[0], SEED_GOAL)}, CPU {against(warm[1], SEED_GOAL)}")
        print("  each format in-process from one model (charts not cached), baseline → now")
        for fmt, (bw, bc, _) in fmts[b_name].items():
            nw, nc, size = fmts["now"][fmt]
            print(f"    {fmt:<5} {bw:6.2f} → {nw:5.2f} s wall, {bc:6.2f} → {nc:5.2f} s CPU   ratio {bc / max(nc, 1e-9):.2f} CPU   {size / 1e6:.2f} MB")
        if args.skip_large:
            return
        big = {name: _inner(src, tmp_path, "large", str(args.indicators)) for name, src in versions.items()}
        print(f"reports, generated plan with {args.indicators} indicators (load average {os.getloadavg()[0]:.1f})   goal < {LARGE_GOAL:g} s")
        for name, r in big.items():
            ratio = "" if name != "now" else (f"   ratio {big[b_name]['wall'] / r['wall']:.2f} wall, "
                                              f"{big[b_name]['cpu'] / r['cpu']:.2f} CPU")
            print(f"    {name:<18} PDF {r['wall']:6.2f} s wall {r['cpu']:6.2f} s CPU (workers included)   {r['bytes'] / 1e6:.2f} MB"
                  f"   (plan and model {r['model']:.2f} s){ratio}")
        now = big["now"]
        print(f"    {'now against goal':<18} wall {against(now['wall'], LARGE_GOAL)}, CPU {against(now['cpu'], LARGE_GOAL)}")


if __name__ == "__main__":
    main()
