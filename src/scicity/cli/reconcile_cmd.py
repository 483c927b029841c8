"""`scicity reconcile`: reported aggregates beside the registry counts, differences flagged."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from scicity.cli.console import fail, out
from scicity.cli.plan_values import EngineOption, ParquetOption, plan_values
from scicity.service.values import Reconciliation, Tolerance

COLUMNS = ("id", "unit", "period", "entity", "reported", "registry", "difference", "relative", "flagged")


def reconcile(
    tolerance: Annotated[float, typer.Option("--tolerance", help="Absolute difference allowed (e.g. 1 for counts off by one).", min=0)] = 0.0,
    relative: Annotated[
        float, typer.Option("--relative-tolerance", help="Relative difference allowed, as a fraction of the reported value (0.01 = 1 %).", min=0)
    ] = 0.0,
    flagged_only: Annotated[bool, typer.Option("--flagged-only", help="List only the differences beyond the tolerance.")] = False,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, json or csv.")] = "table",
    plan: Annotated[str | None, typer.Option("--plan", "-p", help="Plan id or plan YAML file.")] = None,
    data: Annotated[Path | None, typer.Option("--data", "-d", help="CSV/XLSX with reported values instead of the database.")] = None,
    engine: EngineOption = "store",
    parquet: ParquetOption = None,
) -> None:
    """List every registry-defined value that was also reported: reported vs registry, flagged beyond the tolerance.

    Flagged when |registry - reported| > tolerance + relative-tolerance × |reported|.
    """
    if fmt not in ("table", "json", "csv"):
        fail(f"unknown format {fmt!r}", hint="use table, json or csv")
    with plan_values(plan, data, engine, parquet, Tolerance(tolerance, relative)) as ctx:
        values = ctx.values
    rows = values.flagged() if flagged_only else values.reconciliation
    if fmt == "json":
        typer.echo(json.dumps([_row(r) for r in rows], ensure_ascii=False, indent=2))
        return
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(_row(r) for r in rows)
        typer.echo(buf.getvalue(), nl=False)
        return
    for note in values.notes:
        out.print(f"[dim]note: {note}[/]")
    if not values.from_registry:
        out.print("no registry was counted: nothing to reconcile")
        return
    table = Table(header_style="bold", pad_edge=False, title=f"reported vs registry ({ctx.origin})")
    for c in ("indicator", "unit", "period", "reported", "registry", "difference", "flag"):
        table.add_column(c, justify="right" if c in ("period", "reported", "registry", "difference") else "left")
    for r in rows:
        flag = "[yellow]differs[/]" if r.flagged else "ok"
        table.add_row(r.id, r.unit, str(r.period), f"{r.reported:,g}", f"{r.registry:,g}", f"{r.difference:+,g}", flag)
    out.print(table)
    n = len(values.flagged())
    out.print(
        f"{len(values.reconciliation)} reported values beside a registry count · {n} beyond the tolerance "
        f"(±{tolerance:g} + {relative:.2%} of the reported value)"
    )


def _row(r: Reconciliation) -> dict[str, object]:
    return {
        "id": r.id,
        "unit": r.unit,
        "period": r.period,
        "entity": r.entity,
        "reported": r.reported,
        "registry": r.registry,
        "difference": r.difference,
        "relative": r.relative,
        "flagged": r.flagged,
    }
