"""`scicity report final|midterm|annual` (the evaluation as a document) and `scicity report draft …` (report drafts)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from scicity.cli.console import err, fail, reason, use_lang
from scicity.domain.message import Msg
from scicity.cli.context import open_database, settings
from scicity.cli.plan_values import plan_values
from scicity.cli.report_draft_cmd import app as draft_app

KINDS = ("final", "midterm", "annual")


class ReportGroup(TyperGroup):
    """``scicity report KIND``: a kind that is not one says so (instead of click's 'No such command')."""

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        name = args[0] if args else None
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            fail(Msg('unknown report kind {name}', name=repr(name)), hint=Msg("use one of: {KINDS} (or 'scicity report draft …' for report drafts)", KINDS=', '.join(KINDS)))
        return super().resolve_command(ctx, args)


app = typer.Typer(
    help="The plan's evaluation as a document (final, midterm, annual: PDF, DOCX, XLSX or HTML), and the report drafts "
    "an office writes, freezes and publishes.",
    no_args_is_help=True,
    cls=ReportGroup,
)
app.add_typer(draft_app, name="draft")

Output = Annotated[Path, typer.Option("--output", "-o", help="File to write; its suffix gives the format unless --format is given. With --format all: a directory.")]
PlanOpt = Annotated[str | None, typer.Option("--plan", "-p", help="Plan id or plan YAML file. Default: the default plan.")]
AsOf = Annotated[int | None, typer.Option("--as-of", help="The year the report is as of. final: the target year; otherwise the latest year with data.")]
Unit = Annotated[str | None, typer.Option("--unit", "-u", help="Only the targets of this geography unit.")]
Lang = Annotated[str | None, typer.Option("--lang", help="Language of the report: zh or en. Default: SCICITY_LANG.")]
Format = Annotated[str | None, typer.Option("--format", "-f", help="pdf, docx, xlsx, html, or all (every format into the directory -o). Default: from the file's suffix.")]
Method = Annotated[str | None, typer.Option("--method", "-m", help="Assessment method behind the status (default: the status default).")]
Data = Annotated[Path | None, typer.Option("--data", "-d", help="Report on this CSV/XLSX file instead of the database.")]


@app.command("final")
def final(output: Output, plan: PlanOpt = None, as_of: AsOf = None, unit: Unit = None, lang: Lang = None,
          fmt: Format = None, method: Method = None, data: Data = None) -> None:
    """Write the final evaluation of a plan whose period has ended, as PDF, DOCX, XLSX or HTML.

    Every number is the one 'scicity status --format json' gives for the same as-of year.
    """
    write_report("final", output, plan, as_of, unit, lang, fmt, method, data)


@app.command("midterm")
def midterm(output: Output, plan: PlanOpt = None, as_of: AsOf = None, unit: Unit = None, lang: Lang = None,
            fmt: Format = None, method: Method = None, data: Data = None) -> None:
    """Write a mid-term review as of a year inside the plan period, as PDF, DOCX, XLSX or HTML.

    Verdicts in the office's vocabulary: ahead, faster than expected, in line, lagging.
    """
    write_report("midterm", output, plan, as_of, unit, lang, fmt, method, data)


@app.command("annual")
def annual(output: Output, plan: PlanOpt = None, as_of: AsOf = None, unit: Unit = None, lang: Lang = None,
           fmt: Format = None, method: Method = None, data: Data = None) -> None:
    """Write the annual report of one year of the plan period, with what changed on the year before.

    As PDF, DOCX, XLSX or HTML; --as-of is the year (default: the latest year with data).
    """
    write_report("annual", output, plan, as_of, unit, lang, fmt, method, data)


def output_targets(output: Path, fmt: str | None, stem: str) -> list[tuple[str, Path]]:
    """(format, path) pairs to write: one file, or with ``all`` every format into the directory ``output``;
    an ``output`` that is an existing directory gets the one format's file, named by the report, inside it."""
    from scicity.reports.formats import formats, get_format

    if fmt == "all":
        output.mkdir(parents=True, exist_ok=True)
        return [(name, output / f"{stem}{get_format(name).suffix}") for name in formats()]
    name = fmt or output.suffix.lower().lstrip(".")
    if output.is_dir():
        return [(name, output / f"{stem}{get_format(name).suffix}")]
    return [(name, output)]


def check_format(output: Path, fmt: str | None) -> str:
    from scicity.reports.formats import formats

    where = "--format" if fmt else f"the suffix of {output.name}"
    fmt = fmt or output.suffix.lower().lstrip(".")
    if fmt != "all" and fmt not in formats():
        fail(Msg('unknown report format {fmt} (from {where})', fmt=repr(fmt), where=where), hint=Msg('use --format with one of: {value}', value=', '.join(formats())))
    return fmt


def check_lang(lang: str | None) -> str:
    lang = lang or settings().lang
    if lang not in ("zh", "en"):
        fail(Msg('unknown language {lang}', lang=repr(lang)), hint="use --lang zh or --lang en")
    use_lang(lang)
    return lang


def use_caches() -> None:
    """Charts and the map's district boundaries kept under ``<data dir>/cache`` (shared with the web app)."""
    from scicity.reports import charts
    from scicity.service import geo_map

    cache = settings().data_dir / "cache"
    charts.use_disk_cache(cache / "charts")
    geo_map.use_disk_cache(cache / "geo")


def write_files(model: dict[str, Any], targets: list[tuple[str, Path]]) -> None:
    """Render the model in each format and write it (a file is written whole or not at all)."""
    from scicity.i18n import fmt_number
    from scicity.reports.formats import get_format
    from scicity.service.report_text import gettext_for

    lang = model.get("lang", "en")
    _ = gettext_for(lang)

    use_caches()
    for name, path in targets:
        content = get_format(name).render(model)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.part")
        tmp.write_bytes(content)
        tmp.replace(path)
        err.print(_("wrote {path} ({format}, {size} bytes)").format(path=path, format=name,
                                                                    size=fmt_number(len(content), 0, lang)))


def write_report(kind: str, output: Path, plan: str | None, as_of: int | None, unit: str | None, lang: str | None,
                 fmt: str | None, method: str | None, data: Path | None) -> None:
    from scicity.assess import methods
    from scicity.service.report_model import ReportContext, ReportError, build_report_model

    fmt = check_format(output, fmt)
    if method is not None and method not in methods():
        fail(Msg('unknown method {method}', method=repr(method)), hint=Msg('choose one of: {value}', value=', '.join(methods())))
    lang = check_lang(lang)
    use_caches()
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
                db = open_database(settings())
                try:
                    context = store_context(db, loaded.plan, year, lang)
                finally:
                    db.dispose()
        model = build_report_model(
            loaded.plan, values, kind=kind, as_of=year, lang=lang, unit=unit, method=method, context=context, origin=origin
        )
    except ReportError as exc:
        fail(reason(exc))
    from scicity.service.report_text import gettext_for

    _ = gettext_for(lang)
    counts = _(", ").join(f"{model['overall']['counts_text'][k]} {n}" for k, n in model["overall"]["counts"].items())
    stem = f"{loaded.plan.id}-{kind}-{model['as_of']}{'-' + unit if unit else ''}-{lang}"
    write_files(model, output_targets(output, fmt, stem))
    err.print(_("{title} as of {year}: {n} targets — {counts}").format(title=model["title"], year=model["as_of"],
                                                                          n=len(model["rows"]), counts=counts))
