"""Wall time of the reports: every format of the seed plan's final evaluation, and the PDF of a 500-indicator plan.

Goals (issue 12): the seed plan's PDF under 5 s; 500 indicators under 60 s.
Measured: the whole `scicity report final -o x.pdf` command as a user runs it
(a new process), each format rendered in-process from one report model (chart
cache cleared before each, so every format pays for its charts), and the PDF
of a generated plan with N indicators (a chart and a paragraph each).

    python bench/bench_reports.py [--indicators 500] [--skip-large]
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def large_plan(n: int):  # noqa: ANN201
    """A plan with ``n`` indicators in 10 areas and six years of synthetic values each."""
    from scicity.domain.observation import Observation
    from scicity.domain.plan import Area, GeoUnit, Indicator, Plan, Target, Text
    from scicity.service.values import build_values

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--indicators", type=int, default=500)
    parser.add_argument("--skip-large", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "SCICITY_DATA_DIR": tmp}
        scicity = str(BIN / "scicity")
        subprocess.run([scicity, "init", "--demo"], env=env, check=True, capture_output=True)
        t0, r0 = time.perf_counter(), os.times()
        subprocess.run([scicity, "report", "final", "--lang", "zh", "-o", f"{tmp}/final.pdf"], env=env, check=True, capture_output=True)
        cli_pdf, r1 = time.perf_counter() - t0, os.times()
        cli_cpu = (r1.children_user + r1.children_system) - (r0.children_user + r0.children_system)
        pdf_size = Path(f"{tmp}/final.pdf").stat().st_size
        os.environ["SCICITY_DATA_DIR"] = tmp
        from scicity.reports import charts
        from scicity.reports.formats import formats, render
        from scicity.service.plans import resolve_plan
        from scicity.service.report_service import live_model
        from scicity.settings import get_settings
        from scicity.store.db import Database

        s = get_settings()
        db = Database(s.database_url)
        plan = resolve_plan(None).plan
        t0 = time.perf_counter()
        model = live_model(db, plan, s.data_dir / "cache", kind="final", as_of=2025, lang="zh")
        model_time = time.perf_counter() - t0
        db.dispose()
        times = {}
        for fmt in formats():
            charts._CACHE.clear()
            t0, c0 = time.perf_counter(), time.process_time()
            content = render(model, fmt)
            times[fmt] = (time.perf_counter() - t0, time.process_time() - c0, len(content))
    load = os.getloadavg()[0]
    print(f"reports, seed plan final evaluation (18 indicators; load average {load:.1f} on {os.cpu_count()} cores):")
    print(f"  scicity report final -o final.pdf (new process): {cli_pdf:.2f} s wall, {cli_cpu:.2f} s CPU, {pdf_size / 1e6:.2f} MB   goal < 5 s")
    print(f"  report model (status, store reads):              {model_time:.2f} s")
    for fmt, (sec, cpu, size) in times.items():
        print(f"  {fmt:<5} render (charts included):                {sec:.2f} s wall, {cpu:.2f} s CPU, {size / 1e6:.2f} MB")
    if args.skip_large:
        return
    from scicity.service.report_model import build_report_model

    t0 = time.perf_counter()
    big, values = large_plan(args.indicators)
    big_model = build_report_model(big, values, kind="final", as_of=2025, lang="zh")
    model_time = time.perf_counter() - t0
    charts._CACHE.clear()
    t0, c0 = time.perf_counter(), time.process_time()
    pdf = render(big_model, "pdf")
    pdf_time, pdf_cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"reports, generated plan with {args.indicators} indicators (load average {os.getloadavg()[0]:.1f}):")
    print(f"  plan, values and report model: {model_time:.2f} s")
    print(f"  PDF (charts included):         {pdf_time:.2f} s wall, {pdf_cpu:.2f} s CPU, {len(pdf) / 1e6:.2f} MB   goal < 60 s")


if __name__ == "__main__":
    main()
