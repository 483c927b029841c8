"""Functions the worker tests run in the worker (importable by name, as the worker needs)."""

from __future__ import annotations

import os
import time

from scicity.ingest.problems import ImportRejected, Location, Problem


def _abort() -> None:
    os.abort()


def _allocate() -> bytes:
    return b"x" * (4 * 1024**3)


def _hang() -> None:
    time.sleep(60)


def _calamine(path: str) -> int:
    """Read a workbook with python-calamine directly, without the workbook check."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(path)
    return len(book.get_sheet_by_name(book.sheet_names[0]).to_python())


def _rejects() -> None:
    raise ImportRejected([Problem(Location("f.csv", None, 3, "value"), "not a number")], "f.csv")


def _fails() -> None:
    raise KeyError("oops")
