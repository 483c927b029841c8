"""The JSON API under /api/v1 (one router per resource) and its documentation page at /api/docs."""

from __future__ import annotations

from fastapi import APIRouter

from scicity.web.api import assessments, audit, cultivation, docs, exchange, observations, plans, registries
from scicity.web.api import reports as reports_api

router = APIRouter()
for _module in (plans, observations, assessments, audit, registries, cultivation, exchange, reports_api):
    router.include_router(_module.router, prefix="/api/v1")
router.include_router(docs.router)

