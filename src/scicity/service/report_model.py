"""The report model: everything a report prints, as plain JSON, built from the status computation.

One model feeds every format (HTML, PDF, DOCX, XLSX), and a frozen report
draft stores it, so that it re-renders to the same numbers after new data
arrive. Its ``status`` list *is* ``scicity status --format json`` for the same
plan, method and as-of; every number in the indicator table, the chapters and
the problems is taken from there.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from scicity.domain.formula import Formula
from scicity.domain.message import Msg
from scicity.assess.review import count_labels, label_text
from scicity.domain.plan import GeoUnit, Plan, TargetAttribute
from scicity.i18n import fmt_number, tr
from scicity.service.report_text import gettext_for, indicator_paragraph, measure_text, overall_sentence
from scicity.service.status import StatusRow, build_status, row_json
from scicity.service.reconciled_values import PlanValues, source_words
from scicity.service.wording import method_title

SCHEMA = 1
KINDS = ("final", "midterm", "annual")
#: the method the status computation uses by default (follows ``build_status``'s default)
DEFAULT_METHOD: str = inspect.signature(build_status).parameters["method"].default


class ReportError(ValueError):
    """A report cannot be made as asked (the message says why and what to do)."""


@dataclass(frozen=True)
class ReportContext:
    """What the report needs beyond the plan's values: read from the store by :mod:`scicity.service.report_inputs`."""

    data_basis: Mapping[str, Any] = field(default_factory=dict)
    goals: Sequence[Mapping[str, Any]] = ()
    registry_annex: Mapping[str, Any] = field(default_factory=dict)
    provenance: Mapping[str, Any] = field(default_factory=dict)
    sections: Sequence[Mapping[str, Any]] = ()
    data_version: int | None = None


def report_year(plan: Plan, kind: str, as_of: int | None, latest_year: int | None) -> int:
    """The as-of year of a report, checked against its kind."""
    if kind not in KINDS:
        raise ReportError(Msg("unknown report kind {kind}: use one of {known}", kind=repr(kind), known=", ".join(KINDS)))
    first, last = plan.period
    if kind == "final":
        year = as_of if as_of is not None else plan.target_year
        if year < plan.target_year:
            raise ReportError(
                f"a final evaluation needs the plan period to have ended: as-of {year} is before the target year "
                f"{plan.target_year}; make a 'midterm' (or 'annual') report instead, or pass --as-of {plan.target_year}"
            )
        now = datetime.now(UTC).year
        if plan.target_year >= now:
            raise ReportError(
                f"the target year {plan.target_year} of plan {plan.id!r} has not ended yet (it is {now}): "
                "make a 'midterm' or 'annual' report"
            )
        return year
    year = as_of if as_of is not None else (latest_year or first)
    if kind == "midterm" and not (plan.baseline_year < year < plan.target_year):
        raise ReportError(
            f"a mid-term review is as of a year inside the plan period ({plan.baseline_year + 1}–{plan.target_year - 1}), "
            f"not {year}: pass --as-of YEAR, or make a 'final' report"
        )
    if kind == "annual" and not (first <= year <= last):
        raise ReportError(Msg("an annual report is for a year of the plan period {first}–{last}, not {year}: pass --as-of YEAR",
                              first=first, last=last, year=year))
    return year


