"""`scicity reconcile`: reported aggregates beside the registry counts, differences flagged."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from scicity.domain.message import Msg
from scicity.cli.console import fail, out, use_lang
from scicity.cli.plan_values import EngineOption, ParquetOption, plan_values
from scicity.service.reconciled_values import Reconciliation, Tolerance

#: the table's headers (English: the words as they were; Chinese through the catalog)
HEADERS = {"indicator": "Indicator", "unit": "Geographic unit", "period": "Year", "reported": "Reported",
           "registry": "Registry count", "difference": "Difference", "flag": "Check"}
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
    lang: Annotated[str | None, typer.Option("--lang", help="Language of the table: en or zh (default: SCICITY_LANG).")] = None,
) -> None:
    """List every registry-defined value that was also reported: reported vs registry, flagged beyond the tolerance.

    Flagged when |registry - reported| > tolerance + relative-tolerance × |reported|.
    """
    from scicity.cli.context import settings
    from scicity.i18n import LANGS, fmt_percent, tr

    if fmt not in ("table", "json", "csv"):
        fail(Msg('unknown format {fmt}', fmt=repr(fmt)), hint="use table, json or csv")
    lang = lang or settings().lang
    if lang not in LANGS:
        fail(Msg('unknown language {lang}', lang=repr(lang)), hint="use --lang zh or --lang en")
    use_lang(lang)
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
        out.print(f"[dim]{tr(Msg('note: {note}', note=note), lang)}[/]")
    if not values.from_registry:
        out.print(tr("no registry was counted: nothing to reconcile", lang))
        return
    table = Table(header_style="bold", pad_edge=False,
                  title=tr(Msg("reported vs registry ({origin})", origin=ctx.origin), lang))
    plan_ = ctx.loaded.plan
    names = {i.id: i.name.get(lang) for i in (*plan_.indicators, *plan_.series)}
    units = {u.id: u.name.get(lang) for u in plan_.geography.walk()}
    for c in ("indicator", "unit", "period", "reported", "registry", "difference", "flag"):
        table.add_column(c if lang == "en" else tr(HEADERS[c], lang),
                         justify="right" if c in ("period", "reported", "registry", "difference") else "left")
    for r in rows:
        flag = f"[yellow]{tr('differs', lang)}[/]" if r.flagged else tr("ok", lang)
        if lang == "en":
            table.add_row(r.id, r.unit, str(r.period), f"{r.reported:,g}", f"{r.registry:,g}", f"{r.difference:+,g}", flag)
        else:  # names first, the ids beside them (people read names; files and commands use ids)
            table.add_row(f"{names.get(r.id, r.id)} ({r.id})", f"{units.get(r.unit, r.unit)} ({r.unit})", str(r.period),
                          f"{r.reported:,g}", f"{r.registry:,g}", f"{r.difference:+,g}", flag)
    out.print(table)
    n = len(values.flagged())
    out.print(tr(Msg("{total} reported values beside a registry count · {n} beyond the tolerance "
                     "(±{tolerance} + {relative} of the reported value)", total=len(values.reconciliation), n=n,
                     tolerance=f"{tolerance:g}", relative=f"{relative:.2%}" if lang == "en" else fmt_percent(relative, lang)),
                 lang))


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
