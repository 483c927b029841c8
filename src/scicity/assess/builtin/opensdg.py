"""``opensdg``: the progress measure of open-sdg's sdg-build (Statistics Canada methodology).

``R = sign * d * ga / |gr|`` with ``sign = -1`` when the baseline is negative. A
zero baseline or target is replaced by 0.001 (as sdg-build does; flagged). No
result when the baseline and latest value have opposite signs. Score for
combining series: ``min(7.1429 R - 4.2857, 5)`` if ``R >= 0.6``, else
``max(4.1667 R - 2.5, -5)``; 5 when the target is met.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from scicity.assess.batch import BatchCase, MethodArrays, one_series
from scicity.assess.case import Case
from scicity.assess.text import LABEL_TEXT, Msg
from scicity.assess.formatting import fmt
from scicity.assess.growth import band, cagr
from scicity.assess.types import STATUS_CODE, Status, Verdict

LABELS = ("substantial_progress", "moderate_progress", "limited_progress", "deterioration")
STATUSES = (Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK, Status.REGRESSING)
NOT_AVAILABLE = "not_available"
NATIVE_LABELS = ("target_achieved", *LABELS, "target_missed", NOT_AVAILABLE)
GUARD_LABELS = {
    "achieved": "target_achieved",
    "missed": "target_missed",
    "hold": "deterioration",
    "insufficient_data": NOT_AVAILABLE,
}
ZERO = 0.001
FORMULA = "R = sign * d * ga / |gr| (sign = -1 if y0 < 0); score = min(7.1429 R - 4.2857, 5) if R >= 0.6 else max(4.1667 R - 2.5, -5)"


@dataclass(frozen=True)
class OpenSdgThresholds:
    """sdg-build's quantitative-target thresholds: ``high`` substantial, ``med`` moderate, ``low`` limited."""

    high: float = 0.95
    med: float = 0.6
    low: float = 0.0

    def __post_init__(self) -> None:
        if not self.low <= self.med <= self.high:
            raise ValueError(f"need low <= med <= high, got {self.low}, {self.med}, {self.high}")


def score_of(r: float | np.ndarray, med: float) -> float | np.ndarray:
    """sdg-build's score in [-5, 5] for a progress ratio ``r``."""
    upper = np.minimum(7.1429 * np.asarray(r) - 4.2857, 5.0)
    lower = np.maximum(4.1667 * np.asarray(r) - 2.5, -5.0)
    out = np.where(np.asarray(r) >= med, upper, lower)
    return out if out.ndim else float(out)


class Progress(NamedTuple):
    """The numbers of the progress measure for each series (arrays, one element per series)."""

    y0: np.ndarray  # the baseline, 0 replaced by ZERO
    yT: np.ndarray  # the target, 0 replaced by ZERO
    sign_change: np.ndarray  # baseline and latest value of opposite signs: no result
    target_sign: np.ndarray  # baseline and target of opposite signs: no result
    ga: np.ndarray
    gr: np.ndarray
    sign: np.ndarray
    r: np.ndarray
    band: np.ndarray  # index into LABELS; len(LABELS) where there is no result
    score: np.ndarray  # NaN where there is no result


def progress(bc: BatchCase, o: OpenSdgThresholds) -> Progress:
    """The method's formulas, once, for every series of ``bc`` (a batch of one for :func:`judge`)."""
    y0 = np.where(bc.y0 == 0, ZERO, bc.y0)
    yT = np.where(bc.aim == 0, ZERO, bc.aim)
    yc = bc.yc
    pos, neg = y0 > 0, y0 < 0
    sign_change = (pos & (yc < 0)) | (neg & (yc > 0))
    target_sign = (pos & (yT < 0)) | (neg & (yT > 0))
    ga = cagr(yc, y0, bc.tc - bc.t0)
    gr = cagr(yT, y0, bc.tT - bc.t0)
    sign = np.where(neg, -1.0, 1.0)
    r = sign * bc.d * ga / np.abs(gr)
    bad = sign_change | target_sign | (gr == 0)
    i = band(r, (o.high, o.med, o.low))
    i[bad] = len(LABELS)  # one past the labels: not available
    score = np.asarray(score_of(r, o.med), dtype=float)
    score[bad] = np.nan
    return Progress(y0, yT, sign_change, target_sign, ga, gr, sign, r, i, score)


