"""The "Next plan" workspace: draft the next plan from the default one, adjust targets with their odds, consult, adopt."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from scicity.i18n import fmt_datetime, fmt_number, translations
from scicity.domain.message import Msg
from scicity.ingest.plan_file import PlanInvalid
from scicity.service.next_plan import MARK_LABELS
from scicity.service.plan_checks import KIND_TEXT, LEVEL_TEXT, Check
from scicity.service.plan_lifecycle import Workspace, adopt, continuing, render_text, start_draft, workspace
from scicity.store.errors import InvalidInput, InvalidTransition, NotFound
from scicity.store.plan_drafts import EditConflict, PlanDraftRepository
from scicity.web.deps import Lang, Reader, State, require
from scicity.web.errors import BadRequest, NotFoundError, WebError
from scicity.web.permissions import Perm, Principal
from scicity.web.presenters import status_label
from scicity.web.render import render
from scicity.web.routes.common import load_plan
from scicity.web.state import WebState

router = APIRouter(tags=["pages"], include_in_schema=False)
Planner = Annotated[Principal, Depends(require(Perm.PLAN_DRAFTS))]
STATE_LABELS = {"draft": "draft", "consultation": "consultation", "adopted": "adopted"}


class Conflict(WebError):
    status_code = 409


@dataclass
class TargetLine:
    id: str
    name: str
    measure: str
    comparator: str
    kind: str
    value: float
    value_text: str
    value_display: str
    revision: int
    updated_by: str
    baseline: str
    achieved: str
    p_meet: str
    required: str
    last_target: str
    comments: list[tuple[str, str, str]] = field(default_factory=list)
    step: str = "any"
    mark: str = ""
    peers: list[tuple[str, str, str, str]] = field(default_factory=list)  # name, value (year), needed a year, growth


@dataclass
class CheckLine:
    level: str
    level_label: str
    kind_label: str
    text: str


@dataclass
class WorkspacePage:
    draft_id: str
    name: str
    state: str
    state_label: str
    version: int
    base_plan_id: str
    baseline_year: int
    target_year: int
    lines: list[TargetLine]
    checks: list[CheckLine]
    versions: list[tuple[int, str, str, str]]
    can_edit: bool
    moves: list[tuple[str, str]]
    message: str | None = None


@dataclass
class IndexPage:
    drafts: list[tuple[str, str, str, int]]
    default_plan_id: str
    default_plan_name: str
    can_draft: bool
    next_period: str
    side_by_side: list[tuple[str, str, str, str, str, str, str]]
    trend_since: int | None
    last_plan_id: str | None


def _repo(state: WebState) -> PlanDraftRepository:
    return PlanDraftRepository(state.db)


def _workspace(state: WebState, draft_id: str, overrides: dict[str, float] | None = None) -> Workspace:
    try:
        base = _repo(state).get(draft_id).base_plan_id
    except NotFound as exc:
        raise NotFoundError(str(exc)) from None
    last = load_plan(state, base)
    table = state.value_table(last)
    return workspace(state.db, draft_id, last.plan, table, overrides=overrides)


def _pct(p: float | None) -> str:
    return "—" if p is None else f"{100 * p:.0f} %"


def _lines(ws: Workspace, lang: str, comments: dict[str, list[tuple[str, str, str]]]) -> list[TargetLine]:
    _ = translations(lang).gettext
    out = []
    for row in ws.rows:
        ind = ws.plan.indicator(row.indicator_id)
        h, o = row.history, row.odds
        dec = ind.decimals
        out.append(TargetLine(
            id=ind.id, name=ind.name.get(lang), measure=ind.measure, comparator=ind.targets[0].comparator.value,
            kind=ind.targets[0].kind.value, value=row.value, value_text=f"{row.value:g}",
            value_display=fmt_number(row.value, dec if not float(row.value).is_integer() else 0, lang), revision=row.revision,
            updated_by=row.updated_by,
            baseline=fmt_number(None if h is None else h.baseline_value, dec, lang),
            achieved=fmt_number(None if h is None else h.achieved_yearly_change(), dec + 1, lang),
            p_meet=_pct(None if o is None else o.p_meet),
            required=fmt_number(None if o is None else o.required_yearly_change, dec + 1, lang),
            last_target="—" if h is None else h.target.describe(),
            comments=comments.get(ind.id, []),
            step="1" if dec == 0 else f"{10 ** -dec:g}",
            mark=_mark_text(ws, ind.id, _),
        ))
    return out


def _mark_text(ws: Workspace, indicator: str, gettext) -> str:  # noqa: ANN001
    mark = ws.marks.get(indicator)
    if mark is None:
        return ""
    text = gettext(MARK_LABELS[mark.mark])
    return f"{text} ({mark.text(gettext)})" if mark.reason else text


def _checks(checks: list[Check], lang: str) -> list[CheckLine]:
    _ = translations(lang).gettext
    return [CheckLine(c.level, _(LEVEL_TEXT[c.level]), _(KIND_TEXT[c.kind]), c.text(_, lang)) for c in checks]


def _page(state: WebState, principal: Principal, draft_id: str, lang: str, message: str | None = None) -> WorkspacePage:
    _ = translations(lang).gettext
    ws = _workspace(state, draft_id)
    repo = _repo(state)
    comments: dict[str, list[tuple[str, str, str]]] = {}
    for c in repo.comments(draft_id):
        comments.setdefault(c.indicator, []).append((c.author, fmt_datetime(c.at, lang), c.body))
    versions = []
    for v in reversed(repo.versions(draft_id)):
        if v.action == "edit":
            what = f"{v.changes['indicator']}: {v.changes['before']:g} → {v.changes['after']:g}"
        elif v.action == "state":
            what = f"{_(STATE_LABELS[v.changes['before']])} → {_(STATE_LABELS[v.changes['after']])}"
        else:
            what = _("drafted from {plan}").format(plan=v.changes.get("from"))
        versions.append((v.version, fmt_datetime(v.at, lang), v.actor, what))
    from scicity.service.peers import peer_label, peer_points, standing

    peers = peer_points(state.db)
    horizon = ws.plan.target_year - ws.plan.baseline_year
    for line, row in zip(page_lines := _lines(ws, lang, comments), ws.rows, strict=True):
        own = row.history.baseline_value if row.history is not None and row.history.kind.value != "cumulative" else None
        for st in standing(peers.get(line.id, []), own, horizon) if own is not None else []:
            name = peer_label(str(st["peer_name"]), lang) + (f" ({_('synthetic values')})" if st["synthetic"] else "")
            line.peers.append((name, f"{st['value']:,g} ({st['year']})",
                               "—" if st["yearly_change"] is None else f"{st['yearly_change']:+,.4g}",
                               "—" if st["yearly_growth"] is None else f"{100 * st['yearly_growth']:+.1f} %"))
    d = ws.draft
    moves = {"draft": [("consultation", _("Put to consultation"))],
             "consultation": [("draft", _("Back to drafting")), ("adopted", _("Adopt: make it the default plan"))],
             "adopted": []}[d.state]
    can = principal.can(Perm.PLAN_DRAFTS)
    return WorkspacePage(d.id, ws.plan.name.get(lang), d.state, _(STATE_LABELS[d.state]), d.version, d.base_plan_id,
                         ws.plan.baseline_year, ws.plan.target_year, page_lines,
                         _checks(ws.checks, lang), versions, can and d.state != "adopted", moves if can else [], message)


@router.get("/next-plan")
def next_plan_index(request: Request, principal: Reader, state: State, lang: Lang) -> Response:
    _ = translations(lang).gettext
    default = load_plan(state, None)
    drafts = [(d.id, d.name, _(STATE_LABELS[d.state]), d.version) for d in _repo(state).list()]
    adopted = next((d for d in _repo(state).list() if d.state == "adopted" and d.id == default.plan.id), None)
    from scicity.service.proposals import evaluate, history_of

    side: list[tuple[str, str, str, str, str, str, str]] = []
    since = None
    if adopted is not None and adopted.base_plan_id in state.plan_ids():
        last = load_plan(state, adopted.base_plan_id)
        since = last.plan.baseline_year
        last_table = state.value_table(last)
        old = state.status(last, "projection", None).rows
        new = state.status(default, "projection", None).rows
        for c in continuing(old, new):
            h = history_of(last.plan, last_table, last.plan.indicator(c.indicator_id), default.plan.baseline_year,
                           default.plan.target_year)
            odds = evaluate(h, c.new.target.value) if h is not None and h.kind is c.new.target.kind else None
            side.append((c.new.indicator.name.get(lang), c.last.target.describe(),
                         status_label(c.last.assessment.status.value, _), c.new.target.describe(),
                         status_label(c.new.assessment.status.value, _), _pct(odds.p_meet if odds else None),
                         c.indicator_id))
    p = default.plan
    page = IndexPage(drafts, p.id, p.name.get(lang), principal.can(Perm.PLAN_DRAFTS),
                     f"{p.period[1] + 1}-{p.period[1] + 5}", side, since, adopted.base_plan_id if adopted else None)
    return render(request, "next_plan.html", page)


@router.post("/next-plan/draft")
def next_plan_draft(
    principal: Planner,
    state: State,
    period: Annotated[str, Form(max_length=16)],
    confidence: Annotated[str, Form(max_length=16)] = "stretch",
) -> Response:
    from scicity.service.next_plan import DraftError, draft_next_plan
    from scicity.service.peers import peer_points

    last = load_plan(state, None)
    try:
        start, end = (int(x) for x in period.replace("–", "-").split("-"))
    except ValueError:
        raise BadRequest(f"period {period!r}: write two years, e.g. 2026-2030") from None
    try:
        draft = draft_next_plan(last.plan, state.value_table(last), (start, end), confidence=confidence,
                                peers=peer_points(state.db))
        stored = start_draft(state.db, draft.text, last.plan.id, actor=principal.name)
    except (DraftError, InvalidInput) as exc:
        raise BadRequest(str(exc)) from None
    return RedirectResponse(f"/next-plan/{stored.id}", status_code=303)


@router.get("/next-plan/{draft_id}")
def next_plan_workspace(request: Request, draft_id: str, principal: Reader, state: State, lang: Lang) -> Response:
    return render(request, "next_plan_workspace.html", _page(state, principal, draft_id, lang))


@router.post("/next-plan/{draft_id}/try/{indicator}")
def next_plan_try(request: Request, draft_id: str, indicator: str, principal: Reader, state: State, lang: Lang,
                  value: Annotated[str, Form(max_length=32)]) -> Response:
    """The odds, effort and checks of a value being typed (nothing stored): the row's cells and the checks list."""
    try:
        number = float(value)
    except ValueError:
        return HTMLResponse(f'<span class="bad">{translations(lang).gettext("not a number: type a target value")}</span>', status_code=200)
    ws = _workspace(state, draft_id, {indicator: number})
    line = next((x for x in _lines(ws, lang, {}) if x.id == indicator), None)
    if line is None:
        raise NotFoundError(f"draft {draft_id!r} has no target for {indicator!r}")
    templates = request.app.state.templates
    _ = translations(lang).gettext
    html = templates.get_template("_next_plan_odds.html").render(line=line, _=_)
    html += templates.get_template("_next_plan_checks.html").render(checks=_checks(ws.checks, lang), oob=True, _=_)
    return HTMLResponse(html)


