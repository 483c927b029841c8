"""Benchmark: every assessment method, vectorised (assess_batch) against a plain per-series Python baseline.

    .venv/bin/python bench/bench_assess.py            # 100,000 series of 10 yearly points
    .venv/bin/python bench/bench_assess.py --quick    # 10,000 series
    .venv/bin/python bench/bench_assess.py --n 20000

The baseline below re-implements the same formulas with plain loops and the
math module (no numpy) for one series at a time, the way a straightforward
script would. Both paths judge the same synthetic series (deterministic seed:
trends, noise, gaps, some zeros and negatives) against one target; the script
checks that they agree on every status and number (projection, p_meet, score),
then reports series per second per
method (best of --repeat interleaved runs of each path, so that other load on
the machine hits both alike), the speed-up (goal: at least 30x) and peak
memory of the vectorised path (tracemalloc) and of the process. Times are CPU
seconds of this process (``time.process_time``), which waiting for a core on a
loaded machine does not inflate. The last column is the one-series path,
``assess()`` with its explanation, in microseconds per series (the same
formulas as the batch path, on a batch of one).
"""

from __future__ import annotations

import argparse
import math
import resource
import sys
import time
import tracemalloc
from functools import lru_cache

import numpy as np

from scicity.assess import Status, TargetSpec, assess, assess_batch, methods
from scicity.domain.plan import Comparator, Direction, TargetKind

YEARS = list(range(2014, 2024))  # 10 yearly points; the two before the baseline are ignored
SPEC = TargetSpec(Comparator.GT, 150.0, None, TargetKind.LEVEL, 2016, 2025, Direction.HIGHER)
GOAL = 30.0


def synthetic(n: int, seed: int = 20240611) -> np.ndarray:
    """n series around 100: linear or compound trends, noise, 3 % gaps, some zeros and negatives."""
    rng = np.random.default_rng(seed)
    t = np.arange(len(YEARS), dtype=float)
    slope = rng.normal(3.0, 4.0, (n, 1))
    growth = rng.normal(0.03, 0.04, (n, 1))
    compound = rng.random((n, 1)) < 0.4
    level = np.where(compound, 100.0 * (1.0 + growth) ** t, 100.0 + slope * t)
    noise = rng.normal(0.0, 1.0, (n, len(YEARS))) * rng.uniform(0.0, 8.0, (n, 1))
    values = np.round(level + noise, 3)
    values[rng.random(n) < 0.05] -= 120.0  # crosses zero: negatives and sign changes
    zero_rows = rng.random(n) < 0.03
    values[zero_rows, rng.integers(0, len(YEARS), zero_rows.sum())] = 0.0
    values[rng.random((n, len(YEARS))) < 0.03] = np.nan
    return values


# --------------------------------------------------------------------------------------------
# The baseline: one series at a time, plain Python (math module only). LEVEL targets.
# --------------------------------------------------------------------------------------------
ACH, ON, RISK, OFF, REG, INS, MISS = (
    Status.ACHIEVED, Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK, Status.REGRESSING,
    Status.INSUFFICIENT_DATA, Status.MISSED,
)


def meets(cmp: Comparator, x: float, target: float) -> bool:
    if cmp is Comparator.GT:
        return x > target
    if cmp is Comparator.GE:
        return x >= target
    if cmp is Comparator.LT:
        return x < target
    return x <= target


def toward(num: float, den: float, d: int) -> float:
    if den != 0:
        return num / den
    if num == 0:
        return 0.0
    return math.inf if d * num > 0 else -math.inf


