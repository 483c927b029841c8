"""Commands registered by name and imported only when they run: `scicity --help` and `--version` stay fast.

A :class:`Lazy` entry names a command (``"module:function"``) or a Typer
sub-app (``"module:app"``) inside :mod:`scicity.cli` and carries the short
help shown in ``scicity --help``, so the listing imports no command module.
:class:`LazyGroup` is the root's click group: it lists the entries, and
imports an entry's module the first time the command is resolved (to run it,
or for its own ``--help``). ``tests/cli/test_lazy.py`` checks that each short
help equals the first line of the command's own help.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import typer
from typer.core import TyperGroup


@dataclass(frozen=True)
class Lazy:
    """One registered command: its name, where it lives, its one-line help, and whether it is a sub-app."""

    name: str
    target: str  # "module:attribute", module relative to scicity.cli
    help: str
    group: bool = False

    def load(self) -> Any:
        module, _, attribute = self.target.partition(":")
        return getattr(importlib.import_module(f"scicity.cli.{module}"), attribute)

    def click_command(self) -> Any:
        """The command as click runs it, built the way ``app.command`` / ``app.add_typer`` would."""
        obj = self.load()
        if self.group:
            group = typer.main.get_group(obj)
            group.name = self.name
            return group
        single = typer.Typer(rich_markup_mode="rich", pretty_exceptions_enable=False, add_completion=False)
        single.command(self.name)(obj)
        return typer.main.get_command(single)


def command(name: str, target: str, help: str) -> Lazy:  # noqa: A002 - the word click uses
    """A command: ``target`` is ``"module:function"``."""
    return Lazy(name, target, help)


def group(name: str, target: str, help: str) -> Lazy:  # noqa: A002
    """A group of subcommands: ``target`` is ``"module:app"`` (a ``typer.Typer``)."""
    return Lazy(name, target, help, group=True)


class _Listed(typer.core.TyperCommand):
    """What the root's help lists for a command not imported: its name and short help."""


class LazyGroup(TyperGroup):
    """The root group: entries of :attr:`entries` are imported when resolved, not when listed."""

    entries: ClassVar[dict[str, Lazy]] = {}
    _listing = False
    #: the language of the help pages of this run (``help_words.help_lang``)
    _help_lang = "en"

    def main(self, args: Sequence[str] | None = None, *rest: Any, **options: Any) -> Any:
        import sys

        from scicity.cli.help_words import help_lang, translate_command, use_help_words

        given = list(sys.argv[1:] if args is None else args)
        # the help's words only when a help page is asked for (a catalogue costs its import otherwise): --help,
        # nothing at all, or a group alone (its help)
        wanted = "--help" in given or not given or (len(given) == 1 and getattr(self.entries.get(given[0]), "group", False))
        self._help_lang = help_lang(given) if wanted else "en"
        use_help_words(self._help_lang)
        translate_command(self, self._help_lang)
        return super().main(args, *rest, **options)

    def list_commands(self, ctx: Any) -> list[str]:
        return [*super().list_commands(ctx), *(n for n in self.entries if n not in self.commands)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        found = self.commands.get(cmd_name)
        if found is not None:
            self._in_help_lang(found)
            return found
        entry = self.entries.get(cmd_name)
        if entry is None:
            return None
        if self._listing:
            listed = _Listed(name=entry.name, help=entry.help, short_help=entry.help, callback=None)
            self._in_help_lang(listed)
            return listed
        loaded = entry.click_command()
        self.commands[cmd_name] = loaded
        self._in_help_lang(loaded)
        return loaded

    def _in_help_lang(self, command: Any) -> None:
        from scicity.cli.help_words import translate_command

        translate_command(command, self._help_lang)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False


def lazy_group(entries: Sequence[Lazy]) -> type[LazyGroup]:
    """A :class:`LazyGroup` class holding ``entries`` (pass it as ``typer.Typer(cls=...)``)."""
    names = [e.name for e in entries]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValueError(f"commands registered twice: {', '.join(duplicates)}")
    return type("ScicityGroup", (LazyGroup,), {"entries": {e.name: e for e in entries}})


def load_all(group_cls: type[LazyGroup]) -> dict[str, Any]:
    """Every registered command, imported (for the docs test and shell completion)."""
    return {name: entry.click_command() for name, entry in group_cls.entries.items()}