def build_report_model(
    loaded_plan: Plan,
    values: PlanValues,
    *,
    kind: str,
    as_of: int | None = None,
    lang: str = "zh",
    unit: str | None = None,
    method: str | None = None,
    context: ReportContext = ReportContext(),
    origin: str = "",
    now: datetime | None = None,
) -> dict[str, Any]:
    """The report model (plain JSON) for ``kind`` as of ``as_of``, in ``lang``, for the whole plan or one ``unit``."""
    plan = loaded_plan
    method = method or DEFAULT_METHOD
    units = plan.geo_units()
    if unit is not None and unit not in units:
        raise ReportError(Msg("plan {id} has no geography unit {unit}; its units: {units}", id=repr(plan.id), unit=repr(unit),
                              units=", ".join(units)))
    all_years = [p for ind in plan.indicators for u in units for p, _ in values.table.points(ind.id, u)]
    if not all_years:
        raise ReportError(
            f"plan {plan.id!r} has no data at all: import values first ('scicity import FILE'), then make the report"
        )
    year = report_year(plan, kind, as_of, max(all_years))
    rows = build_status(plan, values.table, method=method, as_of=year)
    if unit is not None:
        rows = [r for r in rows if r.unit == unit]
        if not rows:
            raise ReportError(Msg("geography unit {unit} has no targets in plan {id}: choose another --unit", unit=repr(unit),
                              id=repr(plan.id)))
    status = [row_json(r, lang) for r in rows]
    table = [_table_row(i + 1, r, j, units, lang, kind) for i, (r, j) in enumerate(zip(rows, status, strict=True))]
    counts = count_labels([t["label"] for t in table])
    _ = gettext_for(lang)
    return {
        "schema": SCHEMA,
        "kind": kind,
        "lang": lang,
        "title": _report_title(plan, kind, year, lang),
        "plan": {
            "id": plan.id,
            "name": plan.name.get(lang),
            "issuer": plan.issuer.get(lang) if plan.issuer else None,
            "period": list(plan.period),
            "baseline_year": plan.baseline_year,
            "target_year": plan.target_year,
            "source_document": plan.source_document,
            "positioning": plan.positioning.get(lang) if plan.positioning else None,
        },
        "as_of": year,
        "unit": unit,
        "unit_name": units[unit].name.get(lang) if unit else None,
        "method": method,
        "method_title": method_title(method, lang),
        "generated_at": (now or datetime.now(UTC)).isoformat(timespec="seconds"),
        "data_version": context.data_version,
        "data_basis": {
            "origin": origin,
            "synthetic": any("synthetic" in src for j in status for src in j["sources"]),
            **dict(context.data_basis),
        },
        "status": status,
        "rows": table,
        "overall": {
            "total": len(table),
            "counts": counts,
            "counts_text": {k: label_text(k, lang) for k in counts},
            "sentence": overall_sentence(kind, counts, len(table), year, lang),
        },
        "areas": _areas(plan, table, lang),
        "goals": list(context.goals),
        "spatial": _spatial(plan.geography, rows, lang),
        "map": _map(plan.geography, lang),
        "registry_annex": dict(context.registry_annex),
        "problems": _problems(table),
        "quality": _quality(rows, values, year, lang),
        "sections": list(context.sections),
        "annex": _annex(plan, rows, method, context.provenance, lang),
    }


def _report_title(plan: Plan, kind: str, year: int, lang: str) -> str:
    _ = gettext_for(lang)
    names = {
        "final": _("Final evaluation"),
        "midterm": _("Mid-term review"),
        "annual": _("Annual report {year}").format(year=year),
    }
    return names[kind]


def _table_row(
    index: int, row: StatusRow, j: Mapping[str, Any], units: Mapping[str, GeoUnit], lang: str, kind: str = "final"
) -> dict[str, Any]:
    rv = j["review"] or {}
    d = row.indicator.decimals
    attribute = TargetAttribute(j["attribute"])
    out = {
        "no": index,
        "indicator": j["indicator"],
        "name": j["name"],
        "area": j["area"],
        "area_name": j["area_name"],
        "unit": j["unit"],
        "unit_name": units[j["unit"]].name.get(lang) if j["unit"] in units else j["unit"],
        "measure": j["measure"],
        "measure_text": measure_text(j["measure"], lang),
        "decimals": d,
        "attribute": attribute.value,
        "attribute_text": attribute.text(lang) if lang.startswith("zh") else gettext_for(lang)(attribute.value),
        "kind": j["target"]["kind"],
        "baseline_value": rv.get("baseline_value"),
        "baseline_period": rv.get("baseline_period"),
        "target_text": _target_text(row, lang),
        "target_short": _target_text(row, lang, with_measure=False),
        "target_words": _target_text(row, lang, words=True),
        "target_value": j["target"]["value"],
        "target_year": j["target"]["year"],
        "latest_value": j["latest_value"],
        "latest_period": j["latest_period"],
        "judged_value": j["judged_value"],
        "completion_rate": rv.get("completion_rate"),
        "average_annual_growth": rv.get("average_annual_growth"),
        "gap": rv.get("gap"),
        "label": rv.get("label", "no_data"),
        "label_text": label_text(rv.get("label", "no_data"), lang),
        "status": j["status"],
        "required_yearly_change": rv.get("required_yearly_change"),
        "achieved_yearly_change": rv.get("achieved_yearly_change"),
        "planned_yearly_change": rv.get("planned_yearly_change"),
        "review": j["review"],
        "target": j["target"],
    }
    out["year_change"] = _year_change(j) if kind == "annual" else None
    out["paragraph"] = indicator_paragraph(out, lang)
    return out


