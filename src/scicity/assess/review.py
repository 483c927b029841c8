"""The official vocabulary of plan reviews: mid-term labels, final verdicts, completion rate, growth.

The national mid-term review (NDRC, 26 Dec 2023) words progress as 提前实现
(achieved ahead of schedule), 快于预期 (faster than expected), 基本符合预期
(broadly in line) and 滞后 (lagging); a final evaluation says 完成 / 未完成
(achieved / not achieved) with the gap. This module labels one target that
way, with documented rules (docs/methods.md, "The official vocabulary"), on top
of the same prepared case every method judges (:func:`scicity.assess.prepare`).

Pure: standard library and :mod:`scicity.assess` / :mod:`scicity.domain` only.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

from scicity.assess.case import Case, prepare
from scicity.assess.types import Status, TargetSpec
from scicity.domain.plan import Comparator, TargetKind


class ReviewLabel(StrEnum):
    """A verdict in the office's words."""

    AHEAD = "ahead"  # 提前实现
    FASTER = "faster"  # 快于预期
    IN_LINE = "in_line"  # 基本符合预期
    LAGGING = "lagging"  # 滞后
    COMPLETED = "completed"  # 完成
    NOT_COMPLETED = "not_completed"  # 未完成
    NO_DATA = "no_data"  # 数据不足


#: The labels as the national review prints them, and in English.
LABEL_TEXT: dict[ReviewLabel, dict[str, str]] = {
    ReviewLabel.AHEAD: {"zh": "提前实现", "en": "achieved ahead of schedule"},
    ReviewLabel.FASTER: {"zh": "快于预期", "en": "faster than expected"},
    ReviewLabel.IN_LINE: {"zh": "基本符合预期", "en": "broadly in line"},
    ReviewLabel.LAGGING: {"zh": "滞后", "en": "lagging"},
    ReviewLabel.COMPLETED: {"zh": "完成", "en": "achieved"},
    ReviewLabel.NOT_COMPLETED: {"zh": "未完成", "en": "not achieved"},
    ReviewLabel.NO_DATA: {"zh": "数据不足", "en": "insufficient data"},
}

#: Order of the labels in tables and counts (best first).
LABEL_ORDER: tuple[ReviewLabel, ...] = tuple(ReviewLabel)


def label_text(label: ReviewLabel | str, lang: str) -> str:
    """The label in ``lang`` ('zh…' gives Chinese, anything else English)."""
    return LABEL_TEXT[ReviewLabel(label)]["zh" if lang.startswith("zh") else "en"]


@dataclass(frozen=True)
class ReviewThresholds:
    """Cut-offs on the pace ``P = C / tau`` (completion over time elapsed) for the mid-term labels."""

    faster: float = 1.1
    in_line: float = 0.9


@dataclass(frozen=True)
class Review:
    """One target in the office's vocabulary, with the numbers a report table prints.

    Fractions are fractions (``1.05`` is 105 %). ``gap`` is what is still missing
    on the judged scale, in the direction of the target (0 when met); ``None``
    where a number is undefined (no data, a zero baseline for growth…).
    """

    label: ReviewLabel
    stage: str  # "midterm" or "final"
    rule: str
    completion_rate: float | None
    completion_formula: str
    progress: float | None  # C = (yc - y0) / (yT - y0), on the judged scale
    elapsed: float | None  # tau = (tc - t0) / (tT - t0)
    pace: float | None  # P = C / tau
    gap: float | None
    baseline_value: float | None
    baseline_period: int | None
    latest_value: float | None  # on the judged scale (a running sum for cumulative targets)
    latest_period: int | None
    change_since_baseline: float | None
    average_annual_growth: float | None  # CAGR of the reported levels (or yearly flows)
    growth_formula: str | None
    achieved_yearly_change: float | None  # (yc - y0) / (tc - t0)
    planned_yearly_change: float | None  # (yT - y0) / (tT - t0): the straight path
    required_yearly_change: float | None  # (yT - yc) / (tT - tc); None once final

    def as_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["label"] = self.label.value
        out["label_zh"] = label_text(self.label, "zh")
        out["label_en"] = label_text(self.label, "en")
        return out


