"""Signing in and out, and choosing the interface language."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlparse

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from scicity.domain.message import Msg
from scicity.web.deps import LANG_COOKIE, CurrentPrincipal, State, read_session
from scicity.web.errors import BadRequest, TooManyAttempts
from scicity.i18n import LANGS
from scicity.web.render import ensure_session, render, set_session_cookie
from scicity.web.security import client_address
from scicity.web.sessions import SessionData

router = APIRouter(tags=["pages"], include_in_schema=False)


def safe_next(target: str | None) -> str:
    """Only local paths: '/x?y' stays, 'https://evil' and '//evil' become '/'."""
    if not target:
        return "/"
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


@router.get("/login")
def login_form(request: Request, next: str | None = None) -> Response:
    return render(request, "login.html", {"next": safe_next(next), "error": None, "username": ""})


@router.post("/login")
def login(
    request: Request,
    state: State,
    username: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=1000)],
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    address = client_address(request.scope)
    wait = state.limiter.retry_after(username, address)
    if wait:
        minutes = max(1, round(wait / 60))
        raise TooManyAttempts(Msg("too many failed sign-ins for this user name or from this address; "
                                  "try again in about {minutes} minute(s)", minutes=minutes), wait)
    user = state.users.authenticate(username, password)
    if user is None:
        state.limiter.failed(username, address)
        page = {"next": safe_next(next), "error": "wrong user name or password", "username": username}
        return render(request, "login.html", page, status_code=401)
    state.limiter.succeeded(username, address)
    response = RedirectResponse(safe_next(next), status_code=303)
    # a new session (and CSRF token) at sign-in: a token seen before signing in is useless after
    sid = state.sessions.start(user.id)
    set_session_cookie(request, response, SessionData.fresh(user.id, user.password_version, sid))
    return response


@router.post("/logout")
def logout(request: Request, state: State) -> Response:
    """Sign out: the session ends on the server too (a copy of the cookie no longer works)."""
    session = read_session(request)
    if session is not None and session.sid:
        state.sessions.end(session.sid)
    response = RedirectResponse("/login", status_code=303)
    set_session_cookie(request, response, SessionData.fresh())
    return response


@router.post("/lang")
def set_language(
    request: Request,
    state: State,
    principal: CurrentPrincipal,
    lang: Annotated[str, Form(max_length=8)],
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    """Switch the interface language; saved with the user when signed in, else in a cookie."""
    if lang not in LANGS:
        raise BadRequest(Msg('unknown language {lang}; choose one of: {known}', lang=repr(lang), known=', '.join(LANGS)))
    if principal.user is not None:
        state.users.update(principal.user.username, actor=principal.name, lang=lang)
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(LANG_COOKIE, lang, max_age=365 * 24 * 3600, httponly=True, samesite="lax",
                        secure=state.settings.secure_cookies, path="/")
    session, is_new = ensure_session(request)
    if is_new:
        set_session_cookie(request, response, session)
    return response
