"""Refuse control characters in every text a request carries, before any handler sees it (HTTP 422).

A NUL byte in a query parameter, a form field, a JSON string or the path
reached PostgreSQL and answered 500 there (SQLite stored it); other control
characters could be stored through the API and made the export fail to
re-import. So every request is checked at the edge, the same way on both
stores: C0 control characters other than tab, line feed and carriage return,
and DEL, are refused with 422 naming the field. (``source``, a one-line
field, refuses carriage returns too, as the file readers do.)
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import unquote

from fastapi import Request

from scicity.web.errors import WebError

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MESSAGE = ("contains a control character (such as NUL); retype the text or paste it as plain text — "
           "nothing was read or stored")


class BadText(WebError):
    status_code = 422


def _check(where: str, value: str) -> None:
    if CONTROL.search(value):
        raise BadText(f"{where} {MESSAGE}")


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
    """A dependency of the whole app: path, query parameters, form fields and JSON strings without control characters."""
    _check("the address", unquote(request.url.path))
    for name, value in request.query_params.multi_items():
        _check(f"query parameter {name!r}", name + value)
    ctype = request.headers.get("content-type", "")
    if ctype.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        for name, value in form.multi_items():
            if isinstance(value, str):
                _check(f"form field {name!r}", name + value)
            elif getattr(value, "filename", None):
                _check(f"the name of the uploaded file ({name!r})", value.filename)
    elif ctype.startswith("application/json"):
        body = await request.body()
        if body:
            try:
                data = json.loads(body)
            except ValueError:
                return  # the handler's own validation says what is wrong
            _walk("", data)
