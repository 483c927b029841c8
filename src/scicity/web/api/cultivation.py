"""/api/v1/cultivation: tier cards, the pool, the funnel, the expiry watch and the pipeline projection."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from scicity.service.cultivation import TIER_INDICATORS, expiry_watch, funnel, pool
from scicity.service.cultivation_projection import project
from scicity.service.cultivation_views import result_json, rule_json
from scicity.web.api.common import ERRORS
from scicity.web.deps import Lang, Reader, State
from scicity.domain.message import Msg
from scicity.web.errors import Conflict, NotFoundError
from scicity.web.routes.cultivation import _evaluation, _years, card_results, known_tier

router = APIRouter(tags=["cultivation"], responses=ERRORS)
Year = Annotated[int | None, Query(ge=2000, le=2100)]


def _year(state: Any, year: int | None) -> int:
    years = _years(state)
    if not years:
        raise NotFoundError(Msg("the enterprise registry holds no yearly figures"))
    return year if year in years else max(years)


@router.get("/cultivation/rules", summary="The tiers and every version of their rules")
def rules(principal: Reader, state: State, lang: Lang) -> list[dict[str, Any]]:
    book = state.rule_book()
    return [rule_json(v, lang) for t in book.tiers() for v in book.of(t)]


@router.get("/cultivation/enterprises/{credit_code}", summary="An enterprise's tier card: every tier, every criterion")
def card(credit_code: str, principal: Reader, state: State, lang: Lang, year: Year = None) -> list[dict[str, Any]]:
    _facts, _chosen, results = card_results(state, credit_code, year)
    return [result_json(r, lang) for r in results]


@router.get("/cultivation/pool", summary="Near-qualifiers of a tier, closest first")
def pool_api(principal: Reader, state: State, lang: Lang, tier: Annotated[str, Query(max_length=40)] = "high_tech",
             year: Year = None, max_failing: Annotated[int, Query(ge=1, le=5)] = 2,
             limit: Annotated[int, Query(ge=1, le=5000)] = 100) -> dict[str, Any]:
    y = _year(state, year)
    near = pool(_evaluation(state, [y]), known_tier(state, tier), y, max_failing=max_failing)
    return {"tier": tier, "year": y, "total": len(near), "enterprises": [result_json(r, lang) for r in near[:limit]]}


@router.get("/cultivation/funnel", summary="Enterprises per tier and year, and the moves between tiers")
def funnel_api(principal: Reader, state: State) -> list[dict[str, Any]]:
    _year(state, None)
    return [{"year": f.year, "certified": f.certified, "qualifying": f.qualifying,
             "transitions": [{"from": a, "to": b, "n": n} for (a, b), n in sorted(f.transitions.items())]}
            for f in funnel(_evaluation(state))]


@router.get("/cultivation/expiry", summary="High-tech certificates ending next year, with the renewal risk")
def expiry_api(principal: Reader, state: State, lang: Lang, year: Year = None) -> list[dict[str, Any]]:
    y = _year(state, year)
    return [{"credit_code": e.credit_code, "enterprise": e.name, "unit": e.unit,
             "valid_to": e.certificate.valid_to.isoformat() if e.certificate.valid_to else None, "risk": e.risk,
             "reasons": e.reasons_zh if lang == "zh" else e.reasons_en}
            for e in expiry_watch(_evaluation(state, [y]), y)]


@router.get("/cultivation/projection", summary="Registry-based projection of a tier's count in a target year")
def projection_api(principal: Reader, state: State, tier: Annotated[str, Query(max_length=40)],
                   year: Annotated[int, Query(ge=2000, le=2100)], base: Year = None) -> dict[str, Any]:
    b = _year(state, base)
    tiers = TIER_INDICATORS.get(tier) or (known_tier(state, tier),)
    if year < b:
        raise Conflict(Msg("target year {year} is before the base year {base} of the registry's figures", year=year, base=b))
    evaluation = _evaluation(state, [y for y in _years(state) if y <= b])
    return project(evaluation, tiers, year, b).json()