def review(
    points: Sequence[tuple[int, float]],
    spec: TargetSpec,
    as_of: int | None = None,
    *,
    status: Status | str | None = None,
    thresholds: ReviewThresholds = ReviewThresholds(),
) -> Review:
    """Label ``points`` against ``spec`` in the official vocabulary.

    ``status`` is the default method's verdict on the common scale, when known:
    a target whose straight-path pace lags but whose trend projection meets it
    (``on_track``) is "broadly in line", not "lagging".
    """
    case = prepare(points, spec, as_of)
    return review_case(case, points, status=status, thresholds=thresholds)


def review_case(
    case: Case,
    points: Sequence[tuple[int, float]] = (),
    *,
    status: Status | str | None = None,
    thresholds: ReviewThresholds = ReviewThresholds(),
) -> Review:
    """:func:`review` for an already prepared case (``points`` are the reported ones, for growth)."""
    spec = case.spec
    stage = "final" if case.final else "midterm"
    formula = completion_formula(spec)
    growth, growth_formula = average_annual_growth(points, spec, case.as_of)
    if case.n == 0 or case.aim is None:
        return Review(
            ReviewLabel.NO_DATA, stage, "no judged value from the baseline year on", None, formula,
            None, None, None, None, None, None, None, None, None, growth, growth_formula, None, None, None,
        )
    y0, yc, t0, tc, tT, aim = case.y0, case.yc, case.t0, case.tc, case.tT, case.aim
    change = yc - y0 if case.n >= 2 else None
    achieved = (yc - y0) / (tc - t0) if tc > t0 else None
    planned = (aim - y0) / (tT - t0) if tT > t0 else None
    rate = completion_rate(case)
    gap = 0.0 if case.met_now else _gap(case)
    progress = elapsed = pace = None
    if case.n >= 2 and tT > t0:
        elapsed = (tc - t0) / (tT - t0)
        if aim != y0:
            progress = (yc - y0) / (aim - y0)
            pace = progress / elapsed if elapsed > 0 else None
    if case.n < 2:
        label, rule = ReviewLabel.NO_DATA, "a label needs the baseline and at least one later value"
    elif case.final:
        if case.met_now:
            label, rule = ReviewLabel.COMPLETED, f"final: {_fmt(yc)} ({tc}) meets the target"
        else:
            label, rule = ReviewLabel.NOT_COMPLETED, f"final: {_fmt(yc)} ({tc}) misses the target by {_fmt(gap)}"
    elif case.met_now:
        label, rule = ReviewLabel.AHEAD, f"the latest value {_fmt(yc)} ({tc}) already meets the target before {tT}"
    elif pace is None:
        label, rule = ReviewLabel.LAGGING, "no progress can be measured (the target needs no change from the baseline)"
    elif pace >= thresholds.faster:
        label, rule = ReviewLabel.FASTER, f"pace P = C / tau = {_fmt(progress)} / {_fmt(elapsed)} = {_fmt(pace)} >= {thresholds.faster:g}"
    elif pace >= thresholds.in_line:
        label, rule = ReviewLabel.IN_LINE, f"pace P = {_fmt(progress)} / {_fmt(elapsed)} = {_fmt(pace)} >= {thresholds.in_line:g}"
    elif status is not None and Status(status) is Status.ON_TRACK:
        label, rule = ReviewLabel.IN_LINE, (
            f"pace P = {_fmt(pace)} < {thresholds.in_line:g}, but the trend projection meets the target (on_track)"
        )
    else:
        label, rule = ReviewLabel.LAGGING, f"pace P = {_fmt(progress)} / {_fmt(elapsed)} = {_fmt(pace)} < {thresholds.in_line:g}"
    required = None
    if not case.final and not case.met_now and tT > tc:
        required = (aim - yc) / (tT - tc)
    return Review(
        label, stage, rule, rate, formula, progress, elapsed, pace, gap, y0, t0, yc, tc, change,
        growth, growth_formula, achieved, planned, required,
    )


