"""Hostile workbooks, built here: a 5 KB file whose one far cell asks for 17 billion cells, and a zip bomb.

The zip bomb is a real XLSX whose sheet expands to ``size`` bytes of cells
(10 GiB by default: 10,240 cells of 1 MiB text each) from about a
thousandth of that. Deflating 10 GiB would
take a minute, so the repeated part is deflated once: after a full flush the
compressor starts afresh, so every later copy of the same chunk deflates to
the same bytes, which are reused (zipfile still computes the real CRC).
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from openpyxl import Workbook

HEADER = ["indicator", "unit", "period", "value", "source"]


def far_cell_xlsx(path: Path, header: list[str] = HEADER) -> Path:
    """A header row and one number at XFD1048576 (the last cell a sheet has): about 5 KB."""
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    ws["XFD1048576"] = 1
    wb.save(path)
    return path


#: one row whose one cell is a 1 MiB text: deflate packs a run of one byte about 1000:1
CHUNK = b'<row><c t="inlineStr"><is><t>' + b"x" * (1024 * 1024) + b"</t></is></c></row>"


class _RepeatingDeflate:
    """A raw-deflate compressor that deflates CHUNK once and reuses the bytes."""

    def __init__(self) -> None:
        self._c = zlib.compressobj(9, zlib.DEFLATED, -15)
        self._cached: bytes | None = None
        self._seen = 0

    def compress(self, data: bytes) -> bytes:
        if data is CHUNK and self._cached is not None:
            return self._cached
        out = self._c.compress(data) + self._c.flush(zlib.Z_FULL_FLUSH)
        if data is CHUNK:
            self._seen += 1
            if self._seen == 2:
                self._cached = out
            elif self._seen > 2:
                raise AssertionError("unreachable")
        return out

    def flush(self) -> bytes:
        return self._c.flush()


def zip_bomb_xlsx(path: Path, size: int = 10 * 1024**3) -> Path:
    """An XLSX whose one sheet holds ``size`` bytes of numeric cells (about size/1000 on disk)."""
    book = Workbook()
    book.active.append(HEADER)
    template = path.with_suffix(".template.xlsx")
    book.save(template)
    with zipfile.ZipFile(template) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                out.writestr(info.filename, src.read(info.filename))
                continue
            original = zipfile._get_compressor  # type: ignore[attr-defined]
            zipfile._get_compressor = lambda *a, **k: _RepeatingDeflate()  # type: ignore[attr-defined]
            try:
                zinfo = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                zinfo.compress_type = zipfile.ZIP_DEFLATED
                with out.open(zinfo, "w", force_zip64=True) as entry:
                    entry.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                                b"<sheetData>")
                    written = 0
                    while written < size:
                        entry.write(CHUNK)
                        written += len(CHUNK)
                    entry.write(b"</sheetData></worksheet>")
            finally:
                zipfile._get_compressor = original  # type: ignore[attr-defined]
    template.unlink()
    return path
