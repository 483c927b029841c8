"""The test vectors of ASSESSMENT.md, with the numbers given there.

Baseline 2020, latest 2023, target year 2025 (tau = 0.6) unless said otherwise.
"""

from __future__ import annotations

import pytest

from scicity.assess import Status, assess, assess_all, methods
from scicity.domain.plan import Direction, TargetKind

from .helpers import points, spec



def g(text: str):
    """Equal to the number as ASSESSMENT.md prints it, up to rounding in its last digit."""
    decimals = len(text.split(".")[1]) if "." in text else 0
    return pytest.approx(float(text), abs=0.5 * 10**-decimals * (1 + 1e-9))

V1 = points(4.5, 4.65, 4.85, 5.0)
GT55 = spec(">", 5.5)


def inp(a, key):
    return a.explanation.inputs[key]


# 1 ---------------------------------------------------------------------------
def test_vector_1_growth_rates_and_ratio():
    a = assess(V1, GT55, "eurostat")
    assert inp(a, "ga") == g("0.03574")
    assert inp(a, "gr") == g("0.04095")
    assert inp(a, "R") == g("0.8729")
    assert (a.native_label, a.status) == ("moderate progress", Status.AT_RISK)
    assert "R = ga / gr = 0.03574 / 0.04095 = 0.8729" in a.explanation.steps


def test_vector_1_opensdg_moderate_with_score():
    a = assess(V1, GT55, "opensdg")
    assert a.native_label == "moderate_progress"
    assert a.score == g("1.949")


def test_vector_1_unsd_projection_ratio():
    a = assess(V1, GT55, "unsd")
    assert a.projection is not None and a.projection.value == g("5.364")
    assert inp(a, "P") == g("0.864")
    assert a.status is Status.AT_RISK


def test_vector_1_escap_projection():
    a = assess(V1, GT55, "escap")
    assert a.projection is not None and a.projection.value == g("5.358")


def test_vector_1_linear_projection():
    a = assess(V1, GT55, "projection_ols")
    # the vector's "linear ŷ 5.333" is the straight line through baseline and latest value
    assert inp(a, "yT_hat_linear_endpoint") == g("5.333")
    # the projection method fits least squares on all four points: 4.75 + 0.17 * 3.5
    assert inp(a, "yT_hat_linear") == g("5.345")
    assert a.required_yearly_change == pytest.approx(0.25)
    assert a.recent_yearly_change == pytest.approx(0.15)


def test_vector_1_schedule_behind():
    a = assess(V1, GT55, "schedule")
    assert inp(a, "C") == g("0.50")
    assert inp(a, "tau") == g("0.6")
    assert (a.status, a.native_label) == (Status.AT_RISK, "behind schedule")


# 2 ---------------------------------------------------------------------------
V2 = [(2020, 300.0), (2023, 420.0)]
GT500 = spec(">", 500)


def test_vector_2_ratio_methods():
    e = assess(V2, GT500, "eurostat")
    assert inp(e, "R") == g("1.1034")
    assert (e.native_label, e.status) == ("significant progress", Status.ON_TRACK)
    o = assess(V2, GT500, "opensdg")
    assert o.native_label == "substantial_progress"
    assert o.score == g("3.596")
    u = assess(V2, GT500, "unsd")
    assert u.projection is not None and u.projection.value == g("525.6")
    assert inp(u, "P") == g("1.128")
    assert u.status is Status.ON_TRACK


def test_vector_2_linear_projection_exactly_on_strict_threshold():
    a = assess(V2, GT500, "projection_ols")
    assert a.projection is not None
    assert a.projection.value == 500.0  # exactly
    assert "strict_threshold_point_projection" in a.explanation.flags
    assert a.p_meet == pytest.approx(0.5, abs=1e-12)  # point on the threshold: a coin toss, not "met"
    assert a.status is Status.AT_RISK
    assert a.required_yearly_change == pytest.approx(40.0)
    assert a.recent_yearly_change == pytest.approx(40.0)


def test_vector_2_schedule_on_time():
    a = assess(V2, GT500, "schedule")
    assert inp(a, "C") == pytest.approx(0.6) and inp(a, "tau") == pytest.approx(0.6)
    assert (a.status, a.native_label) == (Status.ON_TRACK, "on schedule")


# 3 ---------------------------------------------------------------------------
def test_vector_3_achieved_by_every_method():
    for name, a in assess_all([(2020, 40.0), (2023, 75.0)], spec(">", 70)).items():
        assert a.status is Status.ACHIEVED, name
        assert not a.final
    assert assess([(2020, 40.0), (2023, 75.0)], spec(">", 70), "opensdg").score == 5


