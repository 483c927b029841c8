"""The overview: the plan at a glance, area by area, judged on approved values."""

from __future__ import annotations

import anyio.to_thread
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Template
from markupsafe import Markup

from scicity.assess import methods
from scicity.service.wording import method_title
from scicity.service.status import StatusRow, status_counts
from scicity.web.contexts import AreaBlock, OverviewItem, OverviewPage
from scicity.web.deps import Lang, Reader, State
from scicity.web.gzip_splice import Segment, accepts_gzip, gzip_join, segment
from scicity.i18n import translations
from scicity.web.presenters import STATUS_ORDER, latest_text, monitored_items, progress, sparkline, status_label, target_text, strict_note
from scicity.ingest.plan_file import LoadedPlan
from scicity.web.permissions import Perm, Principal
from scicity.web.render import render
from scicity.web.state import StatusView, WebState
from scicity.web.routes.common import AsOf, Method, PlanId, chosen_method, official_method, load_plan, pending_counts, plan_years

router = APIRouter(tags=["pages"], include_in_schema=False)
BODY_MARKER = "<!--scicity-overview-body-->"


@router.get("/")
async def overview(request: Request, principal: Reader, state: State, lang: Lang, as_of: AsOf = None,
                   method: Method = "", plan: PlanId = None) -> Response:
    """Served from the cache without leaving the event loop; computed in a worker thread when data changed."""
    method = chosen_method(state, plan, method)
    scope = "all" if principal.sees_all_drafts() else (principal.name if principal.can(Perm.READ_DRAFTS) else "-")
    quick_key = ("overview-page", plan, method, as_of, lang, scope)
    stamp = state.version()
    wait = state.must_wait()  # after a write of this process: show it; else the previous page while rendering
    cached = None if wait else state.pages.peek(quick_key, stamp)
    if cached is None:
        cached = await anyio.to_thread.run_sync(lambda: state.pages.get(
            quick_key, stamp, lambda: _compute(request, principal, state, lang, as_of, method, plan), wait=wait))
    shell, body, packed, chrome_key = cached  # type: ignore[misc]
    if request.headers.get("hx-request"):
        return HTMLResponse(body)
    if not accepts_gzip(request.headers.get("accept-encoding")):
        return render(request, "overview.html", {**shell, "body": Markup(body)})
    # the page around a marker, then the cached, already compressed body spliced in; the page around it
    # (chrome: who is signed in, the language, the form token; the shell: plan, years, methods) is rendered and
    # compressed once per session and shell — not again after a write that changed only the body — and only when
    # nothing is sent just once (a flash message, a new session cookie)
    from scicity.web.deps import read_session
    from scicity.web.flash import COOKIE as FLASH_COOKIE

    session = read_session(request)
    around = None
    if session is not None and FLASH_COOKIE not in request.cookies:
        around_key = ("overview-around", quick_key, chrome_key, state.read_model.known().users, session.csrf,
                      principal.user, principal.role, principal.reports, principal.via, principal.public_view)
        around = state.memo(around_key, lambda: _around(request, shell))
    else:
        around = _around(request, shell)
    head, tail, status_code, cookies = around
    response = Response(gzip_join([head, packed, tail]), status_code=status_code, media_type="text/html")
    response.raw_headers.extend(cookies)
    response.headers["content-encoding"] = "gzip"
    response.headers["vary"] = "Accept-Encoding"
    return response


def _around(request: Request, shell: dict[str, object]) -> tuple[Segment, Segment, int, list[tuple[bytes, bytes]]]:
    """The page without its body, compressed: the part before the body, the part after, status and cookies."""
    page = render(request, "overview.html", {**shell, "body": Markup(BODY_MARKER)})
    head, tail = bytes(page.body).split(BODY_MARKER.encode(), 1)
    cookies = [(name, value) for name, value in page.raw_headers if name == b"set-cookie"]
    return segment(head), segment(tail), page.status_code, cookies


def _compute(request: Request, principal: Principal, state: WebState, lang: str, as_of: int | None, method: str,
             plan: str | None) -> tuple[dict[str, object], str, Segment, str]:
    loaded = load_plan(state, plan)
    view = state.status(loaded, method, as_of)
    pending = pending_counts(state, principal, loaded, state.version())  # drafts count: every observation event
    templates = request.app.state.templates
    page = overview_page(state, loaded, view, lang, pending, row_template=templates.get_template("_overview_row.html"))
    body = templates.get_template("_overview_body.html").render(page=page, _=translations(lang).gettext)
    shell = {"plan_name": page.plan_name, "plan_id": page.plan_id, "plans": page.plans, "as_of": as_of,
             "years": page.years, "method": method, "methods": page.methods, "method_titles": page.method_titles}
    # what the page around the body is made from, as a key: equal shells give the same page around
    return shell, body, segment(body.encode()), repr(sorted(shell.items()))


def overview_item(row: StatusRow, lang: str, pending: int) -> OverviewItem:
    """One target's row of the overview, in words and numbers."""
    _ = translations(lang).gettext
    name = row.indicator.name.get(lang)
    return OverviewItem(
        id=row.indicator.id,
        name=name,
        latest=latest_text(row, lang),
        latest_period=row.latest.period if row.latest else None,
        target=target_text(row, lang),
        target_year=row.spec.target_year,
        progress=progress(row),
        status=row.assessment.status.value,
        status_label=status_label(row.assessment.status.value, _),
        sparkline=sparkline(row.points, _("trend of %s") % name),
        pending=pending,
        note=strict_note(row, _),
    )


def overview_page(state: WebState, loaded: LoadedPlan, view: StatusView, lang: str, pending: dict[str, int], *,
                  row_template: Template) -> OverviewPage:
    """The overview's context; each row's item and HTML as kept by ``state.overview_rows`` when its judged row is
    the one they were made from (only the rows a write re-judged are made again)."""
    _ = translations(lang).gettext
    link = {"as_of": view.as_of, "method": view.method}

    def make(row: StatusRow, waiting: int) -> tuple[OverviewItem, Markup]:
        item = overview_item(row, lang, waiting)
        return item, Markup(row_template.render(it=item, page=link, _=_))

    group = ("overview-rows", loaded.plan.id, hash(loaded.text), view.method, view.as_of, lang)
    areas: dict[str, AreaBlock] = {}
    synthetic = False
    for done in state.overview_rows.rows(group, view.rows, pending, make):
        row = done.row
        block = areas.setdefault(row.area.id, AreaBlock(row.area.id, row.area.name.get(lang), [], []))
        block.items.append(done.item)
        block.rows.append(done.html)
        synthetic = synthetic or bool(row.latest and any("synthetic" in s for s in row.latest.sources))
    counts = status_counts(view.rows)
    return OverviewPage(
        plan_id=loaded.plan.id,
        plan_name=loaded.plan.name.get(lang),
        plans=[(p, p) for p in state.plan_ids()],
        as_of=view.as_of,
        years=plan_years(loaded),
        method=view.method,
        methods=methods(),
        method_titles={m: method_title(m, lang) + (_(" (official)") if m == official_method(loaded) else "")
                       for m in methods()},
        counts=[(s, status_label(s, _), counts[s]) for s in STATUS_ORDER if counts.get(s)],
        areas=list(areas.values()),
        total=len(view.rows),
        synthetic=synthetic,
        monitored=monitored_items(loaded.plan, view.values, lang, view.as_of),  # type: ignore[arg-type]
    )
