"""Known outcomes: once the target year's value exists, a level target's final verdict needs only that value."""

from __future__ import annotations

import numpy as np

from scicity.assess import Status, assess, assess_batch, methods
from scicity.domain.plan import TargetKind

from .helpers import spec


def test_a_single_value_in_the_target_year_decides_the_final_verdict():
    for method in methods():
        met = assess([(2025, 6.0)], spec(">", 5.5), method)
        assert (met.status, met.final) == (Status.ACHIEVED, True), method
        missed = assess([(2025, 5.0)], spec(">", 5.5), method, as_of=2026)
        assert (missed.status, missed.final) == (Status.MISSED, True), method


def test_without_the_target_years_value_there_is_still_no_verdict():
    a = assess([(2023, 6.0)], spec(">", 5.5), as_of=2025)
    assert a.status is Status.INSUFFICIENT_DATA
    # an increment needs its baseline: one value is not a known outcome
    inc = assess([(2025, 6.0)], spec(">=", 1.0, kind=TargetKind.INCREMENT))
    assert inc.status is Status.INSUFFICIENT_DATA


def test_batch_agrees_on_known_outcomes():
    values = np.array([[np.nan, np.nan, 6.0], [np.nan, np.nan, 5.0], [np.nan, 5.0, np.nan]])
    result = assess_batch(values, [2020, 2023, 2025], spec(">", 5.5), "projection", as_of=2025)
    assert result.statuses() == [Status.ACHIEVED, Status.MISSED, Status.INSUFFICIENT_DATA]
    assert result.final.tolist() == [True, True, False]
