"""`scicity import`, `export` and `template`: data in and out as files."""

from __future__ import annotations

import getpass
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from scicity.domain.message import Msg
from scicity.cli.console import err, fail, fmt_number, out, reason, say, use_lang
from scicity.cli.context import open_database, open_plan, settings
from scicity.domain.changes import ChangeKind, ChangeSet
from scicity.domain.observation import ObservationStatus

PROGRESS_FROM_BYTES = 2_000_000


def default_actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # noqa: BLE001 - no user name in some containers
        return "cli"


@contextmanager
def reading(path: Path) -> Iterator[None]:
    """'reading FILE' while a large file is read (in a worker process, so without a byte count)."""
    if path.stat().st_size < PROGRESS_FROM_BYTES:
        yield
        return
    with err.get().status(f"reading {path.name}"):
        yield


def import_(
    file: Annotated[Path, typer.Argument(help="CSV or XLSX file: long format or a filled template.", show_default=False)],
    dry_run: Annotated[bool, typer.Option("--dry-run", "-n", help="Show what would change (new / changed / unchanged); write nothing.")] = False,
    plan: Annotated[str | None, typer.Option("--plan", "-p", help="Plan whose ids and units the file must use.")] = None,
    unit: Annotated[str | None, typer.Option("--unit", "-u", help="Geography unit for rows that leave 'unit' empty.")] = None,
    status: Annotated[ObservationStatus, typer.Option(help="Status given to the imported values.")] = ObservationStatus.APPROVED,
    actor: Annotated[str | None, typer.Option(help="Who is importing (kept in the audit log). Default: cli:<user>.")] = None,
    show: Annotated[int, typer.Option(help="How many changed rows to list.")] = 20,
) -> None:
    """Import observations, all or nothing: any problem rejects the whole file, listed with sheet/row/column."""
    from scicity.ingest.isolated import WorkerFailed, limits_from
    from scicity.ingest.problems import ImportRejected
    from scicity.service.file_reads import read_data_file
    from scicity.store.errors import StoreError
    from scicity.store.observations import ObservationRepository

    if not file.exists():
        fail(Msg('{file} does not exist', file=file))
    if status is ObservationStatus.RETURNED:
        fail("values cannot be imported as 'returned'", hint="use --status draft, submitted or approved")
    s = settings()
    loaded = open_plan(plan, s)
    db = open_database(s)
    try:
        with reading(file):
            rows, notes = read_data_file(file, loaded.plan, unit=unit, limits=limits_from(s))
    except ImportRejected as exc:
        from scicity.i18n import tr

        err.print(exc.text(lang=s.lang), markup=False)
        fail(tr(Msg("nothing was imported from {file}", file=str(file)), s.lang),
             hint=tr("fix the listed cells and import again (use --dry-run to check)", s.lang), code=1)
    except WorkerFailed as exc:
        fail(Msg('nothing was imported from {file}: {exc}', file=file, exc=reason(exc)), code=1)
    for text in notes:
        err.print(say(Msg("note: {note}", note=text)), markup=False)
    repo = ObservationRepository(db)
    if dry_run:
        changes = repo.preview(rows)
        _print_changes(changes, show, header=say(Msg("dry run: {file} against the database (nothing written)", file=str(file))))
        return
    digest = hashlib.sha256(file.read_bytes()).hexdigest()
    try:
        changes = repo.apply(rows, actor=actor or default_actor(), status=status, file_name=file.name, sha256=digest)
    except StoreError as exc:
        fail(Msg('nothing was imported from {file}: {exc}', file=file, exc=reason(exc)), code=1)
    _print_changes(changes, show, header=say(Msg("imported {file} as {status}", file=str(file), status=Msg(status.value))))


def _print_changes(changes: ChangeSet, show: int, *, header: str) -> None:
    counts = changes.counts()
    out.print(header, style="bold", markup=False)
    out.print(
        f"  [green]{say(Msg('{n} new', n=counts['new']))}[/] · [yellow]{say(Msg('{n} changed', n=counts['changed']))}[/]"
        f" · [dim]{say(Msg('{n} unchanged', n=counts['unchanged']))}[/]"
    )
    listed = changes.writes[:show]
    if not listed:
        return
    table = Table(header_style="bold")
    for col in ("change", "indicator", "unit", "period", "old", "new"):
        table.add_column(col, justify="right" if col in ("period", "old", "new") else "left")
    for c in listed:
        style = "green" if c.kind is ChangeKind.NEW else "yellow"
        table.add_row(
            f"[{style}]{c.kind.value}[/]",
            c.key.indicator,
            c.key.unit,
            str(c.key.period),
            fmt_number(c.old_value, 4) if c.old_value is not None else "",
            fmt_number(c.new_value, 4),
        )
    out.print(table)
    if len(changes.writes) > show:
        out.print(say(Msg("  … and {n} more (use --show N)", n=len(changes.writes) - show)))


