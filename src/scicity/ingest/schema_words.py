"""Pydantic's validation errors as messages with parameters (translatable), for plan files, records and forms.

Pydantic writes its errors in English (``Input should be a valid integer``); a
person reading Chinese should not meet them. :func:`schema_message` turns one
error (an item of ``ValidationError.errors()``) into a :class:`Msg` by its
error type and context, and keeps the message a validator raised (a ``Msg``)
as it was. Error types not listed keep pydantic's English text.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from scicity.domain.message import Msg, said

#: pydantic error type -> English template (message id); {fields} come from the error's context
TEMPLATES: dict[str, str] = {
    "missing": "a value is required here",
    "extra_forbidden": "this key is not allowed here",
    "int_parsing": "a whole number is needed",
    "int_type": "a whole number is needed",
    "int_from_float": "a whole number is needed, without decimals",
    "float_parsing": "a number is needed",
    "float_type": "a number is needed",
    "finite_number": "a finite number is needed",
    "string_type": "a text is needed",
    "bool_parsing": "true or false is needed",
    "bool_type": "true or false is needed",
    "list_type": "a list is needed",
    "tuple_type": "a list is needed",
    "dict_type": "a mapping of keys is needed",
    "model_type": "a mapping of keys is needed",
    "model_attributes_type": "a mapping of keys is needed",
    "date_parsing": "a date written YYYY-MM-DD is needed",
    "date_from_datetime_parsing": "a date written YYYY-MM-DD is needed",
    "date_type": "a date written YYYY-MM-DD is needed",
    "literal_error": "one of {expected} is needed",
    "enum": "one of {expected} is needed",
    "greater_than": "a value greater than {gt} is needed",
    "greater_than_equal": "a value of at least {ge} is needed",
    "less_than": "a value less than {lt} is needed",
    "less_than_equal": "a value of at most {le} is needed",
    "string_too_short": "at least {min_length} character(s) are needed",
    "string_too_long": "at most {max_length} character(s) fit",
    "too_short": "at least {min_length} item(s) are needed",
    "too_long": "at most {max_length} item(s) fit",
    "string_pattern_mismatch": "the text does not have the expected form ({pattern})",
    "union_tag_invalid": "{tag} is not one of {expected_tags}",
}
FOUND = "{message} (found {found})"


def schema_message(err: Mapping[str, Any]) -> str:
    """One pydantic error as a message: a validator's own (translatable) message, or the error type's words."""
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    if kind in ("value_error", "assertion_error"):
        error = ctx.get("error")
        if isinstance(error, BaseException):
            return said(error)
        return str(err.get("msg", "")).removeprefix("Value error, ").removeprefix("Assertion failed, ")
    template = TEMPLATES.get(kind)
    if template is None:
        message: str = str(err.get("msg", ""))
    else:
        try:
            message = Msg(template, **{k: _shown(v) for k, v in ctx.items() if "{" + k + "}" in template})
        except (KeyError, IndexError, ValueError):
            message = str(err.get("msg", ""))
    found = err.get("input")
    if kind not in ("missing", "extra_forbidden") and "input" in err and not isinstance(found, (dict, list, tuple)):
        text = repr(found)
        message = Msg(FOUND, message=message, found=text if len(text) <= 60 else text[:57] + "…")
    return message


def _shown(value: object) -> str:
    return value if isinstance(value, str) else repr(value)
