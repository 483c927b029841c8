"""The first rows of an uploaded file as a grid, with the cells a problem names marked and explained."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl.utils import get_column_letter

from scicity.i18n import tr
from scicity.ingest.problems import ImportRejected, Problem
from scicity.ingest.workbook import NotAWorkbook, open_workbook, sniff_kind

MAX_ROWS = 60
MAX_COLS = 20


@dataclass
class GridCell:
    text: str
    problem: str | None = None


@dataclass
class Grid:
    sheet: str | None
    letters: list[str]
    rows: list[tuple[int, list[GridCell]]] = field(default_factory=list)


def _letter_of(column: str | None) -> str | None:
    """'F (2021)' -> 'F'; 'C' -> 'C'; a header name -> None."""
    if not column:
        return None
    head = column.split(" ", 1)[0]
    return head if head.isalpha() and head.isupper() and len(head) <= 3 else None


def _raw_rows(path: Path, sheet: str | None) -> tuple[str | None, list[list[object]]]:
    kind = sniff_kind(path)
    if kind == "xlsx":
        try:
            book = open_workbook(path)
        except (NotAWorkbook, ImportRejected):
            return None, []
        names = [n for n in book.sheet_names if not n.startswith("_")]
        name = sheet if sheet in names else (names[0] if names else None)
        if name is None:
            return None, []
        data = book.get_sheet_by_name(name).to_python(skip_empty_area=False, nrows=MAX_ROWS)
        return name, [list(r) for r in data]
    if kind != "text":
        return None, []
    raw = path.read_bytes()[: 512 * 1024]
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        return None, []
    rows = []
    for i, row in enumerate(csv.reader(io.StringIO(text))):
        if i >= MAX_ROWS:
            break
        rows.append(list(row))
    return None, rows


def build_grid(path: Path, problems: list[Problem], lang: str = "en") -> Grid | None:
    """The grid of the sheet the first cell problem is on, or None when no problem names a cell."""
    cell_problems = [p for p in problems if p.location.row is not None]
    if not cell_problems:
        return None
    sheet, rows = _raw_rows(path, cell_problems[0].location.sheet)
    if not rows:
        return None
    header = [str(c).strip() for c in rows[0]]
    marks: dict[tuple[int, int], str] = {}
    for p in cell_problems:
        if p.location.sheet not in (None, sheet):
            continue
        col = p.location.column
        letter = _letter_of(col)
        if letter is not None:
            index = sum((ord(ch) - 64) * 26**i for i, ch in enumerate(reversed(letter))) - 1
        elif col is not None and col in header:
            index = header.index(col)
        else:
            index = -1
        key = (p.location.row, index)
        message = tr(p.message, lang)
        marks[key] = f"{marks[key]}; {message}" if key in marks else message
    width = min(MAX_COLS, max(len(r) for r in rows))
    grid = Grid(sheet, [get_column_letter(i + 1) for i in range(width)])
    for row_no, row in enumerate(rows, start=1):
        cells = []
        for i in range(width):
            value = row[i] if i < len(row) else ""
            text = "" if value is None else (str(int(value)) if isinstance(value, float) and value.is_integer() else str(value))
            cells.append(GridCell(text[:80], marks.get((row_no, i))))
        row_mark = marks.get((row_no, -1))
        if row_mark and cells:
            cells[0] = GridCell(cells[0].text, row_mark)
        grid.rows.append((row_no, cells))
    return grid
