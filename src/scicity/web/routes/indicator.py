"""An indicator: chart, verdicts of every method, definition and inputs, the seed quote, the observations."""

from __future__ import annotations

from dataclasses import replace

from typing import Annotated

from pydantic import BeforeValidator, Field
from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from scicity.domain.message import Msg, said
from scicity.domain.formula import Formula
from scicity.domain.plan import Indicator, Series, Target
from scicity.domain.observation import ObservationKey, ObservationStatus
from scicity.ingest.plan_file import LoadedPlan
from scicity.service.explain import UnknownId
from scicity.service.status import compare_methods, unit_row
from scicity.service.wording import worded
from scicity.store.observation_rows import ObservationRecord
from scicity.web.charts import indicator_chart
from scicity.web.contexts import DrillThrough, IndicatorPage, MethodVerdict, MonitoredPage, ObservationLine
from scicity.web.deps import Lang, Reader, RecordReader, State
from scicity.web.drill import drill_through, has_entities
from scicity.web.errors import NotFoundError
from scicity.i18n import fmt_datetime, fmt_number, fmt_percent, fmt_plain, translations
from scicity.web.permissions import Perm, Principal
from scicity.web.presenters import latest_text, monitored_items, series_decimals, status_label, target_text
from scicity.web.render import render
from scicity.web.routes.common import (
    AsOf,
    Method,
    PlanId,
    blank_is_none,
    chosen_method,
    load_plan,
    official_method,
    plan_years,
)
from scicity.web.state import WebState

router = APIRouter(tags=["pages"], include_in_schema=False)
Period = Annotated[int | None, Query(ge=1900, le=2200, description="Year of the value to drill into (default: the latest).")]
Unit = Annotated[Annotated[str, Field(max_length=64)] | None, BeforeValidator(blank_is_none),
                 Query(description="Geographic unit (default: the indicator's).")]
Page = Annotated[int, Query(ge=1, le=1_000_000, description="Page of the entities behind the value.")]


@router.get("/indicators/{indicator_id}/entities")
def entities_fragment(request: Request, indicator_id: str, principal: RecordReader, state: State, lang: Lang,
                      period: Annotated[int, Query(ge=1900, le=2200)], unit: Unit = None, page: Page = 1,
                      plan: PlanId = None) -> Response:
    """The drill-through section alone (htmx swaps it in when paging)."""
    loaded = load_plan(state, plan)
    if not has_entities(loaded, indicator_id):
        raise NotFoundError(Msg('plan {plan} has no registry count behind {indicator_id}', plan=repr(loaded.plan.id), indicator_id=repr(indicator_id)))
    decimals = next((i.decimals for i in loaded.plan.indicators if i.id == indicator_id),
                    next((series_decimals(s) for s in loaded.plan.series if s.id == indicator_id), 2))
    return render(request, "entities.html", _drill(state, loaded, indicator_id, period, unit, page, lang, decimals, plan))


def _drill(state: WebState, loaded: LoadedPlan, ident: str, period: int, unit: str | None, page: int, lang: str,
           decimals: int, plan: str | None) -> DrillThrough:
    try:
        return drill_through(state, loaded, ident, period, unit, page, lang, decimals, plan)
    except UnknownId as exc:
        raise NotFoundError(said(exc)) from exc


