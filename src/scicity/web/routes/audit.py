"""The audit log: who changed what, before and after; filter by user, indicator and date."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from scicity.store.audit import AuditEvent
from scicity.web.contexts import AuditLine, AuditPage
from scicity.web.deps import Auditor, Lang, State
from scicity.i18n import fmt_datetime
from scicity.web.render import render
from scicity.web.state import WebState

router = APIRouter(tags=["pages"], include_in_schema=False)
MAX_LIMIT = 1000


def query_audit(state: WebState, actor: str | None, indicator: str | None, since: date | None, until: date | None,
                limit: int) -> list[AuditEvent]:
    """Events newest first; ``indicator`` keeps observation events of that id (the filter is a bound value, never SQL text)."""
    start = datetime.combine(since, time(), UTC) if since else None
    end = datetime.combine(until, time(), UTC) + timedelta(days=1) if until else None
    events = state.audit.list(actor=actor or None, since=start, until=end, limit=None if indicator else limit)
    if indicator:
        events = [e for e in events if indicator in (_field(e.after, "indicator"), _field(e.before, "indicator"))][:limit]
    return events


def _field(doc: dict | None, name: str) -> object:
    return doc.get(name) if isinstance(doc, dict) else None


@router.get("/audit")
def audit_page(
    request: Request,
    principal: Auditor,
    state: State,
    lang: Lang,
    actor: Annotated[str, Query(max_length=128)] = "",
    indicator: Annotated[str, Query(max_length=64)] = "",
    since: Annotated[date | None, Query()] = None,
    until: Annotated[date | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 200,
) -> Response:
    events = query_audit(state, actor.strip(), indicator.strip(), since, until, limit)
    lines = [AuditLine(e.id, fmt_datetime(e.at, lang), e.actor, e.action, e.entity, e.entity_id,
                       _json(e.before), _json(e.after)) for e in events]
    page = AuditPage(lines, actor, indicator, since.isoformat() if since else "", until.isoformat() if until else "", limit)
    return render(request, "audit.html", page)


def _json(doc: object) -> str:
    return "" if doc is None else json.dumps(doc, ensure_ascii=False, indent=1, default=str)
