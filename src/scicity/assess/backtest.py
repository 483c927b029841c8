"""Backtest: judge each case as of a mid-plan year and compare with its end-of-plan outcome.

For each case (key, points, spec): the verdict *then* is ``assess(points, spec,
method, as_of)``; the outcome is the final verdict on all points (``achieved``
or ``missed``). A case whose outcome is not known yet (no value at or after the
target year), or whose target year is at or before the as-of year (nothing to
judge mid-plan), is skipped and listed in ``skipped`` with its reason.

- ``predicted_meet``: the verdict then was ``achieved`` or ``on_track``.
- ``hit_rate``: share of cases with a verdict then (not ``insufficient_data``:
  those are "no verdict", counted in ``no_verdict``) where ``predicted_meet``
  equals the outcome.
- ``brier``: mean of ``(p_meet - outcome)^2`` over the cases with a ``p_meet``
  (the projection method; lower is better, 0.25 is a coin toss).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from scicity.assess.api import assess
from scicity.assess.types import Status, TargetSpec
from scicity.domain.message import Msg

PREDICTS_MEET = frozenset({Status.ACHIEVED, Status.ON_TRACK})


@dataclass(frozen=True)
class BacktestRow:
    key: str
    as_of: int
    status_then: Status
    p_meet: float | None
    predicted_meet: bool
    final_met: bool
    projection_low: float | None = None
    projection_high: float | None = None
    final_value: float | None = None

    @property
    def has_verdict(self) -> bool:
        return self.status_then is not Status.INSUFFICIENT_DATA

    @property
    def hit(self) -> bool | None:
        """True/False when there was a verdict then; None ("no verdict") otherwise."""
        return (self.predicted_meet == self.final_met) if self.has_verdict else None


@dataclass(frozen=True)
class Skipped:
    key: str
    reason: str


@dataclass(frozen=True)
class BacktestReport:
    rows: tuple[BacktestRow, ...]
    n: int
    hit_rate: float | None
    brier: float | None
    method: str
    as_of: int
    skipped: tuple[str, ...] = ()
    skipped_reasons: tuple[Skipped, ...] = ()
    no_verdict: int = 0
    coverage: float | None = None  # share of outcomes inside the 80 % interval then (methods with an interval)

    def confusion(self) -> dict[str, int]:
        """Predicted meet/miss against met/missed, over the rows with a verdict."""
        out = {"meet_met": 0, "meet_missed": 0, "miss_met": 0, "miss_missed": 0}
        for r in self.rows:
            if r.has_verdict:
                out[f"{'meet' if r.predicted_meet else 'miss'}_{'met' if r.final_met else 'missed'}"] += 1
        return out


def backtest(
    cases: Iterable[tuple[str, Sequence[tuple[int, float]], TargetSpec]],
    as_of: int,
    method: str = "projection",
) -> BacktestReport:
    """Judge every case as of ``as_of`` and score the verdicts against the final outcomes."""
    rows: list[BacktestRow] = []
    skipped: list[str] = []
    reasons: list[Skipped] = []
    for key, points, spec in cases:
        if as_of >= spec.target_year:
            skipped.append(key)
            reasons.append(Skipped(key, Msg("its target year {year} is not after the as-of year {as_of}: nothing to judge mid-plan",
                                                year=spec.target_year, as_of=as_of)))
            continue
        outcome = assess(points, spec, method)
        if not outcome.final:
            skipped.append(key)
            reasons.append(Skipped(key, Msg("no value for {year} or later yet: the outcome is not known", year=spec.target_year)))
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
                projection_low=then.projection.low if then.projection is not None else None,
                projection_high=then.projection.high if then.projection is not None else None,
                final_value=outcome.judged_value,
            )
        )
    judged = [r for r in rows if r.status_then is not Status.INSUFFICIENT_DATA]
    hit_rate = sum(r.predicted_meet == r.final_met for r in judged) / len(judged) if judged else None
    probs = [(r.p_meet, r.final_met) for r in rows if r.p_meet is not None]
    brier = sum((p - float(met)) ** 2 for p, met in probs) / len(probs) if probs else None
    spans = [r for r in rows if r.projection_low is not None and r.projection_high is not None and r.final_value is not None
             and r.projection_low < r.projection_high]
    coverage = (sum(r.projection_low <= r.final_value <= r.projection_high for r in spans) / len(spans)  # type: ignore[operator]
                if spans else None)
    return BacktestReport(
        rows=tuple(rows), n=len(rows), hit_rate=hit_rate, brier=brier, method=method, as_of=as_of, skipped=tuple(skipped),
        skipped_reasons=tuple(reasons), no_verdict=len(rows) - len(judged), coverage=coverage,
    )
