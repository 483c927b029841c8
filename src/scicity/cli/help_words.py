"""The command line's help in the reader's language: every command's and option's help, and Typer's own words.

Help texts are written in English in the commands (docstrings, ``help=`` of each option); their Chinese is in
the catalogue (``cli_help.po``). When the command line speaks Chinese — ``--lang zh`` anywhere on the command
line, else ``SCICITY_LANG=zh`` — :func:`translate_command` sets each command's help, short help and option
help from its English text before the help page is made, and :func:`use_help_words` puts the words of the
help page and of usage errors ("Usage:", "Options", "[default: …]", "Try … for help.") into the same language.
The English text is kept on the objects, so a process that runs commands in both languages (the tests) shows
each in its own. English needs no catalogue: nothing is imported for it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any

#: the English help kept on a command or option the first time it is translated
_ENGLISH = "_scicity_english_help"
#: Typer's help-page words (module constants of typer.rich_utils) as Typer writes them in English
_RICH_WORDS = {
    "DEPRECATED_STRING": "(deprecated) ",
    "DEFAULT_STRING": "[default: {}]",
    "ENVVAR_STRING": "[env var: {}]",
    "REQUIRED_LONG_STRING": "[required]",
    "ARGUMENTS_PANEL_TITLE": "Arguments",
    "OPTIONS_PANEL_TITLE": "Options",
    "COMMANDS_PANEL_TITLE": "Commands",
    "ERRORS_PANEL_TITLE": "Error",
    "ABORTED_TEXT": "Aborted.",
    "RICH_HELP": "Try [blue]'{command_path} {help_option}'[/] for help.",
}
HELP_OPTION = "Show this message and exit."
_words_lang = "en"


def help_lang(args: Sequence[str]) -> str:
    """The language of the help: ``--lang zh`` (or ``--lang=zh``) on the command line, else SCICITY_LANG."""
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            return "zh" if args[i + 1].strip().lower() == "zh" else "en"
        if arg.startswith("--lang="):
            return "zh" if arg.split("=", 1)[1].strip().lower() == "zh" else "en"
    lang = os.environ.get("SCICITY_LANG", "en").strip().lower()
    return "zh" if lang == "zh" else "en"


def _gettext(lang: str) -> Callable[[str], str]:
    if lang == "en":
        return lambda text: text
    from scicity.i18n import translations

    return translations(lang).gettext


def translate_command(command: Any, lang: str) -> None:
    """``command`` (a click command or group, with its subcommands) with its help texts in ``lang``."""
    if lang == "en" and not _translated(command):
        return
    said = _gettext(lang)
    for item in (command, *getattr(command, "params", ())):
        english = item.__dict__.setdefault(_ENGLISH, {k: getattr(item, k, None) for k in ("help", "short_help")})
        for name, text in english.items():
            if text:
                setattr(item, name, said(text))
    help_option = getattr(command, "_help_option", None)  # made once per command, in the language of that run
    if help_option is not None:
        help_option.help = said(HELP_OPTION)
    commands = getattr(command, "commands", None)
    if isinstance(commands, dict):
        for sub in commands.values():
            translate_command(sub, lang)


def _translated(command: Any) -> bool:
    return _ENGLISH in command.__dict__


def use_help_words(lang: str) -> None:
    """The words of Typer's help pages and usage errors in ``lang`` (English: as Typer writes them)."""
    global _words_lang
    if lang == _words_lang:
        return
    _words_lang = lang
    said = _gettext(lang)
    import sys

    if lang != "en":
        import typer.rich_utils  # noqa: F401 (imported by Typer only when a help page is made: its words now)
    rich_utils = sys.modules.get("typer.rich_utils")
    if rich_utils is not None:
        _set_rich_words(rich_utils, said)
    _patch_plain_words(said)


def _set_rich_words(module: Any, said: Callable[[str], str]) -> None:
    for name, english in _RICH_WORDS.items():
        if hasattr(module, name):
            setattr(module, name, said(english))


def _patch_plain_words(said: Callable[[str], str]) -> None:
    """click's plain layout (the root's help): its section titles and the usage prefix."""
    from typer import core
    from typer._click import formatting

    core._ = said  # typer.core's section titles: "Arguments", "Options", "Commands", "default: …", "required"
    formatter = formatting.HelpFormatter
    original = formatter.__dict__.get("_scicity_write_usage") or formatter.write_usage
    formatter._scicity_write_usage = original  # type: ignore[attr-defined]

    def write_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        original(self, prog, args, said("Usage: ") if prefix is None else prefix)

    formatter.write_usage = write_usage  # type: ignore[method-assign]
    from typer._click import decorators

    make_option = decorators.__dict__.get("_scicity_help_option") or decorators.help_option
    decorators._scicity_help_option = make_option  # type: ignore[attr-defined]

    def help_option(param_decls: list[str]) -> Callable[[Any], Any]:
        add = make_option(param_decls)

        def decorate(command: Any) -> Any:
            command = add(command)
            command.params[-1].help = said(HELP_OPTION)  # the option just added (Typer takes it out again)
            return command

        return decorate

    decorators.help_option = help_option  # type: ignore[assignment]
