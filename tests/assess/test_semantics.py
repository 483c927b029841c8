"""Guards and target semantics shared by every method: baseline, as-of, kinds, comparators, hold, options."""

from __future__ import annotations

import math

import pytest

from scicity.assess import (
    Guard,
    ProjectionOptions,
    ScheduleThresholds,
    Status,
    TargetSpec,
    assess,
    assess_all,
    methods,
    prepare,
)
from scicity.domain.plan import Comparator, Direction, TargetKind

from .helpers import points, spec


def test_strict_comparator_equal_is_not_met():
    pts = [(2020, 300.0), (2023, 500.0)]
    assert assess(pts, spec(">", 500), "schedule").status is not Status.ACHIEVED
    assert assess(pts, spec(">=", 500), "schedule").status is Status.ACHIEVED


def test_as_of_drops_later_points():
    pts = points(4.5, 4.65, 4.85, 5.0, 5.6)
    a = assess(pts, spec(">", 5.5), "eurostat", as_of=2023)
    assert a.status is Status.AT_RISK and a.judged_value == 5.0 and not a.final
    assert assess(pts, spec(">", 5.5), "eurostat").status is Status.ACHIEVED


def test_points_before_baseline_are_ignored_and_missing_baseline_is_substituted():
    pts = [(2018, 1.0), (2019, 2.0), (2021, 4.5), (2023, 5.0)]
    a = assess(pts, spec(">", 5.5), "schedule")
    assert "baseline_substituted" in a.explanation.flags
    assert a.explanation.inputs["t0"] == 2021 and a.explanation.inputs["y0"] == 4.5
    assert a.explanation.inputs["tau"] == pytest.approx(2 / 4)


def test_insufficient_data():
    for pts in ([], [(2020, 4.5)], [(2019, 4.0), (2020, 4.5)], [(2023, 5.0)]):
        for name, a in assess_all(pts, spec(">", 5.5)).items():
            assert a.status is Status.INSUFFICIENT_DATA, (name, pts)
            assert a.projection is None and a.p_meet is None and not a.final
    assert assess([(2020, 1.0)], spec(">", 5), "opensdg").native_label == "not_available"


def test_nan_values_count_as_missing():
    a = assess([(2020, 4.5), (2021, math.nan), (2023, 5.0)], spec(">", 5.5), "eurostat")
    assert "nonfinite_values_dropped" in a.explanation.flags
    assert a.explanation.inputs["n"] == 2


def test_duplicate_years_are_refused_with_advice():
    with pytest.raises(ValueError, match="latest vintage"):
        assess([(2020, 1.0), (2020, 2.0)], spec())


def test_invalid_spec_reports_every_problem():
    with pytest.raises(ValueError) as err:
        TargetSpec(Comparator.BETWEEN, 5, 3, TargetKind.LEVEL, 2025, 2020)
    assert "baseline_year" in str(err.value) and "below" in str(err.value)


def test_increment_target_is_baseline_plus_n():
    a = assess([(2020, 10.0), (2022, 12.0)], spec(">=", 5, kind=TargetKind.INCREMENT), "schedule")
    assert a.judged_target == 15.0
    assert a.explanation.inputs["C"] == pytest.approx(0.4)
    assert assess([(2020, 10.0), (2022, 15.0)], spec(">=", 5, kind=TargetKind.INCREMENT)).status is Status.ACHIEVED


def test_cumulative_target_sums_flows_after_the_baseline():
    flows = [(2019, 99.0), (2020, 50.0), (2021, 10.0), (2022, 20.0), (2023, 30.0)]
    target = spec(">=", 100, kind=TargetKind.CUMULATIVE)
    a = assess(flows, target, "schedule")
    assert a.judged_value == 60.0  # 10 + 20 + 30: the baseline year's flow is not counted
    assert a.explanation.inputs["y0"] == 0.0 and a.explanation.inputs["C"] == pytest.approx(0.6)
    assert a.status is Status.ON_TRACK
    assert a.recent_yearly_change == 30.0
    e = assess(flows, target, "eurostat")
    assert "cagr_undefined_linear_fallback" in e.explanation.flags  # y0 = 0
    assert assess(flows + [(2024, 45.0)], target, "schedule").status is Status.ACHIEVED


