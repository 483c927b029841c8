"""Read a filled-in template back into observations (python-calamine).

Empty cells are no observation. Every other value cell is parsed as strictly
as in the long format; problems name the sheet, the row, and the column as
its letter with the year (``column 'F (2023)'``). A value typed into a
computed (grey) row, an unknown or repeated id, a sheet that is not part of
the template, merged cells, or a template made for another plan or unit are
problems too. Nothing is returned unless the whole file is clean.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl.utils import get_column_letter
from python_calamine import CalamineSheet, CalamineWorkbook

from scicity.domain.message import Msg
from scicity.domain.observation import Observation
from scicity.domain.plan import Plan
from scicity.ingest.long_rows import PlanIds, id_text, rejection
from scicity.ingest.problems import Location, ProblemLog
from scicity.ingest.template_layout import (
    DESCRIPTIVE,
    ID_HEADER,
    ID_HEADERS,
    MARKER,
    META_SHEET,
    README_TITLE,
    SOURCE_HEADER,
    SOURCE_HEADERS,
    VERSION,
)
from scicity.ingest.cells import CellRejected, CellValue, is_blank, parse_period, parse_source, parse_value
from scicity.ingest.workbook import NotAWorkbook, first_column, has_data, merged_ranges, open_workbook, sheet_rows


@dataclass
class _Header:
    id_col: int | None = None
    source_col: int | None = None
    years: dict[int, int] = field(default_factory=dict)  # position -> year
    unnamed: list[int] = field(default_factory=list)


def read_template(path: Path, plan: Plan, *, unit: str | None = None) -> list[Observation]:
    """The observations typed into a template, or :class:`ImportRejected` naming each problem.

    ``unit`` (optional) must be the geographic unit the template was made for.
    """
    path = Path(path)
    log = ProblemLog(str(path))
    observations = _read(path, plan, unit, log)
    log.raise_if_any()
    return observations


def _read(path: Path, plan: Plan, unit: str | None, log: ProblemLog) -> list[Observation]:
    label = path.name
    try:
        book = open_workbook(path)
    except NotAWorkbook as exc:
        log.report(Location(label), exc.message)
        return []
    meta = read_meta(book)
    if meta is None:
        log.report(Location(label), Msg("this is not a scicity template (its hidden sheet {sheet} is missing); "
                                         "import it as a long table or fill in a newly generated template",
                                         sheet=repr(META_SHEET)))
        return []
    made_for = _check_meta(meta, plan, unit, log, label)
    names = [v for k, v in meta.items if k == "sheet"]
    present = set(book.sheet_names)
    for name in names:
        if name not in present:
            log.report(Location(label, name), Msg("this sheet of the template is missing (renamed or deleted?); "
                                                   "restore its name or fill in a new template"))
    readme = set(README_TITLE.values())
    for extra in book.sheet_names:
        if extra in names or extra in readme or extra == META_SHEET:
            continue
        if has_data(book.get_sheet_by_name(extra)):
            log.report(Location(label, extra), Msg("this sheet is not part of the template and would not be imported; "
                                                    "move its figures into the template's sheets and delete it"))
    reader = _SheetReader(PlanIds(plan), plan, log, label, made_for or plan.geography.id)
    for name in names:
        if name in present:
            reader.read(book.get_sheet_by_name(name))
    return reader.observations


@dataclass
class Meta:
    """Key/value rows of the hidden sheet (``sheet`` repeats, once per data sheet)."""

    items: list[tuple[str, str]]

    def get(self, key: str) -> str | None:
        return next((v for k, v in self.items if k == key), None)


def read_meta(book: CalamineWorkbook) -> Meta | None:
    """The template's hidden metadata, or None when the workbook is not a template."""
    if META_SHEET not in book.sheet_names:
        return None
    rows = [r for _, r in sheet_rows(book.get_sheet_by_name(META_SHEET))]
    if not rows or not rows[0] or rows[0][0] != MARKER:
        return None
    items = [(str(r[0]), _text(r[1])) for r in rows if len(r) >= 2 and not is_blank(r[0])]
    return Meta(items)


def _text(cell: CellValue) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _check_meta(meta: Meta, plan: Plan, unit: str | None, log: ProblemLog, label: str) -> str | None:
    version = meta.get(MARKER) or "0"
    if not version.isdigit() or int(version) > VERSION:
        log.report(Location(label), Msg("the template has format version {version}, newer than this scicity reads "
                                         "({reads}); update scicity or generate a new template",
                                         version=version, reads=VERSION))
    if meta.get("plan") != plan.id:
        log.report(Location(label), Msg("the template was made for plan {made}, not {plan}; generate a template for this plan",
                                         made=repr(meta.get("plan")), plan=repr(plan.id)))
    made_for = meta.get("unit")
    if made_for not in plan.geo_units():
        log.report(Location(label), Msg("the template's geographic unit {unit} is not in the plan", unit=repr(made_for)))
        return None
    if unit is not None and id_text(unit) != made_for:
        log.report(Location(label), Msg("the template was made for geographic unit {made}, not {unit}; "
                                         "generate a template for that unit", made=repr(made_for), unit=repr(unit)))
    return made_for


