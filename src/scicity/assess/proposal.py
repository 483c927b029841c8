"""Targets from odds: the value a target must take for the trend to meet it with a chosen probability.

The inverse of judging. Judging asks "given this target, how likely is the
trend to meet it?" (``p_meet``); proposing asks "which target does the trend
meet with probability ``p``?". The answer is found by bisection on the target
value, each step judged through :func:`scicity.assess.assess` with the default
method, so that a recalibrated method changes the proposals with it.

Pure: numpy and :mod:`scicity.domain` only.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from scicity.assess.api import assess
from scicity.assess.types import Assessment, TargetSpec
from scicity.domain.plan import Comparator, Direction, TargetKind


class ConfidenceInvalid(ValueError):
    """A confidence level outside (0, 1)."""


@dataclass(frozen=True)
class Confidence:
    """A named level of confidence: the probability that the trend meets the proposed target."""

    name: str
    p: float

    def __post_init__(self) -> None:
        if not (isinstance(self.p, (int, float)) and math.isfinite(self.p)):
            raise ConfidenceInvalid(f"confidence {self.name!r}: {self.p!r} is not a number")
        if self.p <= 0.0 or self.p >= 1.0:
            raise ConfidenceInvalid(
                f"confidence {self.name!r} = {100 * self.p:g} %: a level of 0 % or 100 % (or beyond) has no target "
                "(every target is met with certainty, or none is); choose a level strictly between 0 and 100 %, "
                "e.g. 90 % (safe), 60 % (stretch) or 20 % (ambitious)"
            )


#: The default levels: safe (p_meet ≈ 90 %), stretch (60 %, in the 50–70 % band), ambitious (≈ 20 %).
DEFAULT_LEVELS: tuple[Confidence, ...] = (
    Confidence("safe", 0.9),
    Confidence("stretch", 0.6),
    Confidence("ambitious", 0.2),
)


def parse_levels(text: str) -> tuple[Confidence, ...]:
    """Levels from text such as ``safe=90,stretch=60,ambitious=20`` (in per cent)."""
    out: list[Confidence] = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        name, sep, value = part.partition("=")
        if not sep:
            raise ConfidenceInvalid(f"confidence level {part!r}: write name=percent, e.g. safe=90")
        try:
            number = float(value.strip().rstrip("%"))
        except ValueError:
            raise ConfidenceInvalid(f"confidence level {part!r}: {value.strip()!r} is not a number") from None
        out.append(Confidence(name.strip(), number / 100.0))
    if not out:
        raise ConfidenceInvalid("no confidence levels given")
    return tuple(out)


@dataclass(frozen=True)
class Trial:
    """One target value judged: its p_meet and the assessment it came from."""

    value: float
    p_meet: float | None
    assessment: Assessment


def history_spec(
    kind: TargetKind,
    comparator: Comparator,
    value: float,
    first_year: int,
    target_year: int,
    direction: Direction = Direction.HIGHER,
) -> TargetSpec:
    """The spec that judges a new-plan target against the whole history (from ``first_year``)."""
    return TargetSpec(comparator, value, None, kind, first_year, target_year, direction)


def judge_value(points: Sequence[tuple[int, float]], spec_of: Callable[[float], TargetSpec], value: float) -> Trial:
    """Judge one candidate target value (on the judged scale) with the default method."""
    result = assess(points, spec_of(value))
    return Trial(value, result.p_meet, result)


def invert_p_meet(
    points: Sequence[tuple[int, float]],
    spec_of: Callable[[float], TargetSpec],
    comparator: Comparator,
    p: float,
    *,
    tolerance: float = 1e-7,
    max_steps: int = 200,
) -> float | None:
    """The target value (judged scale) whose p_meet is ``p``; None when the method gives no p_meet.

    p_meet falls as a '>'/'>=' target rises (and rises with a '<'/'<=' target).
    The search starts from the method's projection and interval and widens
    until the level is bracketed.
    """
    if not 0.0 < p < 1.0:
        raise ConfidenceInvalid(f"p = {p!r} must lie strictly between 0 and 1")
    if comparator not in (Comparator.GT, Comparator.GE, Comparator.LT, Comparator.LE):
        return None
    falling = comparator in (Comparator.GT, Comparator.GE)
    probe = judge_value(points, spec_of, points[-1][1] if points else 0.0)
    proj = probe.assessment.projection
    if probe.p_meet is None or proj is None:
        return None
    centre = proj.value
    span = max(proj.high - proj.low, abs(centre) * 1e-3, 1e-9)

    def excess(v: float) -> float:
        q = judge_value(points, spec_of, v).p_meet
        if q is None:
            raise _NoPMeet
        return (q - p) if falling else (p - q)  # positive below the answer, negative above

    lo, hi = centre - span, centre + span
    try:
        for _ in range(60):
            if excess(lo) >= 0:
                break
            lo -= span
            span *= 2
        for _ in range(60):
            if excess(hi) <= 0:
                break
            hi += span
            span *= 2
        if excess(lo) < 0 or excess(hi) > 0:
            return None
        for _ in range(max_steps):
            mid = 0.5 * (lo + hi)
            if excess(mid) >= 0:
                lo = mid
            else:
                hi = mid
            if hi - lo <= tolerance * max(1.0, abs(mid)):
                break
    except _NoPMeet:
        return None
    return 0.5 * (lo + hi)


class _NoPMeet(Exception):
    pass


def round_target(value: float, decimals: int, comparator: Comparator, p: float | None = None) -> float:
    """A proposed value rounded to the indicator's decimals (towards the safe side for a safe level).

    For '>'/'>=' a safe proposal (``p`` >= 0.5) is rounded down, so rounding
    never makes it less likely; other levels are rounded to the nearest.
    """
    factor = 10.0**decimals
    if p is not None and p >= 0.5:
        if comparator in (Comparator.GT, Comparator.GE):
            return math.floor(value * factor + 1e-9) / factor
        if comparator in (Comparator.LT, Comparator.LE):
            return math.ceil(value * factor - 1e-9) / factor
    return round(value * factor) / factor


def average_growth(first: float, last: float, years: int) -> float | None:
    """The average annual growth rate from ``first`` to ``last`` over ``years``; None when not defined."""
    if years <= 0 or first <= 0 or last <= 0:
        return None
    return (last / first) ** (1.0 / years) - 1.0
