"""The `scicity` command line."""

from __future__ import annotations

import typer

from scicity import __version__
from scicity.cli import backtest_cmd, data_cmd, db_cmd, plan_cmd, registry_cmd, serve_cmd, status_cmd
from scicity.cli import engine_cmd, explain_cmd, reconcile_cmd
from scicity.cli import tiers_cmd

app = typer.Typer(
    name="scicity",
    help="Monitor and steer a sci-tech innovation plan: targets, data, verdicts.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)
app.command("init")(db_cmd.init)
app.command("status")(status_cmd.status)
app.command("import")(data_cmd.import_)
app.command("export")(data_cmd.export)
app.command("template")(data_cmd.template)
app.command("backtest")(backtest_cmd.backtest)
app.command("explain")(explain_cmd.explain_command)
app.command("reconcile")(reconcile_cmd.reconcile)
app.add_typer(plan_cmd.app, name="plan")
app.add_typer(db_cmd.app, name="db")
app.add_typer(engine_cmd.app, name="engine")
app.command("serve")(serve_cmd.serve)
app.add_typer(serve_cmd.app, name="user")
app.add_typer(registry_cmd.app, name="registry")
app.add_typer(tiers_cmd.app, name="tiers")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"scicity {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
) -> None:
    """Monitor and steer a sci-tech innovation plan: targets, data, verdicts."""


def main() -> None:
    app()
