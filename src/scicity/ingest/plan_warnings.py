"""Warnings on a valid plan: things the format allows but a planner probably did not mean.

- a target year outside the plan period (a target for 2030 in a 2021–2025 plan);
- two targets on the same indicator, geography unit and year (which one counts?).

Each warning is ``(path, message)``; the path points into the YAML tree so the
loader can give its line.
"""

from __future__ import annotations

from scicity.domain.message import Msg
from scicity.domain.plan import Plan


def plan_warnings(plan: Plan) -> list[tuple[tuple[object, ...], str]]:
    out: list[tuple[tuple[object, ...], str]] = []
    first, last = plan.period
    seen: dict[tuple[str, str, int], int] = {}
    for i, indicator in enumerate(plan.indicators):
        for j, target in enumerate(indicator.targets):
            path = ("indicators", i, "targets", j)
            year = plan.target_year_of(target)
            if not first <= year <= last:
                out.append((path + (("year",) if target.year is not None else ()),
                            Msg("target year {year} lies outside the plan period {first}–{last}", year=year, first=first, last=last)))
            key = (indicator.id, plan.unit_of(target), year)
            if key in seen:
                out.append((path, Msg("a second target for {indicator}, unit {unit} and year {year} (the first is target "
                                      "{first} of this indicator); say which counts, or give them different units or years",
                                      indicator=repr(indicator.id), unit=repr(key[1]), year=year, first=seen[key] + 1)))
            else:
                seen[key] = j
    return out