@router.get("/indicators/{indicator_id}")
def indicator_page(request: Request, indicator_id: str, principal: Reader, state: State, lang: Lang,
                   as_of: AsOf = None, plan: PlanId = None, period: Period = None, unit: Unit = None,
                   page: Page = 1, method: Method = "") -> Response:
    loaded = load_plan(state, plan)
    method = chosen_method(state, plan, method)
    official = official_method(loaded)
    view = state.status(loaded, method, as_of)
    rows = [r for r in view.rows if r.indicator.id == indicator_id]
    monitored = next((s for s in loaded.plan.monitored() if s.id == indicator_id), None)
    if not rows and monitored is not None:
        return render(request, "monitored.html", monitored_page(state, loaded, view, monitored, principal, lang, as_of,
                                                                period, unit, page, plan))
    if not rows:
        raise NotFoundError(Msg('plan {plan} has no indicator with a target called {indicator_id}', plan=repr(loaded.plan.id), indicator_id=repr(indicator_id)))
    row = rows[0]
    units = loaded.plan.geo_units()
    if unit is not None and unit not in units:
        raise NotFoundError(Msg("unknown geography unit {unit}; the plan's units are {known}", unit=repr(unit),
                                known=", ".join(units)))
    own_target = True
    table = view.table
    if unit is not None and unit != row.unit:  # ?unit=: the header, chart, verdicts and observations of that unit
        at_unit = [r for r in rows if r.unit == unit]
        if at_unit:
            row = at_unit[0]
        else:
            table = state.plan_values(loaded).table  # every unit of the tree
            row, own_target = unit_row(loaded.plan, table, row.indicator, unit, method=method, as_of=as_of)  # type: ignore[misc]
    _ = translations(lang).gettext
    a = row.assessment
    d = row.indicator.decimals
    verdicts = [
        MethodVerdict(m, v.status.value, w.status_label, w.native_label, w.summary, w.formula, w.steps, w.flags,
                      dict(v.explanation.inputs), title=w.title + (_(" (official)") if m == official else ""),
                      chosen=m == method)
        for m, v in state.memo(("methods", loaded.plan.id, indicator_id, row.unit, as_of, view.version),
                               lambda: compare_methods(loaded.plan, table, indicator_id, as_of=as_of,
                                                       target=row.target)).items()
        for w in [worded(m, v, lang)]
    ] if own_target else []
    verdicts.sort(key=lambda v: (not v.chosen, v.method != official))
    ids = [indicator_id]
    if row.indicator.formula:
        ids += [n for n in Formula.parse(row.indicator.formula).names if n not in ids]
    latest = row.latest
    inputs = [(o.indicator, str(o.period), fmt_plain(o.value, lang)) for o in (latest.inputs if latest else ())]
    proj = a.projection
    labels = {"observed": _("observed"), "path": _("straight path to target"), "projection": _("projection (80 % band)"),
              "target": _("target"), "year": _("year"), "measure": row.indicator.measure_in(lang),
              "description": _("Observed values of %s, the target, and the projection") % row.indicator.name.get(lang)}
    change_decimals = max(d, 1)
    quote, quote_zh = source_quote(row.indicator, row.target, lang)
    page = IndicatorPage(
        plan_id=loaded.plan.id,
        id=indicator_id,
        name=row.indicator.name.get(lang),
        area=row.area.name.get(lang),
        measure=row.indicator.measure_in(lang),
        definition=row.indicator.definition_in(lang),
        formula=row.indicator.formula,
        substituted=latest.substituted if latest else None,
        inputs=inputs,
        quote=quote,
        quote_translation=quote_zh if lang == "zh" else None,
        method=method,
        method_title=next((v.title for v in verdicts if v.chosen), method),
        target=target_text(row, lang),
        target_year=row.spec.target_year,
        kind=row.target.kind.value,
        status=a.status.value,
        status_label=status_label(a.status.value, _),
        latest=latest_text(row, lang),
        required_change=fmt_number(a.required_yearly_change, change_decimals, lang) if a.required_yearly_change is not None else None,
        recent_change=fmt_number(a.recent_yearly_change, change_decimals, lang) if a.recent_yearly_change is not None else None,
        projection=(f"{fmt_number(proj.value, d, lang)} [{fmt_number(proj.low, d, lang)}–{fmt_number(proj.high, d, lang)}]"
                    if proj else None),
        p_meet=fmt_percent(a.p_meet, lang) if a.p_meet is not None else None,
        verdicts=verdicts,
        observations=observation_lines(state, principal, ids, row.unit, lang, state.version()),  # drafts too
        chart_spec=indicator_chart(row, labels, own_target=own_target),
        as_of=as_of,
        years=plan_years(loaded),
        can_enter=principal.can_report(indicator_id),
        unit=row.unit,
        unit_name=units[row.unit].name.get(lang),
        units=[(u.id, u.name.get(lang)) for u in loaded.plan.geography.walk()],
        own_target=own_target,
        mismatch=(f"{fmt_number(latest.reported, 4, lang)} ≠ {fmt_number(latest.value, 4, lang)} ({latest.substituted})"
                  if latest and latest.mismatch else None),
        drill=(_drill(state, loaded, indicator_id, period or latest.period, unit or row.unit, page, lang, d, plan)
               if has_entities(loaded, indicator_id) and (period or latest) and principal.can(Perm.READ_RECORDS)
               else None),
    )
    if row.unit == loaded.plan.geography.id and own_target:
        from scicity.web.routes.cultivation import indicator_pipeline

        page = replace(page, pipeline=indicator_pipeline(state, indicator_id, row.spec.target_year))
    return render(request, "indicator.html", page)


