"""The spatial layout (one axis, three centres, supporting points) with indicators broken down where data exist."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from scicity.domain.plan import GeoUnit
from scicity.web.contexts import GeographyPage, GeoNode
from scicity.web.deps import Lang, Reader, State
from scicity.i18n import fmt_number
from scicity.web.render import render
from scicity.web.routes.common import AsOf, PlanId, load_plan

router = APIRouter(tags=["pages"], include_in_schema=False)


@router.get("/geography")
def geography(request: Request, principal: Reader, state: State, lang: Lang, as_of: AsOf = None,
              plan: PlanId = None) -> Response:
    loaded = load_plan(state, plan)
    table = state.plan_values(loaded).table  # every unit of the tree (the overview reads the target units only)
    indicators = loaded.plan.indicators
    nodes: list[GeoNode] = []

    def visit(unit: GeoUnit, depth: int) -> None:
        values = []
        for ind in indicators:
            points = [(p, v) for p, v in table.points(ind.id, unit.id) if as_of is None or p <= as_of]
            if points:
                period, value = points[-1]
                values.append((ind.id, ind.name.get(lang), f"{fmt_number(value, ind.decimals, lang)} ({period})"))
        nodes.append(GeoNode(unit.id, unit.name.get(lang), unit.kind, depth, values))
        for child in unit.children:
            visit(child, depth + 1)

    visit(loaded.plan.geography, 0)
    page = GeographyPage(nodes, [(i.id, i.name.get(lang)) for i in indicators])
    return render(request, "geography.html", page)
