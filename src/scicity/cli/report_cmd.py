"""`scicity report final|midterm|annual`: the evaluation as a document (PDF, Word, Excel, HTML)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from scicity.cli.console import err, fail
from scicity.cli.context import open_database, settings
from scicity.cli.plan_values import plan_values


def report(
    kind: Annotated[str, typer.Argument(help="final (the plan period has ended), midterm (as of a year inside it) or annual.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write; its suffix gives the format unless --format is given. With --format all: a directory.")],
    plan: Annotated[str | None, typer.Option("--plan", "-p", help="Plan id or plan YAML file. Default: the default plan.")] = None,
    as_of: Annotated[int | None, typer.Option("--as-of", help="The year the report is as of. final: the target year; otherwise the latest year with data.")] = None,
    unit: Annotated[str | None, typer.Option("--unit", "-u", help="Only the targets of this geography unit.")] = None,
    lang: Annotated[str | None, typer.Option("--lang", help="Language of the report: zh or en. Default: SCICITY_LANG.")] = None,
    fmt: Annotated[str | None, typer.Option("--format", "-f", help="pdf, docx, xlsx, html, or all (every format into the directory -o). Default: from the file's suffix.")] = None,
    method: Annotated[str | None, typer.Option("--method", "-m", help="Assessment method behind the status (default: the status default).")] = None,
    data: Annotated[Path | None, typer.Option("--data", "-d", help="Report on this CSV/XLSX file instead of the database.")] = None,
) -> None:
    """Write the final evaluation, a mid-term review or an annual report of a plan as PDF, DOCX, XLSX or HTML.

    Every number is the one 'scicity status --format json' gives for the same as-of year.
    """
    from scicity.assess import methods
    from scicity.reports.formats import formats, get_format
    from scicity.service.report_model import KINDS, ReportContext, ReportError, build_report_model

    if kind not in KINDS:
        fail(f"unknown report kind {kind!r}", hint=f"use one of: {', '.join(KINDS)}")
    where = "--format" if fmt else f"the suffix of {output.name}"
    fmt = fmt or output.suffix.lower().lstrip(".")
    if fmt != "all" and fmt not in formats():
        fail(f"unknown report format {fmt!r} (from {where})", hint=f"use --format with one of: {', '.join(formats())}")
    if method is not None and method not in methods():
        fail(f"unknown method {method!r}", hint=f"choose one of: {', '.join(methods())}")
    s = settings()
    lang = lang or s.lang
    if lang not in ("zh", "en"):
        fail(f"unknown language {lang!r}", hint="use --lang zh or --lang en")
    with plan_values(plan, data) as ctx:
        loaded, values, origin = ctx.loaded, ctx.values, ctx.origin
    try:
        context = ReportContext()
        year = as_of
        if data is None:
            from scicity.service.report_inputs import store_context
            from scicity.service.report_model import report_year

            all_years = [p for ind in loaded.plan.indicators for u in loaded.plan.geo_units() for p, _ in values.table.points(ind.id, u)]
            year = report_year(loaded.plan, kind, as_of, max(all_years)) if all_years else as_of
            if year is not None:
                db = open_database(s)
                try:
                    context = store_context(db, loaded.plan, year, lang)
                finally:
                    db.dispose()
        model = build_report_model(
            loaded.plan, values, kind=kind, as_of=year, lang=lang, unit=unit, method=method, context=context, origin=origin
        )
    except ReportError as exc:
        fail(str(exc))
    counts = ", ".join(f"{model['overall']['counts_text'][k]} {n}" for k, n in model["overall"]["counts"].items())
    targets = [(fmt, output)]
    if fmt == "all":
        output.mkdir(parents=True, exist_ok=True)
        stem = f"{loaded.plan.id}-{kind}-{model['as_of']}{'-' + unit if unit else ''}-{lang}"
        targets = [(name, output / f"{stem}{get_format(name).suffix}") for name in formats()]
    for name, path in targets:
        content = get_format(name).render(model)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        err.print(f"wrote {path} ({name}, {len(content):,} bytes)")
    err.print(f"{model['title']} as of {model['as_of']}: {len(model['rows'])} targets — {counts}")
