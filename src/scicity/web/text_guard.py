"""Refuse control characters in every text a request carries, before any handler sees it (HTTP 422).

A NUL byte in a query parameter, a form field, a JSON string or the path
reached PostgreSQL and answered 500 there (SQLite stored it); other control
characters could be stored through the API and made the export fail to
re-import. So every request is checked at the edge, the same way on both
stores: C0 control characters other than tab, line feed and carriage return,
and DEL, are refused with 422 naming the field. (``source``, a one-line
field, refuses carriage returns too, as the file readers do.) Headers and
cookies are checked too (HTTP 400: no client of a person sends them so; a
cookie value may spell a control character as an escape, ``"\\000"``, which
the cookie parser turns into the character).
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import unquote

from fastapi import Request

from scicity.domain.message import Msg
from scicity.web.errors import WebError

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MESSAGE = ("{where} contains a control character (such as NUL); retype the text or paste it as plain text — "
           "nothing was read or stored")
HEADER_MESSAGE = ("{where} contains a control character (such as NUL); nothing was read or stored — "
                  "clear the site's cookies or fix the client that sent it")


class BadText(WebError):
    status_code = 422


class BadHeader(WebError):
    status_code = 400


def _check(where: str, value: str) -> None:
    if CONTROL.search(value):
        raise BadText(Msg(MESSAGE, where=where))


def refuse_bad_headers(request: Request) -> None:
    """Every header value (and every cookie, as parsed) without control characters."""
    for name, value in request.headers.items():
        if CONTROL.search(value) or CONTROL.search(name):
            raise BadHeader(Msg(HEADER_MESSAGE, where=Msg("header {name}", name=repr(name))))
    for name, value in request.cookies.items():
        if CONTROL.search(value) or CONTROL.search(name):
            raise BadHeader(Msg(HEADER_MESSAGE, where=Msg("cookie {name}", name=repr(name))))


def _walk(where: str, value: Any) -> None:
    if isinstance(value, str):
        _check(where, value)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check(f"{where}.{key}" if where else str(key), str(key))
            _walk(f"{where}.{key}" if where else str(key), item)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _walk(f"{where}[{i}]", item)


async def refuse_control_characters(request: Request) -> None:
    """A dependency of the whole app: headers, cookies, path, query parameters, form fields and JSON strings
    without control characters."""
    refuse_bad_headers(request)
    _check(Msg("the address"), unquote(request.url.path))
    for name, value in request.query_params.multi_items():
        _check(Msg("query parameter {name}", name=repr(name)), name + value)
    ctype = request.headers.get("content-type", "")
    if ctype.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        for name, value in form.multi_items():
            if isinstance(value, str):
                _check(Msg("form field {name}", name=repr(name)), name + value)
            elif getattr(value, "filename", None):
                _check(Msg("the name of the uploaded file ({name})", name=repr(name)), value.filename)
    elif ctype.startswith("application/json"):
        body = await request.body()
        if body:
            try:
                data = json.loads(body)
            except ValueError:
                return  # the handler's own validation says what is wrong
            _walk("", data)
