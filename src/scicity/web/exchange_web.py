"""What the exchange pages and API share: who acts for which organisation, what they may see, the matcher."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import Request

from scicity.domain.exchange import Achievement, Need, Publication
from scicity.service.exchange_match import ExchangeMatcher
from scicity.store.exchange_deals import DealRepository
from scicity.web.permissions import Perm, Principal
from scicity.web.state import WebState


@dataclass(frozen=True)
class Actor:
    """A user on the platform: their organisation (None: none yet) and whether they operate it."""

    principal: Principal
    org: str | None
    org_kind: str | None
    operator: bool

    def owns(self, record: Any) -> bool:
        owner = getattr(record, "enterprise", None) if isinstance(record, Need) else getattr(record, "owner", None)
        return self.org is not None and owner == self.org

    def may_see(self, record: Achievement | Need) -> bool:
        return self.operator or self.owns(record) or record.status is Publication.PUBLISHED

    def may_move(self, seller_org: str | None, buyer_org: str | None) -> bool:
        return self.operator or (self.org is not None and self.org in (seller_org, buyer_org))


def actor_of(state: WebState, principal: Principal) -> Actor:
    member = DealRepository(state.db).member(principal.user.id) if principal.user is not None else None
    org, kind = (member[0], member[1]) if member else (None, None)
    operator = principal.can(Perm.EXCHANGE_OPERATE) or kind == "operator"
    return Actor(principal, org, kind, operator)


def matcher(request: Request) -> ExchangeMatcher:
    """One matcher per app, built on first use and kept current as records are added."""
    app_state = request.app.state
    found = getattr(app_state, "exchange_matcher", None)
    if found is None:
        state: WebState = app_state.web
        found = ExchangeMatcher(state.db, data_dir=state.settings.data_dir,
                                use_embeddings=state.settings.exchange_embeddings)
        app_state.exchange_matcher = found
    return found
