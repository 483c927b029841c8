"""/api/v1/exchange: achievements and needs (each reader sees the published ones, their own, or — operators —
all), one need, and matches with their explanations."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from scicity.domain.exchange import ExchangeKind
from scicity.service.exchange_match import signal_text
from scicity.store.errors import NotFound
from scicity.store.exchange import ExchangeRepository
from scicity.web.api.common import ERRORS
from scicity.web.deps import Lang, State, require
from scicity.web.errors import BadRequest, NotFoundError
from scicity.web.exchange_web import actor_of, matcher
from scicity.web.permissions import Perm, Principal
from scicity.i18n import translations

router = APIRouter(tags=["exchange"], responses=ERRORS)
Member = Annotated[Principal, Depends(require(Perm.EXCHANGE))]


def _plain(record: Any) -> dict[str, Any]:
    return record.model_dump(mode="json")


@router.get("/exchange/achievements")
def list_achievements(principal: Member, state: State) -> list[dict[str, Any]]:
    """Achievements this user may see: published ones, their organisation's own, or all (operators)."""
    actor = actor_of(state, principal)
    return [_plain(a) for a in ExchangeRepository(state.db).list(ExchangeKind.ACHIEVEMENTS) if actor.may_see(a)]


@router.get("/exchange/needs")
def list_needs(principal: Member, state: State) -> list[dict[str, Any]]:
    """Needs this user may see: published ones, their enterprise's own (private ones too), or all (operators)."""
    actor = actor_of(state, principal)
    return [_plain(n) for n in ExchangeRepository(state.db).list(ExchangeKind.NEEDS) if actor.may_see(n)]


@router.get("/exchange/needs/{code}")
def get_need(code: str, principal: Member, state: State) -> dict[str, Any]:
    """One need; another enterprise's unpublished need is not found (404), as if it did not exist."""
    actor = actor_of(state, principal)
    try:
        need = ExchangeRepository(state.db).get(ExchangeKind.NEEDS, code)
    except NotFound:
        need = None
    if need is None or not actor.may_see(need):  # type: ignore[arg-type]
        raise NotFoundError(f"no need with code {code!r}")
    return _plain(need)


@router.get("/exchange/match")
def match(request: Request, principal: Member, state: State, lang: Lang,
          need: Annotated[str | None, Query(max_length=64)] = None,
          achievement: Annotated[str | None, Query(max_length=64)] = None,
          q: Annotated[str | None, Query(max_length=2000)] = None,
          top: Annotated[int, Query(ge=1, le=50)] = 10) -> dict[str, Any]:
    """Ranked matches for a need, an achievement or free text, each with score, parts and explanation.

    Give exactly one of need, achievement or q (otherwise 400).
    """
    if sum(x is not None for x in (need, achievement, q)) != 1:
        raise BadRequest("give exactly one of need, achievement or q")
    actor = actor_of(state, principal)
    repo = ExchangeRepository(state.db)
    m = matcher(request)
    try:
        if need is not None:
            if not actor.may_see(repo.get(ExchangeKind.NEEDS, need)):  # type: ignore[arg-type]
                raise NotFoundError(f"no need with code {need!r}")
            results = m.for_need(need, k=top)
        elif achievement is not None:
            if not actor.may_see(repo.get(ExchangeKind.ACHIEVEMENTS, achievement)):  # type: ignore[arg-type]
                raise NotFoundError(f"no achievement with code {achievement!r}")
            results = m.for_achievement(achievement, k=top)
        else:
            results = m.for_text(q or "", k=top)
    except NotFound as exc:
        raise NotFoundError(str(exc)) from None
    hidden = set() if actor.operator else {n.code for n in repo.list(ExchangeKind.NEEDS) if not actor.may_see(n)}  # type: ignore[arg-type]
    _ = translations(lang).gettext
    return {kind: [{"id": r.id, "kind": r.kind, "title": r.title, "org": r.org, "score": round(r.score, 4),
                    "parts": {k: round(v, 4) for k, v in r.parts.items()}, "shared_terms": list(r.shared_terms),
                    "cosine": None if r.cosine is None else round(r.cosine, 4),
                    "matched": [signal_text(s, _) for s in r.matched], "unmet": [signal_text(s, _) for s in r.unmet]}
                   for r in rs if not (r.kind == "need" and r.id in hidden)]
            for kind, rs in results.by_kind.items()}
