"""Look at an XLSX workbook before reading it: a small file must not make the reader take the machine's memory.

python-calamine makes one dense grid per sheet, from its first used cell to
its last: a sheet with a header and one cell at XFD1048576 asks for 16,384 ×
1,048,576 cells (hundreds of GB) although the file is 5 KB. A zip "bomb"
(a 10 MB file whose sheet expands to 10 GiB) takes the memory in another way.
So before a workbook is opened, :func:`check_workbook`

- reads the zip directory: the declared uncompressed size of every entry and
  of all of them together must stay under the limit;
- streams every worksheet, counting the bytes it really expands to (a zip can
  declare false sizes) and stopping at the limit, and finds the sheet's used
  range from the declared ``<dimension>`` and the cell and row references;
- refuses a sheet whose used range holds more cells than the limit;
- reports every cell that holds a formula but no computed value (the
  reader would see it empty), at its cell.

Nothing is parsed as XML and nothing larger than one chunk is held.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from openpyxl.utils import column_index_from_string

from scicity.domain.message import Msg
from scicity.ingest.problems import ImportRejected, Location, Problem

#: cells a sheet's used range may hold (the reader allocates all of them): 10 million is 40 columns × 250,000 rows
MAX_CELLS = 10_000_000
#: bytes all entries of a workbook may expand to
MAX_UNCOMPRESSED = 1024 * 1024 * 1024
CHUNK = 1024 * 1024
MAX_FORMULA_PROBLEMS = 1000
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]{1,3})(\d{1,7})(?::([A-Z]{1,3})(\d{1,7}))?"')
_CELL_REF = re.compile(rb'\sr="([A-Z]{1,3})(\d{1,7})"')
#: a cell holding only a formula, no computed value (saved by a program that does not calculate)
_FORMULA_ONLY = re.compile(rb'<(?:\w+:)?c\s[^>]*?r="([A-Z]{1,3})(\d{1,7})"[^>]*>\s*<(?:\w+:)?f\b[^>]*(?:/>|>[^<]*</(?:\w+:)?f>)\s*'
                           rb'(?:<(?:\w+:)?v\s*/>|<(?:\w+:)?v>\s*</(?:\w+:)?v>)?\s*</(?:\w+:)?c>')
_ROW_REF = re.compile(rb'<(?:\w+:)?row\s[^>]*?r="(\d{1,7})"')


@dataclass(frozen=True)
class WorkbookLimits:
    max_cells: int = MAX_CELLS
    max_uncompressed: int = MAX_UNCOMPRESSED


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):,.0f} MB"


class _Range:
    def __init__(self) -> None:
        self.rows = [None, None]  # type: list[int | None]
        self.cols = [None, None]  # type: list[int | None]

    def add_row(self, row: int) -> None:
        lo, hi = self.rows
        self.rows = [row if lo is None else min(lo, row), row if hi is None else max(hi, row)]

    def add_col(self, col: int) -> None:
        lo, hi = self.cols
        self.cols = [col if lo is None else min(lo, col), col if hi is None else max(hi, col)]

    def cells(self) -> int:
        if self.rows[0] is None:
            return 0
        width = 1 if self.cols[0] is None else self.cols[1] - self.cols[0] + 1  # type: ignore[operator]
        return (self.rows[1] - self.rows[0] + 1) * width  # type: ignore[operator]

    def text(self) -> str:
        from openpyxl.utils import get_column_letter

        c0, c1 = self.cols if self.cols[0] is not None else (1, 1)
        return f"{get_column_letter(c0)}{self.rows[0]}:{get_column_letter(c1)}{self.rows[1]}"  # type: ignore[arg-type]


def _sheet_names(book: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part name -> sheet name as Excel shows it (best effort; the part name when unknown)."""
    names: dict[str, str] = {}
    try:
        workbook = book.read("xl/workbook.xml")[: 4 * CHUNK]
        rels = book.read("xl/_rels/workbook.xml.rels")[: 4 * CHUNK]
    except (KeyError, zipfile.BadZipFile, OSError):
        return names
    targets = {m.group(1): m.group(2) for m in re.finditer(rb'Id="([^"]+)"[^>]*?Target="([^"]+)"', rels)}
    targets.update({m.group(2): m.group(1) for m in re.finditer(rb'Target="([^"]+)"[^>]*?Id="([^"]+)"', rels)})
    for m in re.finditer(rb'<(?:\w+:)?sheet\s[^>]*?name="([^"]*)"[^>]*?r:id="([^"]+)"', workbook):
        target = targets.get(m.group(2))
        if target is not None:
            part = target.decode("utf-8", "replace").lstrip("/")
            part = part if part.startswith("xl/") else f"xl/{part}"
            names[part] = m.group(1).decode("utf-8", "replace")
    return names


