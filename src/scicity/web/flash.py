"""One-time status messages after a redirect ("stored as submitted"), carried in a signed cookie.

Never from a query parameter (``/approval?message=…`` would show any text anyone
puts in a link): the message is a catalog id with its parameters, signed with the
session key, read once by the next page and then removed. The page translates it
into the reader's language (:func:`scicity.i18n.tr`).
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse

from scicity.i18n import tr

COOKIE = "scicity_flash"
SALT = "scicity-flash"
MAX_AGE = 300


class _Message(str):
    """A message id with parameters (what :func:`scicity.i18n.tr` translates)."""

    msg_id: str
    msg_args: dict[str, Any]

    def __new__(cls, msg_id: str, args: dict[str, Any]) -> _Message:
        self = super().__new__(cls, msg_id.format(**args) if args else msg_id)
        self.msg_id, self.msg_args = msg_id, args
        return self


def redirect_with(request: Request, url: str, msg_id: str, **args: str | int) -> RedirectResponse:
    """A 303 redirect to ``url`` whose page shows ``msg_id`` (an English catalog id with ``{fields}``) once."""
    response = RedirectResponse(url, status_code=303)
    codec = request.app.state.web.codec
    value = codec.serializer(SALT).dumps({"m": msg_id, "a": args})
    options = codec.cookie_options()
    response.set_cookie(COOKIE, value, max_age=MAX_AGE, httponly=True, samesite="lax", secure=options["secure"],
                        path="/")
    return response


def read_flash(request: Request, lang: str) -> str | None:
    """The waiting message in ``lang`` (None when there is none, or it is forged or old)."""
    raw = request.cookies.get(COOKIE)
    if not raw or len(raw) > 2048:
        return None
    try:
        data = request.app.state.web.codec.serializer(SALT).loads(raw, max_age=MAX_AGE)
    except Exception:  # noqa: BLE001 - BadSignature, SignatureExpired: no message
        return None
    if not isinstance(data, dict) or not isinstance(data.get("m"), str) or not isinstance(data.get("a"), dict):
        return None
    args = {k: (_Message(v, {}) if isinstance(v, str) and k == "status" else v) for k, v in data["a"].items()}
    try:
        return tr(_Message(data["m"], args), lang)
    except (KeyError, IndexError, ValueError):
        return None
