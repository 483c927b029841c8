"""What the Reports page and the reports API share: who may, loading drafts, rendering files."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends
from fastapi.responses import Response

from scicity.domain.message import said
from scicity.web.deps import require
from scicity.web.errors import BadRequest, Forbidden, NotFoundError
from scicity.web.permissions import Perm, Principal
from scicity.web.state import WebState

CSS_PATH = "/reports/report.css"
ReportWriter = Annotated[Principal, Depends(require(Perm.REPORTS))]


@dataclass(frozen=True)
class DraftLine:
    id: int
    title: str
    kind: str
    as_of: int
    version: int
    state: str
    state_label: str
    updated: str


@dataclass(frozen=True)
class ReportsPage:
    drafts: list[DraftLine]
    can_write: bool
    kinds: list[tuple[str, str]]
    default_year: int
    plan_id: str


@dataclass(frozen=True)
class DraftPage:
    draft: Any
    formats: list[str]
    langs: list[tuple[str, str]]
    sections: list[Any]
    section_keys: list[tuple[str, str]]
    can_write: bool
    audit: list[tuple[str, str, str]] = field(default_factory=list)


def get_draft(state: WebState, draft_id: int, principal: Principal) -> Any:
    from scicity.store.errors import NotFound
    from scicity.store.report_drafts import ReportDraftRepository

    try:
        draft = ReportDraftRepository(state.db).get(draft_id)
    except NotFound as exc:
        raise NotFoundError(str(exc)) from None
    if not principal.can(Perm.REPORTS) and not (draft.state == "published" and principal.can(Perm.READ)):
        raise Forbidden("only published reports can be read without the reports permission")
    return draft


def use_chart_cache(state: WebState) -> None:
    """Charts drawn once per spec, kept in ``<data dir>/cache/charts``, the map's boundaries in ``cache/geo`` (shared with the CLI)."""
    from scicity.reports.charts import use_disk_cache
    from scicity.service import geo_map

    use_disk_cache(state.settings.data_dir / "cache" / "charts")
    geo_map.use_disk_cache(state.settings.data_dir / "cache" / "geo")


def report_file(state: WebState, draft: Any, fmt: str, lang: str, *, preview: bool = False) -> Response:
    """The draft rendered as a file (an attachment), or with ``preview`` as a page (HTML, its CSS linked)."""
    from scicity.reports.formats import formats, get_format
    from scicity.service.report_model import ReportError
    from scicity.service.report_service import draft_model

    if fmt not in formats():
        raise BadRequest(f"unknown report format {fmt!r}; use one of: {', '.join(formats())}")
    if lang not in ("zh", "en"):
        raise BadRequest(f"unknown language {lang!r}; use zh or en")
    loaded = state.plan(draft.plan_id)
    use_chart_cache(state)
    try:
        model = draft_model(state.db, loaded.plan, state.settings.data_dir / "cache", draft, lang)
    except ReportError as exc:
        raise BadRequest(said(exc)) from None
    spec = get_format(fmt)
    if preview:
        from scicity.reports.html import render_html

        return Response(render_html(model, css_href=CSS_PATH), media_type=spec.media_type)
    content = spec.render(model)
    name = f"{draft.plan_id}-{draft.kind}-{draft.as_of}-v{draft.version}-{lang}{spec.suffix}"
    headers = {"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"}
    return Response(content, media_type=spec.media_type, headers=headers)
