"""Long XLSX files: calamine's floats and dates normalised; problems name sheet, row and column."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from scicity.ingest.long_table import read_observations
from scicity.ingest.problems import ImportRejected
from scicity.ingest.template import write_template

from .files import HEADER, write_xlsx


def rejected(path: Path, plan, **kwargs) -> str:
    with pytest.raises(ImportRejected) as exc:
        read_observations(path, plan, **kwargs)
    return str(exc.value)


def test_reads_typed_cells(tmp_path, plan):
    path = write_xlsx(tmp_path / "data.xlsx", {"Data": [
        HEADER,
        ["rd_expenditure", "wcsc", 2023, 567.8, "重庆统计年鉴", date(2024, 3, 31)],
        ["grp", None, 2023.0, 12000, 2024, datetime(2024, 4, 1, 9, 30)],
        ["talent_change", "science_avenue", "2022", "-3", None, 45382],
    ]})
    obs = read_observations(path, plan)
    assert [(o.indicator, o.unit, o.period, o.value, o.source, o.vintage) for o in obs] == [
        ("rd_expenditure", "wcsc", 2023, 567.8, "重庆统计年鉴", date(2024, 3, 31)),
        ("grp", "wcsc", 2023, 12000.0, "2024", date(2024, 4, 1)),
        ("talent_change", "science_avenue", 2022, -3.0, None, date(2024, 3, 31)),
    ]
    assert all(type(o.period) is int for o in obs)


def test_problems_name_sheet_row_and_column(tmp_path, plan):
    path = write_xlsx(tmp_path / "data.xlsx", {"Talent": [
        HEADER,
        ["grp", "wcsc", 2023, 1, None, None],
        ["grp", "wcsc", 2023.5, "1,234", None, None],
        ["grp", "wcsc", 2024, True, None, "31/03/2024"],
        ["grp", "wcsc", date(2025, 1, 1), -1, None, None],
        ["grp", "wcsc", 2023, 2, None, None],
    ]})
    text = rejected(path, plan)
    for line in [
        "data.xlsx, sheet 'Talent', row 3, column 'period': found 2023.5 — not a whole year",
        "data.xlsx, sheet 'Talent', row 3, column 'value': found '1,234' — remove the thousands separators: write 1234",
        "data.xlsx, sheet 'Talent', row 4, column 'value': found TRUE — not a number",
        "data.xlsx, sheet 'Talent', row 4, column 'vintage': found '31/03/2024' — write dates as year-month-day: 2024-03-31",
        "data.xlsx, sheet 'Talent', row 5, column 'period': found 2025-01-01 — a date, not a year; write only the year as a number: 2025",
        "data.xlsx, sheet 'Talent', row 5, column 'value': found -1 — negative, but the plan says 'grp' cannot be negative",
        "data.xlsx, sheet 'Talent', row 6: the same indicator 'grp', unit 'wcsc' and period 2023 as row 2",
    ]:
        assert line in text, line


def test_a_table_that_does_not_start_at_a1_keeps_excel_row_numbers(tmp_path, plan):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    for c, h in enumerate(HEADER[:4], start=3):
        ws.cell(3, c, h)
    for c, v in enumerate(["grp", "wcsc", 2023, "abc"], start=3):
        ws.cell(4, c, v)
    ws.cell(4, 8, "stray")
    path = tmp_path / "offset.xlsx"
    wb.save(path)
    text = rejected(path, plan)
    assert "offset.xlsx, sheet 'Data', row 4, column 'value': found 'abc' — not a number" in text
    assert "offset.xlsx, sheet 'Data', row 4, column 'H': a value in a column without a header" in text


def test_merged_cells_are_reported(tmp_path, plan):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append(HEADER[:4])
    ws.append(["grp", "wcsc", 2023, 1])
    ws.append(["grp", None, 2024, 2])
    ws.merge_cells("B2:B3")
    path = tmp_path / "merged.xlsx"
    wb.save(path)
    assert ("merged.xlsx, sheet 'Data', row 2: merged cells B2:B3; unmerge them and write the value in every row"
            in rejected(path, plan))


def test_more_than_one_sheet_with_data_names_the_sheets(tmp_path, plan):
    path = write_xlsx(tmp_path / "two.xlsx", {
        "2023": [HEADER[:4], ["grp", "wcsc", 2023, 1]],
        "Empty": [],
        "2024": [HEADER[:4], ["grp", "wcsc", 2024, 1]],
    })
    assert ("two.xlsx: 2 sheets hold data ('2023', '2024'); the long format is read from one sheet"
            in rejected(path, plan))


def test_hidden_sheets_with_data_count_and_are_marked(tmp_path, plan):
    path = write_xlsx(tmp_path / "hidden.xlsx", {"Data": [HEADER[:4], ["grp", "wcsc", 2023, 1]], "Notes": [["x"]]})
    wb = openpyxl.load_workbook(path)
    wb["Notes"].sheet_state = "hidden"
    wb.save(path)
    assert "('Data', 'Notes' (hidden))" in rejected(path, plan)


def test_empty_workbook(tmp_path, plan):
    path = write_xlsx(tmp_path / "empty.xlsx", {"Sheet1": []})
    assert "empty.xlsx: the workbook is empty" in rejected(path, plan)


def test_header_only(tmp_path, plan):
    path = write_xlsx(tmp_path / "head.xlsx", {"Data": [HEADER]})
    assert "head.xlsx, sheet 'Data': the file has a header but no data rows" in rejected(path, plan)


def test_missing_and_unknown_columns(tmp_path, plan):
    path = write_xlsx(tmp_path / "cols.xlsx", {"Data": [["indicator", "period", "value", "comment"], ["grp", 2023, 1, "x"]]})
    text = rejected(path, plan)
    assert "cols.xlsx, sheet 'Data', row 1, column 'comment': unknown column 'comment'" in text
    assert "cols.xlsx, sheet 'Data', row 1: required column 'unit' is missing" in text


def test_unknown_ids(tmp_path, plan):
    path = write_xlsx(tmp_path / "ids.xlsx", {"Data": [HEADER[:4], ["high_tech", "wcsc", 2023, 1], ["grp", "cq", 2023, 1]]})
    text = rejected(path, plan)
    assert "ids.xlsx, sheet 'Data', row 2, column 'indicator': the plan has no indicator or series 'high_tech'; did you mean 'high_tech_enterprises'?" in text
    assert "ids.xlsx, sheet 'Data', row 3, column 'unit': the plan has no geographic unit 'cq'" in text


def test_formula_text_in_source_stays_text(tmp_path, plan):
    path = write_xlsx(tmp_path / "inj.xlsx", {"Data": [HEADER, ["grp", "wcsc", 2023, 1, '=HYPERLINK("http://evil")', None]]})
    assert read_observations(path, plan)[0].source == '=HYPERLINK("http://evil")'


def test_a_damaged_workbook_is_refused(tmp_path, plan):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 64)
    assert "broken.xlsx: the file cannot be read as an Excel workbook" in rejected(path, plan)


def test_a_template_is_not_a_long_table(tmp_path, plan):
    path = tmp_path / "tpl.xlsx"
    write_template(plan, path)
    assert "tpl.xlsx: this is a filled-in scicity template, not a long table" in rejected(path, plan)


def test_progress_counts_rows(tmp_path, plan):
    path = write_xlsx(tmp_path / "p.xlsx", {"Data": [HEADER[:4], *[["grp", "wcsc", 1900 + i, i] for i in range(20)]]})
    calls: list[tuple[int, int]] = []
    read_observations(path, plan, progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (21, 21)