def _year_change(j: Mapping[str, Any]) -> dict[str, Any] | None:
    """What changed since the year before (annual reports): the reported value of the latest year minus the one before."""
    points = {p["period"]: p["value"] for p in j["points"]}
    year = j["latest_period"]
    if year is None or year - 1 not in points:
        return None
    return {"year": year, "previous": points[year - 1], "value": points[year], "change": points[year] - points[year - 1]}


def _target_text(row: StatusRow, lang: str, *, with_measure: bool = True, words: bool = False) -> str:
    """The target as the table prints it ('≥320家'); with ``words`` as a Chinese sentence says it ('达到320家')."""
    t = row.target
    d = row.indicator.decimals if not float(t.value).is_integer() else 0
    value = fmt_number(t.value, d, lang)
    if t.high is not None:
        value = f"{value}–{fmt_number(t.high, d, lang)}"
    symbols = {">": ">", ">=": "≥", "<": "<", "<=": "≤", "==": "="}
    if words and lang.startswith("zh"):
        symbols = {">": "超过", ">=": "达到", "<": "低于", "<=": "不高于", "==": "等于"}
    op = "" if t.comparator.value == "between" else symbols[t.comparator.value]
    if t.comparator.value == "between":
        value = f"{value}之间" if words and lang.startswith("zh") else value
    sign = "+" if t.kind.value == "increment" else ""
    if words and lang.startswith("zh") and t.kind.value == "increment":
        op, sign = {">": "新增超过", ">=": "新增"}.get(t.comparator.value, op + "增量"), ""
    measure = measure_text(row.indicator.measure, lang)
    if not with_measure and measure != "%":
        return f"{op}{sign}{value}"
    if measure == "%":
        return f"{op}{sign}{value}%"
    return f"{op}{sign}{value}{'' if lang.startswith('zh') else ' '}{measure}"


