"""Read one registry from a CSV or XLSX file, checking every cell; all or nothing.

One kind of record per file (institutions, enterprises, certifications,
financials, talent or patents), one record per row, the header in the first
non-empty row. Every problem is reported with file, sheet, row and column
(see :mod:`scicity.ingest.problems`), and any problem rejects the whole file.
Certifications and financials must name enterprises that are in the registry:
the caller passes ``known_enterprises``, which says which credit codes are.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from dataclasses import fields as record_fields
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from scicity.domain.message import Msg
from scicity.domain.plan import Plan
from scicity.domain.registries import OF_ENTERPRISE, RECORD_TYPES, Record, RegistryKind, default_valid_to
from scicity.ingest.csv_text import NotText, csv_rows, detect_format
from scicity.ingest.long_rows import PlanIds, id_text, rejection
from scicity.ingest.problems import NO_ROWS, XLS, Location, ProblemLog
from scicity.ingest.registry_columns import COLUMNS, DATE, Column, fold, header_index
from scicity.ingest.registry_cells import parse_date
from scicity.ingest.cells import CellRejected, CellValue, is_blank
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

KnownEnterprises = Callable[[set[str]], set[str]]
#: the records a registry already holds for some natural keys (a file that carries some columns only changes those)
StoredRecords = Callable[[RegistryKind, list[tuple[Any, ...]]], dict[tuple[Any, ...], Record]]
Progress = Callable[[int, int], None]
NOUN = {
    RegistryKind.INSTITUTIONS: "institution", RegistryKind.ENTERPRISES: "enterprise",
    RegistryKind.CERTIFICATIONS: "certification", RegistryKind.FINANCIALS: "enterprise and year",
    RegistryKind.TALENT: "person and tier", RegistryKind.PATENTS: "patent",
}
NAMED = {RegistryKind.INSTITUTIONS, RegistryKind.ENTERPRISES}
_CACHE_LIMIT = 10_000
_MISSING = object()


@dataclass(frozen=True)
class RegistryFile:
    """The records of a file, which fields its columns carry, and how many data rows it had."""

    kind: RegistryKind
    records: list[Record]
    fields: frozenset[str]
    rows: int
    normalised_dates: int = 0


def read_registry(path: Path, kind: RegistryKind | str, plan: Plan, *,
                  known_enterprises: KnownEnterprises | None = None, progress: Progress | None = None,
                  note: Callable[[str], None] | None = None, stored: StoredRecords | None = None) -> RegistryFile:
    """Every record of ``path``, or :class:`ImportRejected` naming each problem (nothing is half-read).

    ``stored``: with it, a file that leaves some columns out is checked as the registry will hold it — its
    cells over the stored records — so that R&D written alone cannot end above the sales already stored."""
    path, kind = Path(path), RegistryKind(kind)
    log = ProblemLog(str(path))
    label = path.name
    file_kind = sniff_kind(path)
    reader = _Rows(kind, PlanIds(plan), log, label)
    if file_kind == "xls":
        log.report(Location(label), Msg(XLS))
    elif file_kind == "xlsx":
        _read_xlsx(path, reader, log, progress)
    else:
        _read_csv(path, reader, log, progress, note)
    if not log:
        if reader.columns is None:
            log.report(Location(label), Msg("the file is empty; expected a header row ({required}, …) and data rows",
                                             required=_required(kind)))
        elif reader.rows == 0:
            log.report(Location(label, reader.sheet), Msg(NO_ROWS))
    reader.check_enterprises(known_enterprises)
    if not log:
        reader.check_with_stored(stored)
    log.raise_if_any()
    if reader.normalised and note is not None:
        note(Msg("{file}: {n} date(s) written as 2023/5/1, 2023年5月1日 or 20230501 were read as year-month-day",
                 file=label, n=reader.normalised))
    fields = frozenset(c.field for _, c, _ in reader.columns or ())
    return RegistryFile(kind, reader.records, fields, reader.rows, reader.normalised)


def _required(kind: RegistryKind) -> str:
    return ", ".join(c.field for c in COLUMNS[kind] if c.required)


def _read_csv(path: Path, reader: _Rows, log: ProblemLog, progress: Progress | None,
              note: Callable[[str], None] | None) -> None:
    try:
        fmt = detect_format(path)
    except NotText as exc:
        log.report(Location(path.name), exc.message)
        return
    if fmt.note and note is not None:
        note(Msg("{file}: {note}", file=path.name, note=fmt.note))
    last = 0
    try:
        for row_no, record in csv_rows(path, fmt, progress):
            last = row_no
            if not reader.feed(row_no, record):
                return
    except csv.Error as exc:
        log.report(Location(path.name, None, last + 1), Msg("the file is not valid CSV ({error}); check the quotes around cells, "
                                                            "or save it again from the spreadsheet", error=str(exc)))


def _read_xlsx(path: Path, reader: _Rows, log: ProblemLog, progress: Progress | None) -> None:
    label = path.name
    try:
        book = open_workbook(path)
    except NotAWorkbook as exc:
        log.report(Location(label), exc.message)
        return
    with_data = [name for name, _ in worksheets(book) if has_data(book.get_sheet_by_name(name))]
    if not with_data:
        log.report(Location(label), Msg("the workbook is empty; expected a sheet with a header row and data rows"))
        return
    if len(with_data) > 1:
        named = [n for n in with_data if fold(n) == reader.kind.value]
        if not named:
            log.report(Location(label), Msg("{n} sheets hold data ({names}); put the {kind} on one sheet, or name their sheet {quoted}",
                                             n=len(with_data), names=", ".join(map(repr, with_data)),
                                             kind=reader.kind.value, quoted=repr(reader.kind.value)))
            return
        with_data = named
    name = with_data[0]
    sheet = book.get_sheet_by_name(name)
    reader.sheet, reader.typed, reader.offset = name, True, first_column(sheet)
    for row, cells in merged_ranges(sheet):
        log.report(Location(label, name, row), Msg("merged cells {cells}; unmerge them and write the value in every row", cells=cells))
    total = sheet.end[0] + 1 if sheet.end is not None else 0
    for row_no, cells in sheet_rows(sheet):
        if not reader.feed(row_no, cells):
            return
        if progress is not None and row_no % 10_000 == 0:
            progress(row_no, total)


class _Rows:
    """Reads the header, then checks rows one by one; keeps records while the file has no problem."""

    def __init__(self, kind: RegistryKind, ids: PlanIds, log: ProblemLog, file: str) -> None:
        self.kind, self.ids, self.log, self.file = kind, ids, log, file
        self.sheet: str | None = None
        self.typed = False
        self.offset = 0
        self.columns: list[tuple[int, Column, str]] | None = None
        self.by_field: dict[str, str] = {}
        self.records: list[Record] = []
        self.rows = 0
        self.normalised = 0
        self.record_type = RECORD_TYPES[kind]
        self._seen: dict[tuple[Any, ...], int] = {}
        self._refs: dict[str, list[int]] = {}
        self._cache: dict[str, dict[Any, Any]] = {}
        self._unknown: set[int] = set()  # columns with a header that is not known (reported once, at the header)
        self._rows_of: list[int] = []  # the row of each record

    def where(self, row: int | None, field: str | None = None) -> Location:
        return Location(self.file, self.sheet, row, self.by_field.get(field, field) if field else None)

    def feed(self, row_no: int, cells: Sequence[CellValue]) -> bool:
        """Take one row; False when reading must stop (a header that cannot be read)."""
        if all(is_blank(c) for c in cells):
            return True
        if self.columns is None:
            return self._header(row_no, cells)
        self._row(row_no, cells)
        return True

    def _header(self, row_no: int, cells: Sequence[CellValue]) -> bool:
        index = header_index(self.kind)
        columns: list[tuple[int, Column, str]] = []
        fatal = False
        for i, cell in enumerate(cells):
            if is_blank(cell):
                continue
            written = str(cell).strip()
            where = Location(self.file, self.sheet, row_no, written)
            col = index.get(fold(cell))
            if col is None:
                self._unknown.add(i)
                accepted = ", ".join(h for c in COLUMNS[self.kind] for h in c.headers)
                self.log.report(where, Msg("unknown column {written} for {kind}; the accepted headers are {accepted} — delete or rename it",
                                    written=repr(written), kind=self.kind.value, accepted=accepted), written, "header")
            elif col.field in self.by_field:
                fatal = True
                self.log.report(where, Msg("the {field} column appears twice (also {other}); keep one", field=repr(col.field),
                                    other=repr(self.by_field[col.field])), written, "header")
            else:
                self.by_field[col.field] = written
                columns.append((i, col, written))
        for col in COLUMNS[self.kind]:
            if col.required and col.field not in self.by_field:
                fatal = True
                self.log.report(Location(self.file, self.sheet, row_no), Msg("required column {field} is missing; a {kind} file needs {required}",
                                    field=repr(col.field), kind=self.kind.value, required=_required(self.kind)),
                                None, "header")
        if self.kind in NAMED and not ({"name_en", "name_zh"} & set(self.by_field)):
            fatal = True
            self.log.report(Location(self.file, self.sheet, row_no), Msg("a name column is missing: add name_zh or name_en (or both)"),
                            None, "header")
        self.columns = columns
        return not fatal

    def _row(self, row_no: int, cells: Sequence[CellValue]) -> None:
        self.rows += 1
        values: dict[str, Any] = {}
        ok = True
        named = {i for i, _, _ in self.columns or ()}
        for i, cell in enumerate(cells):
            if i not in named and i not in self._unknown and not is_blank(cell):
                ok = False
                self.log.report(Location(self.file, self.sheet, row_no, get_column_letter(self.offset + i + 1)),
                                Msg("a value in a column without a header; add the header or delete the value"),
                                _text(cell))
        for i, col, _written in self.columns or ():
            raw = cells[i] if i < len(cells) else None
            value = self._parse(row_no, col, raw)
            if value is _MISSING:
                ok = False
            elif value is None and col.required:
                ok = False
                self.log.report(self.where(row_no, col.field), Msg("{field} is empty; every {noun} record needs it", field=col.field,
                                    noun=Msg(NOUN[self.kind])), None, col.field)
            elif value is not None:
                values[col.field] = value
        key_fields = self.record_type.KEY
        if all(k in values for k in key_fields):
            key = tuple(values[k] for k in key_fields)
            first = self._seen.setdefault(key, row_no)
            if first != row_no:
                shown = ", ".join(f"{k} {_text(values[k])}" for k in key_fields)
                self.log.report(self.where(row_no), Msg("the same {noun} ({shown}) as row {first}; keep one of the two rows",
                                                        noun=Msg(NOUN[self.kind]), shown=shown, first=first))
        if self.kind in OF_ENTERPRISE and "credit_code" in values:
            rows = self._refs.setdefault(values["credit_code"], [])
            if len(rows) < 4:
                rows.append(row_no)
        if not ok:
            return
        if self.kind is RegistryKind.CERTIFICATIONS and "valid_to" not in values:
            values["valid_to"] = default_valid_to(values["kind"], values["valid_from"])
        record = self.record_type(**values)
        for field, message in record.problems():
            self.log.report(self.where(row_no, field), message, None, field)
        founded = getattr(record, "founded_on", None)
        if founded is not None and founded > date.today():
            self.log.report(self.where(row_no, "founded_on"), Msg("founded_on {date} is in the future; write the date the enterprise "
                                                                      "was registered", date=founded.isoformat()),
                            founded.isoformat(), "founded_on")
        if self.log:
            self.records.clear()
        else:
            self.records.append(record)
            self._rows_of.append(row_no)

    def _parse(self, row_no: int, col: Column, raw: CellValue) -> Any:
        cache = self._cache.setdefault(col.field, {})
        hashable = not isinstance(raw, bool)
        if hashable and raw in cache:
            return cache[raw]
        try:
            if col.parse == DATE:
                value, normalised = parse_date(raw, typed_numbers=self.typed)
                self.normalised += normalised
            else:
                value = col.parse(raw)  # type: ignore[operator]
                if col.field == "unit" and value is not None:
                    value = self._unit(value)
        except CellRejected as exc:
            message = exc.args[0] if isinstance(exc, _Unknown) else rejection(raw, exc)
            self.log.report(self.where(row_no, col.field), message, raw, col.field)
            return _MISSING
        if hashable and len(cache) < _CACHE_LIMIT and not (col.parse == DATE and normalised):
            cache[raw] = value
        return value

    def _unit(self, text: str) -> str:
        found = self.ids.unit(id_text(text))
        if found is None:
            raise _Unknown(self.ids.unknown_unit(id_text(text)))
        return found

    def check_with_stored(self, stored: StoredRecords | None) -> None:
        """The cross-field rules on each record as it will be stored: the file's columns over the stored record."""
        given = {c.field for _, c, _ in self.columns or ()}
        absent = {f.name for f in record_fields(self.record_type)} - given
        if stored is None or not self.records or not absent:
            return
        key_fields = self.record_type.KEY
        found = stored(self.kind, [tuple(getattr(r, k) for k in key_fields) for r in self.records])
        for record, row_no in zip(self.records, self._rows_of, strict=True):
            old = found.get(tuple(getattr(record, k) for k in key_fields))
            if old is None:
                continue
            merged = replace(old, **{f: getattr(record, f) for f in given})
            own = {field for field, _ in record.problems()}
            for field, message in merged.problems():
                if field in own:
                    continue
                changed = [f for f in sorted(given - set(key_fields)) if getattr(old, f) != getattr(record, f)]
                shown = field if field in given else (changed[0] if changed else field)
                self.log.report(self.where(row_no, shown), Msg(
                    "{problem} — with the figures the registry already holds for this {noun} (a file without a "
                    "column leaves it as it is); correct both in one file", problem=message, noun=Msg(NOUN[self.kind])),
                    None, shown)
        if self.log:
            self.records.clear()

    def check_enterprises(self, known: KnownEnterprises | None) -> None:
        if known is None or not self._refs or self.columns is None:
            return
        missing = set(self._refs) - known(set(self._refs))
        for code in sorted(missing, key=lambda c: self._refs[c][0]):
            first, *more = self._refs[code]
            rows = ", ".join(map(str, more)) + (", …" if len(more) == 3 else "")
            message = ("no enterprise with credit code {code} in the registry (also rows {rows}); import it first with "
                       "'scicity registry import enterprises'" if len(more) > 1 else
                       "no enterprise with credit code {code} in the registry (also row {rows}); import it first with "
                       "'scicity registry import enterprises'" if more else
                       "no enterprise with credit code {code} in the registry; import it first with "
                       "'scicity registry import enterprises'")
            self.log.report(self.where(first, "credit_code"), Msg(message, code=code, rows=rows), code, "credit_code")


class _Unknown(CellRejected):
    """A unit the plan does not know; the message is complete as it is."""


def _text(value: Any) -> str:
    return str(getattr(value, "value", value))
