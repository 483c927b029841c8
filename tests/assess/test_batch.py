"""assess_batch agrees with assess() series by series, bit for bit.

Each method's formulas exist once, vectorised; assess() judges a batch of one and explains it. These
tests hold the two entry points (and their different preparation of the series) to the same numbers.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scicity.assess import Status, assess, assess_batch, methods, register_method, unregister_method
from scicity.assess.types import Verdict
from scicity.domain.plan import TargetKind

from .helpers import spec
from .strategies import CELL, specs, year_grid


def same_number(batch_value: float, scalar_value: float | None) -> bool:
    """The same float, bit for bit (NaN for none; NaN equals NaN)."""
    if scalar_value is None or math.isnan(scalar_value):
        return math.isnan(batch_value)
    return float(batch_value) == scalar_value


class Where:
    """Says which series disagreed (built into text only when an assertion fails)."""

    def __init__(self, *parts: object) -> None:
        self.parts = parts

    def __repr__(self) -> str:
        method, i, pts, target, as_of, values, years = self.parts
        return f"{method} row {i}: {pts} {target} as_of={as_of}; matrix {values.tolist()} years {list(years)}"


def check_agreement(values: np.ndarray, years: list[int], target, as_of: int | None, method: str) -> None:
    result = assess_batch(values, years, target, method, as_of=as_of)
    statuses = result.statuses()
    labels = result.labels()
    for i, row in enumerate(values):
        pts = [(y, float(v)) for y, v in zip(years, row) if not math.isnan(v)]
        one = assess(pts, target, method, as_of=as_of)
        where = Where(method, i, pts, target, as_of, values, years)
        assert statuses[i] is one.status, where
        assert labels[i] == one.native_label, where
        assert bool(result.final[i]) == one.final, where
        proj = None if one.projection is None else one.projection.value
        if result.projection is not None:
            assert same_number(result.projection[i], proj), where
        else:
            assert proj is None, where
        if result.p_meet is not None:
            assert same_number(result.p_meet[i], one.p_meet), where
        else:
            assert one.p_meet is None, where
        if result.score is not None:
            assert same_number(result.score[i], one.score), where
        else:
            assert one.score is None, where


@st.composite
def batches(draw):
    years = draw(year_grid())
    rows = draw(st.integers(1, 6))
    values = np.array([[draw(CELL) for _ in years] for _ in range(rows)], dtype=float)
    target = draw(specs(years[0], years[-1]))
    as_of = draw(st.one_of(st.none(), st.integers(years[0], years[-1] + 2)))
    # columns in any order: the batch path sorts them
    perm = draw(st.permutations(range(len(years))))
    return values[:, perm], [years[j] for j in perm], target, as_of


@pytest.mark.parametrize("method", ["projection", "projection_ols", "schedule", "eurostat", "opensdg", "unsd", "escap"])
@given(data=batches())
@settings(max_examples=120, deadline=None)
def test_batch_agrees_with_assess(method, data):
    values, years, target, as_of = data
    check_agreement(values, years, target, as_of, method)


def test_batch_agrees_on_a_random_matrix():
    rng = np.random.default_rng(7)
    years = list(range(2016, 2026))
    n = 300
    t = np.arange(10.0)
    values = 100 + rng.normal(3, 4, (n, 1)) * t + rng.normal(0, 5, (n, 10))
    values[rng.random((n, 10)) < 0.1] = np.nan
    values[:20] -= 110  # some zeros crossed, negatives
    for kind in TargetKind:
        target = spec(">=", 130.0, kind=kind, baseline=2017, target=2027)
        for method in methods():
            check_agreement(values, years, target, None, method)
            check_agreement(values, years, target, 2021, method)


def test_batch_result_codes():
    r = assess_batch(np.array([[4.5, 4.65, 4.85, 5.0], [4.5, np.nan, np.nan, 4.3]]), [2020, 2021, 2022, 2023], spec(">", 5.5), "eurostat")
    assert r.statuses() == [Status.AT_RISK, Status.REGRESSING]
    assert r.labels() == ["moderate progress", "movement away"]
    assert list(Status)[int(r.status[0])] is Status.AT_RISK
    assert r.projection is None and r.p_meet is None


def test_batch_rejects_bad_shapes():
    with pytest.raises(ValueError, match="one year per column"):
        assess_batch(np.zeros((2, 3)), [2020, 2021], spec(), "schedule")
    with pytest.raises(ValueError, match="must not repeat"):
        assess_batch(np.zeros((2, 2)), [2020, 2020], spec(), "schedule")


def test_methods_without_batch_fn_fall_back_to_assess():
    def stubborn(case, options):
        return Verdict(Status.OFF_TRACK, "always off", "Always off track.", "none")

    register_method("stubborn", stubborn, native_labels=("always off",))
    try:
        values = np.array([[1.0, 2.0], [1.0, np.nan], [1.0, 9.0]])
        r = assess_batch(values, [2020, 2021], spec(">", 5), "stubborn")
        assert r.statuses() == [Status.OFF_TRACK, Status.INSUFFICIENT_DATA, Status.ACHIEVED]
        assert r.labels() == ["always off", "insufficient data", "target achieved"]
    finally:
        unregister_method("stubborn")


def test_a_batch_of_one_row_sums_in_year_order_like_a_batch_of_many():
    """numpy sums a (k, 1) column pairwise but a (k, n > 1) matrix row by row: a slice of one row must not differ."""
    rng = np.random.default_rng(11)
    years = list(range(2010, 2026))  # 16 judged years: enough for pairwise summation to change the last bits
    values = 1e5 + rng.normal(0, 3e4, (40, len(years))) + np.arange(len(years)) * 5e3
    target = spec(">=", 3e5, baseline=2010, target=2030)
    for method in ("projection", "projection_ols", "escap"):
        many = assess_batch(values, years, target, method)
        for i in range(len(values)):
            one = assess_batch(values[i : i + 1], years, target, method)
            assert same_number(one.projection[0], float(many.projection[i])), (method, i)
            if many.p_meet is not None:
                assert same_number(one.p_meet[0], float(many.p_meet[i])), (method, i)
            alone = assess([(y, float(v)) for y, v in zip(years, values[i])], target, method)
            assert same_number(many.projection[i], alone.projection.value), (method, i)


def test_slices_of_one_row_agree_with_a_whole_batch(monkeypatch):
    """assess_batch judges slices of CHUNK rows; a slice of one row (as the last one may be) must not differ."""
    import scicity.assess.batch as batch

    rng = np.random.default_rng(5)
    years = list(range(2010, 2026))
    values = 1e5 + rng.normal(0, 3e4, (40, len(years))) + np.arange(len(years)) * 5e3
    target = spec(">=", 3e5, baseline=2010, target=2030)
    whole = assess_batch(values, years, target, "projection_ols")
    monkeypatch.setattr(batch, "CHUNK", 1)  # a slice per row
    sliced = assess_batch(values, years, target, "projection_ols")
    assert sliced.p_meet.tolist() == whole.p_meet.tolist()
    assert sliced.projection.tolist() == whole.projection.tolist()
