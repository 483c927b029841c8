"""The `scicity` command line.

Registering a command: add ONE line to ``COMMANDS`` below —
``command("name", "module:function", "one-line help")`` for a command, or
``group("name", "module:app", "one-line help")`` for a Typer sub-app (module
relative to ``scicity.cli``, e.g. ``"status_cmd:status"``). Nothing is imported
here: a command's module is imported only when that command runs (or shows its
own ``--help``), so ``scicity --version`` and ``--help`` stay under 0.3 s. The
one-line help is what ``scicity --help`` lists; ``tests/cli/test_lazy.py``
checks that it equals the first line of the command's docstring. Keep heavy
imports (SQLAlchemy, Ibis, pandas, ...) inside the command functions as well.
"""

from __future__ import annotations

import typer

from scicity import __version__
from scicity.cli.lazy import command, group, lazy_group

COMMANDS = [
    command("init", "db_cmd:init", "Create the database, load the plan, and optionally the demo data."),
    command("status", "status_cmd:status", "Show the verdict for every target of the plan: latest value, target, projection and p_meet."),
    command("import", "data_cmd:import_", "Import observations, all or nothing: any problem rejects the whole file, listed with sheet/row/column."),
    command("export", "data_cmd:export", "Export the latest value of every key in the long format (re-imports unchanged)."),
    command("template", "data_cmd:template", "Write an Excel template from the plan: a sheet per area, a row per indicator, a column per year."),
    command("backtest", "backtest_cmd:backtest", "Judge every target as of --as-of, compare with the final outcome; report hit rate and Brier score of p_meet."),
    command("calibrate", "calibrate_cmd:calibrate", "Cut every series at every year, project h years ahead and compare with what happened."),
    command("explain", "explain_cmd:explain_command", "Show a value with its definition, the formula with numbers, and the entities behind each registry count."),
    command("reconcile", "reconcile_cmd:reconcile", "List every registry-defined value that was also reported: reported vs registry, flagged beyond the tolerance."),
    group("report", "report_cmd:app", "The plan's evaluation as a document (final, midterm, annual: PDF, DOCX, XLSX or HTML), and the report drafts an office writes, freezes and publishes."),
    command("serve", "serve_cmd:serve", "Serve the web application and the API (migrates the database first)."),
    group("plan", "plan_cmd:app", "Validate, show and describe plan files."),
    group("db", "db_cmd:app", "Database schema: migrate to the current version."),
    group("engine", "engine_cmd:app", "Registry engines: Parquet exports for DuckDB and Spark."),
    group("user", "serve_cmd:app", "Users of the web application: add, list, set passwords, API tokens."),
    group("exchange", "exchange_cmd:app", "The school–locality exchange platform: achievements, needs, experts, facilities, deals, technology contracts and talent exchanges — import, match, statistics."),
    group("tiers", "tiers_cmd:app", "Tiered enterprise cultivation: who qualifies for each tier (technology-based SME, high-tech, 专精特新, little giant, gazelle, unicorn), who is close, what it takes, and what the pipeline means for the targets."),
    group("registry", "registry_cmd:app", "Registries of institutions and platforms, enterprises (certifications, yearly financials), talent and patents: import, export, list. Base statistics (GRP, R&D expenditure, population, budget, S&T expenditure, industrial and strategic-emerging output) are observation series: import them with 'scicity import'."),
]

app = typer.Typer(
    name="scicity",
    help="Monitor and steer a sci-tech innovation plan: targets, data, verdicts.",
    no_args_is_help=True,
    # the root's help in click's plain layout: Rich's (boxes, markdown) imports 0.2 s of modules, which would
    # double `scicity --help`; each command's own --help keeps Rich (lazy.py)
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    cls=lazy_group(COMMANDS),
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"scicity {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
) -> None:
    """Monitor and steer a sci-tech innovation plan: targets, data, verdicts."""
    from scicity.cli.console import _LANG

    _LANG.clear()  # each command chooses its language anew (tests run many in one process)


def main() -> None:
    app()
