"""Helpers that write real CSV and XLSX files for the tests."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import openpyxl

HEADER = ["indicator", "unit", "period", "value", "source", "vintage"]


def write_csv(path: Path, rows: Iterable[Sequence[Any]], *, header: Sequence[str] | None = HEADER,
              encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as f:
        w = csv.writer(f)
        if header is not None:
            w.writerow(header)
        w.writerows(rows)
    return path


def write_xlsx(path: Path, sheets: dict[str, list[Sequence[Any]]]) -> Path:
    """A workbook with one sheet per entry; cells are written as given (strings stay text)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is None:
                    continue
                cell = ws.cell(row=r, column=c, value=value)
                if isinstance(value, str) and value.startswith("="):
                    cell.data_type = "s"  # keep text that looks like a formula as text
    wb.save(path)
    return path
