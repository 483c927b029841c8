"""Read one kind of exchange-platform record from a CSV or XLSX file; all or nothing.

Headers may be English or Chinese (see :mod:`scicity.ingest.exchange_columns`).
Every problem names file, sheet, row and column, and any problem rejects the
whole file. Besides cell problems the reader reports: the same code twice;
the same achievement or need under two codes (titles compared after
folding traditional characters and full-width punctuation — the caller
passes ``fold``); links to records that do not exist (``known(kind, codes)``)
and patents the patent registry lacks (``known_patents(numbers)``).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from scicity.domain.message import Msg
from scicity.domain.exchange import RECORD_TYPES, ExchangeKind, ExchangeRecord
from scicity.ingest.schema_words import schema_message
from scicity.ingest.csv_text import NotText, csv_rows, detect_format
from scicity.ingest.exchange_columns import COLUMNS, header_index, required_fields
from scicity.ingest.long_rows import rejection
from scicity.ingest.problems import NO_ROWS, XLS, Location, ProblemLog
from scicity.ingest.registry_cells import parse_date
from scicity.ingest.registry_columns import DATE, Column, fold
from scicity.ingest.cells import CellRejected, CellValue, is_blank
from scicity.ingest.workbook import NotAWorkbook, has_data, open_workbook, sheet_rows, sniff_kind, worksheets

Known = Callable[[str, set[str]], set[str]]
KnownPatents = Callable[[set[str]], set[str]]
#: (field of this kind, kind it refers to)
LINKS: dict[ExchangeKind, tuple[tuple[str, ExchangeKind], ...]] = {
    ExchangeKind.BOOKINGS: (("facility", ExchangeKind.FACILITIES),),
    ExchangeKind.DEALS: (("need", ExchangeKind.NEEDS), ("achievement", ExchangeKind.ACHIEVEMENTS)),
}
TITLED = {ExchangeKind.ACHIEVEMENTS: "owner", ExchangeKind.NEEDS: "enterprise"}
_MISSING = object()
CSV_FIELD_LIMIT = 64 * 1024 * 1024


@dataclass(frozen=True)
class ExchangeFile:
    kind: ExchangeKind
    records: list[ExchangeRecord]
    rows: int


def read_exchange(path: Path, kind: ExchangeKind | str, *, known: Known | None = None,
                  known_patents: KnownPatents | None = None,
                  fold_text: Callable[[str], str] = lambda s: s.casefold()) -> ExchangeFile:
    """Every record of ``path``, or :class:`~scicity.ingest.problems.ImportRejected` naming each problem."""
    path, kind = Path(path), ExchangeKind(kind)
    log = ProblemLog(str(path))
    reader = _Rows(kind, log, path.name, fold_text)
    file_kind = sniff_kind(path)
    if file_kind == "xls":
        log.report(Location(path.name), Msg(XLS))
    elif file_kind == "xlsx":
        _read_xlsx(path, reader, log)
    else:
        _read_csv(path, reader, log)
    if not log:
        if reader.columns is None:
            log.report(Location(path.name), Msg("the file is empty; expected a header row ({required}, …) and data rows",
                                                 required=", ".join(required_fields(kind))))
        elif reader.rows == 0:
            log.report(Location(path.name, reader.sheet), Msg(NO_ROWS))
    if reader.columns is not None:
        reader.check_links(known, known_patents)
    log.raise_if_any()
    return ExchangeFile(kind, reader.records, reader.rows)


def _read_csv(path: Path, reader: _Rows, log: ProblemLog) -> None:
    try:
        fmt = detect_format(path)
    except NotText as exc:
        log.report(Location(path.name), exc.message)
        return
    last = 0
    # a 1 MB description must reach the record's own check (a clear message), not csv's field limit
    csv.field_size_limit(max(csv.field_size_limit(), CSV_FIELD_LIMIT))
    try:
        for row_no, record in csv_rows(path, fmt):
            last = row_no
            if not reader.feed(row_no, record):
                return
    except csv.Error as exc:
        log.report(Location(path.name, None, last + 1), Msg("the file is not valid CSV ({error}); check the quotes around cells, "
                                                                "or save it again from the spreadsheet", error=str(exc)))


def _read_xlsx(path: Path, reader: _Rows, log: ProblemLog) -> None:
    try:
        book = open_workbook(path)
    except NotAWorkbook as exc:
        log.report(Location(path.name), exc.message)
        return
    with_data = [name for name, _ in worksheets(book) if has_data(book.get_sheet_by_name(name))]
    if not with_data:
        log.report(Location(path.name), Msg("the workbook is empty; expected a sheet with a header row and data rows"))
        return
    if len(with_data) > 1:
        named = [n for n in with_data if fold(n) == reader.kind.value]
        if not named:
            log.report(Location(path.name), Msg("{n} sheets hold data ({names}); put the {kind} on one sheet, or name their sheet {quoted}",
                                                 n=len(with_data), names=", ".join(map(repr, with_data)),
                                                 kind=reader.kind.value, quoted=repr(reader.kind.value)))
            return
        with_data = named
    sheet = book.get_sheet_by_name(with_data[0])
    reader.sheet, reader.typed = with_data[0], True
    for row_no, cells in sheet_rows(sheet):
        if not reader.feed(row_no, cells):
            return


class _Rows:
    def __init__(self, kind: ExchangeKind, log: ProblemLog, file: str, fold_text: Callable[[str], str]) -> None:
        self.kind, self.log, self.file, self.fold_text = kind, log, file, fold_text
        self.sheet: str | None = None
        self.typed = False
        self.columns: list[tuple[int, Column]] | None = None
        self.written: dict[str, str] = {}
        self.records: list[ExchangeRecord] = []
        self.rows = 0
        self.model = RECORD_TYPES[kind]
        self._codes: dict[str, int] = {}
        self._titles: dict[tuple[str, str], int] = {}
        self._links: dict[str, dict[str, int]] = {}
        self._patents: dict[str, int] = {}

    def where(self, row: int | None, field: str | None = None) -> Location:
        return Location(self.file, self.sheet, row, self.written.get(field, field) if field else None)

    def feed(self, row_no: int, cells: Sequence[CellValue]) -> bool:
        if all(is_blank(c) for c in cells):
            return True
        if self.columns is None:
            return self._header(row_no, cells)
        self._row(row_no, cells)
        return True

    def _header(self, row_no: int, cells: Sequence[CellValue]) -> bool:
        index = header_index(self.kind)
        columns: list[tuple[int, Column]] = []
        fatal = False
        for i, cell in enumerate(cells):
            if is_blank(cell):
                continue
            written = str(cell).strip()
            col = index.get(fold(cell))
            where = Location(self.file, self.sheet, row_no, written)
            if col is None:
                accepted = ", ".join(h for c in COLUMNS[self.kind] for h in c.headers)
                self.log.report(where, Msg("unknown column {written} for {kind}; the accepted headers are {accepted} — delete or rename it",
                                    written=repr(written), kind=self.kind.value, accepted=accepted), written, "header")
            elif col.field in self.written:
                fatal = True
                self.log.report(where, Msg("the {field} column appears twice (also {other}); keep one", field=repr(col.field),
                                    other=repr(self.written[col.field])), written, "header")
            else:
                self.written[col.field] = written
                columns.append((i, col))
        for col in COLUMNS[self.kind]:
            if col.required and col.field not in self.written:
                fatal = True
                self.log.report(Location(self.file, self.sheet, row_no), Msg("required column {field} is missing; a {kind} file needs {required}",
                                    field=repr(col.field), kind=self.kind.value,
                                    required=", ".join(required_fields(self.kind))))
        self.columns = columns
        return not fatal

    def _row(self, row_no: int, cells: Sequence[CellValue]) -> None:
        self.rows += 1
        values: dict[str, Any] = {}
        ok = True
        for i, col in self.columns or ():
            raw = cells[i] if i < len(cells) else None
            value = self._parse(row_no, col, raw)
            if value is _MISSING:
                ok = False
            elif value is None and col.required:
                ok = False
                self.log.report(self.where(row_no, col.field), Msg("{field} is empty; every row needs it", field=col.field), None,
                                col.field)
            elif value is not None:
                values[col.field] = value
        code = values.get("code")
        if code is not None:
            first = self._codes.setdefault(code, row_no)
            if first != row_no:
                self.log.report(self.where(row_no, "code"), Msg("code {code} is also on row {first}; keep one of the two rows",
                                                              code=code, first=first), code, "code")
        if not ok:
            return
        try:
            record = self.model(**values)
        except ValidationError as exc:
            for err in exc.errors():
                field = str(err["loc"][0]) if err["loc"] else None
                self.log.report(self.where(row_no, field), schema_message(err), None, field)
            return
        for field, message in record.problems():
            self.log.report(self.where(row_no, field), message, None, field)
        self._remember(row_no, record)
        if self.log:
            self.records.clear()
        else:
            self.records.append(record)

    def _remember(self, row_no: int, record: ExchangeRecord) -> None:
        owner_field = TITLED.get(self.kind)
        if owner_field is not None:
            title = getattr(record, "title_zh") or getattr(record, "title_en") or ""
            key = (getattr(record, owner_field), self.fold_text(" ".join(title.split())))
            first = self._titles.setdefault(key, row_no)
            if first != row_no:
                self.log.report(self.where(row_no, "title_zh" if record.title_zh else "title_en"),  # type: ignore[attr-defined]
                                Msg("the same title from the same {owner} as row {first} (after folding traditional characters and "
                                    "full-width punctuation); is it a duplicate?", owner=owner_field, first=first))
        for field, _kind in LINKS.get(self.kind, ()):
            value = getattr(record, field)
            if value is not None:
                self._links.setdefault(field, {}).setdefault(value, row_no)
        for number in getattr(record, "patents", ()):
            self._patents.setdefault(number, row_no)

    def _parse(self, row_no: int, col: Column, raw: CellValue) -> Any:
        try:
            if col.parse == DATE:
                return parse_date(raw, typed_numbers=self.typed)[0]
            return col.parse(raw)  # type: ignore[operator]
        except CellRejected as exc:
            self.log.report(self.where(row_no, col.field), rejection(raw, exc), raw, col.field)
            return _MISSING

    def check_links(self, known: Known | None, known_patents: KnownPatents | None) -> None:
        if known is not None:
            for field, kind in LINKS.get(self.kind, ()):
                refs = self._links.get(field, {})
                for code in sorted(set(refs) - known(kind.value, set(refs)), key=refs.__getitem__):
                    self.log.report(self.where(refs[code], field), Msg("no {kind} with code {code}; import the {kinds} first",
                                                                    kind=kind.value[:-1], code=code, kinds=kind.value),
                                    code, field)
        if known_patents is not None and self._patents:
            for number in sorted(set(self._patents) - known_patents(set(self._patents)), key=self._patents.__getitem__):
                self.log.report(self.where(self._patents[number], "patents"), Msg("patent {number} is not in the patent registry; import it with "
                                "'scicity registry import patents' first, or correct the number", number=number),
                                number, "patents")
