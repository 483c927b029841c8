"""Lazy registration: `scicity --help` lists every command without importing one; each runs when named."""

from __future__ import annotations

import inspect
import os
import re
import subprocess
import sys
from pathlib import Path

import typer

from scicity.cli import COMMANDS, app

SRC = Path(__file__).resolve().parents[2] / "src"
HEAVY = ("sqlalchemy", "pydantic_settings", "numpy", "ibis", "pandas", "scicity.store", "scicity.assess")


def _first_paragraph(text: str | None) -> str:
    return re.sub(r"\s+", " ", inspect.cleandoc(text or "").split("\n\n", 1)[0]).strip()


def test_each_listed_help_is_the_commands_own_first_line():
    for entry in COMMANDS:
        cmd = entry.click_command()
        assert cmd.name == entry.name
        assert entry.help == _first_paragraph(cmd.help), f"{entry.name}: update its line in scicity/cli/__init__.py"


def _imported_after(*args: str) -> set[str]:
    code = (
        "import sys\nfrom scicity.cli import app\n"
        f"try:\n    app({list(args)!r})\nexcept SystemExit:\n    pass\n"
        "print('\\n'.join(sorted(sys.modules)))"
    )
    env = {**os.environ, "PYTHONPATH": str(SRC), "COLUMNS": "120"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    return set(out.splitlines())


def test_help_and_version_import_no_command_module_and_no_heavy_library():
    for args in (["--help"], ["--version"]):
        modules = _imported_after(*args)
        commands = sorted(m for m in modules if m.startswith("scicity.cli.") and m.endswith("_cmd"))
        assert commands == [], f"{args}: imported {commands}"
        heavy = sorted(m for m in modules if m.split(".")[0] in HEAVY or any(m.startswith(h + ".") or m == h for h in HEAVY))
        assert heavy == [], f"{args}: imported {heavy[:8]}"


def test_a_command_runs_through_the_lazy_group(tmp_path):
    from typer.testing import CliRunner

    runner = CliRunner()
    result = runner.invoke(app, ["plan", "--help"])
    assert result.exit_code == 0 and "validate" in result.output
    result = runner.invoke(app, ["no-such-command"])
    assert result.exit_code != 0 and "No such command" in result.output
