"""The calibration measurement and the calibrated default, on a fixed subset of real series.

``data/wdi_subset.csv`` is 15 countries of the evaluation half of the WDI corpus
(see data/README.md): the default was not fitted on them. The figures are
deterministic; the bands say what the default promises (docs/methods.md).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from scicity.assess import assess, assess_batch
from scicity.assess.builtin.calibrated_constants import CONSTANTS
from scicity.assess.calibration import calibrate, forecast_cases, reliability_table
from scicity.ingest.series_table import SeriesFileInvalid, read_series_csv

from .helpers import spec

SUBSET = Path(__file__).parent / "data" / "wdi_subset.csv"


@pytest.fixture(scope="module")
def cal():
    return calibrate(read_series_csv(SUBSET).series)


def test_subset_is_read_without_the_aggregates():
    table = read_series_csv(SUBSET)
    assert (table.layout, table.aggregates_left_out, len(table.series)) == ("wdi", 3, 15)


def test_the_measurement_is_deterministic(cal):
    assert (cal.cases, cal.series) == (1038, 12)
    assert cal.base_rate == pytest.approx(0.37958, abs=1e-5)
    assert cal.brier["projection"]["all"] == pytest.approx(0.15919, abs=1e-5)
    assert cal.brier["projection_ols"]["all"] == pytest.approx(0.23782, abs=1e-5)
    assert cal.coverage["projection"]["0.8"]["all"] == pytest.approx(0.70906, abs=1e-5)


def test_default_is_calibrated_and_beats_the_baselines(cal):
    cov = cal.coverage["projection"]
    assert 0.65 <= cov["0.8"]["all"] <= 0.90  # 12 series only: the corpus figures are in docs/methods.md
    assert cov["0.5"]["all"] < cov["0.8"]["all"] < cov["0.95"]["all"]
    assert cal.coverage["projection_ols"]["0.8"]["all"] < 0.6  # the former default is overconfident
    brier = {m: v["all"] for m, v in cal.brier.items()}
    assert brier["projection"] < brier["naive"] - 0.04 and brier["projection"] < brier["base_rate"] - 0.04
    assert brier["projection"] < brier["rw_drift"] and brier["projection"] < brier["projection_ols"]
    published = ("projection_ols", "schedule", "eurostat", "opensdg", "unsd", "escap")
    assert cal.hit_rate["projection"]["all"] >= max(cal.hit_rate[m]["all"] for m in published)


def test_every_method_and_baseline_is_scored(cal):
    assert set(cal.hit_rate) >= {"projection", "projection_ols", "schedule", "eurostat", "opensdg", "unsd", "escap",
                                 "base_rate", "naive", "rw_drift"}
    assert set(cal.brier) == {"projection", "projection_ols", "base_rate", "naive", "rw_drift"}
    assert set(cal.coverage["projection"]["0.8"]) == {str(h) for h in range(1, 11)} | {"all"}


def test_forecast_cases_cut_at_every_year():
    cases = forecast_cases({"a": {2000: 1.0, 2001: 2.0, 2003: 4.0}, "b": {2000: 1.0}}, horizons=(1, 2, 3), window=10)
    # cuts with two points: 2001 (h=2 -> 2003), 2003 (nothing later)
    assert cases.size == 1 and cases.h.tolist() == [2] and cases.outcome.tolist() == [4.0]
    assert cases.drift[0] == pytest.approx(np.log(2.0))


def test_reliability_table_bins():
    table = reliability_table(np.array([0.05, 0.07, 0.95]), np.array([0.0, 1.0, 1.0]))
    assert [(b["n"], b["observed"]) for b in table] == [(2, 0.5), (1, 1.0)]


def test_two_point_series_get_wide_honest_intervals():
    a = assess([(2020, 100.0), (2021, 110.0)], spec(">", 140), "projection")
    assert a.projection is not None and "volatility_from_corpus_only" in a.explanation.flags
    assert a.projection.high / a.projection.low > 1.6  # a 4-year 80 % interval spans more than 60 %
    assert 0.05 < a.p_meet < 0.6  # far from the former default's near-certainty
    old = assess([(2020, 100.0), (2021, 130.0)], spec(">", 150), "projection_ols")
    assert old.p_meet > 0.97 and assess([(2020, 100.0), (2021, 130.0)], spec(">", 150)).p_meet < 0.8


def test_constants_carry_their_provenance():
    assert "tuning half" in CONSTANTS.provenance and "wdi_researchers_per_million" in CONSTANTS.provenance
    assert len(CONSTANTS.kappa_table) == 10 and CONSTANTS.kappa(25) == CONSTANTS.kappa_table[-1]


def test_batch_agrees_on_level_scale_series():
    values = np.array([[0.0, 1.0, np.nan, 3.0], [-2.0, -1.0, 0.5, 1.0], [5.0, 4.0, 3.0, 2.5]])
    years = [2020, 2021, 2022, 2023]
    target = spec(">=", 4.0)
    batch = assess_batch(values, years, target, "projection")
    for i, row in enumerate(values):
        pts = [(y, float(v)) for y, v in zip(years, row) if not np.isnan(v)]
        one = assess(pts, target, "projection")
        assert batch.p_meet[i] == pytest.approx(one.p_meet, rel=1e-9)
        assert batch.projection[i] == pytest.approx(one.projection.value, rel=1e-9)
        assert batch.statuses()[i] is one.status


def test_a_bad_series_file_names_row_and_column(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("indicator,unit,period,value\nx,u,2020,1\nx,u,twenty,2\nx,u,2022,abc\n", encoding="utf-8")
    with pytest.raises(SeriesFileInvalid) as exc:
        read_series_csv(bad)
    assert exc.value.problems == ["row 3, column period: 'twenty' is not a year", "row 4, column value: 'abc' is not a number"]


