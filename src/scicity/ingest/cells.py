"""Strict parsing of single cells, with reasons a statistician understands.

Every ``parse_*`` function takes a cell as a reader found it — text from a
CSV file, or the typed value python-calamine gives for an XLSX cell (floats
for all numbers, ``date``/``datetime`` for date cells, ``bool`` for TRUE and
FALSE) — and returns the clean value or raises :class:`CellRejected` whose
message says what was found and what to write instead.

Full-width characters as typed with a Chinese input method (``２０２３``,
``１２．５``, ``－３``) and the typographic minus sign ``−`` are read as their
ASCII forms. Nothing else is folded: superscripts, other scripts' digits,
thousands separators, percent signs and units are rejected.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time, timedelta

from scicity.domain.message import Msg

CellValue = str | float | int | bool | date | datetime | time | timedelta | None

#: Values whose magnitude exceeds this are rejected as implausible.
MAX_ABS = 1e15
MIN_YEAR, MAX_YEAR = 1900, 2200
#: Longest accepted ``source`` text, in characters.
MAX_SOURCE = 1_000
#: Excel serial dates accepted for ``vintage`` (1950-01-01 … 2099-12-31, 1900 date system).
SERIAL_RANGE = (18_264, 73_050)
_EXCEL_EPOCH = date(1899, 12, 30)

_NARROW = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20, 0x2212: 0x2D}
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:[, '’]\d{3})+(?:\.\d+)?", re.ASCII)
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+", re.ASCII)
_NUMBER_WITH_WORD = re.compile(r"([+-]?\d+(?:\.\d+)?)\s*([A-Za-z\u4e00-\u9fff][^0-9]*)", re.ASCII)
_NON_FINITE = {"nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"}
_MISSING = {"n/a", "na", "null", "none", "-", "--", "—", "…", "...", "x", "/", "无", "暂无", "空"}
_EXCEL_ERRORS = {"#n/a", "#div/0!", "#value!", "#ref!", "#name?", "#num!", "#null!", "#spill!", "#calc!"}
_YEAR_TEXT = re.compile(r"(\d{4})(?:\.0+)?", re.ASCII)
_YEAR_NIAN = re.compile(r"(\d{4})\s*年度?", re.ASCII)
_YEAR_SPAN = re.compile(r"(?:FY)?\s*(\d{4})\s*[-/–~]\s*(?:\d{2}|\d{4})", re.ASCII | re.IGNORECASE)
_YEAR_FRACTION = re.compile(r"(\d{4})\.\d+", re.ASCII)
_YEAR_DATE = re.compile(r"(\d{4})[-/.年]\d{1,2}(?:[-/.月]\d{1,2}日?)?", re.ASCII)
_ISO_DATE = re.compile(
    r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?", re.ASCII
)
_ZH_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日", re.ASCII)
_DAY_FIRST = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})", re.ASCII)
_MONTH_ONLY = re.compile(r"(\d{4})[-/.](\d{1,2})", re.ASCII)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_GUARDED = ("=", "+", "-", "@", "\t", "\r")


class CellRejected(ValueError):
    """A cell's content cannot be read; the message explains why and what to write."""


def narrow(text: str) -> str:
    """Full-width ASCII forms (as typed with a Chinese IME) and '−' to plain ASCII."""
    return text.translate(_NARROW)


def is_blank(raw: CellValue) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def parse_period(raw: CellValue) -> int:
    """A period is one calendar year, written with four digits (Excel's 2023.0 is fine)."""
    if is_blank(raw):
        raise CellRejected(Msg('the period is empty; write the year, e.g. 2023'))
    if isinstance(raw, bool):
        raise CellRejected(Msg('not a year; write the year, e.g. 2023'))
    if isinstance(raw, datetime | date):
        raise CellRejected(Msg('a date, not a year; write only the year as a number: {year}', year=raw.year))
    if isinstance(raw, time | timedelta):
        raise CellRejected(Msg('a time, not a year; write the year, e.g. 2023'))
    if isinstance(raw, int | float):
        if not math.isfinite(raw) or not float(raw).is_integer():
            raise CellRejected(Msg('not a whole year; a period is one calendar year, e.g. 2023'))
        return _year_in_range(int(raw))
    text = narrow(str(raw)).strip()
    if m := _YEAR_TEXT.fullmatch(text):
        return _year_in_range(int(m.group(1)))
    if m := _YEAR_NIAN.fullmatch(text):
        raise CellRejected(Msg('write {group} (the year as four digits, without 年)', group=m.group(1)))
    if m := _YEAR_FRACTION.fullmatch(text):
        raise CellRejected(Msg('not a whole year; a period is one calendar year: write {group}', group=m.group(1)))
    if m := _YEAR_SPAN.fullmatch(text) or _YEAR_DATE.fullmatch(text):
        raise CellRejected(Msg('a period is one calendar year (not a span, month or date): write {group}', group=m.group(1)))
    if re.fullmatch(r"\d{2}", text, re.ASCII):
        raise CellRejected(Msg('write the year with four digits, e.g. 20{text}', text=text))
    raise CellRejected(Msg('not a year; write the year as four digits, e.g. 2023'))