def test_cumulative_gaps_are_flagged():
    a = assess([(2021, 10.0), (2023, 30.0)], spec(">=", 100, kind=TargetKind.CUMULATIVE), "schedule")
    assert "cumulative_missing_years_counted_as_zero" in a.explanation.flags
    assert a.judged_value == 40.0


def test_hold_when_baseline_already_meets():
    target = spec("<=", 10, direction=Direction.LOWER)
    still = assess([(2020, 8.0), (2023, 9.0)], target, "eurostat")
    assert still.status is Status.ACHIEVED and "hold_baseline_already_met" in still.explanation.flags
    lost = assess_all([(2020, 8.0), (2023, 11.0)], target)
    for name, a in lost.items():
        assert a.status is Status.REGRESSING, name
    assert lost["eurostat"].native_label == "movement away"
    assert lost["projection"].p_meet is not None  # the projection still says how likely it is back by 2025


def test_between_aims_at_the_nearer_bound_from_the_baseline_side():
    band = spec("between", 2.0, high=3.0)
    below = assess([(2020, 1.0), (2023, 1.6)], band, "schedule")
    assert below.judged_target == 2.0 and below.explanation.inputs["C"] == pytest.approx(0.6)
    above = assess([(2020, 5.0), (2023, 3.8)], band, "schedule")
    assert above.judged_target == 3.0 and above.explanation.inputs["d"] == -1
    assert above.explanation.inputs["C"] == pytest.approx(0.6)
    assert assess([(2020, 1.0), (2023, 2.5)], band).status is Status.ACHIEVED


def test_between_p_meet_is_the_probability_of_landing_in_the_band():
    band = spec("between", 2.0, high=3.0)
    far = assess([(2020, 1.0), (2021, 1.5)], band, "projection_ols")  # heading for 3.5 by 2025: overshoots
    near = assess([(2020, 1.0), (2021, 1.25)], band, "projection_ols")  # heading for 2.25: inside
    assert near.p_meet is not None and far.p_meet is not None and near.p_meet > far.p_meet


def test_equal_target_is_reached_from_the_baseline_side():
    target = spec("==", 0.0, direction=Direction.LOWER)
    a = assess([(2020, 10.0), (2023, 4.0)], target, "schedule")
    assert a.explanation.inputs["C"] == pytest.approx(0.6) and a.status is Status.ON_TRACK
    assert assess([(2020, 10.0), (2023, 0.0)], target).status is Status.ACHIEVED


def test_direction_conflicting_with_comparator_is_flagged():
    a = assess([(2020, 1.0), (2023, 2.0)], spec(">", 5, direction=Direction.LOWER), "schedule")
    assert "direction_conflicts_with_comparator" in a.explanation.flags


def test_final_verdict_rules():
    series = points(4.5, 4.65, 4.85, 5.0, 5.3)
    a = assess(series, spec(">", 5.5), "schedule", as_of=2025)
    assert (a.status, a.final) == (Status.MISSED, True)
    assert "final_without_target_year_value" in a.explanation.flags
    later = points(4.5, 4.65, 4.85, 5.0, 5.3, 5.4, 5.9)  # 2026 value is after the target year
    b = assess(later, spec(">", 5.5), "schedule")
    assert (b.status, b.final) == (Status.MISSED, True) and b.judged_value == 5.4
    assert "points_after_target_year_ignored" in b.explanation.flags
    c = assess(points(4.5, 4.65, 4.85, 5.0, 5.3, 5.6), spec(">", 5.5), "opensdg")
    assert (c.status, c.final, c.score, c.native_label) == (Status.ACHIEVED, True, 5.0, "target_achieved")