def judge(case: Case, o: OpenSdgThresholds) -> Verdict:
    """Explain :func:`progress` for one series."""
    if case.hold:
        return Verdict(Status.REGRESSING, "deterioration", "", FORMULA, steps=(Msg("baseline already met the target: R not computed"),))
    assert case.aim is not None
    nums = progress(one_series(case), o)
    flags: list[str] = []
    y0, yc, yT = float(nums.y0[0]), case.yc, float(nums.yT[0])
    steps: list[str] = []
    if case.y0 == 0:
        flags.append("opensdg_zero_substituted_0.001")
        steps.append(Msg("zero baseline replaced by 0.001 (as sdg-build does)"))
    if case.aim == 0:
        if "opensdg_zero_substituted_0.001" not in flags:
            flags.append("opensdg_zero_substituted_0.001")
        steps.append(Msg("zero target replaced by 0.001 (as sdg-build does)"))
    problem = None
    if nums.sign_change[0]:
        problem = ("opensdg_sign_change_no_result", Msg("baseline {y0} and latest {yc} have opposite signs", y0=fmt(y0), yc=fmt(yc)))
    elif nums.target_sign[0]:
        problem = ("opensdg_target_sign_no_result", Msg("baseline {y0} and target {yT} have opposite signs", y0=fmt(y0), yT=fmt(yT)))
    ga, gr = float(nums.ga[0]), float(nums.gr[0])
    if problem is None:
        dt_c, dt_T = case.tc - case.t0, case.tT - case.t0
        steps += [
            f"ga = ({fmt(yc)} / {fmt(y0)})^(1/{dt_c}) - 1 = {fmt(ga)}",
            f"gr = ({fmt(yT)} / {fmt(y0)})^(1/{dt_T}) - 1 = {fmt(gr)}",
        ]
        if gr == 0:
            problem = ("opensdg_required_growth_zero", Msg("the target equals the baseline: required growth is zero"))
    if problem is not None:
        flags.append(problem[0])
        return Verdict(
            Status.INSUFFICIENT_DATA, NOT_AVAILABLE,
            Msg("No open-sdg progress measure: {problem} (sdg-build gives no result).", problem=problem[1]),
            FORMULA, steps=tuple(steps), flags=tuple(flags),
        )
    sign, r, i, score = int(nums.sign[0]), float(nums.r[0]), int(nums.band[0]), float(nums.score[0])
    steps.append(f"R = {sign} * {case.d} * {fmt(ga)} / |{fmt(gr)}| = {fmt(r)}")
    steps.append(f"score = {fmt(score)}")
    summary = Msg("Progress ratio R = {r} ({label}), score {score} on the -5 to 5 scale.", r=fmt(r),
                  label=Msg(LABEL_TEXT[LABELS[i]]), score=fmt(score))
    return Verdict(
        STATUSES[i], LABELS[i], summary, FORMULA,
        inputs={"ga": ga, "gr": gr, "R": r, "sign": sign, "score": score},
        steps=tuple(steps), flags=tuple(flags), score=score,
    )


def judge_batch(bc: BatchCase, o: OpenSdgThresholds) -> MethodArrays:
    nums = progress(bc, o)
    i = nums.band
    status = np.array([STATUS_CODE[s] for s in STATUSES] + [STATUS_CODE[Status.INSUFFICIENT_DATA]])[i]
    native = np.array([NATIVE_LABELS.index(x) for x in (*LABELS, NOT_AVAILABLE)])[i]
    score = nums.score.copy()
    score[bc.hold] = np.nan
    return MethodArrays(status=status, native=native, score=score)