def check_workbook(path: Path, limits: WorkbookLimits = WorkbookLimits(), *, label: str | None = None) -> None:
    """Raise :class:`ImportRejected` if reading the XLSX at ``path`` would take more than ``limits`` allow."""
    path = Path(path)
    label = label or path.name
    try:
        book = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a zip: the reader says so in its own words
    with book:
        problems = _check(book, limits, label)
    if problems:
        raise ImportRejected(problems, label)


_checked: dict[tuple[str, int, int], None] = {}


def check_workbook_once(path: Path, limits: WorkbookLimits = WorkbookLimits()) -> None:
    """:func:`check_workbook`, skipped for a file already found safe (same path, size and modification time)."""
    try:
        st = path.stat()
    except OSError:
        return
    key = (str(path), st.st_size, st.st_mtime_ns)
    if key in _checked:
        return
    check_workbook(path, limits)
    if len(_checked) > 64:
        _checked.clear()
    _checked[key] = None


def _check(book: zipfile.ZipFile, limits: WorkbookLimits, label: str) -> list[Problem]:
    entries = book.infolist()
    declared = sum(e.file_size for e in entries)
    if declared > limits.max_uncompressed:
        biggest = max(entries, key=lambda e: e.file_size)
        return [Problem(Location(label), Msg("the workbook expands to {size} when unpacked ({part}: {part_size}), more than the limit of "
                        "{limit}; nothing was read. Save the data as CSV or split the file", size=_mb(declared),
                        part=biggest.filename, part_size=_mb(biggest.file_size), limit=_mb(limits.max_uncompressed)))]
    names = _sheet_names(book)
    problems: list[Problem] = []
    budget = limits.max_uncompressed
    for entry in entries:
        if not (entry.filename.startswith("xl/worksheets/") and entry.filename.endswith(".xml")):
            continue
        sheet = names.get(entry.filename, entry.filename)
        try:
            used, size, declared_range, formulas = _scan(book, entry, budget)
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError) as exc:
            return [Problem(Location(label, sheet), Msg("the workbook is damaged ({reason}); nothing was read. "
                            "Open it in Excel and save it again as .xlsx", reason=str(exc)))]
        if size > budget:
            return [Problem(Location(label, sheet), Msg("the sheet expands to more than {limit} "
                            "when unpacked (the file's own size figures are wrong); nothing was read",
                            limit=_mb(limits.max_uncompressed)))]
        budget -= size
        for col, row in sorted(formulas, key=lambda c: (c[1], len(c[0]), c[0])):
            problems.append(Problem(Location(label, sheet, row, col), Msg("a formula without a computed value (the file "
                                    "was saved by a program that does not calculate formulas); open it in Excel and "
                                    "save it again, or type the value")))
        for rng, what in ((declared_range, Msg("the sheet declares a used range")), (used, Msg("the sheet has cells across"))):
            if rng is not None and rng.cells() > limits.max_cells:
                problems.append(Problem(Location(label, sheet), Msg(
                    "{what} {range} ({cells} cells), more than the limit of {limit} cells; nothing was read. Delete the "
                    "stray cells far below or right of the data (Ctrl+End shows the last one) and save again",
                    what=what, range=rng.text(), cells=f"{rng.cells():,}", limit=f"{limits.max_cells:,}")))
                break
    return problems


def _scan(book: zipfile.ZipFile, entry: zipfile.ZipInfo,
          budget: int) -> tuple[_Range, int, _Range | None, set[tuple[str, int]]]:
    """(used range from the references, bytes the entry really expands to (stops past ``budget``), declared range,
    the cells holding a formula without a value)."""
    used = _Range()
    declared: _Range | None = None
    size = 0
    tail = b""
    letters: set[bytes] = set()
    formulas: set[tuple[str, int]] = set()
    with book.open(entry) as stream:
        while chunk := stream.read(CHUNK):
            size += len(chunk)
            if size > budget:
                break
            data = tail + chunk
            if declared is None and not tail:
                m = _DIMENSION.search(data)
                declared = _Range()
                if m is not None:
                    declared.add_col(column_index_from_string(m.group(1).decode()))
                    declared.add_row(int(m.group(2)))
                    if m.group(3):
                        declared.add_col(column_index_from_string(m.group(3).decode()))
                        declared.add_row(int(m.group(4)))
            # the tail overlaps the next chunk: a reference split between two chunks is seen whole there
            # (seeing one twice changes no minimum or maximum)
            refs = _CELL_REF.findall(data)
            if refs:
                letters.update(col for col, _ in refs)
                rows = [int(row) for _, row in refs]
                used.add_row(min(rows))
                used.add_row(max(rows))
            rows = [int(r) for r in _ROW_REF.findall(data)]
            if rows:
                used.add_row(min(rows))
                used.add_row(max(rows))
            if b"<f" in data and len(formulas) < MAX_FORMULA_PROBLEMS:
                formulas.update((m.group(1).decode(), int(m.group(2))) for m in _FORMULA_ONLY.finditer(data))
            tail = data[-1024:]
    for col in letters:
        used.add_col(column_index_from_string(col.decode()))
    return used, size, declared if declared is not None and declared.rows[0] is not None else None, formulas
