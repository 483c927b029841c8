"""Docs that tests keep honest: every command, option and setting is documented."""

import re
from pathlib import Path

import typer.main

from scicity.cli import app
from scicity.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def commands(group, prefix: str = ""):
    ctx = typer.Context(group)
    for name in group.list_commands(ctx):  # the root imports its (lazy) commands here
        cmd = group.get_command(ctx, name)
        path = f"{prefix}{name}"
        if hasattr(cmd, "commands"):
            yield from commands(cmd, f"{path} ")
        else:
            yield path, cmd


def test_every_command_and_option_is_in_cli_md():
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    root = typer.main.get_command(app)
    found = list(commands(root))
    assert len(found) >= 11
    for path, cmd in found:
        assert f"## `scicity {path}" in text, f"docs/cli.md has no section for 'scicity {path}'"
        section = text.split(f"## `scicity {path}", 1)[1].split("\n## ", 1)[0]
        for param in cmd.params:
            if param.param_type_name == "option" and param.name != "help":
                longest = max(param.opts, key=len)
                assert f"`{longest}`" in section, f"'scicity {path}' option {longest} is not documented"


def test_every_setting_is_in_settings_md():
    text = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    for name in Settings.model_fields:
        assert f"`SCICITY_{name.upper()}`" in text, f"setting {name} is not documented"


def test_readme_gives_the_two_commands_and_ci_calls_the_test_one():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make run" in readme and "make test" in readme
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_glossary_defines_the_words_the_product_shows():
    glossary = (ROOT / "GLOSSARY.md").read_text(encoding="utf-8").lower()
    for word in ("target", "indicator", "series", "geography unit", "measure", "vintage", "revision", "p_meet",
                 "level", "cumulative", "increment", "as-of", "baseline"):
        assert re.search(rf"\*\*{re.escape(word)}", glossary), word
