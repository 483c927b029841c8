"""Write a registry as CSV or XLSX (by the file's suffix), in the columns its import reads.

The English headers, one record per row, sorted as given. Dates as
``YYYY-MM-DD`` (date cells in XLSX), flags as ``true``/``false``, numbers
exactly (whole numbers without decimals), text that a spreadsheet would run
as a formula neutralised with a quote (the reader removes it). An export
imports back with nothing new and nothing changed.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from scicity.domain.registries import Record, RegistryKind
from scicity.ingest.registry_columns import COLUMNS
from scicity.ingest.cells import guard
from scicity.ingest.xlsx_write import set_number, set_text


def headers(kind: RegistryKind) -> list[str]:
    return [c.header for c in COLUMNS[kind]]


def cell_text(value: Any) -> str:
    """A field as CSV text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 2**53 else repr(value)
    if isinstance(value, int):
        return str(value)
    return guard(str(value))


def write_registry(path: Path, kind: RegistryKind | str, records: Iterable[Record]) -> int:
    """Write ``records`` to ``path`` (.csv or .xlsx); returns how many were written."""
    path, kind = Path(path), RegistryKind(kind)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _write_csv(path, kind, records)
    if suffix in (".xlsx", ".xlsm"):
        return _write_xlsx(path, kind, records)
    raise ValueError(f"cannot export to {path.name!r}: use a .csv or .xlsx file name")


def _write_csv(path: Path, kind: RegistryKind, records: Iterable[Record]) -> int:
    fields = [c.field for c in COLUMNS[kind]]
    n = 0
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(headers(kind))
        for record in records:
            writer.writerow([cell_text(getattr(record, name)) for name in fields])
            n += 1
    return n


def _write_xlsx(path: Path, kind: RegistryKind, records: Iterable[Record]) -> int:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(kind.value)
    sheet.freeze_panes = "A2"
    sheet.append(headers(kind))
    fields = [c.field for c in COLUMNS[kind]]
    n = 0
    for record in records:
        sheet.append([_cell(sheet, getattr(record, name)) for name in fields])
        n += 1
    book.save(path)
    return n


def _cell(sheet: Any, value: Any) -> Any:
    """A plain value where openpyxl writes it faithfully (fast); a prepared cell otherwise."""
    if value is None or isinstance(value, bool | int | date):
        return value  # openpyxl gives dates the yyyy-mm-dd format itself
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, float):
        if float("%.16g" % value) == value:
            return value
        cell = WriteOnlyCell(sheet)
        set_number(cell, value)
        return cell
    text = str(value)
    if guard(text) == text and not ILLEGAL_CHARACTERS_RE.search(text):
        return text
    cell = WriteOnlyCell(sheet)
    set_text(cell, text)
    return cell
