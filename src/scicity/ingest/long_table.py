"""Read observations from a long table: one row per (indicator, unit, period).

CSV (UTF-8; GB18030 accepted with a note) is streamed row by row so that a
file of tens of megabytes needs little more memory than the observations it
yields. XLSX is read with python-calamine; the data must sit on one sheet,
with the header in the first non-empty row and no merged cells. The kind of
file is told by its first bytes, not by its name.

Everything is checked before anything is returned: a file with any problem
raises :class:`ImportRejected` listing every problem found (up to a cap).
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

from openpyxl.utils import get_column_letter

from scicity.domain.message import Msg, join
from scicity.domain.observation import Observation
from scicity.domain.plan import Plan
from scicity.ingest.columns import map_header
from scicity.ingest.csv_text import NotText, csv_rows, detect_format
from scicity.ingest.long_rows import LongRows, PlanIds, id_text
from scicity.ingest.problems import MERGED, NO_ROWS, XLS, Location, ProblemLog
from scicity.ingest.template_layout import META_SHEET
from scicity.ingest.cells import is_blank
from scicity.ingest.workbook import (
    NotAWorkbook,
    first_column,
    has_data,
    merged_ranges,
    open_workbook,
    sheet_rows,
    sniff_kind,
    worksheets,
)

Progress = Callable[[int, int], None]
Note = Callable[[str], None]


def read_observations(
    path: Path,
    plan: Plan,
    *,
    default_unit: str | None = None,
    progress: Progress | None = None,
    note: Note | None = None,
    skip_foreign: bool = False,
) -> list[Observation]:
    """Every observation of a long CSV or XLSX file, or :class:`ImportRejected` naming each problem.

    ``skip_foreign`` (read-only runs): rows for indicators, series or units the plan
    does not have are left out instead of being problems; one ``note`` says how many.

    ``default_unit`` is the geographic unit of rows whose unit cell is empty
    (the plan's root unit when not given). ``progress(done, total)`` counts
    bytes for CSV and rows for XLSX. ``note`` receives remarks that are not
    problems (e.g. the file was read as GB18030).
    """
    path = Path(path)
    log = ProblemLog(str(path))
    label = path.name
    ids = PlanIds(plan)
    ids.skip_foreign = skip_foreign
    unit = ids.unit(id_text(default_unit)) if default_unit is not None else None
    if default_unit is not None and unit is None:
        log.report(Location(label), Msg("the default unit {unit} is not a geographic unit of the plan (known: {known})",
                                           unit=repr(default_unit), known=", ".join(ids.units)))
        log.raise_if_any()
    kind = sniff_kind(path)
    if kind == "xls":
        log.report(Location(label), Msg(XLS))
        log.raise_if_any()
    reader = _read_xlsx if kind == "xlsx" else _read_csv
    observations = reader(path, ids, log, unit, progress, note)
    log.raise_if_any()
    if ids.foreign and note is not None:
        note(foreign_note(ids.foreign))
    return observations


def foreign_note(foreign: dict[tuple[str, str], int]) -> Msg:
    """One summary of the rows left out because the plan lacks their indicator or unit."""
    rows = sum(foreign.values())
    parts = []
    for field, what in (("indicator", "indicators/series {names}"), ("unit", "units {names}")):
        names = sorted(text for f, text in foreign if f == field)
        if names:
            shown: str = ", ".join(names[:8])
            if len(names) > 8:
                shown = Msg("{names}, … ({n} more)", names=shown, n=len(names) - 8)
            parts.append(Msg(what, names=shown))
    which = parts[0] if len(parts) == 1 else Msg("{first} and {second}", first=parts[0], second=parts[1])
    template = ("left out 1 row for {which} that the plan does not have (--strict refuses them)" if rows == 1 else
                "left out {rows} rows for {which} that the plan does not have (--strict refuses them)")
    return Msg(template, rows=rows, which=which)


def _read_csv(path: Path, ids: PlanIds, log: ProblemLog, default_unit: str | None,
              progress: Progress | None, note: Note | None) -> list[Observation]:
    label = path.name
    try:
        fmt = detect_format(path)
    except NotText as exc:
        log.report(Location(label), exc.message)
        return []
    if fmt.note and note is not None:
        note(Msg("{file}: {note}", file=label, note=fmt.note))
    rows = csv_rows(path, fmt, progress)
    checker: LongRows | None = None
    header_row = 0
    try:
        for row_no, record in rows:
            if checker is None:
                if all(is_blank(c) for c in record):
                    continue
                header_row = row_no
                columns = map_header(record, lambda col, r=row_no: Location(label, None, r, col), log,
                                     lambda i: get_column_letter(i + 1))
                if columns is None:
                    return []
                checker = LongRows(ids, columns, log, file=label, default_unit=default_unit)
                continue
            checker.read(row_no, record)
    except csv.Error as exc:
        log.report(Location(label, None, header_row or None), Msg("the file is not valid CSV ({error}); check the quotes around cells, or save it "
                                                                   "again from the spreadsheet", error=str(exc)))
        return []
    return _finish(checker, Location(label), log)


def _finish(checker: LongRows | None, where: Location, log: ProblemLog) -> list[Observation]:
    if checker is None:
        log.report(where, Msg("the file is empty; expected a header row (indicator, unit, period, value) and data rows"))
        return []
    if checker.rows_read == 0:
        log.report(where, Msg(NO_ROWS))
    return checker.observations


def _read_xlsx(path: Path, ids: PlanIds, log: ProblemLog, default_unit: str | None,
               progress: Progress | None, note: Note | None) -> list[Observation]:
    label = path.name
    try:
        book = open_workbook(path)
    except NotAWorkbook as exc:
        log.report(Location(label), exc.message)
        return []
    if META_SHEET in book.sheet_names:
        log.report(Location(label), Msg("this is a filled-in scicity template, not a long table; import it as a template "
                                         "(read_any tells the two apart)"))
        return []
    sheets = worksheets(book)
    with_data = [(name, visible) for name, visible in sheets if has_data(book.get_sheet_by_name(name))]
    if not with_data:
        log.report(Location(label), Msg("the workbook is empty; expected a sheet with a header row "
                                         "(indicator, unit, period, value) and data rows"))
        return []
    if len(with_data) > 1:
        names = join(*(repr(n) if visible else Msg("{name} (hidden)", name=repr(n)) for n, visible in with_data), sep=", ")
        log.report(Location(label), Msg("{n} sheets hold data ({names}); the long format is read from one sheet — move "
                                         "all rows onto one sheet and delete the others", n=len(with_data), names=names))
    name = with_data[0][0]
    sheet = book.get_sheet_by_name(name)
    for row, cells in merged_ranges(sheet):
        log.report(Location(label, name, row), Msg(MERGED, cells=cells))
    offset = first_column(sheet)
    total = sheet.end[0] + 1 if sheet.end is not None else 0
    checker: LongRows | None = None
    for row_no, cells in sheet_rows(sheet):
        if checker is None:
            if all(is_blank(c) for c in cells):
                continue
            columns = map_header(cells, lambda col, r=row_no: Location(label, name, r, col), log,
                                 lambda i: get_column_letter(offset + i + 1))
            if columns is None:
                return []
            checker = LongRows(ids, columns, log, file=label, sheet=name, default_unit=default_unit,
                               column_offset=offset)
            continue
        checker.read(row_no, cells)
        if progress is not None and row_no % 10_000 == 0:
            progress(row_no, total)
    if progress is not None:
        progress(total, total)
    return _finish(checker, Location(label, name), log)
