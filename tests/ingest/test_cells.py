"""Cells are parsed strictly and rejections say what to write instead."""

from __future__ import annotations

import math
from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scicity.ingest.cells import (
    CellRejected,
    guard,
    parse_period,
    parse_source,
    parse_value,
    parse_vintage,
    unguard,
)
from scicity.reports.long_table import format_value


@pytest.mark.parametrize("raw", [2023, 2023.0, "2023", " 2023 ", "２０２３", "2023.0"])
def test_period_accepts_a_four_digit_year(raw):
    assert parse_period(raw) == 2023


@pytest.mark.parametrize(
    ("raw", "hint"),
    [
        ("2023年", "write 2023 (the year as four digits, without 年)"),
        ("２０２３年", "write 2023"),
        (2023.5, "not a whole year"),
        ("2023.5", "not a whole year; a period is one calendar year: write 2023"),
        ("2023-24", "not a span, month or date): write 2023"),
        ("2023-12-31", "write 2023"),
        ("23", "four digits, e.g. 2023"),
        (date(2023, 1, 1), "a date, not a year; write only the year as a number: 2023"),
        (True, "not a year"),
        ("", "the period is empty"),
        ("1850", "outside 1900–2200"),
        ("FY twenty", "not a year"),
    ],
)
def test_period_rejections_carry_a_hint(raw, hint):
    with pytest.raises(CellRejected) as exc:
        parse_period(raw)
    assert hint in str(exc.value)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("12.5", 12.5), ("1e3", 1000.0), ("+7", 7.0), ("１２．５", 12.5), (12.0, 12.0), (" 0.1 ", 0.1), (".5", 0.5)],
)
def test_value_accepts_plain_numbers(raw, expected):
    assert parse_value(raw, non_negative=True) == expected


@pytest.mark.parametrize("raw", ["-3", "−3", "－3", -3.0])
def test_value_accepts_negatives_where_allowed(raw):
    assert parse_value(raw, non_negative=False) == -3.0


def test_negative_zero_is_zero():
    value = parse_value("-0", non_negative=True)
    assert value == 0.0 and math.copysign(1, value) == 1


@pytest.mark.parametrize(
    ("raw", "hint"),
    [
        ("1,234", "remove the thousands separators: write 1234"),
        ("1,234,567.5", "write 1234567.5"),
        ("1 234", "write 1234"),
        ("12%", "write 12 without the % sign (the unit of measure, %, is set by the plan)"),
        ("NaN", "not a finite number"),
        ("inf", "not a finite number"),
        ("-Infinity", "not a finite number"),
        (float("nan"), "not a figure (NaN)"),
        (float("inf"), "implausibly large"),
        (1e16, "implausibly large"),
        ("2e15", "implausibly large"),
        ("1e999", "implausibly large"),
        ("", "the value is empty"),
        ("   ", "the value is empty"),
        (None, "the value is empty"),
        ("abc", "not a number"),
        ("1,5", "use a point for decimals: write 1.5"),
        ("5万", "without 万/亿"),
        ("¥100", "remove the currency"),
        ("100 persons", "write the number alone: 100"),
        ("n/a", "marks a missing figure"),
        ("—", "marks a missing figure"),
        ("#DIV/0!", "an Excel error"),
        ("10²", "not a number"),
        ("٣", "not a number"),
        ("1_000", "not a number"),
        ("0x10", "not a number"),
        (True, "not a number"),
        (date(2024, 1, 1), "a date, not a number"),
    ],
)
def test_value_rejections_carry_a_hint(raw, hint):
    with pytest.raises(CellRejected) as exc:
        parse_value(raw, indicator="rd_intensity", measure="%")
    assert hint in str(exc.value)


def test_negative_rejected_for_non_negative_ids():
    with pytest.raises(CellRejected, match="the plan says 'grp' cannot be negative"):
        parse_value("-1", indicator="grp", non_negative=True)


@given(st.floats(min_value=-1e15, max_value=1e15, allow_nan=False, allow_infinity=False))
def test_exported_text_reads_back_to_the_same_float(value):
    assert parse_value(format_value(value)) == value


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-03-31", date(2024, 3, 31)),
        ("2024-3-5", date(2024, 3, 5)),
        ("2024/03/31", date(2024, 3, 31)),
        ("2024年3月31日", date(2024, 3, 31)),
        ("2024-03-31 00:00:00", date(2024, 3, 31)),
        ("２０２４－０３－３１", date(2024, 3, 31)),
        (date(2024, 3, 31), date(2024, 3, 31)),
        (datetime(2024, 3, 31, 10, 30), date(2024, 3, 31)),
        (45382.0, date(2024, 3, 31)),
        ("", None),
        (None, None),
    ],
)
def test_vintage_accepts_unambiguous_dates(raw, expected):
    assert parse_vintage(raw) == expected


@pytest.mark.parametrize(
    ("raw", "hint"),
    [
        ("03/04/2024", "ambiguous (day/month or month/day?); write year-month-day, e.g. 2024-04-03 or 2024-03-04"),
        ("31/03/2024", "write dates as year-month-day: 2024-03-31"),
        ("3/31/24", "write dates as year-month-day: 2024-03-31"),
        ("2024", "only a year; write the full publication date"),
        (2024.0, "only a year"),
        ("2024-02-30", "no such day"),
        ("2024-03", "with the day, e.g. 2024-03-01"),
        ("45382", "looks like an Excel serial date number"),
        (123.0, "not a date"),
        ("soon", "not a date"),
        ("2999-01-01", "lies in the future"),
        (True, "not a date"),
    ],
)
def test_vintage_rejections_carry_a_hint(raw, hint):
    with pytest.raises(CellRejected) as exc:
        parse_vintage(raw, today=date(2025, 6, 1))
    assert hint in str(exc.value)


def test_source_is_text_and_loses_only_the_export_guard():
    assert parse_source("  国家统计局 ") == "国家统计局"
    assert parse_source("'=HYPERLINK(\"http://evil\")") == '=HYPERLINK("http://evil")'
    assert parse_source("'; DROP TABLE observations; --") == "'; DROP TABLE observations; --"
    assert parse_source(2023.0) == "2023"
    assert parse_source("") is None


@pytest.mark.parametrize(("raw", "hint"), [("a\x00b", "control characters"), ("x" * 1001, "at most 1000")])
def test_source_rejections(raw, hint):
    with pytest.raises(CellRejected, match=hint):
        parse_source(raw)


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "=HYPERLINK(\"x\")"])
def test_guard_neutralises_formula_starts_and_unguard_undoes_it(text):
    assert guard(text) == "'" + text
    assert unguard(guard(text)) == text


def test_guard_leaves_plain_text_alone():
    assert guard("国家统计局") == "国家统计局"
    assert guard("'; DROP TABLE x") == "'; DROP TABLE x"
