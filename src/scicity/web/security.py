"""Secure response headers and the request-body size limit, as plain ASGI middleware.

- Content-Security-Policy without inline scripts or ``eval`` (charts use the
  Vega expression interpreter), ``frame-ancestors 'none'`` and
  ``X-Frame-Options: DENY``, ``Referrer-Policy``, ``X-Content-Type-Options``.
  The API documentation page also allows inline styles (Swagger UI sets them).
- Bodies larger than ``upload_max_bytes`` are refused with 413: at once when
  ``Content-Length`` says so, otherwise as soon as the streamed bytes pass the
  limit (nothing beyond it is read or stored).
"""

from __future__ import annotations

import json
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
CSP_DOCS = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
HEADERS = [
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]


class SecureHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        csp = CSP_DOCS if scope["path"].startswith("/api/docs") else CSP

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", []) if h[0].lower() != b"content-security-policy"]
                headers.append((b"content-security-policy", csp.encode()))
                headers.extend(HEADERS)
                if not scope["path"].startswith("/static/"):
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyTooLarge(Exception):
    """Raised from ``receive`` once the body passes the limit (the 413 is already sent)."""


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await self._refuse(send, scope)
            return
        seen = 0
        started = False
        refused = False

        async def counting_receive() -> Message:
            nonlocal seen, refused
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    if not started and not refused:
                        refused = True
                        await self._refuse(send, scope)
                    raise BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if refused:  # the 413 has gone out; whatever the app answers to the broken body is dropped
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge:
            if not started and not refused:
                await self._refuse(send, scope)

    async def _refuse(self, send: Send, scope: Scope) -> None:
        from urllib.parse import parse_qs

        from scicity.domain.message import Msg
        from scicity.i18n import LANGS, negotiate, tr

        limit_mb = self.max_bytes / (1024 * 1024)
        message = Msg("The upload is larger than the limit of {mb} MB; nothing was stored. "
                      "Split the file or ask the administrator to raise SCICITY_UPLOAD_MAX_BYTES.", mb=f"{limit_mb:.0f}" if limit_mb >= 1 else f"{limit_mb:.2g}")
        asked = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("lang", [None])[0]
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        text = tr(message, asked if asked in LANGS else negotiate(headers.get("accept-language"), "en"))
        wants_json = scope["path"].startswith("/api/")
        body = json.dumps({"detail": text}).encode() if wants_json else text.encode()
        ctype = b"application/json" if wants_json else b"text/plain; charset=utf-8"
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", ctype), (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def client_address(scope: dict[str, Any]) -> str:
    client = scope.get("client")
    return client[0] if client else "unknown"


class WriteCounter:
    """After every request that may write (POST, PUT, PATCH, DELETE), tell the state: caches must not serve stale data."""

    def __init__(self, app: ASGIApp, on_write) -> None:  # noqa: ANN001
        self.app = app
        self.on_write = on_write

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return

        async def send_then_count(message: Message) -> None:
            if message["type"] == "http.response.start":
                self.on_write()  # the endpoint has committed by now; the next request sees fresh data
            await send(message)

        try:
            await self.app(scope, receive, send_then_count)
        finally:
            self.on_write()