def test_prepare_exposes_the_case():
    case = prepare([(2023, 5.0), (2020, 4.5)], spec(">", 5.5))
    assert (case.t0, case.y0, case.tc, case.yc, case.aim, case.d, case.guard) == (2020, 4.5, 2023, 5.0, 5.5, 1, None)
    assert prepare([(2020, 4.5)], spec()).guard is Guard.INSUFFICIENT


def test_schedule_thresholds_are_configurable():
    pts = points(4.5, 4.65, 4.85, 5.0)  # C = 0.5, tau = 0.6
    assert assess(pts, spec(), "schedule").status is Status.AT_RISK
    lenient = ScheduleThresholds(ahead=1.1, on_schedule=0.8, behind=0.5)
    assert assess(pts, spec(), "schedule", options=lenient).native_label == "on schedule"
    strict = ScheduleThresholds(ahead=1.5, on_schedule=1.2, behind=0.9)
    assert assess(pts, spec(), "schedule", options=strict).status is Status.OFF_TRACK
    all_ = assess_all(pts, spec(), options={"schedule": lenient})
    assert all_["schedule"].status is Status.ON_TRACK
    with pytest.raises(ValueError, match="behind <= on_schedule"):
        ScheduleThresholds(on_schedule=0.3)
    with pytest.raises(TypeError, match="ScheduleThresholds"):
        assess(pts, spec(), "schedule", options=ProjectionOptions())


def test_schedule_follows_milestones_when_given():
    # plan expects a slow start: 4.6 by 2023 on the way from 4.5 to 5.5; 4.85 is ahead of that
    target = spec(">", 5.5, milestones=((2023, 4.6),))
    a = assess(points(4.5, 4.6, 4.7, 4.85), target, "schedule")
    assert a.explanation.inputs["schedule"] == "milestones"
    assert a.explanation.inputs["tau"] == pytest.approx(0.1)
    assert a.native_label == "ahead of schedule"
    assert assess(points(4.5, 4.6, 4.7, 4.85), spec(">", 5.5), "schedule").status is Status.AT_RISK


def test_projection_options_change_the_verdict():
    pts = [(2020, 300.0), (2023, 420.0)]
    a = assess(pts, spec(">", 490), "projection_ols")  # p_meet = P(Z > (490 - 500) / 20.55) = 0.687
    assert a.p_meet == pytest.approx(0.687, abs=1e-3) and a.status is Status.AT_RISK
    assert assess(pts, spec(">", 490), "projection_ols", options=ProjectionOptions(on_track=0.65)).status is Status.ON_TRACK


def test_projection_prefers_loglinear_only_when_clearly_better():
    growth = points(100, 120, 144, 172.8, 207.36)  # exactly 20 % a year
    a = assess(growth, spec(">", 400, target=2026), "projection_ols")
    assert a.explanation.inputs["model"] == "log-linear"
    assert a.projection is not None and a.projection.value == pytest.approx(100 * 1.2**6)
    line = assess(points(100, 110, 120, 130), spec(">", 400), "projection_ols")
    assert line.explanation.inputs["model"] == "linear"


def test_every_method_reports_the_same_changes():
    results = assess_all(points(4.5, 4.65, 4.85, 5.0), spec(">", 5.5))
    assert all(a.required_yearly_change == pytest.approx(0.25) for a in results.values())
    assert len({a.recent_yearly_change for a in results.values()}) == 1
    for a in results.values():
        assert a.explanation.summary and a.explanation.formula and a.explanation.steps


def test_methods_order_and_descriptions():
    assert methods()[0] == "projection"
    assert set(methods()) >= {"projection", "schedule", "eurostat", "opensdg", "unsd", "escap"}


def test_strict_target_says_the_required_change_must_be_exceeded():
    a = assess([(2020, 300.0), (2023, 420.0)], spec(">", 500), "eurostat")
    assert any("must rise faster than this, since '>' is strict" in s for s in a.explanation.steps)
    b = assess([(2020, 300.0), (2023, 420.0)], spec(">=", 500), "eurostat")
    assert not any("strict" in s for s in b.explanation.steps)
