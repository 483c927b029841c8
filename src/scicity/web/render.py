"""Rendering pages: the Jinja2 environment, the layout's context (``Chrome``) and the session cookie.

Every page gets two objects: ``chrome`` (who is signed in, language, CSRF
token, navigation, translation and formatting functions) and ``page`` (the
page's own typed context, a dataclass in :mod:`scicity.web.contexts`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from scicity.web.deps import choose_lang, get_principal, read_session
from scicity.web.errors import NotSignedIn
from scicity.i18n import LANG_NAMES, fmt_datetime, fmt_number, fmt_percent, translations
from scicity.web.permissions import Perm, Principal, anonymous
from scicity.web.sessions import SessionData

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"

#: (path, label, permission needed) of the navigation bar
NAV: tuple[tuple[str, str, Perm], ...] = (
    ("/", "Overview", Perm.READ),
    ("/geography", "Geography", Perm.READ),
    ("/goals", "Qualitative goals", Perm.READ),
    ("/registries", "Registries", Perm.READ),
    ("/next-plan", "Next plan", Perm.READ),
    ("/exchange", "Exchange platform", Perm.EXCHANGE),
    ("/cultivation", "Cultivation", Perm.READ),
    ("/data", "Data", Perm.ENTER_DATA),
    ("/approval", "Approval", Perm.APPROVE),
    ("/audit", "Audit", Perm.AUDIT),
    ("/reports", "Reports", Perm.REPORTS),
    ("/admin", "Admin", Perm.ADMIN),
)


def make_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
    templates.env.autoescape = True
    templates.env.trim_blocks = True
    templates.env.lstrip_blocks = True
    return templates


@dataclass
class Chrome:
    """What the layout needs on every page."""

    principal: Principal
    lang: str
    csrf: str
    path: str
    nav: list[tuple[str, str]]
    _: Callable[[str], str]
    flash: str | None = None
    lang_names: dict[str, str] = field(default_factory=lambda: dict(LANG_NAMES))
    names_source: Callable[[], dict[str, str]] | None = None  # id -> name (indicators, series, units, users, …)
    _names: dict[str, str] | None = None

    def name_of(self, ident: str | None) -> str:
        """The name of an indicator, series, geographic unit, department or user (the id when it has none)."""
        if not ident:
            return ""
        if self._names is None:
            try:
                self._names = self.names_source() if self.names_source else {}
            except Exception:  # noqa: BLE001 - a page without a plan still renders, with ids
                self._names = {}
        return self._names.get(ident, ident)

    def num(self, value: float | None, decimals: int = 1) -> str:
        return fmt_number(value, decimals, self.lang)

    def pct(self, value: float | None) -> str:
        return fmt_percent(value, self.lang)

    def when(self, value: Any) -> str:
        return fmt_datetime(value, self.lang)

    def text_lang(self, text: str | None) -> str:
        """The HTML language of a text a person wrote (a record's title or description): Chinese when it has
        Chinese characters, else English — so that a page says which text is in its source language."""
        return "zh-Hans" if text and any("\u4e00" <= ch <= "\u9fff" for ch in text) else "en"

    def words(self, values: Any) -> str:
        """Enumerated values (terms, stages, kinds) in the reader's language, as a list: 转让、许可 / transfer, licence."""
        return ("、" if self.lang == "zh" else ", ").join(self._(str(v)) for v in values or ())


def chrome_for(request: Request, session: SessionData, flash: str | None = None) -> Chrome:
    try:
        principal = get_principal(request)
    except NotSignedIn:
        principal = anonymous(request.app.state.web.settings.public_view)
    lang = choose_lang(request, principal)
    gettext = translations(lang).gettext
    nav = [(path, gettext(label)) for path, label, perm in NAV if principal.can(perm)]
    state = request.app.state.web
    return Chrome(principal, lang, session.csrf, request.url.path, nav, gettext, flash,
                  names_source=lambda: display_names(state, lang))


def display_names(state: object, lang: str) -> dict[str, str]:
    """Every id a page may show, with its name in the language: the default plan's indicators, series,
    areas and geographic units, the departments and the users' display names."""
    plan = state.plan().plan  # type: ignore[attr-defined]
    out: dict[str, str] = {}
    for thing in (*plan.series, *plan.indicators, *plan.areas, *plan.geography.walk(), *plan.goals):
        out[thing.id] = thing.name.get(lang)
    users = getattr(state, "users", None)
    if users is not None:
        try:
            for d in users.departments():
                out.setdefault(d.id, d.name)
            for u in users.list():
                if u.display_name:
                    out.setdefault(u.username, u.display_name)
        except Exception:  # noqa: BLE001
            pass
    return out


def ensure_session(request: Request) -> tuple[SessionData, bool]:
    """The request's session, or a fresh anonymous one (True: it must be sent as a cookie)."""
    session = read_session(request)
    if session is None:
        return SessionData.fresh(), True
    return session, False


def render(request: Request, template: str, page: Any = None, *, status_code: int = 200,
           flash: str | None = None, headers: dict[str, str] | None = None) -> HTMLResponse:
    from scicity.web.flash import COOKIE as FLASH_COOKIE, read_flash

    session, is_new = ensure_session(request)
    chrome = chrome_for(request, session, flash)
    had_flash = FLASH_COOKIE in request.cookies
    if chrome.flash is None and had_flash:
        chrome.flash = read_flash(request, chrome.lang)
    templates: Jinja2Templates = request.app.state.templates
    response = templates.TemplateResponse(
        request, template, {"chrome": chrome, "page": page, "_": chrome._}, status_code=status_code, headers=headers
    )
    if is_new:
        set_session_cookie(request, response, session)
    if had_flash:
        response.delete_cookie(FLASH_COOKIE, path="/")
    return response


def set_session_cookie(request: Request, response: Any, session: SessionData) -> None:
    codec = request.app.state.web.codec
    response.set_cookie(value=codec.dumps(session), **codec.cookie_options())
