"""Warnings on a valid plan: things the format allows but a planner probably did not mean.

- a target year outside the plan period (a target for 2030 in a 2021–2025 plan);
- two targets on the same indicator, geography unit and year (which one counts?).

Each warning is ``(path, message)``; the path points into the YAML tree so the
loader can give its line.
"""

from __future__ import annotations

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
                            f"target year {year} lies outside the plan period {first}–{last}"))
            key = (indicator.id, plan.unit_of(target), year)
            if key in seen:
                out.append((path, f"a second target for {indicator.id!r}, unit {key[1]!r} and year {year} "
                                  f"(the first is target {seen[key] + 1} of this indicator); say which counts, "
                                  "or give them different units or years"))
            else:
                seen[key] = j
    return out
