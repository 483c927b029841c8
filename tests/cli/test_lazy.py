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


def _imported_after(*args: str, env: dict[str, str] | None = None) -> set[str]:
    """The modules loaded by ``import scicity.cli`` and ``scicity ARGS`` in a fresh process (which must succeed).

    ``env``: the process's whole environment (default: this one's).
    """
    code = (
        "import sys\nfrom scicity.cli import app\n"
        f"try:\n    app({list(args)!r})\nexcept SystemExit as exc:\n    assert not exc.code, exc.code\n"
        "print('\\n'.join(sorted(sys.modules)), file=sys.stderr)"
    )
    env = {**(os.environ if env is None else env), "PYTHONPATH": str(SRC), "COLUMNS": "120"}
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-2000:]
    return set(run.stderr.splitlines())


def _loaded(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == n or m.startswith(n + ".") for n in names))


def test_help_and_version_import_no_command_module_and_no_heavy_library():
    for args in (["--help"], ["--version"]):
        modules = _imported_after(*args)
        commands = sorted(m for m in modules if m.startswith("scicity.cli.") and m.endswith("_cmd"))
        assert commands == [], f"{args}: imported {commands}"
        heavy = _loaded(modules, HEAVY)
        assert heavy == [], f"{args}: imported {heavy[:8]}"
        rich = _loaded(modules, ("rich", "typer.rich_utils", "markdown_it"))  # the root's help is click's plain layout
        assert rich == [], f"{args}: imported {rich[:8]}"
        assert "typer.main" in modules and "scicity.cli.lazy" in modules  # what is checked did run


#: what ``scicity status`` on an SQLite file does without: the ORM and SQLAlchemy itself (it reads with sqlite3),
#: the registry engines, the plan parser (the checked plan is cached) and the report and web stacks
STATUS_WITHOUT = ("sqlalchemy", "alembic", "pandas", "ibis", "duckdb", "pyarrow", "ruamel", "babel", "scipy",
                  "fastapi", "starlette", "jinja2", "weasyprint", "scicity.store.tables", "scicity.store.observations",
                  "scicity.engine.registry.engine", "scicity.service.cultivation", "scicity.ingest.plan_rules")


def test_status_on_an_sqlite_file_imports_neither_sqlalchemy_nor_the_engines(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith("SCICITY_")}  # the defaults: SQLite
    env["SCICITY_DATA_DIR"] = str(tmp_path / "data")
    _imported_after("init", "--demo", env=env)
    _imported_after("status", "--format", "json", env=env)  # the first one fills the caches (plan, counts, pipelines)
    for args in (["status"], ["status", "--format", "json"], ["status", "--format", "csv", "--lang", "zh"]):
        modules = _imported_after(*args, env=env)
        assert "scicity.store.sqlite_reads" in modules and "scicity.assess" in modules, args  # it read and judged
        heavy = _loaded(modules, STATUS_WITHOUT)
        assert heavy == [], f"{args}: imported {heavy[:8]}"


def test_a_command_runs_through_the_lazy_group(tmp_path):
    from typer.testing import CliRunner

    runner = CliRunner()
    result = runner.invoke(app, ["plan", "--help"])
    assert result.exit_code == 0 and "validate" in result.output
    result = runner.invoke(app, ["no-such-command"])
    assert result.exit_code != 0 and "No such command" in result.output


def test_a_report_on_an_sqlite_file_reads_the_store_without_sqlalchemy(tmp_path):
    """The report's reads besides the values (review states, goals, the registry annex) go through sqlite3 too."""
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith("SCICITY_")}
    env["SCICITY_DATA_DIR"] = str(tmp_path / "data")
    _imported_after("init", "--demo", env=env)
    out = tmp_path / "final.html"
    args = ("report", "final", "--lang", "zh", "--format", "html", "-o", str(out))
    _imported_after(*args, env=env)  # the first one fills the caches (plan, registry counts), as for status
    out.unlink()
    modules = _imported_after(*args, env=env)
    assert "scicity.store.report_reads" in modules and out.stat().st_size > 10_000  # it read and wrote the report
    heavy = _loaded(modules, ("sqlalchemy", "alembic", "scicity.store.tables", "scicity.store.registry_tables",
                              "scicity.store.observations", "scicity.store.goals"))
    assert heavy == [], f"imported {heavy[:8]}"
