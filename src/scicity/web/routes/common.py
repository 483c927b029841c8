"""What several pages share: query parameters for plan, as-of year and method; pending values."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query
from pydantic import BeforeValidator, Field

from scicity.domain.message import Msg
from scicity.assess import methods
from scicity.ingest.plan_file import LoadedPlan
from scicity.service.plans import PlanNotFound
from scicity.web.errors import BadRequest, NotFoundError
from scicity.web.permissions import Principal
from scicity.web.state import WebState

def blank_is_none(value: object) -> object:
    """An empty form field (``?as_of=``, the 'latest data' choice) means not given."""
    return None if isinstance(value, str) and not value.strip() else value


AsOf = Annotated[Annotated[int, Field(ge=1900, le=2200)] | None, BeforeValidator(blank_is_none),
                 Query(description="Judge as of this year (later data ignored).")]
#: the API's as-of: a year as its schema says (a program sends no empty field; '' is refused)
ApiAsOf = Annotated[int | None, Query(ge=1900, le=2200, description="Judge as of this year (later data ignored).")]
Method = Annotated[str, Query(max_length=32, description="Assessment method.")]
PlanId = Annotated[str | None, Query(max_length=64, description="Plan id (default: the default plan).")]


def load_plan(state: WebState, plan_id: str | None) -> LoadedPlan:
    try:
        return state.plan(plan_id)
    except PlanNotFound as exc:
        raise NotFoundError(str(exc)) from None


def check_method(method: str) -> str:
    if method not in methods():
        raise BadRequest(Msg('unknown method {method}; choose one of: {known}', method=repr(method), known=', '.join(methods())))
    return method


def official_method(loaded: LoadedPlan) -> str:
    """The method the plan names as the office's official one (projection when it names none, or an unknown one)."""
    name = loaded.plan.official_method
    return name if name in methods() else "projection"


def chosen_method(state: WebState, plan_id: str | None, method: str) -> str:
    """``?method=`` when given (checked), else the plan's official method."""
    if method:
        return check_method(method)
    return official_method(load_plan(state, plan_id))


def plan_years(loaded: LoadedPlan) -> list[int]:
    plan = loaded.plan
    return list(range(plan.baseline_year + 1, max(plan.target_year, plan.period[1]) + 1))


def pending_counts(state: WebState, principal: Principal, loaded: LoadedPlan, version: int) -> dict[str, int]:
    """Values waiting for approval, per indicator, as far as the principal may see drafts."""
    from scicity.web.permissions import Perm

    if not principal.can(Perm.READ_DRAFTS):
        return {}
    out: dict[str, int] = {}
    for indicator, author in state.waiting(loaded, version):
        if principal.sees_all_drafts() or author == principal.name:
            out[indicator] = out.get(indicator, 0) + 1
    return out
