"""Write observations as a long table (CSV or XLSX, by the file's suffix).

Columns: ``indicator, unit, period, value, source, vintage`` (+ ``status,
revision`` on request) — the format :func:`scicity.ingest.long_table.read_observations`
reads, so an export reads back to the same keys, values, sources and vintages.

- Values are written exactly: whole numbers as integers, others with
  Python's shortest round-trip representation (``repr``), never rounded.
- CSV is UTF-8 with a byte-order mark, so that Excel shows Chinese text.
- Text a spreadsheet would run as a formula (starting with = + - @, tab or
  carriage return) is prefixed with a quote (CSV injection); the reader
  removes that quote again.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from scicity.domain.observation import Observation
from scicity.ingest.cells import guard
from scicity.ingest.xlsx_write import set_number, set_text

COLUMNS = ("indicator", "unit", "period", "value", "source", "vintage")
STATUS_COLUMNS = ("status", "revision")
SHEET = "observations"


def format_value(value: float) -> str:
    """Exact text of a value: '1234' for whole numbers, else the shortest repr that reads back the same."""
    if value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    return repr(value)


def write_observations(path: Path, observations: Iterable[Observation], *, with_status: bool = False) -> None:
    """Write ``observations`` to ``path`` (.csv or .xlsx) in the long format."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        _write_csv(path, observations, with_status)
    elif suffix in (".xlsx", ".xlsm"):
        _write_xlsx(path, observations, with_status)
    else:
        raise ValueError(f"cannot export to {path.name!r}: use a .csv or .xlsx file name")


def _header(with_status: bool) -> list[str]:
    return [*COLUMNS, *(STATUS_COLUMNS if with_status else ())]


def _write_csv(path: Path, observations: Iterable[Observation], with_status: bool) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(_header(with_status))
        for obs in observations:
            row = [
                obs.indicator,
                obs.unit,
                str(obs.period),
                format_value(obs.value),
                guard(obs.source) if obs.source else "",
                obs.vintage.isoformat() if obs.vintage else "",
            ]
            if with_status:
                row += [obs.status.value, str(obs.revision)]
            writer.writerow(row)


def _write_xlsx(path: Path, observations: Iterable[Observation], with_status: bool) -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(SHEET)
    sheet.freeze_panes = "A2"
    sheet.append(_header(with_status))
    for obs in observations:
        vintage = WriteOnlyCell(sheet, obs.vintage)
        if obs.vintage is not None:
            vintage.number_format = "yyyy-mm-dd"
        value = WriteOnlyCell(sheet)
        set_number(value, obs.value)
        source = WriteOnlyCell(sheet)
        set_text(source, obs.source or None)
        row: list[object] = [obs.indicator, obs.unit, obs.period, value, source, vintage]
        if with_status:
            row += [obs.status.value, obs.revision]
        sheet.append(row)
    book.save(path)
