"""The account page of every signed-in user: who they are, change their password, their own API tokens.

The hardening work (token expiry and revocation, ending sessions) extends this
page; it keeps to :class:`scicity.store.users.UserRepository`'s public methods.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from scicity.domain.message import Msg
from scicity.i18n import fmt_datetime, tr, translations
from scicity.store.errors import InvalidInput
from scicity.web.deps import Lang, SignedIn, State
from scicity.web.flash import redirect_with
from scicity.web.errors import Forbidden
from scicity.web.permissions import Perm, Principal
from scicity.web.render import render, set_session_cookie
from scicity.web.sessions import SessionData
from scicity.web.state import WebState

router = APIRouter(tags=["pages"], include_in_schema=False)


@dataclass(frozen=True)
class TokenLine:
    id: int
    name: str
    prefix: str
    created: str
    last_used: str
    revoked: str


@dataclass
class AccountPage:
    username: str
    display_name: str
    role: str
    department: str | None
    tokens: list[TokenLine] = field(default_factory=list)
    password_error: str | None = None
    token_error: str | None = None
    token_name: str = ""


def account_page_for(state: WebState, principal: Principal, lang: str) -> AccountPage:
    user = principal.user
    assert user is not None
    tokens = [TokenLine(t.id, t.name, t.prefix, fmt_datetime(t.created_at, lang), fmt_datetime(t.last_used_at, lang),
                        fmt_datetime(t.revoked_at, lang)) for t in state.users.tokens(user.username)]
    departments = {d.id: d.name for d in state.users.departments()}
    return AccountPage(user.username, user.display_name or user.username, principal.role.value,
                       departments.get(user.department_id or "", user.department_id), tokens)


@router.get("/account")
def account(request: Request, principal: SignedIn, state: State, lang: Lang) -> Response:
    return render(request, "account.html", account_page_for(state, principal, lang))


@router.post("/account/password")
def change_password(request: Request, principal: SignedIn, state: State, lang: Lang,
                    current: Annotated[str, Form(max_length=1000)] = "",
                    new: Annotated[str, Form(max_length=1000)] = "",
                    repeat: Annotated[str, Form(max_length=1000)] = "") -> Response:
    """A new password (the current one first); other sessions end, this one goes on with a fresh cookie."""
    _ = translations(lang).gettext
    page = account_page_for(state, principal, lang)
    if state.users.authenticate(principal.name, current) is None:
        page.password_error = _("the current password is not right; nothing was changed")
    elif new != repeat:
        page.password_error = _("the new password and its repetition differ; nothing was changed")
    else:
        try:
            user = state.users.set_password(principal.name, new, actor=principal.name)
        except InvalidInput as exc:
            page.password_error = tr(_password_problem(str(exc), len(new)), lang)
        else:
            response = redirect_with(request, "/account", "your password was changed")
            set_session_cookie(request, response, SessionData.fresh(user.id, user.password_version))
            return response
    return render(request, "account.html", page, status_code=422)


def _password_problem(text: str, length: int) -> Msg:
    if "characters long" in text:
        return Msg("the password is {n} characters long; use at least {min}", n=length, min=10)
    if "repeats too few" in text:
        return Msg("the password repeats too few characters; use a passphrase or a generated password")
    return Msg(text)


@router.post("/account/token")
def create_own_token(request: Request, principal: SignedIn, state: State, lang: Lang,
                     name: Annotated[str, Form(max_length=128)] = "api") -> Response:
    """A personal API token for the signed-in user, shown once."""
    name = name.strip() or "api"
    _token, clear = state.users.create_token(principal.name, name, actor=principal.name)
    return render(request, "token.html", {"token": clear, "name": name})


@router.post("/account/token/{token_id}/revoke")
def revoke_own_token(request: Request, token_id: int, principal: SignedIn, state: State) -> Response:
    """Revoke one of one's own API tokens (an administrator may revoke anyone's); it stops working at once."""
    own = {t.id for t in state.users.tokens(principal.name)}
    if token_id not in own and not principal.can(Perm.ADMIN):
        raise Forbidden(Msg("this token is not yours; an administrator can revoke it"))
    state.users.revoke_token(token_id, actor=principal.name)
    return redirect_with(request, "/account#tokens", "token revoked")
