"""Long CSV files: what is accepted, and every bad input named by file, row and column."""

from __future__ import annotations

import codecs
from datetime import date
from pathlib import Path

import pytest

from scicity.ingest.long_table import read_observations
from scicity.ingest.problems import ImportRejected

from .files import HEADER, write_csv


def rejected(path: Path, plan, **kwargs) -> str:
    with pytest.raises(ImportRejected) as exc:
        read_observations(path, plan, **kwargs)
    return str(exc.value)


def test_reads_a_clean_file(tmp_path, plan):
    path = write_csv(tmp_path / "data.csv", [
        ["rd_expenditure", "wcsc", "2023", "567.8", "重庆统计年鉴2024", "2024-03-31"],
        ["grp", "science_avenue", "2023", "1e4", "", ""],
        ["talent_change", "", "2022", "-12", "", ""],
    ])
    obs = read_observations(path, plan)
    assert [(o.indicator, o.unit, o.period, o.value, o.source, o.vintage) for o in obs] == [
        ("rd_expenditure", "wcsc", 2023, 567.8, "重庆统计年鉴2024", date(2024, 3, 31)),
        ("grp", "science_avenue", 2023, 10000.0, None, None),
        ("talent_change", "wcsc", 2022, -12.0, None, None),
    ]
    assert all(o.revision == 1 for o in obs)


def test_empty_unit_takes_the_default_unit(tmp_path, plan):
    path = write_csv(tmp_path / "data.csv", [["grp", "", "2023", "1", "", ""]])
    assert read_observations(path, plan, default_unit="science_avenue")[0].unit == "science_avenue"


def test_unknown_default_unit_is_a_problem(tmp_path, plan):
    path = write_csv(tmp_path / "data.csv", [["grp", "", "2023", "1", "", ""]])
    assert "the default unit 'chengdu' is not a geographic unit of the plan" in rejected(path, plan, default_unit="chengdu")


def test_headers_are_case_insensitive_and_may_be_chinese(tmp_path, plan):
    path = write_csv(tmp_path / "data.csv", [["GRP", "WCSC", "2023", "１２．５", "来源", "2024/03/31"]],
                     header=[" 指标 ", "地区", "年份", "数值", "来源", "版本"])
    (obs,) = read_observations(path, plan)
    assert (obs.indicator, obs.unit, obs.value, obs.vintage) == ("grp", "wcsc", 12.5, date(2024, 3, 31))
    path = write_csv(tmp_path / "d2.csv", [["grp", "wcsc", "2023", "1"]], header=["Indicator", "单位", "YEAR", "Value"])
    assert read_observations(path, plan)[0].period == 2023


def test_utf8_bom_is_accepted(tmp_path, plan):
    path = write_csv(tmp_path / "bom.csv", [["grp", "wcsc", "2023", "1", "国家统计局", ""]], encoding="utf-8-sig")
    assert read_observations(path, plan)[0].source == "国家统计局"


def test_gb18030_is_read_with_a_note(tmp_path, plan):
    path = write_csv(tmp_path / "gbk.csv", [["grp", "wcsc", "2023", "1", "重庆市统计局", ""]], encoding="gbk")
    notes: list[str] = []
    (obs,) = read_observations(path, plan, note=notes.append)
    assert obs.source == "重庆市统计局"
    assert len(notes) == 1 and "GB18030" in notes[0] and "gbk.csv" in notes[0]


def test_utf16_is_refused_with_a_hint(tmp_path, plan):
    path = tmp_path / "u16.csv"
    path.write_bytes(codecs.BOM_UTF16_LE + "indicator,unit,period,value\n".encode("utf-16-le"))
    assert "u16.csv: the file is UTF-16 ('Unicode text'); save it as 'CSV UTF-8'" in rejected(path, plan)


def test_undecodable_bytes_are_refused_with_the_line(tmp_path, plan):
    path = tmp_path / "bad.csv"
    path.write_bytes(b"indicator,unit,period,value\ngrp,wcsc,2023,1\ngrp,wcsc,2024,\x80\xff\n")
    assert "not UTF-8 (first bad byte on line 3) nor GB18030/GBK" in rejected(path, plan)


