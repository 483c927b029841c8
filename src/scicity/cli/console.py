"""Terminal output shared by the commands: consoles, colours, errors."""

from __future__ import annotations

import os
from typing import Any, NoReturn

import typer
from rich.console import Console


class _ConsoleFor:
    """A Rich console made when first used, and again when the terminal settings change.

    Rich reads COLUMNS and NO_COLOR when a console is built; building it at
    import time would freeze what the first command saw.
    """

    def __init__(self, **options: Any) -> None:
        self._options = options
        self._key: tuple[str | None, ...] | None = None
        self._console: Console | None = None

    def get(self) -> Console:
        key = tuple(os.environ.get(k) for k in ("COLUMNS", "LINES", "NO_COLOR", "FORCE_COLOR", "TERM"))
        if self._console is None or key != self._key:
            self._console, self._key = Console(**self._options), key
        return self._console

    def __getattr__(self, name: str) -> Any:
        return getattr(self.get(), name)


out = _ConsoleFor(highlight=False, soft_wrap=False)
err = _ConsoleFor(stderr=True, highlight=False, soft_wrap=True)  # problems stay one per line, for grep and editors

STATUS_STYLE = {
    "achieved": "bold green",
    "on_track": "green",
    "at_risk": "yellow",
    "off_track": "red",
    "regressing": "bold red",
    "missed": "bold red",
    "insufficient_data": "dim",
}

STATUS_TEXT = {
    "achieved": "achieved",
    "on_track": "on track",
    "at_risk": "at risk",
    "off_track": "off track",
    "regressing": "regressing",
    "missed": "missed",
    "insufficient_data": "insufficient data",
}


_LANG: list[str] = []  # the language a command chose with --lang (the last one wins)


def use_lang(lang: str) -> None:
    """Errors of this command in ``lang`` (a command with ``--lang`` calls it once the option is checked)."""
    from scicity.i18n import LANGS

    if lang in LANGS:
        _LANG.append(lang)


def cli_lang() -> str:
    """The language of the command's errors: its ``--lang``, else SCICITY_LANG, else English."""
    if _LANG:
        return _LANG[-1]
    lang = os.environ.get("SCICITY_LANG", "en").strip().lower()
    return lang if lang in ("en", "zh") else "en"


def say(text: object, lang: str | None = None) -> str:
    """A message (``scicity.domain.message.Msg`` or a catalog id) in the command's language."""
    from scicity.i18n import tr

    return tr(text, lang or cli_lang())


def reason(exc: BaseException) -> str:
    """What an exception says, still translatable when it was raised with a message (``Msg``)."""
    from scicity.domain.message import said

    return said(exc)


def fail(message: str, *, hint: str | None = None, code: int = 2) -> NoReturn:
    """Print an error for people (what, where, what to do next) in the command's language, and exit.

    ``message`` and ``hint`` are messages (``Msg`` with parameters, or catalog ids): they are translated here.
    """
    from rich.markup import escape

    def line(prefix: str) -> str:  # "error: …" and "错误：…" (a full-width colon takes no space)
        return escape(prefix) + ("" if prefix.endswith("：") else " ")

    err.print(f"[bold red]{line(say('error:'))}[/]{escape(say(message))}", markup=True, highlight=False)
    if hint:
        err.print(f"[dim]{line(say('hint:'))}[/]{escape(say(hint))}")
    raise typer.Exit(code)


def fmt_number(value: float | None, decimals: int = 1) -> str:
    if value is None:
        return "—"
    if decimals == 0 and abs(value - round(value)) < 1e-9:
        return f"{round(value):,}"
    return f"{value:,.{decimals}f}"
