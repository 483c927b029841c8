"""CSV files as text: which encoding, which delimiter, and rows streamed one by one.

Encoding: UTF-8, with or without a byte-order mark, is the format. A file
that is not valid UTF-8 but is valid GB18030 (the superset of GBK and
GB2312, what Excel on a Chinese Windows saves as "CSV") is read as GB18030
and a note says so. UTF-16 ("Unicode text") and anything else is refused
with a hint to save as "CSV UTF-8". Checking the encoding reads the file once
in 1 MiB chunks, so memory stays flat whatever the file size.

Delimiter: a comma; a header that splits into more known column names with
a semicolon or a tab (as some Excel locales save) selects that instead.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from scicity.domain.message import Msg
from scicity.ingest.columns import field_of

CHUNK = 1 << 20
PROGRESS_EVERY = 10_000
_DELIMITERS = (",", ";", "\t")


class NotText(ValueError):
    """The file cannot be decoded as text in an accepted encoding (``message``: what to do, a Msg)."""

    @property
    def message(self) -> str:
        return self.args[0]


@dataclass(frozen=True)
class CsvFormat:
    encoding: str
    delimiter: str
    note: str | None = None


def detect_format(path: Path) -> CsvFormat:
    """The encoding and delimiter of a CSV file; raises :class:`NotText` with a hint."""
    with path.open("rb") as f:
        head = f.read(4)
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            raise NotText(Msg("the file is UTF-16 ('Unicode text'); save it as 'CSV UTF-8' instead"))
        f.seek(0)
        bad_line = _first_bad_line(f, "utf-8")
        if bad_line is None:
            encoding, note = ("utf-8-sig" if head.startswith(codecs.BOM_UTF8) else "utf-8"), None
        else:
            f.seek(0)
            if _first_bad_line(f, "gb18030") is not None:
                raise NotText(Msg("the file is not UTF-8 (first bad byte on line {line}) nor GB18030/GBK; save it as "
                                  "'CSV UTF-8'", line=bad_line))
            encoding = "gb18030"
            note = Msg("the file is not UTF-8; it was read as GB18030 (GBK), as Excel on a Chinese Windows saves "
                       "CSV — if Chinese text looks wrong, save it as 'CSV UTF-8'")
    return CsvFormat(encoding, _delimiter(path, encoding), note)


def _first_bad_line(f: BinaryIO, encoding: str) -> int | None:
    """The line of the first byte that does not decode, or None when the whole file decodes."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    lines = 1
    while True:
        chunk = f.read(CHUNK)
        try:
            decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as exc:
            return lines + chunk[: max(exc.start, 0)].count(b"\n")
        if not chunk:
            return None
        lines += chunk.count(b"\n")


def _delimiter(path: Path, encoding: str) -> str:
    with path.open(encoding=encoding, newline="") as f:
        first = f.readline()
    best, best_known = ",", -1
    for delimiter in _DELIMITERS:
        cells = next(csv.reader([first], delimiter=delimiter), [])
        known = sum(field_of(c) is not None for c in cells)
        if known > best_known:
            best, best_known = delimiter, known
    return best


class _CountingReader(io.RawIOBase):
    """A raw binary stream that counts the bytes read through it."""

    def __init__(self, inner: BinaryIO) -> None:
        self._inner = inner
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        n = self._inner.readinto(buffer)  # type: ignore[attr-defined]
        self.count += n or 0
        return n or 0


def csv_rows(
    path: Path,
    fmt: CsvFormat,
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[tuple[int, list[str]]]:
    """Records with the row number a spreadsheet would show (the header is row 1).

    A quoted cell may hold line breaks: such a record is still one row.
    ``progress(bytes_read, total_bytes)`` is called every few thousand rows
    and once at the end.
    """
    total = path.stat().st_size
    with path.open("rb") as raw:
        counter = _CountingReader(raw)
        text = io.TextIOWrapper(io.BufferedReader(counter, CHUNK), encoding=fmt.encoding, newline="")
        reader = csv.reader(text, delimiter=fmt.delimiter, strict=False)
        for row_no, record in enumerate(reader, start=1):
            yield row_no, record
            if progress is not None and row_no % PROGRESS_EVERY == 0:
                progress(counter.count, total)
        if progress is not None:
            progress(total, total)
