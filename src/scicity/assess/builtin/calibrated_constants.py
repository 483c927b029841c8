"""The calibration constants of the default ``projection`` method, with where they come from.

They were fitted by ``bench/fit_calibration.py`` on the **tuning half** of the
real corpus ``shared/data/wdi_researchers_per_million.csv`` (World Bank WDI
SP.POP.SCIE.RD.P6, researchers in R&D per million people, 144 countries,
1996–2023; regional aggregates left out). The countries are sorted by ISO3 code
and alternate between the halves: the 1st, 3rd, 5th, … are the tuning half,
the 2nd, 4th, … the evaluation half on which docs/methods.md reports the
figures. Never fitted on demo data.

Fitted 2026-12-01. Re-fit with ``python bench/fit_calibration.py`` and paste
its output here; the tests hold the calibration to a small deterministic check.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class CalibrationConstants:
    """What the corpus taught the default method (see the module docstring for the provenance)."""

    #: the fitted drift is shrunk towards no change by ``span / (span + drift_shrink_years)``
    drift_shrink_years: float
    #: each further year of the projection carries ``damping`` times the previous year's drift
    damping: float
    #: pooled volatility of yearly log changes (log scale) around a series' own drift
    pooled_volatility: float
    #: weight of the pooled volatility, in residual degrees of freedom, against the series' own
    prior_weight: float
    #: degrees of freedom of the Student-t predictive distribution
    df: int
    #: empirical spread factor kappa(h) for h = 1, 2, …; beyond the table its last value
    kappa_table: tuple[float, ...]
    provenance: str
    #: median forecast error by horizon on the log scale, in units of the spread (the projection is moved by it;
    #: not on levels, where nothing was learnt); () for none
    bias_table: tuple[float, ...] = ()

    def kappa(self, h: float) -> float:
        """kappa at horizon ``h`` (years; a fraction of a year counts as the year it falls in)."""
        i = min(max(int(math.ceil(h)), 1), len(self.kappa_table)) - 1
        return self.kappa_table[i]

    def bias(self, h: float) -> float:
        """The median error at horizon ``h`` in units of the spread (0 without a bias table)."""
        if not self.bias_table:
            return 0.0
        i = min(max(int(math.ceil(h)), 1), len(self.bias_table)) - 1
        return self.bias_table[i]


CONSTANTS = CalibrationConstants(
    drift_shrink_years=12.0,
    damping=1.0,
    pooled_volatility=0.1678,
    prior_weight=3.0,
    df=4,
    kappa_table=(0.4396, 0.4596, 0.4345, 0.4359, 0.4293, 0.4628, 0.461, 0.4477, 0.4794, 0.4617),
    bias_table=(0.1026, 0.1452, 0.148, 0.1622, 0.172, 0.1934, 0.2268, 0.2177, 0.2357, 0.2464),
    provenance=(
        "tuning half (72 countries: ISO3 codes in odd places of the sorted list) of "
        "wdi_researchers_per_million.csv (WDI SP.POP.SCIE.RD.P6, 1996–2023), fitted 2026-12-01 "
        "by bench/fit_calibration.py"
    ),
)
