"""``schedule``: time-proportional schedule ("half the time, half the task").

Completion ``C = (yc - y0) / (yT - y0)`` against time elapsed
``tau = (tc - t0) / (tT - t0)``. When the target names milestones between the
baseline and the target year, the schedule follows them instead of a straight
line: ``tau`` becomes the expected completion at ``tc``, interpolated linearly
through ``(t0, y0)``, the milestones and ``(tT, yT)``.

The thresholds are the project's choice (official reviews publish none) and are
configurable through :class:`ScheduleThresholds`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from scicity.assess.batch import BatchCase, MethodArrays, one_series
from scicity.assess.case import Case
from scicity.assess.text import Msg, join
from scicity.assess.formatting import fmt
from scicity.assess.growth import band, ratio_toward
from scicity.assess.types import STATUS_CODE, Status, Verdict
from scicity.domain.plan import TargetKind

AHEAD = "ahead of schedule"
ON = "on schedule"
BEHIND = "behind schedule"
FAR_BEHIND = "far behind schedule"
BACKWARDS = "going backwards"
LABELS = (AHEAD, ON, BEHIND, FAR_BEHIND, BACKWARDS)
STATUSES = (Status.ON_TRACK, Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK, Status.REGRESSING)
NATIVE_LABELS = ("target achieved", *LABELS, "target missed", "insufficient data")
GUARD_LABELS = {"hold": BACKWARDS}
FORMULA = "C = (yc - y0) / (yT - y0) against tau = (tc - t0) / (tT - t0): C >= 1.1 tau ahead, >= 0.9 tau on, >= 0.5 tau behind, >= 0 far behind, < 0 backwards"


@dataclass(frozen=True)
class ScheduleThresholds:
    """Multiples of tau: ``C >= ahead*tau`` ahead of schedule, ``>= on_schedule*tau`` on schedule,
    ``>= behind*tau`` behind (at_risk), ``>= 0`` far behind (off_track), ``< 0`` going backwards."""

    ahead: float = 1.1
    on_schedule: float = 0.9
    behind: float = 0.5

    def __post_init__(self) -> None:
        if not 0.0 <= self.behind <= self.on_schedule <= self.ahead:
            raise ValueError(
                f"need 0 <= behind <= on_schedule <= ahead, got {self.behind}, {self.on_schedule}, {self.ahead}"
            )


class Completion(NamedTuple):
    """The numbers of the method for each series (arrays, one element per series)."""

    c: np.ndarray  # completion
    tau: np.ndarray  # time elapsed, or the completion the milestone schedule expects
    milestones: np.ndarray  # True where tau follows the milestones
    expected: np.ndarray  # the value the milestone schedule expects at tc (NaN without milestones)
    band: np.ndarray  # index into LABELS


def completion(bc: BatchCase, o: ScheduleThresholds) -> Completion:
    """The method's formulas, once, for every series of ``bc`` (a batch of one for :func:`judge`)."""
    y0, yc, yT, d = bc.y0, bc.yc, bc.aim, bc.d
    t0, tc, tT = bc.t0, bc.tc, bc.tT
    c = np.asarray(ratio_toward(yc - y0, yT - y0, d), dtype=float)
    tau = (tc - t0) / (tT - t0)
    # milestones strictly between a series' baseline and the target year, on the judged scale
    ms = [(float(t), v) for t, v in sorted(bc.spec.milestones) if t < bc.spec.target_year]
    expected = np.full(bc.n, np.nan)
    use = np.zeros(bc.n, dtype=bool)
    if ms:
        shift = y0 if bc.spec.kind in (TargetKind.INCREMENT, TargetKind.POINTS_CHANGE) else 0.0
        pt, pv = t0.copy(), y0.copy()
        done = np.zeros(bc.n, dtype=bool)
        used = np.zeros(bc.n, dtype=bool)
        for tm, v in ms:
            vm = v + shift
            valid = tm > t0
            used |= valid
            hit = valid & ~done & (tc <= tm)
            expected = np.where(hit, pv + (vm - pv) * (tc - pt) / (tm - pt), expected)
            done |= hit
            upd = valid & ~done
            pt = np.where(upd, tm, pt)
            pv = np.where(upd, vm, pv)
        expected = np.where(done, expected, pv + (yT - pv) * (tc - pt) / (tT - pt))
        use = used & (yT != y0)
        tau = np.where(use, ratio_toward(expected - y0, yT - y0, d), tau)
    i = band(c, (o.ahead * tau, o.on_schedule * tau, o.behind * tau, 0.0))
    return Completion(c, tau, use, np.where(use, expected, np.nan), i)


def judge(case: Case, o: ScheduleThresholds) -> Verdict:
    """Explain :func:`completion` for one series."""
    if case.hold:
        return Verdict(Status.REGRESSING, BACKWARDS, "", FORMULA, steps=(Msg("baseline already met the target: C not computed"),))
    assert case.aim is not None
    y0, yc, yT = case.y0, case.yc, case.aim
    nums = completion(one_series(case), o)
    c, tau, i = float(nums.c[0]), float(nums.tau[0]), int(nums.band[0])
    steps = [f"C = ({fmt(yc)} - {fmt(y0)}) / ({fmt(yT)} - {fmt(y0)}) = {fmt(c)}"]
    if nums.milestones[0]:
        basis = "milestones"
        steps.append(Msg("expected value in {tc} from the milestones: {expected}; tau = {tau}", tc=case.tc,
                         expected=fmt(float(nums.expected[0])), tau=fmt(tau)))
    else:
        basis = "time"
        steps.append(f"tau = ({case.tc} - {case.t0}) / ({case.tT} - {case.t0}) = {fmt(tau)}")
    steps.append(
        Msg("cuts: {ahead} (ahead), {on} (on), {behind} (behind), 0", ahead=fmt(o.ahead * tau),
            on=fmt(o.on_schedule * tau), behind=fmt(o.behind * tau))
    )
    if basis == "milestones":
        summary = Msg("{c} % of the way to the target with {tau} % of the milestone schedule elapsed: {label}.",
                      c=fmt(100 * c, 3), tau=fmt(100 * tau, 3), label=Msg(LABELS[i]))
    else:
        summary = Msg("{c} % of the way to the target with {tau} % of the time elapsed: {label}.",
                      c=fmt(100 * c, 3), tau=fmt(100 * tau, 3), label=Msg(LABELS[i]))
    return Verdict(
        STATUSES[i], LABELS[i], summary, FORMULA,
        inputs={"C": c, "tau": tau, "schedule": basis}, steps=tuple(steps),
    )


def judge_batch(bc: BatchCase, o: ScheduleThresholds) -> MethodArrays:
    i = completion(bc, o).band
    status = np.array([STATUS_CODE[s] for s in STATUSES])[i]
    native = np.array([NATIVE_LABELS.index(lab) for lab in LABELS])[i]
    return MethodArrays(status=status, native=native)
