"""Put values into openpyxl cells without losing digits or running text as formulas.

openpyxl writes numbers with 16 significant digits (``"%.16g"``), which
loses the last digit of some doubles (1234.5678901234567). When that would
change the value, the cell gets Python's shortest exact text (``repr``) as a
numeric cell instead. Text that a spreadsheet would run as a formula is
neutralised with a leading quote (see :func:`scicity.ingest.cells.guard`),
and characters XML cannot hold are replaced with U+FFFD.
"""

from __future__ import annotations

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell

from scicity.ingest.cells import guard

def set_number(cell: Cell, value: float) -> None:
    """Write ``value`` as a number that reads back bit for bit."""
    if float("%.16g" % value) == value:
        cell.value = value
    else:
        cell.value = repr(value)
        cell.data_type = "n"  # the text is a number literal; keep it as a numeric cell


def safe_text(text: str) -> str:
    """Text as it may go into a cell: formula-like starts neutralised, illegal characters replaced."""
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", guard(text))


def set_text(cell: Cell, text: str | None) -> None:
    """Write ``text`` as a text cell (never a formula)."""
    if text is None:
        cell.value = None
        return
    cell.value = safe_text(text)
    cell.data_type = "s"
