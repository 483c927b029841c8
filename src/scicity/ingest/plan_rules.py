"""Cross-reference rules for plan files, checked on the plain data.

The rules run on the data as read (not the validated model) so that they can
report alongside schema problems. Each finding is a ``(path, message)`` pair;
the caller turns paths into file lines.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import Any

from scicity.domain.message import Msg, said
from scicity.domain.formula import Formula, FormulaError, measure_problems, result_is_dimensionless
from scicity.domain.registry_definition import filter_problems

Finding = tuple[tuple[Any, ...], str]


def check_rules(data: dict[str, Any]) -> list[Finding]:
    out: list[Finding] = []
    areas = _ids(data, "areas", out)
    series = _ids(data, "series", out)
    indicators = _ids(data, "indicators", out)
    _ids(data, "goals", out)
    units = _geo_ids(data.get("geography"), ("geography",), out, {})
    for ind_id, (path, _) in indicators.items():
        if ind_id in series:
            out.append((path + ("id",), Msg("id {id} is used by a series too; ids of series and indicators must differ", id=repr(ind_id))))
    out.extend(_indicator_rules(data, areas, series, indicators, units))
    out.extend(_registry_rules({**series, **indicators}))
    out.extend(_within_rules(indicators))
    return out


def _within_rules(indicators: dict[str, tuple[tuple[Any, ...], dict[str, Any]]]) -> Iterator[Finding]:
    """'within' names another indicator of the plan."""
    for ind_id, (path, item) in indicators.items():
        total = item.get("within")
        if total is None or not isinstance(total, str):
            continue
        if total == ind_id:
            yield path + ("within",), Msg("indicator {id} cannot be a tier of itself", id=repr(ind_id))
        elif total not in indicators:
            yield path + ("within",), Msg("'within' names {name}, which is not an indicator of this plan{hint}", name=repr(total),
                                             hint=_suggest(total, indicators))


def _registry_rules(items: dict[str, tuple[tuple[Any, ...], dict[str, Any]]]) -> Iterator[Finding]:
    """Registry definitions: fields and values the registries know, certification only for enterprises."""
    for path, item in items.values():
        registry = item.get("registry")
        if not isinstance(registry, dict):
            continue
        for sub, message in filter_problems(
            registry.get("entity"), registry.get("certification"), registry.get("where"), registry.get("sum"), registry.get("count")
        ):
            yield path + ("registry", *sub), message


def _ids(data: dict[str, Any], section: str, out: list[Finding]) -> dict[str, tuple[tuple[Any, ...], dict[str, Any]]]:
    seen: dict[str, tuple[tuple[Any, ...], dict[str, Any]]] = {}
    items = data.get(section)
    if not isinstance(items, list):
        return seen
    for i, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            continue
        ident = item["id"]
        if ident in seen:
            first = seen[ident][0][1]
            out.append(((section, i, "id"), Msg("duplicate id {id} (also {section}[{first}])", id=repr(ident), section=section, first=first)))
            continue
        seen[ident] = ((section, i), item)
    return seen


def _geo_ids(node: Any, path: tuple[Any, ...], out: list[Finding], seen: dict[str, tuple[Any, ...]]) -> set[str]:
    if not isinstance(node, dict):
        return set(seen)
    ident = node.get("id")
    if isinstance(ident, str):
        if ident in seen:
            out.append((path + ("id",), Msg("duplicate geography unit id {id}", id=repr(ident))))
        else:
            seen[ident] = path
    children = node.get("children")
    if isinstance(children, list):
        for i, child in enumerate(children):
            _geo_ids(child, path + ("children", i), out, seen)
    return set(seen)


def _indicator_rules(
    data: dict[str, Any],
    areas: dict[str, Any],
    series: dict[str, Any],
    indicators: dict[str, tuple[tuple[Any, ...], dict[str, Any]]],
    units: set[str],
) -> Iterator[Finding]:
    known = set(series) | set(indicators)
    measures = {k: m for k, v in {**series, **indicators}.items() if (m := _english(v[1].get("measure"))) is not None}
    graph: dict[str, list[str]] = {}
    baseline, target_year = data.get("baseline_year"), data.get("target_year")
    for ind_id, (path, item) in indicators.items():
        area = item.get("area")
        if isinstance(area, str) and areas and area not in areas:
            yield path + ("area",), Msg("unknown area {area}{hint}", area=repr(area), hint=_suggest(area, areas))
        text = item.get("formula")
        if isinstance(text, str):
            yield from _formula_rules(ind_id, path, item, text, known, measures, graph)
        targets = item.get("targets")
        if isinstance(targets, list):
            for t, target in enumerate(targets):
                if isinstance(target, dict):
                    yield from _target_rules(path + ("targets", t), target, units, baseline, target_year)
    yield from _cycles(graph, indicators)


def _formula_rules(
    ind_id: str,
    path: tuple[Any, ...],
    item: dict[str, Any],
    text: str,
    known: set[str],
    measures: dict[str, str],
    graph: dict[str, list[str]],
) -> Iterator[Finding]:
    fpath = path + ("formula",)
    try:
        formula = Formula.parse(text)
    except FormulaError as exc:
        yield fpath, Msg("formula {text}: {reason}", text=repr(text), reason=said(exc))
        return
    unknown = [n for n in formula.names if n not in known]
    for name in unknown:
        yield fpath, Msg("formula names unknown series or indicator {name}{hint}", name=repr(name), hint=_suggest(name, known))
    graph[ind_id] = [n for n in formula.names if n in known]
    if unknown:
        return
    for problem in measure_problems(formula, measures):
        yield fpath, Msg("unit mismatch: {problem}", problem=problem)
    if _english(item.get("measure")) == "%" and not result_is_dimensionless(formula, measures):
        yield fpath, Msg("unit mismatch: the indicator is measured in % but the formula is not a ratio of two quantities in the same unit")


def _target_rules(
    path: tuple[Any, ...], target: dict[str, Any], units: set[str], baseline: Any, target_year: Any
) -> Iterator[Finding]:
    unit = target.get("unit")
    if isinstance(unit, str) and units and unit not in units:
        yield path + ("unit",), Msg("unknown geography unit {unit}{hint}", unit=repr(unit), hint=_suggest(unit, units))
    year = target.get("year", target_year)
    base = target.get("baseline_year", baseline)
    if isinstance(year, int) and isinstance(base, int) and year <= base:
        yield path + ("year",), Msg("target year {year} is not after the baseline year {base}", year=year, base=base)
    milestones = target.get("milestones")
    if isinstance(milestones, list) and isinstance(year, int) and isinstance(base, int):
        for m, milestone in enumerate(milestones):
            my = milestone.get("year") if isinstance(milestone, dict) else None
            if isinstance(my, int) and not base < my <= year:
                yield path + ("milestones", m, "year"), Msg("milestone year {year} is outside {first}–{last}", year=my, first=base + 1, last=year)


def _cycles(graph: dict[str, list[str]], indicators: dict[str, tuple[tuple[Any, ...], dict[str, Any]]]) -> Iterator[Finding]:
    state: dict[str, int] = {}  # 1 visiting, 2 done
    reported: set[frozenset[str]] = set()

    def visit(node: str, stack: list[str]) -> Iterator[list[str]]:
        state[node] = 1
        stack.append(node)
        for nxt in graph.get(node, []):
            if state.get(nxt) == 1:
                yield stack[stack.index(nxt) :] + [nxt]
            elif state.get(nxt) is None:
                yield from visit(nxt, stack)
        stack.pop()
        state[node] = 2

    for start in graph:
        if state.get(start) is None:
            for cycle in visit(start, []):
                members = frozenset(cycle)
                if members in reported:
                    continue
                reported.add(members)
                path = indicators[cycle[0]][0] + ("formula",)
                yield path, Msg("formula cycle: {cycle}", cycle=" -> ".join(cycle))


def _suggest(name: str, choices: Any) -> str:
    close = difflib.get_close_matches(name, list(choices), n=1)
    return Msg(" (did you mean {name}?)", name=repr(close[0])) if close else ""


def _english(value: object) -> str | None:
    """The English form of a plan text given as a string or as ``{en: ..., zh: ...}``."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("en"), str):
        return value["en"]
    return None
