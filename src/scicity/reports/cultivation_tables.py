"""Cultivation tables as files: the evaluation or the pool as CSV or XLSX (by the file's suffix)."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from scicity.ingest.cells import guard


def write_table(path: Path, rows: Sequence[dict[str, Any]], sheet: str = "cultivation") -> int:
    """Write ``rows`` (dicts with the same keys, in order) to ``path``; returns how many rows were written."""
    path = Path(path)
    header = list(rows[0]) if rows else []
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(header)
            for row in rows:
                writer.writerow([guard(v) if isinstance(v, str) else v for v in row.values()])
        return len(rows)
    if suffix != ".xlsx":
        raise ValueError(f"cannot write {path.name!r}: use a .csv or .xlsx file name")
    book = Workbook()
    ws = book.active
    ws.title = sheet[:31]
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([guard(v) if isinstance(v, str) else v for v in row.values()])
    ws.freeze_panes = "A2"
    for i, name in enumerate(header, start=1):
        width = max([len(str(name))] + [len(str(r[name])) for r in rows[:200]])
        ws.column_dimensions[ws.cell(1, i).column_letter].width = min(60, max(10, width + 2))
    book.save(path)
    return len(rows)
