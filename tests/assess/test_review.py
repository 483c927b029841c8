"""The official vocabulary (docs/methods.md, "The official vocabulary"): labels, completion rate, growth."""

from __future__ import annotations

import pytest

from scicity.assess import Status
from scicity.assess.review import ReviewLabel, ReviewThresholds, count_labels, label_text, review
from scicity.domain.plan import Direction, TargetKind

from .helpers import points, spec

GT55 = spec(">", 5.5)


def test_midterm_ahead_when_the_target_is_already_met():
    r = review(points(4.5, 5.0, 5.6), GT55)
    assert r.label is ReviewLabel.AHEAD and r.stage == "midterm"
    assert label_text(r.label, "zh") == "提前实现"
    assert r.gap == 0.0


def test_midterm_faster_in_line_lagging_from_the_pace():
    # baseline 4.5, target 5.5 by 2025; as of 2023 tau = 0.6
    faster = review(points(4.5, 4.8, 5.0, 5.2), GT55)  # C = 0.7, P = 1.1667
    assert faster.label is ReviewLabel.FASTER
    assert faster.progress == pytest.approx(0.7) and faster.elapsed == pytest.approx(0.6)
    assert faster.pace == pytest.approx(0.7 / 0.6)
    in_line = review(points(4.5, 4.65, 4.85, 5.0), GT55)  # C = 0.5, P = 0.8333 -> lagging
    assert in_line.label is ReviewLabel.LAGGING
    assert in_line.rule.startswith("pace P = 0.5 / 0.6 = 0.8333 < 0.9")
    assert review(points(4.5, 4.65, 4.85, 5.0), GT55, thresholds=ReviewThresholds(in_line=0.8)).label is ReviewLabel.IN_LINE
    exact = review(points(4.5, 4.7, 4.9, 5.1), GT55)  # C = 0.6, P = 1.0
    assert exact.label is ReviewLabel.IN_LINE
    assert label_text(exact.label, "zh") == "基本符合预期"


def test_a_lagging_pace_with_an_on_track_projection_is_broadly_in_line():
    r = review(points(4.5, 4.65, 4.85, 5.0), GT55, status=Status.ON_TRACK)
    assert r.label is ReviewLabel.IN_LINE and "trend projection" in r.rule
    assert review(points(4.5, 4.65, 4.85, 5.0), GT55, status="at_risk").label is ReviewLabel.LAGGING


def test_final_completed_and_not_completed_with_the_gap():
    done = review(points(4.5, 4.7, 4.9, 5.1, 5.4, 5.6), GT55)
    assert done.label is ReviewLabel.COMPLETED and done.stage == "final"
    assert done.completion_rate == pytest.approx(5.6 / 5.5)
    assert done.required_yearly_change is None
    missed = review(points(4.5, 4.7, 4.9, 5.1, 5.2, 5.3), GT55)
    assert missed.label is ReviewLabel.NOT_COMPLETED and label_text(missed.label, "zh") == "未完成"
    assert missed.gap == pytest.approx(0.2)
    assert missed.completion_rate == pytest.approx(5.3 / 5.5)
    # required vs achieved: the straight path needed 0.2 a year, 0.16 was achieved
    assert missed.planned_yearly_change == pytest.approx(0.2)
    assert missed.achieved_yearly_change == pytest.approx(0.16)


def test_final_at_the_as_of_year_without_later_data():
    r = review(points(4.5, 4.7, 4.9, 5.1, 5.4), GT55, as_of=2025)
    assert r.stage == "final" and r.label is ReviewLabel.NOT_COMPLETED and r.latest_period == 2024


def test_lower_is_better_completion_is_target_over_actual():
    s = spec("<=", 40, direction=Direction.LOWER)
    r = review(points(50, 48, 46, 44, 42, 41), s)
    assert r.label is ReviewLabel.NOT_COMPLETED
    assert r.completion_rate == pytest.approx(40 / 41)
    assert r.gap == pytest.approx(1)
    assert "target over actual" in r.completion_formula


def test_increment_completion_is_change_over_promise():
    s = spec(">=", 5, kind=TargetKind.INCREMENT)
    r = review(points(2, 3, 4, 5, 6, 6), s)
    assert r.completion_rate == pytest.approx(4 / 5)
    assert r.label is ReviewLabel.NOT_COMPLETED and r.gap == pytest.approx(1)
    assert r.average_annual_growth == pytest.approx((6 / 2) ** (1 / 5) - 1)


def test_cumulative_completion_is_the_sum_over_the_target():
    s = spec(">=", 300, kind=TargetKind.CUMULATIVE)
    r = review(points(40, 50, 60, 70), s)  # flows 50+60+70 = 180 by 2023
    assert r.latest_value == pytest.approx(180)
    assert r.completion_rate == pytest.approx(0.6)
    assert r.pace == pytest.approx(1.0) and r.label is ReviewLabel.IN_LINE
    # growth of the yearly flow from the first year after the baseline: 50 -> 70 over 2 years
    assert r.average_annual_growth == pytest.approx((70 / 50) ** 0.5 - 1)


def test_between_completion():
    s = spec("between", 2, high=3)
    assert review(points(1, 2.5), s).completion_rate == 1.0
    assert review(points(1, 1.5), s).completion_rate == pytest.approx(0.75)
    assert review(points(4, 3.5), s).completion_rate == pytest.approx(3 / 3.5)


def test_no_data_and_only_a_baseline():
    assert review([], GT55).label is ReviewLabel.NO_DATA
    only = review([(2020, 4.5)], GT55)
    assert only.label is ReviewLabel.NO_DATA and only.average_annual_growth is None
    assert only.baseline_value == 4.5


def test_growth_undefined_for_a_zero_start():
    r = review(points(0, 1, 2), spec(">=", 3))
    assert r.average_annual_growth is None and r.growth_formula is None


def test_counts_in_label_order_and_json():
    labels = [ReviewLabel.LAGGING, ReviewLabel.AHEAD, ReviewLabel.LAGGING]
    assert list(count_labels(labels).items()) == [("ahead", 1), ("lagging", 2)]
    j = review(points(4.5, 5.0, 5.6), GT55).as_json()
    assert j["label"] == "ahead" and j["label_zh"] == "提前实现" and j["label_en"] == "achieved ahead of schedule"
