"""The header of a long table: which column holds which field.

Headers are matched case-insensitively after trimming spaces; full-width
letters count as their ASCII forms. English and Chinese names are accepted:

=========  ======================  =========
field      accepted headers        required
=========  ======================  =========
indicator  indicator, 指标          yes
unit       unit, 单位, 地区         yes (cells may be empty)
period     period, year, 年份       yes
value      value, 数值              yes
source     source, 来源             no
vintage    vintage, 版本            no
=========  ======================  =========

``unit`` (单位) is the *geographic* unit the figure is about (an id of the
plan's geography, e.g. ``wcsc``); the unit of measure is fixed by the plan.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from scicity.domain.message import Msg
from scicity.ingest.problems import Location, ProblemLog
from scicity.ingest.cells import CellValue, is_blank, narrow

FIELDS = ("indicator", "unit", "period", "value", "source", "vintage")
REQUIRED = ("indicator", "unit", "period", "value")
HEADERS: dict[str, str] = {
    "indicator": "indicator",
    "指标": "indicator",
    "unit": "unit",
    "单位": "unit",
    "地区": "unit",
    "period": "period",
    "year": "period",
    "年份": "period",
    "value": "value",
    "数值": "value",
    "source": "source",
    "来源": "source",
    "vintage": "vintage",
    "版本": "vintage",
}
_SET_ON_IMPORT = {"status", "revision", "状态", "修订"}


def field_of(header: CellValue) -> str | None:
    """The field a header names, or None."""
    if not isinstance(header, str):
        return None
    return HEADERS.get(narrow(header).strip().lower())


@dataclass(frozen=True)
class ColumnMap:
    """Positions of the fields in a row, the headers as written, and columns without a header."""

    index: dict[str, int]
    names: dict[str, str]
    unnamed: tuple[int, ...]
    #: cells in the header row; any value right of it is in a column without a header
    width: int = 0

    def cell(self, row: Sequence[CellValue], name: str) -> CellValue:
        i = self.index.get(name)
        return row[i] if i is not None and i < len(row) else None


def map_header(
    header: Sequence[CellValue],
    where: Callable[[str | None], Location],
    log: ProblemLog,
    letter: Callable[[int], str],
) -> ColumnMap | None:
    """Read a header row; report missing, repeated and unknown columns.

    Returns None when the rows cannot be read (a required column is missing
    or a field appears twice); unknown columns are reported and skipped so
    that the rows' problems are found too.
    """
    index: dict[str, int] = {}
    names: dict[str, str] = {}
    unnamed: list[int] = []
    fatal = False
    for i, cell in enumerate(header):
        if is_blank(cell):
            unnamed.append(i)
            continue
        written = str(cell).strip()
        name = field_of(cell)
        if name is None:
            log.report(where(written), _unknown_column_message(written), written, "header")
        elif name in index:
            fatal = True
            log.report(where(written), Msg("the {name} column appears twice (also in column {letter} {other}); keep one",
                                           name=repr(name), letter=letter(index[name]), other=repr(names[name])),
                       written, "header")
        else:
            index[name] = i
            names[name] = written
    for name in REQUIRED:
        if name not in index:
            fatal = True
            message = ("required column {name} is missing (it may be left empty for the whole zone); the header "
                       "must name {required} and may add source, vintage") if name == "unit" else (
                       "required column {name} is missing; the header must name {required} and may add source, vintage")
            log.report(where(None), Msg(message, name=repr(name), required=", ".join(REQUIRED)), None, "header")
    if fatal:
        return None
    return ColumnMap(index, names, tuple(unnamed), len(header))


def _unknown_column_message(written: str) -> str:
    if narrow(written).strip().lower() in _SET_ON_IMPORT:
        return Msg("column {written} is set by scicity when data is imported, not read from files; delete the column",
                   written=repr(written))
    accepted = ", ".join(sorted(HEADERS, key=lambda h: (FIELDS.index(HEADERS[h]), h)))
    return Msg("unknown column {written}; the accepted headers are {accepted} — delete or rename it",
               written=repr(written), accepted=accepted)
