"""Inverting p_meet: the proposed target is the value the default method gives the asked odds."""

import math

import pytest

from scicity.assess import assess
from scicity.assess.proposal import (
    DEFAULT_LEVELS,
    Confidence,
    ConfidenceInvalid,
    average_growth,
    history_spec,
    invert_p_meet,
    parse_levels,
    round_target,
)
from scicity.domain.plan import Comparator, Direction, TargetKind

POINTS = [(2020, 100.0), (2021, 108.0), (2022, 119.0), (2023, 126.0), (2024, 137.0), (2025, 145.0)]


def spec_of(cmp=Comparator.GE, kind=TargetKind.LEVEL, direction=Direction.HIGHER):
    return lambda v: history_spec(kind, cmp, v, 2020, 2030, direction)


@pytest.mark.parametrize("p", [0.9, 0.6, 0.2, 0.05, 0.99])
def test_the_inverted_target_has_the_asked_p_meet(p):
    value = invert_p_meet(POINTS, spec_of(), Comparator.GE, p)
    assert value is not None
    assert assess(POINTS, spec_of()(value)).p_meet == pytest.approx(p, abs=1e-5)


def test_higher_confidence_gives_a_lower_target_and_lower_is_better_the_reverse():
    safe, ambitious = (invert_p_meet(POINTS, spec_of(), Comparator.GE, p) for p in (0.9, 0.2))
    assert safe < ambitious
    falling = [(y, 200 - v) for y, v in POINTS]
    spec = spec_of(Comparator.LE, direction=Direction.LOWER)
    safe, ambitious = (invert_p_meet(falling, spec, Comparator.LE, p) for p in (0.9, 0.2))
    assert safe > ambitious
    assert assess(falling, spec(safe)).p_meet == pytest.approx(0.9, abs=1e-5)


def test_strict_and_cumulative_targets_invert_too():
    flows = [(2021, 10.0), (2022, 12.0), (2023, 11.0), (2024, 14.0), (2025, 15.0)]
    spec = spec_of(Comparator.GT, TargetKind.CUMULATIVE)
    value = invert_p_meet(flows, spec, Comparator.GT, 0.6)
    assert value > sum(v for _, v in flows)  # the judged scale: flows since 2020, the new plan's on top
    assert assess(flows, spec(value)).p_meet == pytest.approx(0.6, abs=1e-5)


def test_one_point_has_no_p_meet_and_no_proposal():
    assert invert_p_meet([(2025, 5.0)], spec_of(), Comparator.GE, 0.5) is None


def test_between_and_equal_are_not_inverted():
    assert invert_p_meet(POINTS, spec_of(), Comparator.EQ, 0.5) is None


@pytest.mark.parametrize("p", [0.0, 1.0, -0.1, 1.5, math.nan])
def test_zero_and_hundred_percent_are_refused(p):
    with pytest.raises(ConfidenceInvalid, match="0 %|not a number|strictly"):
        Confidence("x", p)


def test_levels_from_text_in_per_cent():
    levels = parse_levels("safe=90, stretch=65,ambitious=20%")
    assert [(lv.name, lv.p) for lv in levels] == [("safe", 0.9), ("stretch", 0.65), ("ambitious", 0.2)]
    for bad in ("safe=0", "safe=100", "safe", "safe=x", ""):
        with pytest.raises(ConfidenceInvalid):
            parse_levels(bad)
    assert [lv.p for lv in DEFAULT_LEVELS] == [0.9, 0.6, 0.2]


def test_rounding_never_makes_a_safe_target_less_likely():
    assert round_target(10.87, 0, Comparator.GE, 0.9) == 10
    assert round_target(10.87, 0, Comparator.LE, 0.9) == 11
    assert round_target(10.87, 1, Comparator.GE, 0.2) == 10.9
    assert average_growth(100, 121, 2) == pytest.approx(0.1)
    assert average_growth(0, 5, 2) is None


def test_proposals_follow_a_recalibrated_default_method():
    """Re-register 'projection' as another method (the least-squares one): the proposal moves, and has the asked odds."""
    from scicity.assess.builtin import projection
    from scicity.assess.builtin.projection import ProjectionOptions
    from scicity.assess.catalogue import get_method, register_method

    before = invert_p_meet(POINTS, spec_of(), Comparator.GE, 0.9)
    info = get_method("projection")
    try:
        register_method("projection", projection.judge, description="recalibrated", native_labels=projection.NATIVE_LABELS,
                        default_options=ProjectionOptions(), replace=True)
        after = invert_p_meet(POINTS, spec_of(), Comparator.GE, 0.9)
        assert abs(after - before) > 1
        assert assess(POINTS, spec_of()(after)).p_meet == pytest.approx(0.9, abs=1e-5)
    finally:
        register_method("projection", info.fn, batch_fn=info.batch_fn, description=info.description,
                        native_labels=info.native_labels, guard_labels=info.guard_labels,
                        default_options=info.default_options, title=info.title, replace=True)
    assert get_method("projection") == info
    assert invert_p_meet(POINTS, spec_of(), Comparator.GE, 0.9) == pytest.approx(before)
