"""Backtest: judge each case as of a mid-plan year and compare with its end-of-plan outcome.

For each case (key, points, spec): the verdict *then* is ``assess(points, spec,
method, as_of)``; the outcome is the final verdict on all points (``achieved``
or ``missed``). A case whose outcome is not known yet (no value at or after the
target year) is skipped and listed in ``skipped``.

- ``predicted_meet``: the verdict then was ``achieved`` or ``on_track``.
- ``hit_rate``: share of cases with a verdict then (not ``insufficient_data``)
  where ``predicted_meet`` equals the outcome.
- ``brier``: mean of ``(p_meet - outcome)^2`` over the cases with a ``p_meet``
  (the projection method; lower is better, 0.25 is a coin toss).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from scicity.assess.api import assess
from scicity.assess.types import Status, TargetSpec

PREDICTS_MEET = frozenset({Status.ACHIEVED, Status.ON_TRACK})


@dataclass(frozen=True)
class BacktestRow:
    key: str
    as_of: int
    status_then: Status
    p_meet: float | None
    predicted_meet: bool
    final_met: bool


@dataclass(frozen=True)
class BacktestReport:
    rows: tuple[BacktestRow, ...]
    n: int
    hit_rate: float | None
    brier: float | None
    method: str
    as_of: int
    skipped: tuple[str, ...] = ()


def backtest(
    cases: Iterable[tuple[str, Sequence[tuple[int, float]], TargetSpec]],
    as_of: int,
    method: str = "projection",
) -> BacktestReport:
    """Judge every case as of ``as_of`` and score the verdicts against the final outcomes."""
    rows: list[BacktestRow] = []
    skipped: list[str] = []
    for key, points, spec in cases:
        if as_of >= spec.target_year:
            raise ValueError(
                f"case {key!r}: as_of {as_of} is not before its target year {spec.target_year}; "
                "a backtest judges mid-plan"
            )
        outcome = assess(points, spec, method)
        if not outcome.final:
            skipped.append(key)
            continue
        then = assess(points, spec, method, as_of=as_of)
        rows.append(
            BacktestRow(
                key=key,
                as_of=as_of,
                status_then=then.status,
                p_meet=then.p_meet,
                predicted_meet=then.status in PREDICTS_MEET,
                final_met=outcome.status is Status.ACHIEVED,
            )
        )
    judged = [r for r in rows if r.status_then is not Status.INSUFFICIENT_DATA]
    hit_rate = sum(r.predicted_meet == r.final_met for r in judged) / len(judged) if judged else None
    probs = [(r.p_meet, r.final_met) for r in rows if r.p_meet is not None]
    brier = sum((p - float(met)) ** 2 for p, met in probs) / len(probs) if probs else None
    return BacktestReport(
        rows=tuple(rows), n=len(rows), hit_rate=hit_rate, brier=brier, method=method, as_of=as_of, skipped=tuple(skipped)
    )
