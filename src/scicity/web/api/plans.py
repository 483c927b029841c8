"""/api/v1/plans, /api/v1/indicators, /api/v1/me: what is measured, and who is asking."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from scicity.domain.message import Msg, said
from scicity.domain.plan import Plan
from scicity.i18n import tr
from scicity.service.explain import UnknownId, explanation_json
from scicity.service.reconciled_values import source_words
from scicity.store.series import approved_series
from scicity.web.api.common import ERRORS
from scicity.web.api.schemas import AreaOut, ExplanationOut, IndicatorOut, PlanDetail, PlanOut, SeriesOut, TargetOut, UserOut
from scicity.web.deps import Lang, Reader, RecordReader, SignedIn, State
from scicity.web.drill import explanation
from scicity.web.errors import NotFoundError
from scicity.web.routes.common import PlanId, load_plan

router = APIRouter(responses=ERRORS)


@router.get("/me", response_model=UserOut, tags=["users"])
def me(principal: SignedIn) -> UserOut:
    user = principal.user
    assert user is not None
    return UserOut(username=user.username, display_name=user.display_name, role=user.role,
                   department_id=user.department_id, lang=user.lang, reports=sorted(principal.reports))


@router.get("/plans", response_model=list[PlanOut], tags=["plans"])
def list_plans(principal: Reader, state: State) -> list[PlanOut]:
    return [PlanOut(id=p.id, name=p.name, is_default=p.is_default, loaded_at=p.loaded_at, sha256=p.sha256)
            for p in state.plans.list()]


def _indicators(plan: Plan, lang: str) -> list[IndicatorOut]:
    return [
        IndicatorOut(
            id=i.id, area=i.area, name=i.name.get(lang), measure=i.measure, direction=i.direction.value,
            formula=i.formula, definition=i.definition,
            targets=[TargetOut(comparator=t.comparator.value, value=t.value, high=t.high, kind=t.kind.value,
                               year=plan.target_year_of(t), baseline_year=plan.baseline_year_of(t),
                               unit=plan.unit_of(t), source_quote=t.source_quote) for t in i.targets],
        )
        for i in plan.indicators
    ]


@router.get("/plans/{plan_id}", response_model=PlanDetail, tags=["plans"])
def get_plan(plan_id: str, principal: Reader, state: State, lang: Lang) -> PlanDetail:
    stored = {p.id: p for p in state.plans.list()}
    if plan_id not in stored:
        raise NotFoundError(Msg('no stored plan {plan_id}; stored plans: {known}', plan_id=repr(plan_id), known=', '.join(stored) or 'none'))
    plan = load_plan(state, plan_id).plan
    p = stored[plan_id]
    return PlanDetail(id=p.id, name=p.name, is_default=p.is_default, loaded_at=p.loaded_at, sha256=p.sha256,
                      baseline_year=plan.baseline_year, target_year=plan.target_year,
                      areas=[AreaOut(id=a.id, name=a.name.get(lang)) for a in plan.areas],
                      indicators=_indicators(plan, lang), units=list(plan.geo_units()))


@router.get("/indicators", response_model=list[IndicatorOut], tags=["indicators"])
def list_indicators(principal: Reader, state: State, lang: Lang, plan: PlanId = None) -> list[IndicatorOut]:
    return _indicators(load_plan(state, plan).plan, lang)


@router.get("/indicators/{indicator_id}/series", response_model=SeriesOut, tags=["indicators"])
def series(
    indicator_id: str,
    principal: Reader,
    state: State,
    lang: Lang,
    unit: Annotated[str | None, Query(max_length=64, description="Geographic unit (default: the plan's root).")] = None,
    plan: PlanId = None,
) -> JSONResponse:
    """The approved values of one id at one unit, oldest year first: the latest revision per year of a reported id;
    for a formula indicator (rd_intensity) or a registry count, the values the chart plots, computed from the
    approved values (``how``: computed or registry, with the formula and its numbers)."""
    loaded = load_plan(state, plan)
    if indicator_id not in loaded.plan.reported_ids():
        raise NotFoundError(Msg('plan {plan} has no indicator or series {indicator_id}', plan=repr(loaded.plan.id), indicator_id=repr(indicator_id)))
    unit = unit or loaded.plan.geography.id
    if unit not in loaded.plan.geo_units():
        raise NotFoundError(f"plan {loaded.plan.id!r} has no geographic unit {unit!r}")
    derived = indicator_id in loaded.plan.registry_definitions() or any(
        i.id == indicator_id and i.formula for i in loaded.plan.indicators)
    if derived:
        table = state.plan_values(loaded).table
        points = [{"period": p, "value": v.value, "revision": None, "source": "; ".join(tr(source_words(src), lang) for src in v.sources) or None,
                   "vintage": None, "approved_by": None,
                   "how": "registry" if v.how == "registry" else ("computed" if v.formula else v.how),
                   "formula": v.substituted} for p, v in sorted(table.series(indicator_id, unit).items())]
    else:
        points = approved_series(state.db, indicator_id, unit)
    body = {"indicator": indicator_id, "unit": unit, "points": points}
    return JSONResponse(body)  # the rows are already in the documented shape: no second validation pass


@router.get("/indicators/{indicator_id}/explain", response_model=ExplanationOut, tags=["indicators"])
def explain_value(
    indicator_id: str,
    principal: RecordReader,
    state: State,
    lang: Lang,
    period: Annotated[int, Query(ge=1900, le=2200, description="The year of the value.")],
    unit: Annotated[str | None, Query(max_length=64, description="Geographic unit (default: the plan's root).")] = None,
    page: Annotated[int, Query(ge=1, le=1_000_000, description="Page of the entities (1: the first).")] = 1,
    page_size: Annotated[int, Query(ge=1, le=200, description="Entities per page.")] = 20,
    plan: PlanId = None,
) -> JSONResponse:
    """One value with its definition, formula and numbers, and one page of the entities behind each registry count.

    The same as ``scicity explain ID --period YEAR --format json``.
    """
    loaded = load_plan(state, plan)
    if unit is not None and unit not in loaded.plan.geo_units():
        raise NotFoundError(f"plan {loaded.plan.id!r} has no geographic unit {unit!r}")
    try:
        e = explanation(state, loaded, indicator_id, period, unit, page, lang, page_size)
    except UnknownId as exc:
        raise NotFoundError(said(exc)) from exc
    return JSONResponse(ExplanationOut.model_validate(explanation_json(e)).model_dump(mode="json"))
