"""`scicity engine …`: the engines that count the registries."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from scicity.cli.console import fail, out
from scicity.cli.context import open_database, settings

app = typer.Typer(help="Registry engines: Parquet exports for DuckDB and Spark.", no_args_is_help=True)


@app.command("export-parquet")
def export_parquet(
    directory: Annotated[Path, typer.Argument(help="Directory to write <table>.parquet files into (created if missing).")],
) -> None:
    """Export the registry tables of the database as Parquet, for --engine duckdb|spark --parquet DIR."""
    from scicity.service.registry_engines import export_from_store

    s = settings()
    open_database(s).dispose()
    written = export_from_store(s.database_url, directory)
    if not written:
        fail("the database has no registry tables to export", hint="run 'scicity db upgrade'")
    for name, n in written.items():
        out.print(f"{directory / (name + '.parquet')}: {n:,} rows")
