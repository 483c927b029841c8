"""The application factory: ``create_app(settings)`` builds the FastAPI app (pages, API, static files).

    from scicity.settings import get_settings
    from scicity.web.app import create_app
    app = create_app(get_settings(secret_key="...long random..."))

Migrates the database when it starts. Outside demo mode a missing or weak
``SCICITY_SECRET_KEY`` stops it (:class:`WeakSecret`); in demo mode a random
key is generated (sessions then end when the server restarts).
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from pathlib import Path

import anyio.to_thread

from fastapi import Depends, FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from scicity.domain.message import Msg, join
from scicity import __version__
from scicity.settings import Settings
from scicity.store.db import RETRY_AFTER, Database
from scicity.store.errors import (
    ConcurrentWrite,
    DatabaseBusy,
    DatabaseUnavailable,
    InvalidInput,
    InvalidTransition,
    NotFound,
    StoreError,
)
from scicity.web.deps import csrf_guard
from scicity.web.text_guard import refuse_control_characters
from scicity.web.errors import NotSignedIn, TooManyAttempts, WebError
from scicity.web.render import make_templates, render
from scicity.web.security import BodyLimit, SecureHeaders, WriteCounter
from scicity.web.sessions import SessionCodec, weak_secret_reason
from scicity.web.state import WebState

STATIC_DIR = Path(__file__).resolve().parent / "static"
TITLES = {400: "Bad request", 401: "Please sign in", 403: "Not allowed", 404: "Not found", 405: "Not allowed",
          409: "Conflict", 413: "Too large", 422: "Bad input", 429: "Too many attempts", 500: "Server error",
          503: "Busy, try again"}


class WeakSecret(RuntimeError):
    """The secret key is missing or too weak to sign sessions."""


def secret_key_for(settings: Settings) -> str:
    key = settings.secret_key.get_secret_value() if settings.secret_key else None
    reason = weak_secret_reason(key)
    if reason is None:
        return key  # type: ignore[return-value]
    if settings.demo:
        return secrets.token_urlsafe(48)
    raise WeakSecret(
        f"{reason}. The web server signs sessions with it and refuses to start without a strong one: "
        "export SCICITY_SECRET_KEY=$(python -c 'import secrets; print(secrets.token_urlsafe(48))') "
        "(or run with SCICITY_DEMO=true for a throw-away demo)"
    )


#: threads that run request handlers: few, because handlers are short and CPU-bound under the GIL
#: (40, AnyIO's default, lets 50 concurrent requests thrash and stretches the slowest answers)
WORKER_THREADS = 8


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    anyio.to_thread.current_default_thread_limiter().total_tokens = WORKER_THREADS
    yield


def create_app(settings: Settings, *, migrate: bool = True) -> FastAPI:
    """The web application for ``settings`` (the database is migrated first unless ``migrate=False``)."""
    key = secret_key_for(settings)
    if migrate:
        from scicity.store.migrate import upgrade

        upgrade(settings.database_url)
    db = Database(settings.database_url)
    codec = SessionCodec(key, settings.session_max_age, secure=settings.secure_cookies)
    app = FastAPI(
        title="scicity API",
        version=__version__,
        description="Plans, indicators, observations (read and write), assessments and the audit log. "
        "Authenticate with a personal API token: `Authorization: Bearer sct_…` (`scicity user token NAME`).",
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
        dependencies=[Depends(refuse_control_characters), Depends(csrf_guard)],
        lifespan=_lifespan,
    )
    app.state.web = WebState(settings, db, codec)
    app.state.templates = make_templates()
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    _include_routers(app)
    _install_error_handlers(app)
    _document_bearer_auth(app)
    app.add_middleware(WriteCounter, on_write=app.state.web.wrote)
    app.add_middleware(BodyLimit, max_bytes=settings.upload_max_bytes)
    app.add_middleware(SecureHeaders)
    return app


def _include_routers(app: FastAPI) -> None:
    from scicity.web.api import router as api_router
    from scicity.web.routes import (
        account,
        admin,
        approval,
        audit,
        auth,
        cultivation,
        data,
        exchange,
        exchange_forms,
        geography,
        goals,
        indicator,
        next_plan,
        overview,
        registries,
        reports,
    )

    for module in (auth, overview, indicator, geography, goals, registries, cultivation, exchange, exchange_forms, data,
                   approval, audit,
                   reports, admin, next_plan, account):
        app.include_router(module.router)
    app.include_router(api_router)


def _document_bearer_auth(app: FastAPI) -> None:
    """Describe the API token in the OpenAPI document (Swagger UI's "Authorize" then sends it).

    The document lists the stored plans' ids, indicators and units: it is built again when they change
    (a plan saved or made the default, a method registered), not kept from the server's start."""
    from scicity.web.api.contract import document_key

    build = app.openapi
    built_for: list[object] = [None]

    def openapi() -> dict:
        key = document_key(app.state.web)
        if app.openapi_schema is None or built_for[0] != key:
            app.openapi_schema = None
            built_for[0] = key
            schema = build()
            schema.setdefault("components", {})["securitySchemes"] = {
                "bearer": {"type": "http", "scheme": "bearer", "description": "a personal API token, sct_…"}}
            schema["security"] = [{"bearer": []}]
            from scicity.web.api.contract import tighten

            app.openapi_schema = tighten(schema, app.state.web)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get("accept", "")


def _error_lang(request: Request, *, api: bool) -> str:
    """The reader's language for an error: pages as every page; the API in Chinese only when asked
    (``?lang=zh`` or ``Accept-Language: zh``), English otherwise."""
    from scicity.i18n import LANGS, negotiate
    from scicity.web.deps import choose_lang, get_principal

    asked = request.query_params.get("lang")
    if asked in LANGS:
        return asked
    if api:
        return negotiate(request.headers.get("accept-language"), "en")
    try:
        principal = get_principal(request)
    except Exception:  # noqa: BLE001 - not signed in: the cookie, Accept-Language or the setting
        principal = None
    return choose_lang(request, principal)


def _error(request: Request, status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    from scicity.i18n import tr

    message = tr(message, _error_lang(request, api=_wants_json(request))) if getattr(message, "msg_id", None) else message
    if _wants_json(request):
        return JSONResponse({"detail": message}, status_code=status, headers=headers)
    if status == 401 and request.method == "GET":
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={_quote(target)}", status_code=303)
    page = {"title": TITLES.get(status, "Error"), "message": message, "login": status == 401,
            "next": request.url.path}
    return render(request, "error.html", page, status_code=status, headers=headers)


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text, safe="/")


#: pydantic's error types in words a person can act on (message ids; pydantic's own text otherwise)
#: query and form fields by their names on the page (message ids); others are shown as they are
FIELD_WORDS = {"as_of": "As of", "since": "From", "until": "To", "unit": "Unit", "method": "Method", "page": "page",
               "indicator": "Indicator", "period": "Year", "value": "Value", "limit": "Rows per page"}
_PYDANTIC = {
    "int_parsing": "a whole number is needed",
    "float_parsing": "a number is needed",
    "date_from_datetime_parsing": "a date written YYYY-MM-DD is needed",
    "date_parsing": "a date written YYYY-MM-DD is needed",
    "missing": "this field is required",
    "greater_than_equal": "the number is too small",
    "less_than_equal": "the number is too large",
    "string_too_long": "the text is too long",
    "enum": "not one of the allowed values",
    "literal_error": "not one of the allowed values",
}


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(WebError)
    async def web_error(request: Request, exc: WebError) -> Response:
        headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, TooManyAttempts) else None
        if isinstance(exc, NotSignedIn) and _wants_json(request):
            headers = {"WWW-Authenticate": "Bearer"}
        return _error(request, exc.status_code, exc.message, headers)

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError) -> Response:
        exc = _Said(exc)
        if _isinstance(exc, NotFound):
            return _error(request, 404, exc.text)
        if _isinstance(exc, (InvalidInput, InvalidTransition)):
            return _error(request, 409 if _isinstance(exc, InvalidTransition) else 400, exc.text)
        if _isinstance(exc, DatabaseBusy):
            return _error(request, 503, exc.text, {"Retry-After": str(RETRY_AFTER)})
        if _isinstance(exc, DatabaseUnavailable):
            return _error(request, 503, exc.text)
        if _isinstance(exc, ConcurrentWrite):
            return _error(request, 409, exc.text, {"Retry-After": "1"})
        return _error(request, 409, exc.text)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        unknown = [e for e in exc.errors() if e.get("loc", ("",))[0] == "path" and e.get("type") in ("enum", "literal_error")]
        if unknown and len(unknown) == len(exc.errors()):  # /api/v1/registries/unknown: no such resource
            e = unknown[0]
            return _error(request, 404, Msg("there is no {field} {value}; known: {known}", field=str(e["loc"][-1]),
                                            value=repr(str(e.get("input", ""))[:64]),
                                            known=str(e.get("ctx", {}).get("expected", "")).replace(" or ", ", ")))
        problems = []
        for e in exc.errors()[:10]:
            where = ".".join(str(p) for p in e.get("loc", ()) if p not in ("body", "query", "path"))
            where = Msg(FIELD_WORDS[where]) if where in FIELD_WORDS else where
            problems.append(Msg("{where}: {problem}", where=where, problem=Msg(_PYDANTIC.get(e.get("type", ""), e.get("msg", "")))))
        if _wants_json(request):
            lang = _error_lang(request, api=True)
            detail = jsonable_encoder(exc.errors())
            if lang != "en":  # asked for: each problem in words, its field by its label (the codes stay in loc)
                detail = [_api_problem(item, e, lang) for item, e in zip(detail, exc.errors(), strict=True)]
            return JSONResponse({"detail": detail}, status_code=422)
        return _error(request, 422, join(*problems, sep="; ") if problems else Msg("bad input"))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        headers = getattr(exc, "headers", None)
        if exc.status_code == 405 and (allowed := _allowed_methods(app, request.url.path)):
            headers = {**(headers or {}), "Allow": ", ".join(allowed)}
        return _error(request, exc.status_code, Msg(str(exc.detail)), headers)


