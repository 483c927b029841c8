"""The audit log: who changed what, before and after as changed fields; filters by user, indicator, action,
record kind and dates; paged (nothing is cut silently)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from scicity.domain.message import Msg
from scicity.i18n import fmt_datetime, tr, translations
from scicity.ingest.cells import CellRejected, parse_vintage
from scicity.store.audit import AuditEvent
from scicity.web.audit_words import ACTIONS, ENTITIES, action_words, difference, entity_words, record_words
from scicity.web.contexts import AuditLine, AuditPage
from scicity.web.deps import Auditor, Lang, State
from scicity.web.render import chrome_for, ensure_session, render
from scicity.web.state import WebState

router = APIRouter(tags=["pages"], include_in_schema=False)
MAX_LIMIT = 1000
PAGE_SIZE = 50
Text = Annotated[str, Query(max_length=128)]


def query_audit(state: WebState, actor: str | None, indicator: str | None, since: date | None, until: date | None,
                limit: int | None, *, action: str | None = None, entity: str | None = None) -> list[AuditEvent]:
    """Events newest first; ``indicator`` keeps observation events of that id (the filter is a bound value, never SQL text)."""
    start = datetime.combine(since, time(), UTC) if since else None
    end = datetime.combine(until, time(), UTC) + timedelta(days=1) if until else None
    events = state.audit.list(actor=actor or None, since=start, until=end, limit=None if indicator else limit,
                              action=action or None, entity=entity or None)
    if indicator:
        events = [e for e in events if indicator in (_field(e.after, "indicator"), _field(e.before, "indicator"))]
        events = events[:limit] if limit else events
    return events


def _field(doc: dict | None, name: str) -> object:
    return doc.get(name) if isinstance(doc, dict) else None


def _day(text: str, label: str, lang: str) -> tuple[date | None, str | None]:
    """A filter date (empty: none), or the reason it cannot be read."""
    text = text.strip()
    if not text:
        return None, None
    try:
        return parse_vintage(text), None
    except CellRejected:
        return None, tr(Msg("{field}: a date written YYYY-MM-DD is needed, not {text}", field=Msg(label),
                            text=repr(text[:20])), lang)


@router.get("/audit")
def audit_page(
    request: Request,
    principal: Auditor,
    state: State,
    lang: Lang,
    actor: Text = "",
    indicator: Annotated[str, Query(max_length=64)] = "",
    since: Annotated[str, Query(max_length=32)] = "",
    until: Annotated[str, Query(max_length=32)] = "",
    action: Annotated[str, Query(max_length=64)] = "",
    entity: Annotated[str, Query(max_length=64)] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = PAGE_SIZE,
) -> Response:
    _ = translations(lang).gettext
    start, e1 = _day(since, "From", lang)
    end, e2 = _day(until, "To", lang)
    error = "; ".join(e for e in (e1, e2) if e) or None
    events = query_audit(state, actor.strip(), indicator.strip(), start, end, page * limit + 1,
                         action=action.strip(), entity=entity.strip())
    more = len(events) > page * limit
    shown = events[(page - 1) * limit: page * limit]
    chrome = chrome_for(request, ensure_session(request)[0])
    lines = [AuditLine(e.id, fmt_datetime(e.at, lang), e.actor, action_words(e.action, _), entity_words(e.entity, _),
                       record_words(e.entity, e.entity_id, _, chrome.name_of),
                       "", "", changes=difference(e.before, e.after, _, chrome.name_of), action_id=e.action,
                       entity_raw=str(e.entity_id))
             for e in shown]
    params = {k: v for k, v in (("actor", actor), ("indicator", indicator), ("since", since), ("until", until),
                                ("action", action), ("entity", entity)) if v.strip()}
    if limit != PAGE_SIZE:
        params["limit"] = str(limit)
    view = AuditPage(lines, actor, indicator, since, until, limit, error=error, action=action, entity=entity,
                     actions=[(a, _(w)) for a, w in ACTIONS.items()], entities=[(k, _(w)) for k, w in ENTITIES.items()],
                     page=page,
                     prev_href=f"/audit?{urlencode({**params, 'page': page - 1})}" if page > 1 else None,
                     next_href=f"/audit?{urlencode({**params, 'page': page + 1})}" if more else None)
    return render(request, "audit.html", view, status_code=422 if error else 200)
