"""Target kinds that real plans word relative to the baseline: semantics and test vectors (docs/methods.md).

Baseline 2020, target year 2025, latest 2023 unless said otherwise.
"""

from __future__ import annotations

import numpy as np
import pytest
from pydantic import ValidationError

from scicity.assess import Status, assess, assess_batch, methods
from scicity.domain.plan import Target, TargetKind

from .helpers import points, spec

AVG = TargetKind.AVERAGE_GROWTH


def test_average_growth_implies_a_compound_level():
    # "more than 7 % a year on average over 2021-2025": 100 * 1.07^5 = 140.255
    a = assess(points(100, 107, 114.5, 122.5), spec(">", 7, kind=AVG), "schedule")
    assert a.judged_target == pytest.approx(100 * 1.07**5)
    assert a.explanation.inputs["yT"] == pytest.approx(140.2552, abs=1e-4)
    # exactly 7 % a year to 2025 meets '>= 7' but not '> 7' (the level equals the implied one)
    exact = [(2020, 100.0), (2025, 100 * 1.07**5)]
    assert assess(exact, spec(">=", 7, kind=AVG)).status is Status.ACHIEVED
    assert assess([(2020, 100.0), (2025, 140.0)], spec(">", 7, kind=AVG)).status is Status.MISSED  # 6.96 % a year


def test_points_change_is_an_increment_in_percentage_points():
    # "rises by 2 points": 2.1 % -> at least 4.1 %
    a = assess(points(2.1, 2.6, 3.3, 3.9), spec(">=", 2, kind=TargetKind.POINTS_CHANGE), "schedule")
    assert a.judged_target == pytest.approx(4.1) and a.explanation.inputs["C"] == pytest.approx(0.9)
    assert assess(points(2.1, 2.6, 3.3, 4.2), spec(">=", 2, kind=TargetKind.POINTS_CHANGE)).status is Status.ACHIEVED


def test_reduction_by_a_share_of_the_baseline_lower_is_better():
    # "reduce by 15 % from the 2020 level": 0.60 -> at most 0.51
    red = spec("<=", 15, kind=TargetKind.REDUCTION)
    a = assess(points(0.60, 0.58, 0.56, 0.54), red, "schedule")
    assert a.judged_target == pytest.approx(0.51) and a.explanation.inputs["d"] == -1
    assert a.explanation.inputs["C"] == pytest.approx(2 / 3)
    assert assess([(2020, 0.60), (2025, 0.51)], red).status is Status.ACHIEVED
    assert assess([(2020, 0.60), (2025, 0.52)], red).status is Status.MISSED


def test_not_below_the_baseline_level():
    hold = spec(">=", 0, kind=TargetKind.NOT_BELOW_BASELINE)
    assert assess(points(50, 49, 51, 52), hold).status is Status.ACHIEVED
    fell = assess(points(50, 49, 48, 47), hold, "schedule")
    assert fell.status is Status.REGRESSING  # the baseline met it and the latest value no longer does
    assert assess([(2020, 50.0), (2025, 49.9)], hold).status is Status.MISSED


@pytest.mark.parametrize("kind, cmp, value", [(AVG, ">", 7.0), (TargetKind.POINTS_CHANGE, ">=", 2.0),
                                              (TargetKind.REDUCTION, "<=", 15.0), (TargetKind.NOT_BELOW_BASELINE, ">=", 0.0)])
def test_batch_agrees_on_every_new_kind(kind, cmp, value):
    values = np.array([[100, 104, np.nan, 112], [0.6, 0.58, 0.57, 0.55], [2.0, np.nan, 3.0, 3.5], [50, 49, 48, 47]], dtype=float)
    years = [2020, 2021, 2022, 2023]
    target = spec(cmp, value, kind=kind)
    for method in methods():
        result = assess_batch(values, years, target, method)
        for i, row in enumerate(values):
            pts = [(y, float(v)) for y, v in zip(years, row) if not np.isnan(v)]
            one = assess(pts, target, method)
            assert result.statuses()[i] is one.status, (method, i)
            if result.p_meet is not None and one.p_meet is not None:
                assert result.p_meet[i] == pytest.approx(one.p_meet, rel=1e-9, abs=1e-12), (method, i)


def test_plan_rules_for_the_new_kinds():
    with pytest.raises(ValidationError, match="reduction"):
        Target(comparator=">=", value=15, kind="reduction")
    with pytest.raises(ValidationError, match="not_below_baseline"):
        Target(comparator=">", value=0, kind="not_below_baseline")
    with pytest.raises(ValidationError, match="above -100"):
        Target(comparator=">", value=-120, kind="average_growth")
    assert Target(comparator=">", value=7, kind="average_growth").describe() == "> 7 %/yr avg"
    assert Target(comparator="<=", value=15, kind="reduction").describe() == "−15 % from baseline"
    assert Target(comparator=">=", value=2, kind="points_change").describe() == ">= +2 pts"