def completion_formula(spec: TargetSpec) -> str:
    """The completion-rate formula used for this target's kind and direction."""
    if spec.kind is TargetKind.LEVEL:
        if spec.comparator in (Comparator.LT, Comparator.LE):
            return "yT / yc (lower is better: target over actual)"
        if spec.comparator is Comparator.BETWEEN:
            return "1 inside the band; yc / low below it; high / yc above it"
        if spec.comparator is Comparator.EQ:
            return "yc / yT approaching from below, yT / yc from above"
        return "yc / yT (actual over target)"
    if spec.kind is TargetKind.CUMULATIVE:
        return "sum of flows after the baseline year / target sum"
    if spec.kind is TargetKind.INCREMENT:
        return "(yc - y0) / N (the change achieved over the change promised)"
    return "(yc - y0) / (yT - y0) (share of the distance from the baseline to the target)"


def completion_rate(case: Case) -> float | None:
    """Completion rate as a fraction (see :func:`completion_formula`); ``None`` where undefined."""
    if case.n == 0 or case.aim is None or case.low is None:
        return None
    spec, yc, y0 = case.spec, case.yc, case.y0
    if spec.kind is TargetKind.LEVEL:
        if spec.comparator is Comparator.BETWEEN:
            assert case.high is not None
            if case.low <= yc <= case.high:
                return 1.0
            return _div(yc, case.low) if yc < case.low else _div(case.high, yc)
        if spec.comparator in (Comparator.LT, Comparator.LE) or (spec.comparator is Comparator.EQ and case.d < 0):
            return _div(case.aim, yc)
        return _div(yc, case.aim)
    if spec.kind is TargetKind.CUMULATIVE:
        return _div(yc, case.aim)
    return _div(yc - y0, case.aim - y0)


def average_annual_growth(
    points: Sequence[tuple[int, float]], spec: TargetSpec, as_of: int | None = None
) -> tuple[float | None, str | None]:
    """``(yc / y0) ** (1 / (tc - t0)) - 1`` over the reported values from the baseline year on.

    For cumulative targets the reported values are yearly flows: the growth is
    that of the yearly flow from the first year after the baseline. ``None`` for
    fewer than two years or a non-positive start or end value.
    """
    rows = sorted((int(y), float(v)) for y, v in points if math.isfinite(float(v)))
    if as_of is not None:
        rows = [(y, v) for y, v in rows if y <= as_of]
    first = spec.baseline_year + 1 if spec.kind is TargetKind.CUMULATIVE else spec.baseline_year
    rows = [(y, v) for y, v in rows if first <= y <= spec.target_year]
    if len(rows) < 2:
        return None, None
    (t0, y0), (tc, yc) = rows[0], rows[-1]
    if y0 <= 0 or yc < 0 or tc <= t0:
        return None, None
    return (yc / y0) ** (1.0 / (tc - t0)) - 1.0, f"({_fmt(yc)} / {_fmt(y0)})^(1/({tc} - {t0})) - 1"


def _gap(case: Case) -> float | None:
    """What is still missing on the judged scale, as a positive number in the target's direction."""
    if case.low is None:
        return None
    cmp, yc = case.spec.comparator, case.yc
    if cmp is Comparator.BETWEEN:
        assert case.high is not None
        return case.low - yc if yc < case.low else yc - case.high
    if cmp is Comparator.EQ:
        return abs(case.low - yc)
    return abs(case.low - yc)


def _div(a: float, b: float) -> float | None:
    if b == 0 or not math.isfinite(a / b):
        return None
    return a / b


def _fmt(x: float | None) -> str:
    if x is None:
        return "—"
    return f"{x:.4g}"


def count_labels(labels: Sequence[ReviewLabel | str]) -> dict[str, int]:
    """Counts by label, in :data:`LABEL_ORDER`, only labels that occur."""
    values = [ReviewLabel(x) for x in labels]
    return {lab.value: values.count(lab) for lab in LABEL_ORDER if lab in values}
