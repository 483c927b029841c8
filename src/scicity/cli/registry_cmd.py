"""`scicity registry …`: the registries of institutions, enterprises, certifications, financials, talent, patents."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from scicity.domain.message import Msg
from scicity.cli.console import err, fail, out, reason, say, use_lang
from scicity.cli.context import open_database, open_plan, settings
from scicity.cli.data_cmd import default_actor, reading
from scicity.domain.registries import RegistryKind

app = typer.Typer(
    help="Registries of institutions and platforms, enterprises (certifications, yearly financials), talent and "
    "patents: import, export, list. Base statistics (GRP, R&D expenditure, population, budget, S&T expenditure, "
    "industrial and strategic-emerging output) are observation series: import them with 'scicity import'.",
    no_args_is_help=True,
)

KindArg = Annotated[RegistryKind, typer.Argument(help="Which registry.", show_default=False)]
PlanOpt = Annotated[str | None, typer.Option("--plan", "-p", help="Plan whose geography units the registry uses.")]


@app.command("import")
def import_(
    kind: KindArg,
    file: Annotated[Path, typer.Argument(help="CSV or XLSX file, one record per row.", show_default=False)],
    dry_run: Annotated[bool, typer.Option("--dry-run", "-n", help="Show what would change (new / changed / unchanged); write nothing.")] = False,
    plan: PlanOpt = None,
    actor: Annotated[str | None, typer.Option(help="Who is importing (kept in the audit log). Default: cli:<user>.")] = None,
    show: Annotated[int, typer.Option(help="How many changed records to list.")] = 20,
) -> None:
    """Import a registry file, all or nothing: new records are added, changed ones updated by their key."""
    from scicity.ingest.problems import ImportRejected
    from scicity.ingest.isolated import WorkerFailed, limits_from
    from scicity.service.file_reads import read_registry_file
    from scicity.store.errors import StoreError
    from scicity.store.registries import RegistryRepository

    if not file.exists():
        fail(Msg('{file} does not exist', file=file))
    s = settings()
    loaded = open_plan(plan, s)
    repo = RegistryRepository(open_database(s))
    try:
        with reading(file):
            data, notes = read_registry_file(file, kind, loaded.plan, database_url=s.database_url,
                                             limits=limits_from(s))
    except ImportRejected as exc:
        from scicity.i18n import tr

        err.print(exc.text(lang=s.lang), markup=False)
        fail(tr(Msg("nothing was imported from {file}", file=str(file)), s.lang),
             hint=tr("fix the listed cells and import again (use --dry-run to check)", s.lang),
             code=1)
    except WorkerFailed as exc:
        fail(Msg('nothing was imported from {file}: {exc}', file=file, exc=reason(exc)), code=1)
    for text in notes:
        err.print(say(Msg("note: {note}", note=text)), markup=False)
    try:
        if dry_run:
            changes = repo.preview(kind, data.records, fields=data.fields)
            header = say(Msg("dry run: {kind} from {file} against the database (nothing written)", kind=Msg(kind.value), file=str(file)))
        else:
            digest = hashlib.sha256(file.read_bytes()).hexdigest()
            changes = repo.apply(kind, data.records, actor=actor or default_actor(), fields=data.fields,
                                 file_name=file.name, sha256=digest)
            header = say(Msg("imported {kind} from {file} (import batch {batch})", kind=Msg(kind.value), file=str(file), batch=changes.batch_id))
    except StoreError as exc:
        fail(Msg('nothing was imported from {file}: {exc}', file=file, exc=reason(exc)), code=1)
    out.print(f"[bold]{header}[/]")
    out.print(f"  [green]{changes.new} new[/] · [yellow]{changes.changed} changed[/] · "
              f"[dim]{changes.unchanged} unchanged[/]")
    _print_changed(changes.changes, show, changes.changed)


def _print_changed(changes: dict[str, dict[str, tuple[Any, Any]]], show: int, total: int) -> None:
    if not changes or show <= 0:
        return
    table = Table(header_style="bold")
    for col in ("record", "field", "old", "new"):
        table.add_column(col)
    for key, diff in list(changes.items())[:show]:
        for name, (old, new) in diff.items():
            table.add_row(key, name, _show(old), _show(new))
    out.print(table)
    if total > show:
        out.print(f"  … and {total - show} more changed (use --show N)")


def _show(value: Any) -> str:
    from scicity.ingest.registry_export import cell_text

    return cell_text(value) if value is not None else "—"


@app.command("export")
def export(
    kind: KindArg,
    file: Annotated[Path, typer.Argument(help="Output file: .csv or .xlsx.", show_default=False)],
) -> None:
    """Write a whole registry as CSV or XLSX, in the columns import reads (it imports back unchanged)."""
    from scicity.ingest.registry_export import write_registry
    from scicity.store.registries import RegistryRepository

    if file.suffix.lower() not in (".csv", ".xlsx"):
        fail(Msg('cannot export to {value}', value=file.suffix or Msg('a file without suffix')), hint="name the file .csv or .xlsx")
    repo = RegistryRepository(open_database(settings()))
    n = write_registry(file, kind, repo.iter(kind))
    out.print(say(Msg("wrote {n} {kind} records to {file}", n=n, kind=Msg(kind.value), file=str(file))), markup=False)


#: registry kinds as titles (English: the kind itself, as before)
KIND_TITLES = {"institutions": "institutions", "enterprises": "enterprises", "certifications": "certifications",
               "financials": "financials", "talent": "talent", "patents": "patents"}


@app.command("list")
def list_(
    kind: KindArg,
    unit: Annotated[str | None, typer.Option("--unit", "-u", help="Only records of this geography unit and the units under it.")] = None,
    valid_at: Annotated[str | None, typer.Option("--valid-at", help="Only records valid on this date (YYYY-MM-DD), e.g. 2025-12-31.")] = None,
    limit: Annotated[int, typer.Option("--limit", help="Show at most this many records.")] = 50,
    plan: PlanOpt = None,
    lang: Annotated[str | None, typer.Option("--lang", help="Language of headers and values: en or zh (default: "
                                             "SCICITY_LANG).")] = None,
) -> None:
    """List a registry's records as a table, ordered by their key."""
    from scicity.i18n import LANGS, tr
    from scicity.ingest.registry_columns import COLUMN_LABELS
    from scicity.ingest.registry_words import value_words
    from scicity.ingest.registry_cells import parse_date
    from scicity.ingest.cells import CellRejected
    from scicity.store.errors import InvalidInput
    from scicity.store.registries import RegistryRepository

    s = settings()
    lang = lang or s.lang
    if lang not in LANGS:
        fail(Msg('unknown language {lang}', lang=repr(lang)), hint="use --lang zh or --lang en")
    use_lang(lang)
    units = None
    if unit is not None:
        geo = open_plan(plan, s).plan.geo_units()
        if unit not in geo:
            fail(Msg('unknown geography unit {unit}', unit=repr(unit)), hint=Msg('units: {geo}', geo=', '.join(geo)))
        units = {u.id for u in geo[unit].walk()}
    at = None
    if valid_at is not None:
        try:
            at, _ = parse_date(valid_at, typed_numbers=False)
        except CellRejected as exc:
            fail(Msg('--valid-at {valid_at}: {exc}', valid_at=repr(valid_at), exc=reason(exc)))
    repo = RegistryRepository(open_database(s))
    try:
        records = repo.list(kind, units=units, valid_at=at, limit=limit + 1)
    except InvalidInput as exc:
        fail(reason(exc))
    fields = records[0].field_names() if records else ()
    title = tr(Msg(KIND_TITLES[kind.value]), lang)
    if at:
        title = tr(Msg("{title} valid at {date}", title=title, date=at.isoformat()), lang)
    if unit:
        title = tr(Msg("{title} in {unit}", title=title, unit=unit), lang)
    table = Table(header_style="bold", title=title)
    for name in fields:  # the column's label, the field (the id that files use) beside it
        table.add_column(f"{tr(COLUMN_LABELS.get(name, name), lang)} ({name})" if lang != "en" else name, overflow="fold")
    unit_names = {u.id: u.name.get(lang) for u in open_plan(plan, s).plan.geography.walk()} if lang != "en" else {}

    def cell(record: Any, name: str) -> str:
        value = getattr(record, name)
        if lang == "en":
            return _show(value)
        if name == "unit" and value in unit_names:
            return f"{unit_names[value]} ({value})"
        return value_words(kind.value, name, value, lang) or _show(value)

    for record in records[:limit]:
        table.add_row(*(cell(record, name) for name in fields))
    out.print(table)
    shown = min(len(records), limit)
    more = Msg("{n} records shown (more not shown: raise --limit)", n=shown) if len(records) > limit else Msg(
        "{n} records shown", n=shown)
    out.print(tr(more, lang) if lang != "en" else f"{shown} {kind.value} shown"
              + (" (more not shown: raise --limit)" if len(records) > limit else ""))
