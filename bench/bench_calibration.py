"""Calibration of every method on the full real corpus, both halves (see bench/corpus.py).

Prints, per half, the 80 % coverage by horizon, the 50/95 % coverage, the Brier
score of p_meet (methods and baselines) and the hit rate of every method, and
the time taken. Usage: PYTHONPATH=src python bench/bench_calibration.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import halves, read_corpus  # noqa: E402

from scicity.assess.calibration import calibrate  # noqa: E402


def main() -> None:
    corpus = read_corpus()
    tuning, evaluation = halves(corpus)
    for name, part in (("evaluation half", evaluation), ("tuning half", tuning), ("whole corpus", corpus)):
        start = time.perf_counter()
        cal = calibrate(part)
        took = time.perf_counter() - start
        print(f"\n## {name}: {cal.cases} forecasts, {cal.series} series, base rate {cal.base_rate:.3f} ({took:.2f} s)")
        for method, levels in cal.coverage.items():
            row = " ".join(f"{levels['0.8'][str(h)]:.3f}" for h in cal.horizons)
            print(f"80 % coverage h=1..10 {method:15s} {row} | 50 %: {levels['0.5']['all']:.3f} 95 %: {levels['0.95']['all']:.3f}")
        for method, by_h in sorted(cal.brier.items(), key=lambda kv: kv[1]["all"]):
            print(f"Brier {method:15s} {by_h['all']:.4f}")
        for method, by_h in sorted(cal.hit_rate.items(), key=lambda kv: -kv[1]["all"]):
            print(f"hit rate {method:15s} {by_h['all']:.4f}")


if __name__ == "__main__":
    main()
