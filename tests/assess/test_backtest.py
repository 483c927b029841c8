"""Backtest on made-up cases whose numbers are checked by hand.

All targets: > value by 2025, baseline 2020, judged as of 2021 (two points, so
the projection is normal with the floor sigma = max(1 % of the mean level,
a quarter of the yearly change) and sd = sigma * sqrt(1 + 1/2 + 4.5^2 / 0.5)
= sigma * sqrt(42)).

- A: 100 -> 110, > 140. yT_hat = 150, sigma = 2.5, sd = 16.20;
  p = Phi(10 / 16.20) = 0.7315 -> at_risk (predicts a miss); ends at 160: met.
- B: 100 -> 110, > 150. yT_hat = 150 exactly: p = 0.5 -> at_risk; ends at 150: not met (strict).
- C: 100 -> 90, > 120. Trend away: regressing, p = 1 - Phi(70 / 16.20) = 7.8e-6; ends at 80: not met.
- D: 100 -> 130, > 150. yT_hat = 250, sigma = 7.5, sd = 48.61;
  p = Phi(100 / 48.61) = 0.9802 -> on_track; ends at 200: met.
- E: no value in 2021: insufficient data (counted in n, not in hit rate or Brier); ends met.
- F: no value at the target year yet: outcome unknown, skipped.

Hit rate = 3 of 4 (A is the miss). Brier = ((1 - 0.7315)^2 + 0.5^2 + 0^2 + (1 - 0.9802)^2) / 4 = 0.0806.
"""

from __future__ import annotations

import pytest

from scicity.assess import Status, backtest

from .helpers import spec

CASES = [
    ("A", [(2020, 100.0), (2021, 110.0), (2023, 130.0), (2025, 160.0)], spec(">", 140)),
    ("B", [(2020, 100.0), (2021, 110.0), (2025, 150.0)], spec(">", 150)),
    ("C", [(2020, 100.0), (2021, 90.0), (2025, 80.0)], spec(">", 120)),
    ("D", [(2020, 100.0), (2021, 130.0), (2025, 200.0)], spec(">", 150)),
    ("E", [(2020, 100.0), (2022, 130.0), (2025, 200.0)], spec(">", 150)),
    ("F", [(2020, 100.0), (2021, 130.0), (2023, 200.0)], spec(">", 150)),
]


def test_projection_backtest_hand_checked():
    report = backtest(CASES, as_of=2021, method="projection_ols")
    rows = {r.key: r for r in report.rows}
    assert report.skipped == ("F",) and report.n == 5
    assert rows["A"].p_meet == pytest.approx(0.7315, abs=1e-4) and rows["A"].status_then is Status.AT_RISK
    assert rows["B"].p_meet == pytest.approx(0.5)
    assert rows["C"].status_then is Status.REGRESSING and rows["C"].p_meet == pytest.approx(7.8e-6, abs=1e-6)
    assert rows["D"].p_meet == pytest.approx(0.9802, abs=1e-4) and rows["D"].predicted_meet
    assert rows["E"].status_then is Status.INSUFFICIENT_DATA and rows["E"].p_meet is None
    assert [rows[k].final_met for k in "ABCDE"] == [True, False, False, True, True]
    assert report.hit_rate == pytest.approx(0.75)
    assert report.brier == pytest.approx(0.0806, abs=1e-4)
    assert (report.method, report.as_of) == ("projection_ols", 2021)


def test_schedule_backtest_has_no_brier():
    # schedule as of 2021 (tau = 0.2): A C = 10/40 = 0.25 >= 0.9 tau on schedule; B 10/50 = 0.2 on; C backwards; D 30/50 ahead
    report = backtest(CASES, as_of=2021, method="schedule")
    statuses = {r.key: r.status_then for r in report.rows}
    assert statuses == {"A": Status.ON_TRACK, "B": Status.ON_TRACK, "C": Status.REGRESSING, "D": Status.ON_TRACK,
                        "E": Status.INSUFFICIENT_DATA}
    assert report.hit_rate == pytest.approx(0.75)  # B predicted met, ends 150 (not > 150)
    assert report.brier is None


def test_targets_at_or_before_the_as_of_year_are_skipped_with_their_reason():
    early = ("G", [(2020, 100.0), (2021, 120.0), (2022, 130.0)], spec(">", 110, target=2022))
    report = backtest([*CASES, early], as_of=2022, method="projection_ols")
    reasons = {s.key: s.reason for s in report.skipped_reasons}
    assert "not after the as-of year 2022" in reasons["G"] and "not known" in reasons["F"]
    assert report.skipped == ("F", "G")
    assert backtest(CASES, as_of=2025).n == 0


def test_no_verdict_rows_and_the_confusion_matrix():
    report = backtest(CASES, as_of=2021, method="projection_ols")
    rows = {r.key: r for r in report.rows}
    assert rows["E"].hit is None and rows["A"].hit is False and rows["D"].hit is True
    assert report.no_verdict == 1
    assert report.confusion() == {"meet_met": 1, "meet_missed": 0, "miss_met": 1, "miss_missed": 2}
    assert report.coverage is not None


def test_empty_backtest():
    report = backtest([], as_of=2022)
    assert (report.n, report.hit_rate, report.brier) == (0, None, None)