@router.post("/next-plan/{draft_id}/targets/{indicator}")
def next_plan_set(request: Request, draft_id: str, indicator: str, principal: Planner, state: State, lang: Lang,
                  value: Annotated[float, Form()], revision: Annotated[int, Form(ge=1)]) -> Response:
    _ = translations(lang).gettext
    try:
        _repo(state).edit_target(draft_id, indicator, value, expected_revision=revision, actor=principal.name)
    except EditConflict as exc:
        page = _page(state, principal, draft_id, lang, message=_("Conflict: {detail}").format(detail=str(exc)))
        return render(request, "next_plan_workspace.html", page, status_code=409)
    except (NotFound, InvalidTransition) as exc:
        raise BadRequest(str(exc)) from None
    return RedirectResponse(f"/next-plan/{draft_id}#t-{indicator}", status_code=303)


@router.post("/next-plan/{draft_id}/targets/{indicator}/comments")
def next_plan_comment(draft_id: str, indicator: str, principal: Planner, state: State,
                      body: Annotated[str, Form(max_length=4000)]) -> Response:
    try:
        _repo(state).comment(draft_id, indicator, body, author=principal.name)
    except (NotFound, InvalidInput) as exc:
        raise BadRequest(str(exc)) from None
    return RedirectResponse(f"/next-plan/{draft_id}#t-{indicator}", status_code=303)


