"""/api/v1/audit: the audit log, newest first, filtered by user, indicator and dates."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from scicity.web.api.common import ERRORS
from scicity.web.api.schemas import AuditOut, IsoDay
from scicity.web.deps import Auditor, State
from scicity.web.routes.audit import MAX_LIMIT, query_audit

router = APIRouter(tags=["audit"], responses=ERRORS)


@router.get("/audit", response_model=list[AuditOut])
def audit(
    principal: Auditor,
    state: State,
    actor: Annotated[str | None, Query(max_length=128)] = None,
    indicator: Annotated[str | None, Query(max_length=64)] = None,
    since: Annotated[IsoDay | None, Query(description="From this day (inclusive, UTC).")] = None,
    until: Annotated[IsoDay | None, Query(description="To this day (inclusive, UTC).")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 100,
) -> list[AuditOut]:
    events = query_audit(state, actor, indicator, since, until, limit)
    return [AuditOut(id=e.id, at=e.at, actor=e.actor, action=e.action, entity=e.entity, entity_id=e.entity_id,
                     before=e.before, after=e.after, batch_id=e.batch_id) for e in events]