def monitored_page(state: WebState, loaded: LoadedPlan, view: object, series: Series, principal: Principal, lang: str,
                   as_of: int | None, period: int | None, unit: str | None, page: int, plan: str | None) -> MonitoredPage:
    """A series followed without a target: its values per year at the root and at each unit below, the entities behind."""
    from scicity.ingest.registry_words import describe_definition

    everywhere = state.read_model.all_units(loaded)  # every unit, not only the targets' (series are inputs)
    geo = loaded.plan.geography
    units = [(u.id, u.name.get(lang)) for u in geo.walk()]
    decimals = series_decimals(series)
    at = {uid: dict(everywhere.points(series.id, uid)) for uid, _ in units}
    years = sorted({p for uid, _ in units for p in at[uid] if as_of is None or p <= as_of})
    values = [(y, [fmt_number(at[uid][y], decimals, lang) if y in at[uid] else "—" for uid, _ in units]) for y in years]
    latest = years[-1] if years else None
    drill = None
    if series.registry is not None and (period or latest) and principal.can(Perm.READ_RECORDS) and has_entities(loaded, series.id):
        drill = _drill(state, loaded, series.id, period or latest, unit or geo.id, page, lang, decimals, plan)
    item = monitored_items(loaded.plan, everywhere, lang, as_of)
    return MonitoredPage(
        plan_id=loaded.plan.id, id=series.id, name=series.name.get(lang), measure=series.measure_in(lang),
        definition=describe_definition(series.registry, lang) if series.registry is not None else None,
        latest=next((i.latest for i in item if i.id == series.id), "—"), latest_period=latest,  # type: ignore[attr-defined]
        units=[name for _, name in units], values=values, as_of=as_of, years=plan_years(loaded), drill=drill)


def source_quote(indicator: Indicator, target: Target, lang: str) -> tuple[str | None, str | None]:
    """The quote to show (the target's, else the indicator's) and its Chinese translation; for Chinese readers
    the indicator's quote when only that one has a translation."""
    if target.source_quote and (target.source_quote_zh or lang != "zh" or not indicator.source_quote_zh):
        return target.source_quote, target.source_quote_zh
    return indicator.source_quote, indicator.source_quote_zh


def observation_lines(state: WebState, principal: Principal, ids: list[str], unit: str, lang: str,
                      version: int | None = None) -> list[ObservationLine]:
    """Every revision of the ids at the unit, newest period first; drafts only for those who may see them."""

    def load() -> list[tuple[ObservationRecord, bool]]:
        by_key: dict[ObservationKey, list[ObservationRecord]] = {}
        for rec in state.observations.records_many(ids, [unit]):  # one query, every revision of every key
            by_key.setdefault(rec.observation.key, []).append(rec)
        out: list[tuple[ObservationRecord, bool]] = []
        for key in sorted(by_key, key=lambda k: (ids.index(k.indicator), -k.period)):
            records = by_key[key]
            approved = [r.observation.revision for r in records if r.observation.status is ObservationStatus.APPROVED]
            current = max(approved) if approved else None
            out += [(rec, rec.observation.revision == current) for rec in reversed(records)]
        return out

    records = load() if version is None else state.memo(("records", tuple(ids), unit, version), load)
    return [line(rec, lang, current=current) for rec, current in records if visible(rec, principal)]


def visible(rec: ObservationRecord, principal: Principal) -> bool:
    if rec.observation.status is ObservationStatus.APPROVED:
        return True
    return principal.sees_all_drafts() or (principal.signed_in and rec.observation.created_by == principal.name)


def line(rec: ObservationRecord, lang: str, *, current: bool = False) -> ObservationLine:
    o = rec.observation
    return ObservationLine(
        id=rec.id, indicator=o.indicator, unit=o.unit, period=o.period, value=fmt_plain(o.value, lang),
        revision=o.revision, status=o.status.value, source=o.source,
        vintage=o.vintage.isoformat() if o.vintage else None, created_by=o.created_by,
        created_at=fmt_datetime(o.created_at, lang), approved_by=o.approved_by, comment=rec.comment, current=current,
    )
