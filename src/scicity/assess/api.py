"""Entry points: judge one target with one method, or with all of them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from scicity.assess.case import Case, Guard, prepare
from scicity.assess.text import Msg, join
from scicity.assess.formatting import fmt
from scicity.assess.catalogue import MethodInfo, get_method, methods, resolve_options
from scicity.assess.types import Assessment, Explanation, Status, TargetSpec, Verdict
from scicity.domain.plan import Comparator, TargetKind


def assess(
    points: Sequence[tuple[int, float]],
    spec: TargetSpec,
    method: str = "projection",
    as_of: int | None = None,
    *,
    options: Any = None,
) -> Assessment:
    """Judge ``points`` (year, value; any order) against ``spec`` with ``method``.

    ``as_of`` drops points after that year; when it (or, without it, the latest
    point's year) reaches the target year the verdict is final. ``options`` are
    the method's settings (e.g. :class:`~scicity.assess.builtin.schedule.ScheduleThresholds`).
    """
    info = get_method(method)
    return assess_case(info, prepare(points, spec, as_of), resolve_options(info, options))


def assess_all(
    points: Sequence[tuple[int, float]],
    spec: TargetSpec,
    as_of: int | None = None,
    *,
    options: Mapping[str, Any] | None = None,
) -> dict[str, Assessment]:
    """Judge with every registered method (``projection`` first); ``options`` by method name."""
    opts = dict(options or {})
    unknown = set(opts) - set(methods())
    if unknown:
        raise KeyError(f"options given for unknown methods {sorted(unknown)}; known: {', '.join(methods())}")
    case = prepare(points, spec, as_of)
    out: dict[str, Assessment] = {}
    for name in methods():
        info = get_method(name)
        out[name] = assess_case(info, case, resolve_options(info, opts.get(name)))
    return out


def assess_case(info: MethodInfo, case: Case, options: Any) -> Assessment:
    """Apply the guards, call the method where it has something to judge, and assemble the result."""
    inputs = base_inputs(case)
    flags = list(case.flags)
    if case.guard in (Guard.INSUFFICIENT, Guard.FINAL):
        verdict = None
        if case.guard is Guard.INSUFFICIENT:
            status, label_key = Status.INSUFFICIENT_DATA, "insufficient_data"
        elif case.met_now:
            status, label_key = Status.ACHIEVED, "achieved"
        else:
            status, label_key = Status.MISSED, "missed"
        native = info.guard_labels[label_key]
    else:
        with np.errstate(all="ignore"):  # inf / NaN from extreme inputs are classified, not raised
            verdict = info.fn(case, options)
        if not isinstance(verdict, Verdict):
            raise TypeError(f"method {info.name!r} returned {type(verdict).__name__}, expected Verdict")
        if case.guard is Guard.ACHIEVED:
            status, native = Status.ACHIEVED, info.guard_labels["achieved"]
        elif case.guard is Guard.HOLD:
            status, native = Status.REGRESSING, info.guard_labels["hold"]
        else:
            status, native = verdict.status, verdict.native_label
        inputs.update(verdict.inputs)
        flags.extend(f for f in verdict.flags if f not in flags)

    guard_text = guard_summary(case)
    if verdict is None:
        summary, formula, steps = guard_text, guard_formula(case), guard_steps(case)
    elif case.guard is None:
        summary, formula, steps = verdict.summary, verdict.formula, verdict.steps
    else:
        summary, formula = guard_text, verdict.formula
        steps = guard_steps(case) + verdict.steps
    steps = tuple(steps) + change_steps(case)
    score = verdict.score if verdict is not None else None
    if status is Status.ACHIEVED and info.achieved_score is not None:
        score = info.achieved_score
    return Assessment(
        method=info.name,
        status=status,
        native_label=native,
        final=case.guard is Guard.FINAL,
        score=score,
        projection=verdict.projection if verdict is not None else None,
        p_meet=verdict.p_meet if verdict is not None else None,
        required_yearly_change=case.required_yearly_change(),
        recent_yearly_change=case.recent_yearly_change(),
        judged_value=case.yc if case.n else None,
        judged_target=judged_target(case),
        explanation=Explanation(summary=summary, formula=formula, inputs=inputs, steps=tuple(steps), flags=tuple(flags)),
    )


def judged_target(case: Case) -> float:
    """The target on the judged scale (the aimed bound for 'between'); NaN for an increment without a baseline."""
    if case.aim is not None:
        return case.aim
    if case.spec.kind.relative_to_baseline:
        return float("nan")
    return case.spec.value


def base_inputs(case: Case) -> dict[str, float | int | str | None]:
    """The method-independent inputs shown in every explanation."""
    spec = case.spec
    out: dict[str, float | int | str | None] = {
        "comparator": spec.comparator.value,
        "kind": spec.kind.value,
        "baseline_year": spec.baseline_year,
        "n": case.n,
        "as_of": case.as_of,
        "tT": case.tT,
        "yT": case.aim,
        "d": case.d,
    }
    if case.n:
        out.update({"t0": case.t0, "y0": case.y0, "tc": case.tc, "yc": case.yc})
    if spec.comparator is Comparator.BETWEEN:
        out.update({"target_low": case.low, "target_high": case.high})
    out["required_yearly_change"] = case.required_yearly_change()
    out["recent_yearly_change"] = case.recent_yearly_change()
    return out


def target_text(case: Case) -> str:
    """The target on the judged scale, e.g. '> 5.5', 'between 2 and 3', '>= 0 + 5 = 5'."""
    spec = case.spec
    if case.low is None:
        return Msg("{cmp} +{value} (baseline unknown)", cmp=spec.comparator.value, value=fmt(spec.value))
    if spec.comparator is Comparator.BETWEEN:
        text = Msg("between {low} and {high}", low=fmt(case.low), high=fmt(case.high))
    else:
        text = Msg("{cmp} {value}", cmp=spec.comparator.value, value=fmt(case.low))
    if spec.kind in (TargetKind.INCREMENT, TargetKind.POINTS_CHANGE, TargetKind.NOT_BELOW_BASELINE):
        text = join(text, Msg("(baseline {y0} + {value})", y0=fmt(case.y0), value=fmt(spec.value)))
    elif spec.kind is TargetKind.AVERAGE_GROWTH:
        text = join(text, Msg("(baseline {y0} × (1 + {value} %)^{years}: {value} % a year on average)",
                              y0=fmt(case.y0), value=fmt(spec.value), years=case.tT - case.t0))
    elif spec.kind is TargetKind.REDUCTION:
        text = join(text, Msg("(baseline {y0} reduced by {value} %)", y0=fmt(case.y0), value=fmt(spec.value)))
    elif spec.kind is TargetKind.CUMULATIVE:
        text = join(text, Msg("(sum of flows after {year})", year=spec.baseline_year))
    return text


def change_steps(case: Case) -> tuple[str, ...]:
    """The required and the recent yearly change, with the numbers."""
    out: list[str] = []
    req = case.required_yearly_change()
    if req is not None and case.aim is not None:
        text = Msg(
            "required yearly change from {tc}: ({aim} - {yc}) / ({tT} - {tc}) = {req} per year",
            tc=case.tc, aim=fmt(case.aim), yc=fmt(case.yc), tT=case.tT, req=fmt(req),
        )
        cmp = case.spec.comparator
        if cmp is Comparator.GT and req > 0:
            text = join(text, Msg("the value must rise faster than this, since '>' is strict"), sep="; ")
        elif cmp is Comparator.LT and req < 0:
            text = join(text, Msg("the value must fall faster than this, since '<' is strict"), sep="; ")
        out.append(text)
    rec = case.recent_yearly_change()
    if rec is not None:
        out.append(Msg(
            "recent yearly change: ({last} - {prev}) / ({t1} - {t0}) = {rec} per year",
            last=fmt(case.values[-1]), prev=fmt(case.values[-2]), t1=case.years[-1], t0=case.years[-2], rec=fmt(rec),
        ))
    return tuple(out)


def guard_summary(case: Case) -> str:
    spec = case.spec
    if case.guard is Guard.INSUFFICIENT:
        return Msg(
            "Insufficient data: {n} judged point(s) from {year} on; "
            "a verdict needs the baseline and at least one later value.",
            n=case.n, year=spec.baseline_year,
        )
    value, year, target = fmt(case.yc), case.tc, target_text(case)
    if case.guard is Guard.FINAL:
        if case.met_now:
            return Msg("Final verdict (as of {as_of}, target year {tT}): {value} ({year}) meets the target {target}.",
                       as_of=case.as_of, tT=case.tT, value=value, year=year, target=target)
        return Msg("Final verdict (as of {as_of}, target year {tT}): {value} ({year}) does not meet the target {target}.",
                   as_of=case.as_of, tT=case.tT, value=value, year=year, target=target)
    if case.guard is Guard.ACHIEVED:
        return Msg("Achieved: the latest value {value} ({year}) meets the target {target}; it can still change until {tT}.",
                   value=value, year=year, target=target, tT=case.tT)
    return Msg(
        "The baseline {y0} ({t0}) already met the target {target}, "
        "but the latest value {value} ({year}) no longer does: regressing.",
        y0=fmt(case.y0), t0=case.t0, target=target, value=value, year=year,
    )


def guard_formula(case: Case) -> str:
    if case.guard is Guard.INSUFFICIENT:
        return Msg("at least two judged points (baseline and a later value) are needed")
    return Msg("met if yc satisfies the target's comparator (a strict '>' or '<' is not met by equality)")


def guard_steps(case: Case) -> tuple[str, ...]:
    if case.guard is Guard.INSUFFICIENT or not case.n:
        return ()
    if case.met_now:
        steps = [Msg("yc = {yc} ({tc}) meets {target}", yc=fmt(case.yc), tc=case.tc, target=target_text(case))]
    else:
        steps = [Msg("yc = {yc} ({tc}) does not meet {target}", yc=fmt(case.yc), tc=case.tc, target=target_text(case))]
    if case.hold:
        steps.insert(0, Msg("y0 = {y0} ({t0}) already meets the target: judge 'hold'", y0=fmt(case.y0), t0=case.t0))
    return tuple(steps)
