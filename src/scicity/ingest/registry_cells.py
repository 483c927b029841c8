"""Strict parsing of registry cells: dates, codes, names, choices, flags, counts and amounts.

Like :mod:`scicity.ingest.cells`, every parser takes a cell as a reader
found it (CSV text, or a typed XLSX value) and returns the clean value or
raises :class:`CellRejected` saying what was found and what to write.

Dates are year-month-day: ``2023-05-01``; also ``2023/5/1``, ``2023.5.1``,
``2023年5月1日`` and ``20230501`` (unambiguous, read as year-month-day and
counted in a note), date cells and, in XLSX only, Excel serial numbers.
Refused with a hint: a month without a day (``2023-05``), a year alone,
day or month first (``5/1/2023`` is ambiguous), serial numbers in CSV text.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from scicity.domain.message import Msg
from scicity.domain.credit_code import credit_code_problem, normalise
from scicity.ingest import cells
from scicity.ingest.cells import CellRejected, CellValue, is_blank, narrow, parse_value

_EXCEL_EPOCH = date(1899, 12, 30)
MIN_SERIAL, MAX_SERIAL = 61, 109_574  # 1900-03-01 … 2199-12-31
_YMD = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?", re.ASCII)
_ZH = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?", re.ASCII)
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})", re.ASCII)
_DAY_FIRST = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})", re.ASCII)
_MONTH_ONLY = re.compile(r"(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*月?", re.ASCII)
MAX_TEXT = 1_000


def from_serial(number: float) -> date:
    """An Excel serial day number (1900 date system) as a date."""
    return _EXCEL_EPOCH + timedelta(days=int(number))


def parse_date(raw: CellValue, *, typed_numbers: bool) -> tuple[date | None, bool]:
    """(the date or None when empty, whether it was written in a non-ISO form that was normalised).

    ``typed_numbers`` is true for XLSX cells, where a number may be an Excel serial date.
    """
    if is_blank(raw):
        return None, False
    if isinstance(raw, bool):
        raise CellRejected(Msg("not a date; write it as YYYY-MM-DD, e.g. 2023-05-01"))
    if isinstance(raw, datetime):
        return raw.date(), False
    if isinstance(raw, date):
        return raw, False
    if isinstance(raw, time | timedelta):
        raise CellRejected(Msg("a time, not a date; write the date as YYYY-MM-DD"))
    if isinstance(raw, int | float):
        return _serial(float(raw), typed_numbers), False
    text = narrow(str(raw)).strip()
    if m := _YMD.fullmatch(text):
        y, sep, mo, d = m.groups()
        return _make(int(y), int(mo), int(d)), not (sep == "-" and len(mo) == 2 and len(d) == 2)
    if (m := _ZH.fullmatch(text)) or (m := _COMPACT.fullmatch(text)):
        y, mo, d = (int(g) for g in m.groups())
        return _make(y, mo, d), True
    raise CellRejected(_date_hint(text))


def _make(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise CellRejected(Msg("no such day; write a valid date as YYYY-MM-DD")) from None


def _serial(number: float, typed: bool) -> date:
    if number.is_integer() and 1900 <= number <= 2200:
        raise CellRejected(Msg("only a year; write the full date, e.g. {year}-05-01", year=int(number)))
    if not typed:
        raise CellRejected(Msg("not a date; write it as YYYY-MM-DD"))
    if not (math.isfinite(number) and MIN_SERIAL <= number <= MAX_SERIAL):
        raise CellRejected(Msg("a number that is not an Excel date; write the date as YYYY-MM-DD"))
    return from_serial(number)


def _date_hint(text: str) -> str:
    if m := _DAY_FIRST.fullmatch(text):
        first, second, year = m.groups()
        year = "20" + year if len(year) == 2 else year
        if int(first) <= 12 and int(second) <= 12:
            return Msg("ambiguous (month/day or day/month?); write year-month-day, e.g. {a} or {b}",
                       a=f"{year}-{int(first):02d}-{int(second):02d}", b=f"{year}-{int(second):02d}-{int(first):02d}")
        day, month = (first, second) if int(first) > 12 else (second, first)
        return Msg("write dates as year-month-day: {date}", date=f"{year}-{int(month):02d}-{int(day):02d}")
    if re.fullmatch(r"\d{4}", text, re.ASCII):
        return Msg("only a year; write the full date, e.g. {year}-05-01", year=text)
    if m := _MONTH_ONLY.fullmatch(text):
        return Msg("only a year and month; write the full date with the day, e.g. {date} (if the day is not known, "
                   "ask the issuing office; dates here are exact days)", date=f"{m.group(1)}-{int(m.group(2)):02d}-01")
    if re.fullmatch(r"\d{5}(?:\.\d+)?", text, re.ASCII) and MIN_SERIAL <= float(text) <= MAX_SERIAL:
        return Msg("looks like an Excel serial date number ({date}?); CSV files hold dates as text: write YYYY-MM-DD",
                   date=from_serial(float(text)).isoformat())
    return Msg("not a date; write it as YYYY-MM-DD, e.g. 2023-05-01")


def parse_text(raw: CellValue, *, max_length: int = MAX_TEXT) -> str | None:
    """Free text (names, hosts, programmes): :func:`scicity.ingest.cells.parse_text` at the registry's length."""
    return cells.parse_text(raw, max_length=max_length)