def _api_problem(item: dict, error: Mapping[str, object], lang: str) -> dict:
    """One of the API's 422 problems in ``lang``: ``msg`` in words, ``field`` the field's label; ``loc`` and
    ``type`` as pydantic gives them (programs read those)."""
    from scicity.domain.field_labels import field_label
    from scicity.i18n import tr
    from scicity.ingest.schema_words import schema_message

    names = [p for p in error.get("loc", ()) if isinstance(p, str) and p not in ("body", "query", "path", "header")]
    name = names[-1] if names else ""
    label = Msg(FIELD_WORDS[name]) if name in FIELD_WORDS else field_label(name)
    return {**item, "field": tr(label, lang) if label else "", "msg": tr(schema_message(error), lang)}


def _allowed_methods(app: FastAPI, path: str) -> list[str]:
    """Every method the API documents at ``path`` (Starlette's 405 names only the first route's); [] off the API."""
    import re

    allowed: set[str] = set()
    for template, item in app.openapi().get("paths", {}).items():
        pattern = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, path):
            allowed |= {m.upper() for m in item if m in ("get", "put", "post", "delete", "patch", "head", "options")}
    return sorted(allowed)


class _Said:
    """A store error whose ``str()`` is its message as raised: a :class:`Msg` stays translatable."""

    def __init__(self, exc: StoreError) -> None:
        self.exc = exc
        first = exc.args[0] if len(exc.args) == 1 else None
        self.text = first if getattr(first, "msg_id", None) else str(exc)

    def __str__(self) -> str:
        return self.text  # type: ignore[return-value]


def _isinstance(exc: object, kinds: type | tuple[type, ...]) -> bool:
    return isinstance(getattr(exc, "exc", exc), kinds)


def create_app_from_env() -> FastAPI:
    """For ``uvicorn --factory scicity.web.app:create_app_from_env``: settings from ``SCICITY_*`` variables."""
    from scicity.settings import get_settings

    return create_app(get_settings())
