"""Reports page: report drafts (create, preview, edit the office's sections, freeze, publish, re-issue), files."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from scicity.i18n import fmt_datetime, translations
from scicity.web.deps import Lang, Reader, State
from scicity.web.errors import BadRequest, NotFoundError
from scicity.web.permissions import Perm
from scicity.web.render import render
from scicity.web.report_web import DraftLine, DraftPage, ReportsPage, ReportWriter, get_draft, report_file, use_chart_cache
from scicity.web.routes.common import PlanId, load_plan

router = APIRouter(tags=["pages"], include_in_schema=False)
KIND_LABELS = {"final": "Final evaluation", "midterm": "Mid-term review", "annual": "Annual report"}
STATE_LABELS = {"draft": "draft", "frozen": "frozen", "published": "published"}
SECTION_LABELS = {"problems": "Problems and their causes", "recommendations": "Recommendations", "free": "Free section"}


@router.get("/reports")
def reports_page(request: Request, principal: Reader, state: State, lang: Lang, plan: PlanId = None) -> Response:
    """Writers see every draft; readers (and the public view) only the published reports."""
    from scicity.store.report_drafts import ReportDraftRepository

    loaded = load_plan(state, plan)
    _ = translations(lang).gettext
    writer = principal.can(Perm.REPORTS)
    drafts = ReportDraftRepository(state.db).list(loaded.plan.id, states=None if writer else ["published"])
    lines = [DraftLine(d.id, d.title, _(KIND_LABELS[d.kind]), d.as_of, d.version, d.state, _(STATE_LABELS[d.state]),
                       fmt_datetime(d.updated_at, lang)) for d in drafts]
    page = ReportsPage(lines, writer, [(k, _(v)) for k, v in KIND_LABELS.items()], loaded.plan.target_year, loaded.plan.id)
    return render(request, "reports.html", page)


@router.post("/reports")
def create_report(
    principal: ReportWriter,
    state: State,
    kind: Annotated[str, Form(max_length=16)],
    as_of: Annotated[int, Form(ge=1900, le=2200)],
    title: Annotated[str, Form(max_length=256)],
    plan: Annotated[str | None, Form(max_length=64)] = None,
) -> Response:
    from scicity.service.report_model import ReportError, report_year
    from scicity.store.errors import InvalidInput
    from scicity.store.report_drafts import ReportDraftRepository

    loaded = load_plan(state, plan)
    try:
        report_year(loaded.plan, kind, as_of, as_of)
        draft = ReportDraftRepository(state.db).create(loaded.plan.id, kind, as_of, actor=principal.name, title=title)
    except (ReportError, InvalidInput) as exc:
        raise BadRequest(str(exc)) from None
    state.wrote()
    return RedirectResponse(f"/reports/{draft.id}", status_code=303)


@router.get("/reports/report.css")
def report_css() -> Response:
    """The report's stylesheet, for the preview (the app's CSP allows no inline styles)."""
    from scicity.reports.html import TEMPLATES

    return Response((TEMPLATES / "report.css").read_text(encoding="utf-8"), media_type="text/css")


@router.get("/reports/{draft_id}/preview")
def draft_preview(draft_id: int, principal: Reader, state: State, lang: str = "zh") -> Response:
    return report_file(state, get_draft(state, draft_id, principal), "html", lang, preview=True)


@router.get("/reports/{draft_id}")
def draft_page(request: Request, draft_id: int, principal: Reader, state: State, lang: Lang) -> Response:
    from scicity.reports.formats import formats

    draft = get_draft(state, draft_id, principal)
    _ = translations(lang).gettext
    audit = []
    if principal.can(Perm.REPORTS):
        audit = [(fmt_datetime(e.at, lang), e.actor, e.action)
                 for e in state.audit.list(entity="report_draft", entity_id=draft.id, limit=50)]
    page = DraftPage(draft, formats(), [("zh", "简体中文"), ("en", "English")], list(draft.sections),
                     [(k, _(v)) for k, v in SECTION_LABELS.items()], principal.can(Perm.REPORTS), audit)
    return render(request, "report_draft.html", page)


@router.get("/reports/{draft_id}/file.{fmt}")
def draft_file(draft_id: int, fmt: str, principal: Reader, state: State, lang: str = "zh") -> Response:
    return report_file(state, get_draft(state, draft_id, principal), fmt, lang)


@router.post("/reports/{draft_id}/sections")
async def edit_sections(request: Request, draft_id: int, principal: ReportWriter, state: State) -> Response:
    """The whole list of sections from the form (key_N, title_zh_N, title_en_N, text_zh_N, text_en_N; empty rows dropped)."""
    from scicity.store.errors import InvalidInput, InvalidTransition
    from scicity.store.report_drafts import ReportDraftRepository

    form = await request.form()
    revision = form.get("revision")
    sections = []
    for i in range(100):
        if f"key_{i}" not in form:
            break
        fields = {name: str(form.get(f"{name}_{i}") or "") for name in ("key", "title_zh", "title_en", "text_zh", "text_en")}
        if form.get(f"delete_{i}") or not any(fields[n].strip() for n in ("title_zh", "title_en", "text_zh", "text_en")):
            continue
        sections.append(fields)
    try:
        ReportDraftRepository(state.db).edit_sections(
            draft_id, sections, actor=principal.name, expected_revision=int(revision) if revision else None
        )
    except (InvalidInput, InvalidTransition) as exc:
        raise BadRequest(str(exc)) from None
    except LookupError as exc:
        raise NotFoundError(str(exc)) from None
    state.wrote()
    return RedirectResponse(f"/reports/{draft_id}#sections", status_code=303)


@router.post("/reports/{draft_id}/{action}")
def change_state(draft_id: int, action: str, principal: ReportWriter, state: State) -> Response:
    """freeze (numbers fixed with the data version), publish (immutable) or reissue (a new version)."""
    from scicity.service.report_model import ReportError
    from scicity.service.report_service import freeze_draft
    from scicity.store.errors import InvalidTransition, NotFound
    from scicity.store.report_drafts import ReportDraftRepository

    repo = ReportDraftRepository(state.db)
    try:
        draft = repo.get(draft_id)
        if action == "freeze":
            loaded = state.plan(draft.plan_id)
            use_chart_cache(state)
            draft = freeze_draft(state.db, loaded.plan, state.settings.data_dir / "cache", draft_id, actor=principal.name)
        elif action == "publish":
            draft = repo.publish(draft_id, actor=principal.name)
        elif action == "reissue":
            draft = repo.reissue(draft_id, actor=principal.name)
        else:
            raise BadRequest(f"unknown action {action!r}: use freeze, publish or reissue")
    except NotFound as exc:
        raise NotFoundError(str(exc)) from None
    except (InvalidTransition, ReportError) as exc:
        raise BadRequest(str(exc)) from None
    state.wrote()
    return RedirectResponse(f"/reports/{draft.id}", status_code=303)
