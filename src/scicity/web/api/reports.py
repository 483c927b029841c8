"""Reports as files: a report draft (published ones for every reader), or the live report of the default plan."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from scicity.domain.message import said
from scicity.web.deps import Reader, State
from scicity.web.api.common import ERRORS
from scicity.web.errors import BadRequest, Conflict, NotFoundError
from scicity.web.report_web import ReportWriter, get_draft, report_file, use_chart_cache
from scicity.web.routes.common import load_plan

router = APIRouter(tags=["reports"], responses=ERRORS)
Format = Annotated[str, Query(max_length=8, description="pdf, docx, xlsx or html.")]
Language = Annotated[str, Query(max_length=4, description="zh or en.")]


@router.get("/reports", summary="Report drafts of a plan (writers: all; readers: the published ones)")
def list_reports(principal: Reader, state: State, plan: str | None = None) -> list[dict[str, Any]]:
    from scicity.store.report_drafts import ReportDraftRepository
    from scicity.web.permissions import Perm

    loaded = load_plan(state, plan)
    states = None if principal.can(Perm.REPORTS) else ["published"]
    return [d.summary() for d in ReportDraftRepository(state.db).list(loaded.plan.id, states=states)]


def _file_answer() -> dict[int | str, dict[str, Any]]:
    from scicity.reports.formats import formats, get_format

    return {200: {"description": "The report as a file (Content-Disposition names it).",
                  "content": {get_format(f).media_type: {"schema": {"type": "string", "format": "binary"}}
                              for f in formats()}}}


@router.get("/reports/{draft_id}/file", response_class=Response, responses=_file_answer(), summary="A report draft as a file (frozen numbers once frozen)")
def draft_file(draft_id: Annotated[int, Path(ge=1, le=2**63 - 1)], principal: Reader, state: State, format: Format = "pdf", lang: Language = "zh") -> Response:
    return report_file(state, get_draft(state, draft_id, principal), format, lang)


@router.get("/report", response_class=Response, responses=_file_answer(), summary="The live report (final, midterm or annual) on the approved data, as a file")
def live_report(
    principal: ReportWriter,
    state: State,
    kind: Annotated[str, Query(max_length=16)] = "final",
    as_of: Annotated[int | None, Query(ge=1900, le=2200)] = None,
    format: Format = "pdf",
    lang: Language = "zh",
    plan: str | None = None,
    unit: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    from scicity.reports.formats import formats, get_format
    from scicity.service.report_model import ReportError
    from scicity.service.report_service import live_model

    if format not in formats():
        raise BadRequest(f"unknown report format {format!r}; use one of: {', '.join(formats())}")
    if lang not in ("zh", "en"):
        raise BadRequest(f"unknown language {lang!r}; use zh or en")
    loaded = load_plan(state, plan)
    use_chart_cache(state)
    try:
        model = live_model(state.db, loaded.plan, state.settings.data_dir / "cache", kind=kind, as_of=as_of, lang=lang, unit=unit)
    except ReportError as exc:
        # the kind, format, language and unit are in the schema; what is left depends on the plan and its data
        raise (NotFoundError if "has no geography unit" in str(exc) else Conflict)(said(exc)) from None
    spec = get_format(format)
    name = f"{loaded.plan.id}-{kind}-{model['as_of']}-{lang}{spec.suffix}"
    return Response(spec.render(model), media_type=spec.media_type,
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"})