def parse_code(raw: CellValue, *, max_length: int) -> str | None:
    """An identifier (institution code, person id, patent or certificate number): trimmed text."""
    if isinstance(raw, float) and not raw.is_integer():
        raise CellRejected(Msg("a number with decimals, not a code; format the column as Text and retype the code"))
    text = parse_text(raw, max_length=max_length)
    return narrow(text) if text is not None else None


def parse_credit_code(raw: CellValue) -> str | None:
    if is_blank(raw):
        return None
    if isinstance(raw, float):
        raise CellRejected(Msg("stored as a number, which loses digits; format the column as Text and retype the code"))
    code = normalise(narrow(str(raw)))
    problem = credit_code_problem(code)
    if problem:
        raise CellRejected(problem)
    return code


def parse_flag(raw: CellValue) -> bool | None:
    if is_blank(raw):
        return None
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, float) and raw in (0.0, 1.0):
        return raw == 1.0
    text = narrow(str(raw)).strip().lower()
    if text in ("true", "yes", "y", "1", "是"):
        return True
    if text in ("false", "no", "n", "0", "否"):
        return False
    raise CellRejected(Msg("write true or false (是 / 否)"))


def parse_amount(raw: CellValue) -> float | None:
    """A non-negative amount (money in CNY 10,000, or a valuation)."""
    if is_blank(raw):
        return None
    number = parse_value(raw)
    if number < 0:
        raise CellRejected(Msg("negative; amounts here cannot be negative — check the sign"))
    return number


_OTHER_CURRENCY = re.compile(r"cny|rmb|人民币|元|¥|￥|eur|€|hkd|港币|jpy|日元", re.IGNORECASE)
_USD = re.compile(r"^\s*(?:usd|us\$|\$)?\s*(.*?)\s*(?:万?美元|usd)?\s*$", re.IGNORECASE)


def parse_usd(raw: CellValue) -> float | None:
    """A non-negative amount in USD 10,000; a cell naming another currency (CNY, 元, ¥, …) is refused."""
    if is_blank(raw) or isinstance(raw, int | float):
        return parse_amount(raw)
    text = narrow(str(raw)).strip()
    if _OTHER_CURRENCY.search(text.replace("美元", "")):
        raise CellRejected(Msg("an amount in another currency; this column is in USD 10,000 (万美元): convert it "
                               "to US dollars at the rate of the financing date and write the number"))
    m = _USD.match(text)
    return parse_amount(m.group(1) if m else text)


def parse_count(raw: CellValue) -> int | None:
    number = parse_amount(raw)
    if number is None:
        return None
    if not number.is_integer():
        raise CellRejected(Msg("a count of persons must be a whole number"))
    return int(number)


def choice(enum: type[StrEnum], aliases: dict[str, str]) -> Callable[[CellValue], StrEnum | None]:
    """A parser for one of ``enum``'s values, written as the id (any case, '-' or ' ' for '_') or a Chinese name."""
    accepted = ", ".join(m.value for m in enum)

    def parse(raw: CellValue) -> StrEnum | None:
        if is_blank(raw):
            return None
        text = narrow(str(raw)).strip()
        folded = re.sub(r"[\s-]+", "_", text.lower())
        value = aliases.get(text, folded)
        try:
            return enum(value)
        except ValueError:
            import difflib

            close = difflib.get_close_matches(folded, [m.value for m in enum], n=1)
            raise CellRejected(Msg("not one of {accepted}; did you mean {close}?", accepted=accepted, close=repr(close[0]))
                               if close else Msg("not one of {accepted}", accepted=accepted)) from None

    return parse