def _year_in_range(year: int) -> int:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise CellRejected(Msg('the year is outside {MIN_YEAR}–{MAX_YEAR}; check for a typing error', MIN_YEAR=MIN_YEAR, MAX_YEAR=MAX_YEAR))
    return year


def parse_value(raw: CellValue, *, indicator: str | None = None, non_negative: bool = False, measure: str | None = None) -> float:
    """A finite plain number in the plan's unit of measure: digits, '.', optional sign and exponent."""
    unit_hint = Msg(" (the unit of measure, {measure}, is set by the plan)", measure=measure) if measure else ""
    if is_blank(raw):
        raise CellRejected(Msg('the value is empty (an Excel error such as #DIV/0! also reads as empty); leave the row out when there is no figure'))
    if isinstance(raw, bool):
        raise CellRejected(Msg('not a number; write the figure, e.g. 1234.5'))
    if isinstance(raw, datetime | date):
        raise CellRejected(Msg("a date, not a number; set the cell's format to Number and type the figure"))
    if isinstance(raw, time | timedelta):
        raise CellRejected(Msg("a time, not a number; set the cell's format to Number and type the figure"))
    if isinstance(raw, int | float):
        number = float(raw)
    elif isinstance(raw, str) and _NUMBER.fullmatch(raw):
        number = float(raw)  # the common case, without folding or trimming
    else:
        number = _number_from_text(narrow(str(raw)).strip(), unit_hint)
    if math.isnan(number):
        raise CellRejected(Msg('not a figure (NaN); leave the row out when there is no figure'))
    if math.isinf(number) or abs(number) > MAX_ABS:
        in_unit = f" ({measure})" if measure else ""
        raise CellRejected(Msg('implausibly large (more than 10^15 in absolute value); check the unit of measure{in_unit} and look for a misplaced decimal point', in_unit=in_unit))
    if non_negative and number < 0:
        who = f"{indicator!r}" if indicator else "this series"
        raise CellRejected(Msg('negative, but the plan says {who} cannot be negative; check the sign', who=who))
    return number + 0.0  # turns -0.0 into 0.0


def _number_from_text(text: str, unit_hint: str) -> float:
    if _NUMBER.fullmatch(text):
        return float(text)
    lower = text.lower()
    if lower in _NON_FINITE:
        raise CellRejected(Msg('not a finite number; leave the row out when there is no figure'))
    if lower in _EXCEL_ERRORS:
        raise CellRejected(Msg('an Excel error; fix the formula or type the figure'))
    if lower in _MISSING:
        raise CellRejected(Msg('marks a missing figure; leave the row out (in the template: leave the cell empty)'))
    if text.endswith(("%", "‰")) and _NUMBER.fullmatch(bare := text[:-1].strip()):
        raise CellRejected(Msg('write {bare} without the {text} sign{the}', bare=bare, text=text[-1], the=unit_hint or Msg(' (the unit of measure is set by the plan)')))
    if _THOUSANDS.fullmatch(text):
        plain = re.sub(r"[, '’]", "", text)
        raise CellRejected(Msg('remove the thousands separators: write {plain}', plain=plain))
    if _DECIMAL_COMMA.fullmatch(text):
        raise CellRejected(Msg('use a point for decimals: write {replace}', replace=text.replace(',', '.')))
    if any(ch in text for ch in "万亿千"):
        raise CellRejected(Msg('write the figure as plain digits, without 万/亿{unit_hint}', unit_hint=unit_hint))
    if text[:1] in "¥$€£" or text.upper().startswith(("CNY", "RMB")) or text.endswith("元"):
        raise CellRejected(Msg('remove the currency{unit_hint}', unit_hint=unit_hint))
    if m := _NUMBER_WITH_WORD.fullmatch(text):
        raise CellRejected(Msg('write the number alone: {group}{unit_hint}', group=m.group(1), unit_hint=unit_hint))
    raise CellRejected(Msg("not a number; write digits with a '.' for decimals, e.g. 1234.5"))


