"""Hypothesis strategies for series and targets."""

from __future__ import annotations

import math

from hypothesis import strategies as st

from scicity.assess import TargetSpec
from scicity.domain.plan import Comparator, Direction, TargetKind

NAN = math.nan

#: values: mostly moderate positive levels, with zeros, negatives, small integers and gaps
VALUE = st.one_of(
    st.floats(0.5, 500, allow_nan=False, allow_infinity=False),
    st.floats(-100, 100, allow_nan=False, allow_infinity=False),
    st.integers(-3, 20).map(float),
    st.just(0.0),
)
CELL = st.one_of(VALUE, VALUE, VALUE, st.just(NAN))


@st.composite
def specs(draw, start: int, end: int, comparators=tuple(Comparator), kinds=tuple(TargetKind)) -> TargetSpec:
    comparator = draw(st.sampled_from(comparators))
    kind = draw(st.sampled_from(kinds))
    baseline = draw(st.integers(start - 1, start + 2))
    target = draw(st.integers(max(baseline + 1, end - 3), end + 4))
    value = draw(st.one_of(st.floats(-50, 400, allow_nan=False), st.integers(-5, 30).map(float)))
    high = None
    if comparator is Comparator.BETWEEN:
        high = value + draw(st.floats(0, 100, allow_nan=False))
    direction = draw(st.sampled_from(tuple(Direction)))
    ms_years = draw(st.lists(st.integers(baseline, target), max_size=2, unique=True))
    milestones = tuple((y, draw(st.floats(-50, 400, allow_nan=False))) for y in sorted(ms_years))
    return TargetSpec(comparator, value, high, kind, baseline, target, direction, milestones)


@st.composite
def year_grid(draw) -> list[int]:
    start = draw(st.integers(2016, 2020))
    n = draw(st.integers(2, 9))
    years = sorted(draw(st.lists(st.integers(start, start + 11), min_size=n, max_size=n, unique=True)))
    return years
