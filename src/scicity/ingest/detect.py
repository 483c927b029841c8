"""Read any data file: a long CSV, a long XLSX or a filled-in template.

The kind is told by content, not by the file name: an XLSX (zip) workbook
with the template's hidden marker sheet is a template; any other workbook is
a long table; a text file is a long CSV.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from scicity.domain.observation import Observation
from scicity.domain.plan import Plan
from scicity.ingest.long_table import read_observations
from scicity.ingest.template_reader import read_meta, read_template
from scicity.ingest.workbook import NotAWorkbook, open_workbook, sniff_kind


def is_template(path: Path) -> bool:
    """True when ``path`` is an XLSX workbook carrying the template marker."""
    if sniff_kind(path) != "xlsx":
        return False
    try:
        book = open_workbook(path)
    except NotAWorkbook:
        return False
    return read_meta(book) is not None


def read_any(
    path: Path,
    plan: Plan,
    *,
    unit: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    note: Callable[[str], None] | None = None,
    skip_foreign: bool = False,
) -> list[Observation]:
    """Observations from a long CSV/XLSX or a template; ``unit`` is the default (long) or expected (template) unit."""
    path = Path(path)
    if is_template(path):
        return read_template(path, plan, unit=unit)
    return read_observations(path, plan, default_unit=unit, progress=progress, note=note, skip_foreign=skip_foreign)
