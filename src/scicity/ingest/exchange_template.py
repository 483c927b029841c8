"""Blank import templates for the exchange platform: one XLSX per kind, headers in English or Chinese.

The header row holds the accepted headers of :mod:`scicity.ingest.exchange_columns`
(the English field name, or the Chinese name), required columns marked in bold
with a note, and a second sheet explaining each column. A filled template
imports with ``scicity exchange import``.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font

from scicity.domain.exchange import ExchangeKind
from scicity.ingest.exchange_columns import COLUMNS
from scicity.ingest.xlsx_write import set_text


def header_of(column_headers: tuple[str, ...], lang: str) -> str:
    """The header a template writes: the field name (en) or its first Chinese name (zh)."""
    if lang == "zh":
        return next((h for h in column_headers[1:] if any("\u3400" <= ch <= "\u9fff" for ch in h)), column_headers[0])
    return column_headers[0]


def write_template(kind: ExchangeKind | str, path: Path, lang: str = "en") -> Path:
    kind = ExchangeKind(kind)
    book = Workbook()
    sheet = book.active
    sheet.title = kind.value
    about = book.create_sheet("columns" if lang == "en" else "列说明")
    set_text(about.cell(1, 1), "header" if lang == "en" else "表头")
    set_text(about.cell(1, 2), "field" if lang == "en" else "字段")
    set_text(about.cell(1, 3), "required" if lang == "en" else "必填")
    set_text(about.cell(1, 4), "also accepted" if lang == "en" else "也可写作")
    for i, column in enumerate(COLUMNS[kind], 1):
        header = header_of(column.headers, lang)
        cell = sheet.cell(1, i)
        set_text(cell, header)
        if column.required:
            cell.font = Font(bold=True)
            cell.comment = Comment("required" if lang == "en" else "必填", "scicity")
        sheet.column_dimensions[cell.column_letter].width = max(12, min(40, 2 * len(header) + 4))
        row = i + 1
        set_text(about.cell(row, 1), header)
        set_text(about.cell(row, 2), column.field)
        set_text(about.cell(row, 3), ("yes" if lang == "en" else "是") if column.required else "")
        set_text(about.cell(row, 4), ", ".join(h for h in column.headers if h != header))
    book.save(path)
    return path