def test_semicolon_and_tab_delimiters_are_recognised(tmp_path, plan):
    for name, sep in (("semi.csv", ";"), ("tab.csv", "\t")):
        path = tmp_path / name
        path.write_text(sep.join(HEADER[:4]) + "\n" + sep.join(["grp", "wcsc", "2023", "2.5"]) + "\n", encoding="utf-8")
        assert read_observations(path, plan)[0].value == 2.5


def test_blank_lines_are_skipped_but_counted_as_rows(tmp_path, plan):
    path = tmp_path / "blank.csv"
    path.write_text("indicator,unit,period,value\n\ngrp,wcsc,2023,1\n,,,\ngrp,wcsc,2024,abc\n", encoding="utf-8")
    assert "blank.csv, row 5, column 'value': found 'abc' — not a number" in rejected(path, plan)


def test_a_quoted_line_break_keeps_the_record_on_one_row(tmp_path, plan):
    path = write_csv(tmp_path / "ml.csv", [["grp", "wcsc", "2023", "1", "line one\nline two", ""],
                                           ["grp", "wcsc", "2024", "bad", "", ""]])
    text = rejected(path, plan)
    assert "ml.csv, row 3, column 'value'" in text


def test_empty_file(tmp_path, plan):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    assert "empty.csv: the file is empty; expected a header row" in rejected(path, plan)
    path.write_bytes(codecs.BOM_UTF8 + b"\n\n")
    assert "the file is empty" in rejected(path, plan)


def test_header_only(tmp_path, plan):
    path = write_csv(tmp_path / "head.csv", [])
    assert "head.csv: the file has a header but no data rows" in rejected(path, plan)


def test_missing_required_column(tmp_path, plan):
    path = write_csv(tmp_path / "miss.csv", [["grp", "2023", "1"]], header=["indicator", "period", "value"])
    assert "miss.csv, row 1: required column 'unit' is missing (it may be left empty for the whole zone)" in rejected(path, plan)


def test_unknown_extra_column(tmp_path, plan):
    path = write_csv(tmp_path / "extra.csv", [["grp", "wcsc", "2023", "1", "hi"]],
                     header=["indicator", "unit", "period", "value", "notes"])
    assert "extra.csv, row 1, column 'notes': unknown column 'notes'; the accepted headers are" in rejected(path, plan)


def test_status_column_is_refused_with_a_reason(tmp_path, plan):
    path = write_csv(tmp_path / "st.csv", [["grp", "wcsc", "2023", "1", "approved"]],
                     header=["indicator", "unit", "period", "value", "status"])
    assert "column 'status' is set by scicity when data is imported" in rejected(path, plan)


def test_repeated_column(tmp_path, plan):
    path = write_csv(tmp_path / "rep.csv", [["grp", "wcsc", "2023", "1", "2"]],
                     header=["indicator", "unit", "period", "value", "数值"])
    assert "rep.csv, row 1, column '数值': the 'value' column appears twice (also in column D 'value')" in rejected(path, plan)


def test_unknown_indicator_suggests_the_closest_id(tmp_path, plan):
    path = write_csv(tmp_path / "ids.csv", [["rd_expenditur", "wcsc", "2023", "1", "", ""],
                                            ["研发投入强度", "wcsc", "2023", "1", "", ""],
                                            ["science_avenue", "wcsc", "2023", "1", "", ""],
                                            ["", "wcsc", "2023", "1", "", ""]])
    text = rejected(path, plan)
    assert "ids.csv, row 2, column 'indicator': the plan has no indicator or series 'rd_expenditur'; did you mean 'rd_expenditure'?" in text
    assert "row 3, column 'indicator': the plan has no indicator or series '研发投入强度'; that is the name of 'rd_intensity'" in text
    assert "row 4, column 'indicator': the plan has no indicator or series 'science_avenue'; 'science_avenue' is a geographic unit — are the columns swapped?" in text
    assert "row 5, column 'indicator': the indicator is empty" in text


def test_unknown_unit(tmp_path, plan):
    path = write_csv(tmp_path / "units.csv", [["grp", "science_avenu", "2023", "1", "", ""],
                                              ["grp", "%", "2024", "1", "", ""]])
    text = rejected(path, plan)
    assert "units.csv, row 2, column 'unit': the plan has no geographic unit 'science_avenu'; did you mean 'science_avenue'?" in text
    assert "row 3, column 'unit': the plan has no geographic unit '%'; this column names the geographic unit (地区)" in text


