"""Dependencies shared by pages and API, as ``Annotated`` aliases (one place decides who is who).

    def page(principal: Reader, state: State) -> ...
"""

from __future__ import annotations

import hmac

import anyio.to_thread
from typing import Annotated

from fastapi import Depends, Request

from scicity.domain.message import Msg
from scicity.web.errors import CsrfFailed, Forbidden, NotSignedIn
from scicity.i18n import LANGS, negotiate
from scicity.web.permissions import Perm, Principal, Role, anonymous
from scicity.web.sessions import COOKIE_NAME, SessionData
from scicity.web.state import WebState

LANG_COOKIE = "scicity_lang"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


async def get_state(request: Request) -> WebState:
    return request.app.state.web


State = Annotated[WebState, Depends(get_state)]


def read_session(request: Request) -> SessionData | None:
    """The signed session of the request (None when absent, forged or expired); cached per request."""
    if "session" not in request.state._state:
        state: WebState = request.app.state.web
        request.state.session = state.codec.loads(request.cookies.get(COOKIE_NAME))
    return request.state.session


async def get_session(request: Request) -> SessionData | None:
    return read_session(request)


Session = Annotated[SessionData | None, Depends(get_session)]


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def get_principal(request: Request) -> Principal:
    """Who is asking: an API token, else the session cookie's user, else anonymous.

    The database is asked on every request (once per request), so that a
    revoked token, an ended session, a blocked user or a changed role counts
    at once — also when the change was made by another process or the CLI.
    """
    if "principal" in request.state._state:
        return request.state.principal
    state: WebState = request.app.state.web
    public = state.settings.public_view
    principal = anonymous(public)
    token = _bearer(request)
    if token is not None:
        found = _from_token(state, token, public)
        if found is None:
            raise NotSignedIn(Msg("the API token is unknown, expired or revoked; create a new one with 'scicity user token'"))
        principal = found
    else:
        session = read_session(request)
        if session is not None and session.user_id is not None:
            principal = _from_session(state, session, public) or principal
    request.state.principal = principal
    return principal


async def current_principal(request: Request) -> Principal:
    """``get_principal``, in a worker thread when the database must be asked."""
    if "principal" in request.state._state:
        return request.state.principal
    token = _bearer(request)
    session = read_session(request) if token is None else None
    if token is None and (session is None or session.user_id is None):
        return get_principal(request)  # anonymous: no database needed
    return await anyio.to_thread.run_sync(get_principal, request)


def _from_token(state: WebState, token: str, public: bool) -> Principal | None:
    user = state.users.user_for_token(token)
    return None if user is None else _principal(state, user, "token", public)


def _from_session(state: WebState, session: SessionData, public: bool) -> Principal | None:
    user = state.sessions.active_user(session.sid, session.user_id)  # type: ignore[arg-type]
    if user is None or user.password_version != session.password_version:
        return None
    return _principal(state, user, "session", public)


def _principal(state: WebState, user, via: str, public: bool) -> Principal:  # noqa: ANN001
    role = Role(user.role)
    reports = state.users.department_indicators(user.department_id) if role is Role.PROVIDER else frozenset()
    return Principal(user, role, reports, via, public)


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def require(perm: Perm):  # noqa: ANN201 - a dependency factory
    async def dependency(principal: CurrentPrincipal) -> Principal:
        if principal.can(perm):
            return principal
        if not principal.signed_in:
            raise NotSignedIn(Msg('sign in to see this page'))
        raise Forbidden(Msg('your role ({role}) may not do this ({perm})', role=Msg(principal.role.value), perm=perm.value))

    return dependency


Reader = Annotated[Principal, Depends(require(Perm.READ))]
RecordReader = Annotated[Principal, Depends(require(Perm.READ_RECORDS))]
DataEntry = Annotated[Principal, Depends(require(Perm.ENTER_DATA))]
Approver = Annotated[Principal, Depends(require(Perm.APPROVE))]
GoalKeeper = Annotated[Principal, Depends(require(Perm.GOALS))]
Auditor = Annotated[Principal, Depends(require(Perm.AUDIT))]
Admin = Annotated[Principal, Depends(require(Perm.ADMIN))]


async def signed_in(principal: CurrentPrincipal) -> Principal:
    if not principal.signed_in:
        raise NotSignedIn(Msg('sign in first'))
    return principal


SignedIn = Annotated[Principal, Depends(signed_in)]


def choose_lang(request: Request, principal: Principal | None) -> str:
    """The interface language: ``?lang=`` (for API clients and links), the user's saved choice, the language
    cookie, Accept-Language, the setting. A language code scicity does not have is ignored."""
    state: WebState = request.app.state.web
    asked = request.query_params.get("lang")
    if asked in LANGS:
        return asked
    if principal is not None and principal.user is not None and principal.user.lang in LANGS:
        return principal.user.lang
    cookie = request.cookies.get(LANG_COOKIE)
    if cookie in LANGS:
        return cookie
    return negotiate(request.headers.get("accept-language"), state.settings.lang)


async def get_lang(request: Request, principal: CurrentPrincipal) -> str:
    return choose_lang(request, principal)


Lang = Annotated[str, Depends(get_lang)]


async def csrf_guard(request: Request) -> None:
    """Every unsafe request made with the session cookie must carry its CSRF token (form field or header).

    Requests with an API token (``Authorization: Bearer``) carry no cookie authority and need none.
    """
    if request.method not in UNSAFE_METHODS or _bearer(request) is not None:
        return
    session = read_session(request)
    if request.url.path.startswith("/api/") and (session is None or session.user_id is None):
        # no credentials at all: say so (401), not that a form token is missing
        raise NotSignedIn("sign in first: send an API token (Authorization: Bearer sct_…) or a session cookie")
    sent = request.headers.get("x-csrf-token")
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get("csrf_token")
        sent = value if isinstance(value, str) else None
    if session is None or not sent or not hmac.compare_digest(sent, session.csrf):
        raise CsrfFailed(
            "the form's security token is missing or out of date (the session may have expired); "
            "reload the page and try again"
        )
