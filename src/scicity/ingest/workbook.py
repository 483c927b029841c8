"""XLSX workbooks read with python-calamine: sheets, rows and merged cells.

python-calamine is fast but shows typed values only: numbers come as floats
(2023 → 2023.0), date cells as ``date``/``datetime``, error cells (#DIV/0!)
as empty text, formulas as their last computed value. It does report merged
ranges, so a merged cell is found without opening the file a second time.
Rows are numbered as Excel shows them; columns by their letters.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from openpyxl.utils import get_column_letter
from python_calamine import CalamineError, CalamineSheet, CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

from scicity.domain.message import Msg
from scicity.ingest.cells import CellValue, is_blank

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"


class NotAWorkbook(ValueError):
    """The file cannot be opened as an XLSX workbook (``message``: what to do, a Msg)."""

    @property
    def message(self) -> str:
        return self.args[0]


def open_workbook(path: Path) -> CalamineWorkbook:
    """The workbook, once :func:`~scicity.ingest.xlsx_guard.check_workbook` found it safe to read.

    Raises :class:`NotAWorkbook`, or :class:`~scicity.ingest.problems.ImportRejected` for a workbook
    too large to read (declared range, cell references or unpacked size past the limits).
    """
    from scicity.ingest.xlsx_guard import check_workbook_once

    check_workbook_once(Path(path))
    try:
        return CalamineWorkbook.from_path(str(path))
    except (CalamineError, OSError, ValueError) as exc:
        raise NotAWorkbook(Msg("the file cannot be read as an Excel workbook ({error}); save it again as .xlsx",
                                  error=str(exc))) from None


def worksheets(book: CalamineWorkbook) -> list[tuple[str, bool]]:
    """Names of the worksheets (not chart sheets), each with whether it is visible."""
    return [
        (meta.name, meta.visible == SheetVisibleEnum.Visible)
        for meta in book.sheets_metadata
        if meta.typ == SheetTypeEnum.WorkSheet
    ]


def sheet_rows(sheet: CalamineSheet) -> Iterator[tuple[int, list[CellValue]]]:
    """(row number as Excel shows it, cells from the sheet's first used column)."""
    for i, row in enumerate(sheet.iter_rows(), start=1):
        yield i, row


def first_column(sheet: CalamineSheet) -> int:
    """0-based index of the sheet's first used column (the cells of ``sheet_rows`` start there)."""
    return sheet.start[1] if sheet.start is not None else 0


def has_data(sheet: CalamineSheet) -> bool:
    if sheet.start is None:
        return False
    return any(not is_blank(c) for _, row in sheet_rows(sheet) for c in row)


def merged_ranges(sheet: CalamineSheet) -> list[tuple[int, str]]:
    """Merged ranges as (first row number, 'A5:B6')."""
    out = []
    for (r0, c0), (r1, c1) in sheet.merged_cell_ranges or ():
        out.append((r0 + 1, f"{get_column_letter(c0 + 1)}{r0 + 1}:{get_column_letter(c1 + 1)}{r1 + 1}"))
    return sorted(out)


def sniff_kind(path: Path) -> str:
    """'xlsx' (a zip container), 'xls' (an old binary Excel file) or 'text', by the first bytes."""
    with path.open("rb") as f:
        head = f.read(8)
    if head.startswith(ZIP_MAGIC):
        return "xlsx"
    if head.startswith(OLE_MAGIC):
        return "xls"
    return "text"