def parse_vintage(raw: CellValue, *, today: date | None = None) -> date | None:
    """The publication date of a figure: ISO ``2024-03-31`` (or 2024/03/31, 2024年3月31日) or a date cell.

    A number is read as an Excel serial date only when it comes from a typed
    XLSX cell (CSV text is never a serial). Empty gives ``None``.
    """
    if is_blank(raw):
        return None
    if isinstance(raw, bool):
        raise CellRejected(Msg('not a date; write the publication date as YYYY-MM-DD, e.g. 2024-03-31'))
    if isinstance(raw, datetime):
        found = raw.date()
    elif isinstance(raw, date):
        found = raw
    elif isinstance(raw, time | timedelta):
        raise CellRejected(Msg('a time, not a date; write the publication date as YYYY-MM-DD'))
    elif isinstance(raw, int | float):
        found = _from_serial(float(raw))
    else:
        found = _date_from_text(narrow(str(raw)).strip())
    if found.year < MIN_YEAR:
        raise CellRejected(Msg('{isoformat} is too early for a publication date; check the year', isoformat=found.isoformat()))
    if found > (today or date.today()):
        raise CellRejected(Msg('{isoformat} lies in the future; the vintage is the date a figure was published', isoformat=found.isoformat()))
    return found


def _from_serial(number: float) -> date:
    if number.is_integer() and MIN_YEAR <= number <= MAX_YEAR:
        raise CellRejected(Msg('only a year; write the full publication date, e.g. {number}-03-31', number=int(number)))
    low, high = SERIAL_RANGE
    if not (math.isfinite(number) and low <= number <= high):
        raise CellRejected(Msg('not a date; write the publication date as YYYY-MM-DD, e.g. 2024-03-31'))
    return _EXCEL_EPOCH + timedelta(days=int(number))


def _date_from_text(text: str) -> date:
    m = _ISO_DATE.fullmatch(text) or _ZH_DATE.fullmatch(text)
    if m:
        year, month, day = (int(g) for g in m.groups())
        try:
            return date(year, month, day)
        except ValueError:
            raise CellRejected(Msg('no such day; write a valid date as YYYY-MM-DD')) from None
    if m := _DAY_FIRST.fullmatch(text):
        first, second, year = m.groups()
        if len(year) == 2:
            year = "20" + year
        if int(first) <= 12 and int(second) <= 12:
            raise CellRejected(Msg('ambiguous (day/month or month/day?); write year-month-day, e.g. {year}-{second}-{first} or {year2}-{first2}-{second2}', year=year, second=format(int(second), '02d'), first=format(int(first), '02d'), year2=year, first2=format(int(first), '02d'), second2=format(int(second), '02d')))
        day, month = (first, second) if int(first) > 12 else (second, first)
        raise CellRejected(Msg('write dates as year-month-day: {year}-{month}-{day}', year=year, month=format(int(month), '02d'), day=format(int(day), '02d')))
    if re.fullmatch(r"\d{4}", text, re.ASCII):
        raise CellRejected(Msg('only a year; write the full publication date, e.g. {text}-03-31', text=text))
    if m := _MONTH_ONLY.fullmatch(text):
        raise CellRejected(Msg('write the full publication date with the day, e.g. {group}-{group2}-01', group=m.group(1), group2=format(int(m.group(2)), '02d')))
    if re.fullmatch(r"\d{5}(?:\.\d+)?", text, re.ASCII):
        raise CellRejected(Msg('looks like an Excel serial date number; write the date as YYYY-MM-DD'))
    raise CellRejected(Msg('not a date; write the publication date as YYYY-MM-DD, e.g. 2024-03-31'))


def parse_source(raw: CellValue) -> str | None:
    """Free text saying where a figure comes from; a neutralising quote (see export) is removed."""
    return parse_text(raw, max_length=MAX_SOURCE)


def parse_text(raw: CellValue, *, max_length: int) -> str | None:
    """Free text as a person typed it: a number or date cell as its text, a boolean as Excel shows it
    (TRUE/FALSE), a neutralising quote from an export removed, control characters and overlong text refused."""
    if is_blank(raw):
        return None
    if isinstance(raw, bool):
        text = str(raw).upper()
    elif isinstance(raw, float) and raw.is_integer() and abs(raw) < 1e15:
        text = str(int(raw))
    elif isinstance(raw, datetime | date | time):
        text = raw.isoformat()
    else:
        text = str(raw).strip()
    text = unguard(text)
    if _CONTROL.search(text):
        raise CellRejected(Msg("the text contains control characters; retype it or paste it as plain text"))
    if len(text) > max_length:
        raise CellRejected(Msg("{n} characters long; at most {max} fit — shorten it", n=len(text), max=max_length))
    return text


def guard(text: str) -> str:
    """Neutralise text a spreadsheet would run as a formula (CSV injection): prefix a quote."""
    return "'" + text if text.startswith(_GUARDED) else text


def unguard(text: str) -> str:
    """Undo :func:`guard`, so that an exported file reads back to the same text."""
    return text[1:] if text.startswith("'") and text[1:].startswith(_GUARDED) else text
