"""/api/v1/assessments: every target judged by one method (the JSON contract of ``scicity status --format json``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from scicity.service.status import row_json
from scicity.web.api.common import ERRORS
from scicity.web.deps import Lang, Reader, State
from scicity.assess import methods
from scicity.domain.message import Msg
from scicity.web.errors import NotFoundError
from scicity.web.routes.common import ApiAsOf, Method, PlanId, load_plan

router = APIRouter(tags=["assessments"], responses=ERRORS)


@router.get("/assessments", response_model=list[dict[str, Any]])
def assessments(
    principal: Reader,
    state: State,
    lang: Lang,
    plan: PlanId = None,
    method: Method = "projection",
    as_of: ApiAsOf = None,
    indicator: Annotated[list[str] | None, Query(max_length=100)] = None,
) -> list[dict[str, Any]]:
    """One object per target (see docs/cli.md, 'scicity status --format json'), on approved values."""
    if method not in methods():
        raise NotFoundError(Msg("unknown method {method}; choose one of: {known}", method=repr(method), known=", ".join(methods())))
    view = state.status(load_plan(state, plan), method, as_of)
    wanted = set(indicator or ())
    return [row_json(r, lang) for r in view.rows if not wanted or r.indicator.id in wanted]
