"""Fit the constants of the default projection method on the tuning half of the real corpus.

Prints a ``CONSTANTS = CalibrationConstants(...)`` block for
``src/scicity/assess/builtin/calibrated_constants.py``. Steps, all on the tuning half:

1. drift shrinkage and damping: the grid point with the smallest mean absolute
   log error of the point projection over horizons 1-10;
2. pooled volatility: the root mean square of the series' own yearly
   deviations from their drift (pooled over the residual degrees of freedom);
3. bias(h): the median standardised error at each horizon (the projection is
   moved by it on the log scale), and kappa(h): the 80 % quantile of |standardised error - bias|
   at each horizon divided by the t(df) quantile (conformal calibration of
   location and spread by horizon);
4. the on_track threshold of p_meet: the one (0.5 … 0.8) with the best hit rate.

Usage: PYTHONPATH=src python bench/fit_calibration.py
"""

from __future__ import annotations

import math
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import halves, read_corpus  # noqa: E402

from scicity.assess import tdist  # noqa: E402
from scicity.assess.builtin.calibrated_constants import CONSTANTS  # noqa: E402
from scicity.assess.builtin.calibrated import model_of  # noqa: E402
from scicity.assess.builtin import calibrated, calibrated_batch  # noqa: E402
from scicity.assess.builtin.calibrated import CalibratedOptions  # noqa: E402
from scicity.assess.builtin.projection import NATIVE_LABELS  # noqa: E402
from scicity.assess.calibration import calibrate, forecast_cases  # noqa: E402
from scicity.assess.catalogue import register_method, unregister_method  # noqa: E402

HORIZONS = tuple(range(1, 11))


def points_of(row: np.ndarray, window: int) -> tuple[tuple[int, ...], tuple[float, ...]]:
    idx = np.flatnonzero(np.isfinite(row))
    return tuple(int(i) for i in idx), tuple(float(row[i]) for i in idx)


def main() -> None:
    tuning, _ = halves(read_corpus())
    cases = forecast_cases(tuning, HORIZONS)
    hist = [points_of(r, cases.window) for r in cases.hist]
    tT = cases.window + cases.h.astype(float)
    log_out = np.log(cases.outcome)

    def errors(c):  # noqa: ANN001
        out = np.empty(cases.size)
        sd = np.empty(cases.size)
        for i, (ys, vs) in enumerate(hist):
            m = model_of(ys, vs, float(tT[i]), c)
            out[i] = log_out[i] - m.center
            sd[i] = m.sd
        return out, sd

    best = None
    for kb in (0.0, 1.0, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0, 16.0, 24.0):
        for phi in (1.0, 0.95, 0.9, 0.85, 0.8):
            e, _ = errors(replace(CONSTANTS, drift_shrink_years=kb, damping=phi, bias_table=()))
            score = float(np.mean(np.abs(e)))
            if best is None or score < best[0]:
                best = (score, kb, phi)
    assert best is not None
    _, kb, phi = best
    # pooled volatility: own deviations from the drift, pooled over residual df
    num = den = 0.0
    for ys, vs in {(h[0], h[1]) for h in hist}:
        m = model_of(ys, vs, float(ys[-1] + 1), CONSTANTS)
        if m.own_volatility is not None:
            num += m.own_volatility**2 * (len(ys) - 2)
            den += len(ys) - 2
    vpool = math.sqrt(num / den)
    unit = replace(CONSTANTS, drift_shrink_years=kb, damping=phi, pooled_volatility=vpool,
                   kappa_table=(1.0,), bias_table=())
    e, sd = errors(unit)
    z = e / sd
    q80 = tdist.quantile(0.9, CONSTANTS.df)
    bias = tuple(round(float(np.median(z[cases.h == h])), 4) for h in HORIZONS)
    table = tuple(round(float(np.quantile(np.abs(z[cases.h == h] - bias[h - 1]), 0.8) / q80), 4) for h in HORIZONS)
    print(f"# fitted on {cases.size} cases of {len(set(cases.keys))} series (tuning half); mean |log error| {best[0]:.4f}")
    print("CONSTANTS = CalibrationConstants(")
    print(f"    drift_shrink_years={kb},\n    damping={phi},\n    pooled_volatility={vpool:.4f},")
    print(f"    prior_weight={CONSTANTS.prior_weight},\n    df={CONSTANTS.df},\n    kappa_table={table},")
    print(f"    bias_table={bias},")
    print("    provenance=...,\n)")
    print("# hit rate on the tuning half by the on_track threshold of p_meet (with the constants now shipped):")
    for tau in (0.5, 0.55, 0.6, 0.65, 0.7, 0.8):
        name = f"fit_on_track_{int(tau * 100)}"
        register_method(name, calibrated.judge, batch_fn=calibrated_batch.judge_batch,
                        native_labels=NATIVE_LABELS, default_options=CalibratedOptions(on_track=tau, at_risk=min(0.4, tau)))
        try:
            cal = calibrate(tuning, HORIZONS, methods=[name])
        finally:
            unregister_method(name)
        print(f"#   on_track >= {tau}: hit rate {cal.hit_rate[name]['all']:.4f}")


if __name__ == "__main__":
    main()