# 4 ---------------------------------------------------------------------------
V4 = points(100, 98.5, 97.2, 96)
LE865 = spec("<=", 86.5, direction=Direction.LOWER)


def test_vector_4_lower_is_better():
    e = assess(V4, LE865, "eurostat")
    assert inp(e, "ga") == g("-0.01352")
    assert inp(e, "gr") == g("-0.02859")
    assert inp(e, "R") == g("0.4727")
    assert (e.native_label, e.status) == ("insufficient progress", Status.OFF_TRACK)
    o = assess(V4, LE865, "opensdg")
    assert o.native_label == "limited_progress"
    assert o.score == g("-0.530")
    u = assess(V4, LE865, "unsd")
    assert u.projection is not None and u.projection.value == g("93.42")
    assert inp(u, "P") == g("0.487")
    assert u.status is Status.AT_RISK


def test_vector_4_methods_disagree_and_both_are_shown():
    all_ = assess_all(V4, LE865)
    assert list(all_) == methods()
    assert all_["eurostat"].status is Status.OFF_TRACK and all_["unsd"].status is Status.AT_RISK


# 5, 6 ------------------------------------------------------------------------
def test_vector_5_movement_away():
    v5 = [(2020, 4.5), (2023, 4.3)]
    e = assess(v5, GT55, "eurostat")
    assert inp(e, "R") == g("-0.3673")
    assert (e.native_label, e.status) == ("movement away", Status.REGRESSING)
    o = assess(v5, GT55, "opensdg")
    assert o.native_label == "deterioration"
    assert o.score == g("-4.030")
    u = assess(v5, GT55, "unsd")
    assert inp(u, "P") == g("-0.328")
    assert u.status is Status.REGRESSING


def test_vector_6_slight_movement_away():
    e = assess([(2020, 4.5), (2023, 4.4724)], GT55, "eurostat")
    assert inp(e, "R") == g("-0.05")
    assert e.native_label == "movement away"


# 7 ---------------------------------------------------------------------------
UNICORNS = [(2020, 0.0), (2023, 3.0)]
PLUS5 = spec(">=", 5, kind=TargetKind.INCREMENT)


def test_vector_7_zero_baseline_uses_linear_forms():
    e = assess(UNICORNS, PLUS5, "eurostat")
    assert "cagr_undefined_linear_fallback" in e.explanation.flags
    assert inp(e, "form") == "linear"
    u = assess(UNICORNS, PLUS5, "unsd")
    assert "cagr_undefined_linear_fallback" in u.explanation.flags
    assert u.judged_target == 5.0


def test_vector_7_schedule_on_time():
    a = assess(UNICORNS, PLUS5, "schedule")
    assert inp(a, "C") == pytest.approx(0.6) and inp(a, "tau") == pytest.approx(0.6)
    assert a.status is Status.ON_TRACK


def test_vector_7_opensdg_flags_substitution():
    a = assess(UNICORNS, PLUS5, "opensdg")
    assert "opensdg_zero_substituted_0.001" in a.explanation.flags
    assert a.native_label == "substantial_progress"


# 8 ---------------------------------------------------------------------------
def test_vector_8_sign_change():
    pts = [(2020, -2.0), (2023, 1.0)]
    target = spec(">", 3)
    o = assess(pts, target, "opensdg")
    assert (o.status, o.native_label, o.score) == (Status.INSUFFICIENT_DATA, "not_available", None)
    assert "opensdg_sign_change_no_result" in o.explanation.flags
    for name in ("eurostat", "unsd", "escap"):
        a = assess(pts, target, name)
        assert "cagr_undefined_linear_fallback" in a.explanation.flags, name
        assert a.status is not Status.INSUFFICIENT_DATA
    assert "loglinear_unavailable_nonpositive" in assess(pts, target, "projection_ols").explanation.flags


# 9 ---------------------------------------------------------------------------
def test_vector_9_final_verdicts():
    series = points(4.5, 4.65, 4.85, 5.0, 5.3, 5.6)
    for name, a in assess_all(series, GT55, as_of=2025).items():
        assert (a.status, a.final) == (Status.ACHIEVED, True), name
    missed = series[:-1] + [(2025, 5.4)]
    for name, a in assess_all(missed, GT55, as_of=2025).items():
        assert (a.status, a.final) == (Status.MISSED, True), name
        assert a.required_yearly_change is None