def export(
    file: Annotated[Path, typer.Argument(help="Output file: .csv or .xlsx (long format).", show_default=False)],
    plan: Annotated[str | None, typer.Option("--plan", "-p", help="Export the ids of this plan.")] = None,
    include_unapproved: Annotated[bool, typer.Option(help="Also export draft, submitted and returned values.")] = False,
    with_status: Annotated[bool, typer.Option(help="Add status and revision columns.")] = False,
) -> None:
    """Export the latest value of every key in the long format (re-imports unchanged)."""
    from scicity.reports.long_table import write_observations
    from scicity.store.observations import ObservationRepository

    if file.suffix.lower() not in (".csv", ".xlsx"):
        fail(Msg('cannot export to {value}', value=file.suffix or Msg('a file without suffix')), hint="name the file .csv or .xlsx")
    s = settings()
    loaded = open_plan(plan, s)
    db = open_database(s)
    statuses = tuple(ObservationStatus) if include_unapproved else (ObservationStatus.APPROVED,)
    latest = ObservationRepository(db).latest(set(loaded.plan.reported_ids()), statuses=statuses)
    ordered = sorted(latest.values(), key=lambda o: (o.indicator, o.unit, o.period))
    write_observations(file, ordered, with_status=with_status)
    out.print(say(Msg("wrote {n} observations to {file}", n=len(ordered), file=str(file))), markup=False)


def template(
    file: Annotated[Path, typer.Argument(help="Output .xlsx file.", show_default=False)],
    plan: Annotated[str | None, typer.Option("--plan", "-p", help="Plan to generate the template for.")] = None,
    years: Annotated[str | None, typer.Option(help="Years as FIRST-LAST, e.g. 2020-2025. Default: baseline to target year.")] = None,
    unit: Annotated[str | None, typer.Option("--unit", "-u", help="Geography unit the template reports for. Default: the whole zone.")] = None,
    lang: Annotated[str | None, typer.Option(help="Language of the sheet texts: en or zh.")] = None,
    filled: Annotated[bool, typer.Option("--filled", help="Pre-fill with the values in the database.")] = False,
) -> None:
    """Write an Excel template from the plan: a sheet per area, a row per indicator, a column per year."""
    from scicity.ingest.template import write_template

    s = settings()
    lang = lang or s.lang
    if lang not in ("en", "zh"):
        fail(Msg("unknown language {lang}", lang=repr(lang)), hint="use --lang zh or --lang en")
    use_lang(lang)
    if file.suffix.lower() != ".xlsx":
        fail("templates are Excel files", hint="name the output .xlsx")
    loaded = open_plan(plan, s)
    year_list = _parse_years(years) if years else None
    if unit and unit not in loaded.plan.geo_units():
        fail(Msg('unknown geography unit {unit}', unit=repr(unit)), hint=Msg('units: {value}', value=', '.join(loaded.plan.geo_units())))
    existing = None
    if filled:
        from scicity.store.observations import ObservationRepository

        existing = ObservationRepository(open_database(s)).latest(set(loaded.plan.reported_ids()), statuses=tuple(ObservationStatus))
    write_template(loaded.plan, file, years=year_list, unit=unit, lang=lang, observations=existing)
    out.print(say(Msg("wrote template {file} for plan {plan}", file=str(file), plan=loaded.plan.id)), markup=False)


def _parse_years(text: str) -> list[int]:
    try:
        if "-" in text:
            first, last = (int(x) for x in text.split("-", 1))
        else:
            first = last = int(text)
    except ValueError:
        fail(Msg('--years {text} is not FIRST-LAST', text=repr(text)), hint="e.g. --years 2020-2025")
    if not 1900 <= first <= last <= 2200:
        fail(Msg('--years {text}: give FIRST-LAST with FIRST ≤ LAST', text=repr(text)))
    return list(range(first, last + 1))