@router.post("/next-plan/{draft_id}/state")
def next_plan_state(draft_id: str, principal: Planner, state: State, to: Annotated[str, Form(max_length=16)]) -> Response:
    try:
        if to == "adopted":
            adopt(state.db, draft_id, actor=principal.name)
        else:
            _repo(state).set_state(draft_id, to, actor=principal.name)
    except (NotFound, InvalidTransition, InvalidInput) as exc:
        raise BadRequest(str(exc)) from None
    except PlanInvalid as exc:
        raise BadRequest(Msg("the draft is not a valid plan: {problems}", problems=exc.said())) from None
    return RedirectResponse("/next-plan" if to == "adopted" else f"/next-plan/{draft_id}", status_code=303)


@router.get("/next-plan/{draft_id}/export.yaml")
def next_plan_yaml(draft_id: str, principal: Reader, state: State) -> Response:
    try:
        text = render_text(_repo(state).get(draft_id))
    except NotFound as exc:
        raise NotFoundError(str(exc)) from None
    return Response(text, media_type="application/yaml",
                    headers={"content-disposition": f'attachment; filename="{draft_id}.yaml"'})


@router.get("/next-plan/{draft_id}/export.xlsx")
def next_plan_xlsx(draft_id: str, principal: Reader, state: State, lang: Lang) -> Response:
    from scicity.reports.next_plan_xlsx import workspace_xlsx

    ws = _workspace(state, draft_id)
    notes: dict[str, list[str]] = {}
    for c in _repo(state).comments(draft_id):
        notes.setdefault(c.indicator, []).append(f"{c.author}: {c.body}")
    data = workspace_xlsx(ws, lang, translations(lang).gettext, notes)
    return Response(data, media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"content-disposition": f'attachment; filename="{draft_id}.xlsx"'})