def t_cdf(x: float, nu: int | None) -> float:
    if nu is None:
        return 0.5 * math.erfc(-x / math.sqrt(2.0))
    theta = math.atan(x / math.sqrt(nu))
    s, c = math.sin(theta), math.cos(theta)
    c2 = c * c
    acc = term = 1.0
    if nu % 2:
        for k in range(1, (nu - 1) // 2):
            term *= (2.0 * k) / (2.0 * k + 1.0) * c2
            acc += term
        a = theta * 2 / math.pi if nu == 1 else (theta + s * c * acc) * 2 / math.pi
    else:
        for k in range(1, nu // 2):
            term *= (2.0 * k - 1.0) / (2.0 * k) * c2
            acc += term
        a = s * acc
    return min(max(0.5 + 0.5 * a, 0.0), 1.0)


@lru_cache(maxsize=None)
def t_quantile(p: float, nu: int | None) -> float:
    lo, hi = -64.0, 64.0
    for _ in range(200):
        mid = (lo + hi) / 2
        if t_cdf(mid, nu) < p:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def ref_eurostat(ts, ys, tT, yT, d):
    t0, y0, tc, yc = ts[0], ys[0], ts[-1], ys[-1]
    if y0 > 0 and yc > 0 and yT > 0:
        ga = (yc / y0) ** (1 / (tc - t0)) - 1
        gr = (yT / y0) ** (1 / (tT - t0)) - 1
    else:
        ga, gr = (yc - y0) / (tc - t0), (yT - y0) / (tT - t0)
    r = toward(ga, gr, d)
    return (ON if r >= 0.95 else RISK if r >= 0.6 else OFF if r >= 0 else REG), None, None


def ref_opensdg(ts, ys, tT, yT, d):
    t0, y0, tc, yc = ts[0], ys[0], ts[-1], ys[-1]
    y0 = 0.001 if y0 == 0 else y0
    yT = 0.001 if yT == 0 else yT
    if (y0 > 0 and yc < 0) or (y0 < 0 and yc > 0) or (y0 > 0 and yT < 0) or (y0 < 0 and yT > 0):
        return INS, None, None
    ga = (yc / y0) ** (1 / (tc - t0)) - 1
    gr = (yT / y0) ** (1 / (tT - t0)) - 1
    if gr == 0:
        return INS, None, None
    r = (-1 if y0 < 0 else 1) * d * ga / abs(gr)
    score = min(7.1429 * r - 4.2857, 5.0) if r >= 0.6 else max(4.1667 * r - 2.5, -5.0)
    return (ON if r >= 0.95 else RISK if r >= 0.6 else OFF if r >= 0 else REG), score, None


def classify_p(p: float) -> Status:
    return ON if p >= 0.95 else RISK if p >= 0.10 else OFF if p >= 0 else REG


def ref_unsd(ts, ys, tT, yT, d):
    t0, y0, tc, yc = ts[0], ys[0], ts[-1], ys[-1]
    if y0 > 0 and yc > 0:
        yhat = yc * (1 + ((yc / y0) ** (1 / (tc - t0)) - 1)) ** (tT - tc)
    else:
        yhat = yc + (yc - y0) / (tc - t0) * (tT - tc)
    return classify_p(toward(yhat - y0, yT - y0, d)), yhat, None


def ref_escap(ts, ys, tT, yT, d):
    log = all(y > 0 for y in ys)
    num = den = 0.0
    for i in range(1, len(ts)):
        span = ts[i] - ts[i - 1]
        g = (math.log(ys[i]) - math.log(ys[i - 1])) / span if log else (ys[i] - ys[i - 1]) / span
        w = 1.0 / (tT - ts[i])  # (tT - t_first) / (tT - t_i) up to a factor that cancels
        num += w * g
        den += w
    gw = num / den
    yhat = ys[-1] * math.exp(gw * (tT - ts[-1])) if log else ys[-1] + gw * (tT - ts[-1])
    return classify_p(toward(yhat - ys[0], yT - ys[0], d)), yhat, None


def ref_schedule(ts, ys, tT, yT, d):
    c = toward(ys[-1] - ys[0], yT - ys[0], d)
    tau = (ts[-1] - ts[0]) / (tT - ts[0])
    return (ON if c >= 0.9 * tau else RISK if c >= 0.5 * tau else OFF if c >= 0 else REG), None, None


def ref_projection(ts, ys, tT, yT, d, cmp):
    n = len(ts)
    tbar = sum(ts) / n
    xs = [t - tbar for t in ts]
    sxx = sum(x * x for x in xs)
    ybar = sum(ys) / n
    b = sum(x * y for x, y in zip(xs, ys)) / sxx
    sse = sum((y - ybar - b * x) ** 2 for x, y in zip(xs, ys))
    center, slope, sse_m, log = ybar + b * (tT - tbar), b, sse, False
    floor = max(0.01 * sum(abs(y) for y in ys) / n, 0.25 * abs(b))
    if n >= 3 and all(y > 0 for y in ys):
        zs = [math.log(y) for y in ys]
        zbar = sum(zs) / n
        bz = sum(x * z for x, z in zip(xs, zs)) / sxx
        fitted = [zbar + bz * x for x in xs]
        sse_lvl = sum((y - math.exp(f)) ** 2 for y, f in zip(ys, fitted))
        if sse_lvl < 0.5 * sse:
            center, slope, log = zbar + bz * (tT - tbar), bz, True
            sse_m = sum((z - f) ** 2 for z, f in zip(zs, fitted))
            floor = max(0.01, 0.25 * abs(bz))
    nu = n - 2 if n >= 3 else None
    sigma = max(math.sqrt(sse_m / (n - 2)), floor) if nu else floor
    sd = sigma * math.sqrt(1 + 1 / n + (tT - tbar) ** 2 / sxx)
    thr = (math.log(yT) if yT > 0 else -math.inf) if log else yT
    if sd > 0:
        below = t_cdf((thr - center) / sd, nu)
        p = 1 - below if cmp in (Comparator.GT, Comparator.GE) else below
    else:
        p = 1.0 if meets(cmp, math.exp(center) if log else center, yT) else 0.0
    point = math.exp(center) if log else center
    if d * slope < 0:
        return REG, point, p
    return (ON if p >= 0.8 else RISK if p >= 0.4 else OFF), point, p


def ref_assess(row: list[float], spec: TargetSpec, method: str) -> tuple[Status, float | None, float | None]:
    """One series, one method, plain Python: (status, its number, p_meet), as assess_batch reports them.

    The number is the projection (projection, unsd, escap) or the score (opensdg).
    Like assess(), the projection_ols method reports p_meet also for a target already
    met; unsd and escap report their projection unless the baseline already met it.
    """
    pts = [(float(t), v) for t, v in zip(YEARS, row) if v == v]
    tT, cmp = float(spec.target_year), spec.comparator
    final = bool(pts) and pts[-1][0] >= tT
    pts = [(t, v) for t, v in pts if t <= tT and t >= spec.baseline_year]
    if len(pts) < 2:
        return INS, None, None
    ts, ys = [t for t, _ in pts], [v for _, v in pts]
    yT = spec.value
    d = 1 if cmp in (Comparator.GT, Comparator.GE) else -1
    met, hold = meets(cmp, ys[-1], yT), meets(cmp, ys[0], yT)
    if final:
        return (ACH, 5.0 if met and method == "opensdg" else None, None) if met else (MISS, None, None)
    if met and method in ("eurostat", "schedule", "opensdg"):
        return ACH, 5.0 if method == "opensdg" else None, None  # no numbers to report
    if method == "projection_ols":
        status, number, p = ref_projection(ts, ys, tT, yT, d, cmp)
    elif hold:
        status, number, p = REG, None, None
    else:
        status, number, p = REFERENCE[method](ts, ys, tT, yT, d)
    if met:
        return ACH, number, p
    return (REG if hold else status), number, p


REFERENCE = {"eurostat": ref_eurostat, "opensdg": ref_opensdg, "unsd": ref_unsd, "escap": ref_escap, "schedule": ref_schedule}


def same(batch: float | None, python: float | None) -> bool:
    """Batch numbers (NaN = none) against the baseline's (None = none), to 1e-9."""
    if python is None or batch is None or batch != batch:
        return (python is None or python != python) and (batch is None or batch != batch)
    return math.isclose(batch, python, rel_tol=1e-9, abs_tol=1e-12)


# --------------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=100_000, help="number of series (default 100,000)")
    parser.add_argument("--quick", action="store_true", help="10,000 series, for a fast check")
    parser.add_argument("--repeat", type=int, default=3, help="runs per method and path; the best counts (default 3)")
    args = parser.parse_args(argv)
    n = 10_000 if args.quick else args.n

    values = synthetic(n)
    rows = values.tolist()
    years = np.array(YEARS)
    print(f"{n:,} series x {len(YEARS)} years; target {SPEC.comparator.value} {SPEC.value:g} by {SPEC.target_year}, "
          f"baseline {SPEC.baseline_year}; numpy {np.__version__}, Python {sys.version.split()[0]}")
    assess_batch(values[:100], years, SPEC, "projection")  # warm-up (imports, quantile cache)

    header = (f"{'method':<15}{'batch s':>9}{'batch series/s':>16}{'python s':>10}{'python series/s':>17}{'speed-up':>10}"
              f"{'agree':>9}{'peak MB':>9}{'assess() us':>13}")
    one_rows = [[(int(t), v) for t, v in zip(YEARS, row) if v == v] for row in rows[:1000]]
    print(header)
    print("-" * len(header))
    members = list(Status)
    worst_ratio = math.inf
    all_agree = True
    for method in methods():
        if method not in REFERENCE and method != "projection_ols":
            continue
        batch_s = python_s = math.inf
        for _ in range(args.repeat):  # interleaved, best of a few runs each (as timeit does)
            start = time.process_time()
            result = assess_batch(values, years, SPEC, method)
            batch_s = min(batch_s, time.process_time() - start)
            start = time.process_time()
            ref = [ref_assess(row, SPEC, method) for row in rows]
            python_s = min(python_s, time.process_time() - start)
        one_s = math.inf
        for _ in range(args.repeat):
            start = time.process_time()
            for pts in one_rows:
                assess(pts, SPEC, method)
            one_s = min(one_s, (time.process_time() - start) / len(one_rows))

        tracemalloc.start()
        assess_batch(values, years, SPEC, method)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()

        got = [members[c] for c in result.status.tolist()]
        number = result.score if method == "opensdg" else result.projection
        numbers = number.tolist() if number is not None else [None] * n
        pm = result.p_meet.tolist() if result.p_meet is not None else [None] * n
        agree = sum(
            a is r[0] and same(x, r[1]) and same(p, r[2]) for a, x, p, r in zip(got, numbers, pm, ref)
        ) / n
        all_agree &= agree == 1.0
        ratio = python_s / batch_s
        worst_ratio = min(worst_ratio, ratio)
        print(f"{method:<15}{batch_s:>9.3f}{n / batch_s:>16,.0f}{python_s:>10.2f}{n / python_s:>17,.0f}"
              f"{ratio:>9.0f}x{agree:>9.2%}{peak / 2**20:>9.1f}{one_s * 1e6:>13.0f}")
        if agree < 1.0:
            bad = [i for i in range(n) if not (got[i] is ref[i][0] and same(numbers[i], ref[i][1]) and same(pm[i], ref[i][2]))]
            for i in bad[:3]:
                print(f"    disagree on series {i}: batch {got[i].value} {numbers[i]} {pm[i]}, python {ref[i]}: {rows[i]}")
    # the default method has no plain-Python reference here (tests/assess hold it to assess()): its speed only
    batch_s = one_s = math.inf
    for _ in range(args.repeat):
        start = time.process_time()
        assess_batch(values, years, SPEC, "projection")
        batch_s = min(batch_s, time.process_time() - start)
        start = time.process_time()
        for pts in one_rows:
            assess(pts, SPEC, "projection")
        one_s = min(one_s, (time.process_time() - start) / len(one_rows))
    print(f"{'projection':<15}{batch_s:>9.3f}{n / batch_s:>16,.0f}{'(default method: no plain-Python reference)':>70}"
          f"{one_s * 1e6:>13.0f}")
    counts = np.bincount(assess_batch(values, years, SPEC, "projection_ols").status, minlength=len(members))
    print("-" * len(header))
    print("projection_ols statuses: " + ", ".join(f"{s.value} {c:,}" for s, c in zip(members, counts) if c))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"input matrix {values.nbytes / 2**20:.1f} MB; process peak RSS {rss:.0f} MB")
    print(f"slowest speed-up {worst_ratio:.0f}x (goal {GOAL:.0f}x): {'met' if worst_ratio >= GOAL else 'NOT met'}; "
          f"statuses and numbers {'agree on every series' if all_agree else 'DISAGREE somewhere'}")
    return 0 if all_agree else 1


if __name__ == "__main__":
    raise SystemExit(main())