def _areas(plan: Plan, table: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    out = []
    for area in plan.areas:
        rows = [t["no"] for t in table if t["area"] == area.id]
        if rows:
            labels = count_labels([t["label"] for t in table if t["area"] == area.id])
            out.append({"id": area.id, "name": area.name.get(lang), "rows": rows, "counts": labels})
    return out


def _map(root: GeoUnit, lang: str) -> dict[str, Any] | None:
    """The Vega-Lite spec of the map (the geography page's), kept in the model so a frozen report redraws it;
    None when the plan places nothing or the boundary data cannot be read."""
    from scicity.service.geo_map import BoundaryDataMissing, UnknownDistrict, map_labels, map_spec

    try:
        return map_spec(root, lang, map_labels(gettext_for(lang)), width=460, height=380)
    except (BoundaryDataMissing, UnknownDistrict):
        return None


def _spatial(root: GeoUnit, rows: list[StatusRow], lang: str) -> list[dict[str, Any]]:
    """The geography tree by axis, centres and points, with the targets attached to each unit."""
    out: list[dict[str, Any]] = []

    def walk(u: GeoUnit, depth: int) -> None:
        mine = [r for r in rows if r.unit == u.id]
        out.append({
            "id": u.id,
            "name": u.name.get(lang),
            "kind": u.kind,
            "depth": depth,
            "targets": len(mine),
            "with_data": sum(1 for r in mine if r.latest is not None),
        })
        for child in u.children:
            walk(child, depth + 1)

    walk(root, 0)
    return out


def _problems(table: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Targets missed or lagging, the largest relative gap first."""
    bad = [t for t in table if t["label"] in ("not_completed", "lagging")]

    def share(t: Mapping[str, Any]) -> float:
        rate = t["completion_rate"]
        return rate if rate is not None else float("inf")

    return [
        {
            "no": t["no"],
            "indicator": t["indicator"],
            "name": t["name"],
            "label": t["label"],
            "label_text": t["label_text"],
            "gap": t["gap"],
            "completion_rate": t["completion_rate"],
            "required_yearly_change": t["required_yearly_change"] if t["label"] == "lagging" else t["planned_yearly_change"],
            "achieved_yearly_change": t["achieved_yearly_change"],
            "decimals": t["decimals"],
            "measure_text": t["measure_text"],
        }
        for t in sorted(bad, key=share)
    ]


def _quality(rows: list[StatusRow], values: PlanValues, year: int, lang: str) -> list[str]:
    _ = gettext_for(lang)
    notes: list[str] = []
    for m in values.table.mismatches():
        if m.period <= year and m.reported is not None:
            notes.append(
                _("{id} ({unit}, {year}): reported {reported} but its parts give {value}.").format(
                    id=m.indicator, unit=m.unit, year=m.period, reported=f"{m.reported:g}", value=f"{m.value:g}"
                )
            )
    for r in values.flagged():
        if r.period <= year:
            notes.append(
                _("{id} ({unit}, {year}): reported {reported} but the {entity} registry counts {registry}.").format(
                    id=r.id, unit=r.unit, year=r.period, reported=f"{r.reported:g}", entity=r.entity, registry=f"{r.registry:g}"
                )
            )
    for row in rows:
        for flag in row.assessment.explanation.flags:
            if flag in ("baseline_substituted", "final_without_target_year_value", "cumulative_missing_years_counted_as_zero"):
                notes.append(f"{row.indicator.name.get(lang)}: {_(flag)}")
    return notes


def _annex(plan: Plan, rows: list[StatusRow], method: str, provenance: Mapping[str, Any], lang: str) -> dict[str, Any]:
    _ = gettext_for(lang)
    sources: dict[str, list[str]] = {}
    for row in rows:
        if row.latest is not None:
            for src in row.latest.sources:
                sources.setdefault(tr(source_words(src), lang), []).append(row.indicator.name.get(lang))
    labels = {x.id: x.name.get(lang) for x in (*plan.series, *plan.indicators)}
    formulas = [
        {"name": r.indicator.name.get(lang), "definition": r.indicator.definition_in(lang),
         # the formula as a reader knows its inputs, by name in the report's language; the ids for tracing
         "formula": Formula.parse(r.indicator.formula).spelled(labels) if r.indicator.formula else None,
         "formula_ids": r.indicator.formula}
        for r in rows
        if r.indicator.formula or r.indicator.registry is not None
    ]
    return {
        "method": method,
        "methods_text": [
            _("Verdicts: the office vocabulary of the national mid-term review (docs/methods.md, 'The official vocabulary')."),
            _("Completion rate: actual over target for levels (target over actual where lower is better), "
              "the change achieved over the change promised for increments, the sum over the target for cumulative targets."),
            _("Average annual growth: (latest / baseline)^(1 / years) − 1 over the reported values."),
            _("Trend projection and the status on the common scale: method '{method}'.").format(method=method_title(method, lang)),
        ],
        "formulas": formulas,
        "sources": [{"source": s, "indicators": sorted(set(v))} for s, v in sorted(sources.items())],
        "source_document": plan.source_document,
        **dict(provenance),
        **({"vintages": [{**v, "source": tr(source_words(v["source"]), lang)} for v in provenance["vintages"]]}
           if provenance.get("vintages") else {}),
    }
