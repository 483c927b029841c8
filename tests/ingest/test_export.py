"""Export to a long CSV/XLSX and read it back: same keys, values, sources and vintages."""

from __future__ import annotations

import csv
from datetime import date

import openpyxl
import pytest

from scicity.domain import Observation, ObservationStatus
from scicity.ingest.long_table import read_observations
from scicity.ingest.problems import ImportRejected
from scicity.reports.long_table import format_value, write_observations

OBSERVATIONS = [
    Observation("grp", "wcsc", 2021, 1234.5678901234567, source="国家统计局《中国统计年鉴2024》", vintage=date(2024, 3, 31)),
    Observation("grp", "science_avenue", 2021, 999999999999999.9, source="=HYPERLINK(\"http://evil\",\"click\")"),
    Observation("rd_expenditure", "wcsc", 2022, 1e-300, source="'; DROP TABLE observations; --"),
    Observation("rd_expenditure", "wcsc", 2023, 5e-324, source="+cmd|' /C calc'!A0"),
    Observation("talent_change", "wcsc", 2023, -999999999999999.9, source="-2+3", vintage=date(2023, 12, 1)),
    Observation("talent_change", "science_avenue", 2023, 0.1 + 0.2, source="@SUM(A1:A2)"),
    Observation("high_tech_enterprises", "wcsc", 2020, 1000.0, source="line one\nline two, with a comma"),
    Observation("rd_intensity", "wcsc", 2020, 2.5),
]


def essentials(observations):
    return [(o.key, o.value, o.source, o.vintage) for o in observations]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_round_trip(tmp_path, plan, suffix):
    path = tmp_path / f"export{suffix}"
    write_observations(path, OBSERVATIONS)
    assert essentials(read_observations(path, plan)) == essentials(OBSERVATIONS)


def test_csv_is_utf8_with_bom_and_neutralises_formula_text(tmp_path):
    path = tmp_path / "export.csv"
    write_observations(path, OBSERVATIONS)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines(keepends=True)))
    assert rows[0] == ["indicator", "unit", "period", "value", "source", "vintage"]
    sources = [r[4] for r in rows[1:]]
    assert sources[1] == "'=HYPERLINK(\"http://evil\",\"click\")"
    assert sources[2] == "'; DROP TABLE observations; --"  # not formula-like: left alone
    assert sources[3] == "'+cmd|' /C calc'!A0"
    assert sources[4] == "'-2+3"
    assert sources[5] == "'@SUM(A1:A2)"
    assert [r[3] for r in rows[1:4]] == ["1234.5678901234567", "999999999999999.9", "1e-300"]
    assert rows[1][5] == "2024-03-31"


def test_xlsx_cells_are_text_never_formulas(tmp_path):
    path = tmp_path / "export.xlsx"
    write_observations(path, OBSERVATIONS)
    ws = openpyxl.load_workbook(path)["observations"]
    assert ws["E3"].value == "'=HYPERLINK(\"http://evil\",\"click\")" and ws["E3"].data_type == "s"
    assert ws["D2"].data_type == "n" and ws["D2"].value == 1234.5678901234567
    assert ws["F2"].is_date and ws["F2"].value.date() == date(2024, 3, 31)
    assert ws.freeze_panes == "A2"


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_status_and_revision_on_request(tmp_path, plan, suffix):
    obs = Observation("grp", "wcsc", 2021, 1.0, revision=3, status=ObservationStatus.SUBMITTED)
    path = tmp_path / f"status{suffix}"
    write_observations(path, [obs], with_status=True)
    if suffix == ".csv":
        rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
        assert rows == [["indicator", "unit", "period", "value", "source", "vintage", "status", "revision"],
                        ["grp", "wcsc", "2021", "1", "", "", "submitted", "3"]]
    else:
        ws = openpyxl.load_workbook(path).active
        assert [c.value for c in ws[2]][-2:] == ["submitted", 3]
    with pytest.raises(ImportRejected, match="column 'status' is set by scicity when data is imported"):
        read_observations(path, plan)


def test_unknown_suffix_is_refused(tmp_path):
    with pytest.raises(ValueError, match="use a .csv or .xlsx file name"):
        write_observations(tmp_path / "out.json", OBSERVATIONS)


def test_empty_export_has_a_header(tmp_path):
    path = tmp_path / "none.csv"
    write_observations(path, [])
    assert path.read_text(encoding="utf-8-sig").splitlines() == ["indicator,unit,period,value,source,vintage"]


@pytest.mark.parametrize(("value", "text"), [(12.0, "12"), (-0.0, "0"), (0.1, "0.1"), (1e-7, "1e-07"),
                                             (2.0**60, "1.152921504606847e+18")])
def test_format_value(value, text):
    assert format_value(value) == text