class _SheetReader:
    def __init__(self, ids: PlanIds, plan: Plan, log: ProblemLog, label: str, unit: str) -> None:
        self.ids, self.log, self.label, self.unit = ids, log, label, unit
        self.formulas = {i.id: i.formula for i in plan.indicators if i.formula}
        self.observations: list[Observation] = []
        self._seen: dict[str, tuple[str, int]] = {}

    def read(self, sheet: CalamineSheet) -> None:
        name = sheet.name
        for row, cells in merged_ranges(sheet):
            self.log.report(Location(self.label, name, row), Msg("merged cells {cells}; unmerge them", cells=cells))
        offset = first_column(sheet)

        def letter(i: int) -> str:
            return get_column_letter(offset + i + 1)

        header: _Header | None = None
        for row_no, cells in sheet_rows(sheet):
            if header is None:
                if all(is_blank(c) for c in cells):
                    continue
                header = self._header(name, row_no, cells, letter)
                if header is None:
                    return
                continue
            self._row(name, row_no, cells, header, letter)

    def _header(self, sheet: str, row_no: int, cells: list[CellValue], letter: Callable[[int], str]) -> _Header | None:
        out = _Header()
        for i, cell in enumerate(cells):
            text = _text(cell) if not is_blank(cell) else ""
            where = Location(self.label, sheet, row_no, letter(i))
            if not text:
                out.unnamed.append(i)
            elif text.lower() in ID_HEADERS:
                out.id_col = i
            elif text.lower() in SOURCE_HEADERS:
                out.source_col = i
            elif text.lower() in DESCRIPTIVE:
                continue
            else:
                try:
                    year = parse_period(cell)
                except CellRejected as exc:
                    self.log.report(where, Msg("unknown column header — {reason}", reason=rejection(cell, exc)), cell,
                                    "header")
                    continue
                if year in out.years.values():
                    self.log.report(where, Msg("year {year} appears twice in the header; keep one column", year=year), cell,
                                    "header")
                out.years[i] = year
        if out.id_col is None:
            self.log.report(Location(self.label, sheet, row_no), Msg("the {id} column is missing; the template's rows are matched by their id in column A — fill in a new "
                                "template", id=repr(ID_HEADER)))
            return None
        return out

    def _row(self, sheet: str, row_no: int, cells: list[CellValue], header: _Header, letter: Callable[[int], str]) -> None:
        def where(i: int, what: str | None = None) -> Location:
            return Location(self.label, sheet, row_no, f"{letter(i)} ({what})" if what else letter(i))

        filled = [i for i in (*header.years, *header.unnamed) if i < len(cells) and not is_blank(cells[i])]
        raw_id = cells[header.id_col] if header.id_col is not None and header.id_col < len(cells) else None
        if is_blank(raw_id):
            if filled:
                self.log.report(where(filled[0]), Msg("values in a row without an id in column A; move them to the row of their indicator"))
            return
        text = id_text(raw_id)
        id_ = self.ids.indicator(text)
        if id_ is None:
            self.log.report(where(header.id_col or 0, ID_HEADER), self.ids.unknown_indicator(text), raw_id, "indicator")
            return
        first = self._seen.setdefault(id_, (sheet, row_no))
        if first != (sheet, row_no):
            self.log.report(where(header.id_col or 0, ID_HEADER), Msg("{id} also has a row in sheet {sheet}, row {row}; keep one of the two rows", id=repr(id_),
                                sheet=repr(first[0]), row=first[1]), raw_id, "indicator")
            return
        for i in header.unnamed:
            if i in filled:
                self.log.report(where(i), Msg("a value in a column without a header; delete it or move it under a year"),
                                cells[i])
        if id_ in self.formulas:
            for i in header.years:
                if i in filled:
                    self.log.report(where(i, str(header.years[i])), Msg("{id} is computed from {formula} and cannot be entered; delete the value",
                                        id=repr(id_), formula=self.formulas[id_]), cells[i], "value")
            return
        source = self._source(cells, header, where)
        for i, year in header.years.items():
            if i not in filled:
                continue
            try:
                value = parse_value(cells[i], indicator=id_, non_negative=id_ in self.ids.non_negative,
                                    measure=self.ids.measures[id_])
            except CellRejected as exc:
                self.log.report(where(i, str(year)), rejection(cells[i], exc), cells[i], "value")
                continue
            if not self.log:
                self.observations.append(Observation(id_, self.unit, year, value, source=source))

    def _source(self, cells: list[CellValue], header: _Header, where: Callable[[int, str | None], Location]) -> str | None:
        i = header.source_col
        if i is None or i >= len(cells):
            return None
        try:
            return parse_source(cells[i])
        except CellRejected as exc:
            self.log.report(where(i, SOURCE_HEADER), rejection(cells[i], exc), cells[i], "source")
            return None