def test_bad_periods_and_values_are_all_reported(tmp_path, plan):
    path = write_csv(tmp_path / "data.csv", [
        ["grp", "wcsc", "2023年", "1,234", "", ""],
        ["rd_intensity", "wcsc", "2023.5", "12%", "", ""],
        ["grp", "wcsc", "2024", "NaN", "", "03/04/2024"],
        ["grp", "wcsc", "2025", "-5", "", ""],
        ["grp", "wcsc", "2026", "inf", "", ""],
        ["grp", "wcsc", "2027", "", "", ""],
        ["grp", "wcsc", "2028", "2e15", "", ""],
    ])
    text = rejected(path, plan)
    assert text.startswith(f"{path}: 10 problems; nothing was imported.")
    for line in [
        "data.csv, row 2, column 'period': found '2023年' — write 2023 (the year as four digits, without 年)",
        "data.csv, row 2, column 'value': found '1,234' — remove the thousands separators: write 1234",
        "data.csv, row 3, column 'period': found '2023.5' — not a whole year; a period is one calendar year: write 2023",
        "data.csv, row 3, column 'value': found '12%' — write 12 without the % sign (the unit of measure, %, is set by the plan)",
        "data.csv, row 4, column 'value': found 'NaN' — not a finite number",
        "data.csv, row 4, column 'vintage': found '03/04/2024' — ambiguous (day/month or month/day?)",
        "data.csv, row 5, column 'value': found '-5' — negative, but the plan says 'grp' cannot be negative",
        "data.csv, row 6, column 'value': found 'inf' — not a finite number",
        "data.csv, row 7, column 'value': the value is empty",
        "data.csv, row 8, column 'value': found '2e15' — implausibly large",
    ]:
        assert line in text, line


def test_duplicate_keys_name_both_rows(tmp_path, plan):
    path = write_csv(tmp_path / "dup.csv", [["grp", "wcsc", "2023", "1", "", ""],
                                            ["grp", "science_avenue", "2023", "1", "", ""],
                                            ["GRP", "", "2023.0", "2", "", ""]])
    assert ("dup.csv, row 4: the same indicator 'grp', unit 'wcsc' and period 2023 as row 2; "
            "keep one of the two rows") in rejected(path, plan)


def test_a_value_under_no_header_is_reported(tmp_path, plan):
    path = tmp_path / "nohead.csv"
    path.write_text("indicator,unit,period,value,,\ngrp,wcsc,2023,1,,x\n", encoding="utf-8")
    assert "nohead.csv, row 2, column 'F': a value in a column without a header" in rejected(path, plan)


def test_problems_are_capped_with_a_count_of_the_rest(tmp_path, plan):
    path = write_csv(tmp_path / "many.csv", [["nope", "wcsc", "2023", "1", "", ""]] * 1200)
    with pytest.raises(ImportRejected) as exc:
        read_observations(path, plan)
    assert len(exc.value.problems) == 1000 and exc.value.omitted == 200
    assert str(exc.value).startswith(f"{path}: 1200 problems")
    assert "… and 1150 more." in str(exc.value)


def test_injection_text_is_carried_as_text(tmp_path, plan):
    path = write_csv(tmp_path / "inj.csv", [["grp", "wcsc", "2023", "1", '=HYPERLINK("http://evil","x")', ""],
                                            ["grp", "wcsc", "2024", "1", "'; DROP TABLE observations; --", ""]])
    first, second = read_observations(path, plan)
    assert first.source == '=HYPERLINK("http://evil","x")'
    assert second.source == "'; DROP TABLE observations; --"


def test_old_xls_is_refused_with_a_hint(tmp_path, plan):
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    assert "old.xls: this is an old Excel .xls file" in rejected(path, plan)


def test_progress_reports_bytes_up_to_the_total(tmp_path, plan):
    path = write_csv(tmp_path / "p.csv", [["grp", "wcsc", str(1900 + i), "1", "", ""] for i in range(300)])
    calls: list[tuple[int, int]] = []
    read_observations(path, plan, progress=lambda done, total: calls.append((done, total)))
    size = path.stat().st_size
    assert calls[-1] == (size, size)
