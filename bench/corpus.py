"""The real calibration corpus and its two halves (shared by the calibration scripts).

``shared/data/wdi_researchers_per_million.csv``: World Bank WDI SP.POP.SCIE.RD.P6
(see its README). Country rows only (``is_aggregate = 0``). The countries,
sorted by ISO3 code, alternate between the halves: places 1, 3, 5, … are the
tuning half (the constants are fitted there), places 2, 4, 6, … the evaluation
half (the figures are reported there).
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "wdi_researchers_per_million.csv"


def read_corpus(path: Path = CORPUS) -> dict[str, dict[int, float]]:
    series: dict[str, dict[int, float]] = defaultdict(dict)
    with open(path, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["is_aggregate"] == "0":
                series[row["iso3"]][int(row["year"])] = float(row["researchers_per_million"])
    return dict(series)


def halves(series: dict[str, dict[int, float]]) -> tuple[dict[str, dict[int, float]], dict[str, dict[int, float]]]:
    keys = sorted(series)
    return {k: series[k] for k in keys[0::2]}, {k: series[k] for k in keys[1::2]}
