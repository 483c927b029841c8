"""``eurostat``: ratio of actual to required growth (Eurostat SDG monitoring, quantified targets).

``R = ga / gr`` with ``ga = CAGR(yc, y0)``, ``gr = CAGR(yT, y0)``; direction-adjusted,
so a falling series aiming at a lower target has positive ``R``. When a CAGR is
undefined (a value zero or negative) the linear forms are used:
``R = ((yc - y0) / (tc - t0)) / ((yT - y0) / (tT - t0))``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from scicity.assess.batch import BatchCase, MethodArrays, one_series
from scicity.assess.case import Case
from scicity.assess.text import Msg, join
from scicity.assess.formatting import fmt, pct
from scicity.assess.growth import band, cagr, ratio_toward, yearly_rate
from scicity.assess.types import STATUS_CODE, Status, Verdict

SIGNIFICANT = "significant progress"
MODERATE = "moderate progress"
INSUFFICIENT = "insufficient progress"
AWAY = "movement away"
LABELS = (SIGNIFICANT, MODERATE, INSUFFICIENT, AWAY)
STATUSES = (Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK, Status.REGRESSING)
NATIVE_LABELS = ("target achieved", *LABELS, "target missed", "insufficient data")
GUARD_LABELS = {"hold": AWAY}
FORMULA = "R = ga / gr, ga = (yc/y0)^(1/(tc-t0)) - 1, gr = (yT/y0)^(1/(tT-t0)) - 1 (linear rates if a value <= 0)"


@dataclass(frozen=True)
class EurostatThresholds:
    """R at or above ``significant``: significant progress; at or above ``moderate``: moderate; at or above 0: insufficient."""

    significant: float = 0.95
    moderate: float = 0.6

    def __post_init__(self) -> None:
        if not 0.0 <= self.moderate <= self.significant:
            raise ValueError(f"need 0 <= moderate <= significant, got {self.moderate}, {self.significant}")


class Rates(NamedTuple):
    """The numbers of the method for each series (arrays, one element per series)."""

    cagr: np.ndarray  # True where the compound form applies (y0, yc and yT positive)
    ga: np.ndarray
    gr: np.ndarray
    r: np.ndarray
    band: np.ndarray  # index into LABELS


def rates(bc: BatchCase, o: EurostatThresholds) -> Rates:
    """The method's formulas, once, for every series of ``bc`` (a batch of one for :func:`judge`)."""
    pos = (bc.y0 > 0) & (bc.yc > 0) & (bc.aim > 0)
    dt_c, dt_T = bc.tc - bc.t0, bc.tT - bc.t0
    ga = np.where(pos, cagr(bc.yc, bc.y0, dt_c), yearly_rate(bc.yc, bc.y0, dt_c))
    gr = np.where(pos, cagr(bc.aim, bc.y0, dt_T), yearly_rate(bc.aim, bc.y0, dt_T))
    r = ratio_toward(ga, gr, bc.d)
    return Rates(pos, ga, gr, r, band(r, (o.significant, o.moderate, 0.0)))


def judge(case: Case, o: EurostatThresholds) -> Verdict:
    """Explain :func:`rates` for one series."""
    if case.hold:
        return Verdict(Status.REGRESSING, AWAY, "", FORMULA, steps=(Msg("baseline already met the target: R not computed"),))
    assert case.aim is not None
    y0, yc, yT = case.y0, case.yc, case.aim
    dt_c, dt_T = case.tc - case.t0, case.tT - case.t0
    nums = rates(one_series(case), o)
    ga, gr, r, i = float(nums.ga[0]), float(nums.gr[0]), float(nums.r[0]), int(nums.band[0])
    flags: tuple[str, ...] = ()
    if nums.cagr[0]:
        form = "cagr"
        steps = [
            f"ga = ({fmt(yc)} / {fmt(y0)})^(1/{dt_c}) - 1 = {fmt(ga)}",
            f"gr = ({fmt(yT)} / {fmt(y0)})^(1/{dt_T}) - 1 = {fmt(gr)}",
        ]
    else:
        form = "linear"
        flags = ("cagr_undefined_linear_fallback",)
        steps = [
            Msg("CAGR undefined (a value is zero or negative): linear rates"),
            Msg("ga = ({yc} - {y0}) / {dt} = {ga} per year", yc=fmt(yc), y0=fmt(y0), dt=dt_c, ga=fmt(ga)),
            Msg("gr = ({yT} - {y0}) / {dt} = {gr} per year", yT=fmt(yT), y0=fmt(y0), dt=dt_T, gr=fmt(gr)),
        ]
    steps.append(f"R = ga / gr = {fmt(ga)} / {fmt(gr)} = {fmt(r)}")
    rate = pct if form == "cagr" else fmt
    summary = Msg(
        "Actual growth {ga} a year against the {gr} required: growth ratio R = {r}, {label}.",
        ga=rate(ga), gr=rate(gr), r=fmt(r), label=Msg(LABELS[i]),
    )
    return Verdict(
        STATUSES[i], LABELS[i], summary, FORMULA,
        inputs={"ga": ga, "gr": gr, "R": r, "form": form}, steps=tuple(steps), flags=flags,
    )


def judge_batch(bc: BatchCase, o: EurostatThresholds) -> MethodArrays:
    i = rates(bc, o).band
    status = np.array([STATUS_CODE[s] for s in STATUSES])[i]
    native = np.array([NATIVE_LABELS.index(lab) for lab in LABELS])[i]
    return MethodArrays(status=status, native=native)
