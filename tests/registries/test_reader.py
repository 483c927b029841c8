"""Registry files: every bad input is named by file, sheet, row and column, and nothing is read."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from scicity.ingest.problems import ImportRejected
from scicity.ingest.registry_reader import read_registry
from tests.registries.conftest import write_csv, write_xlsx

ENT = ["credit_code", "name_zh", "unit", "founded_on"]
CERT = ["credit_code", "kind", "valid_from", "valid_to"]


def rejected(path, kind, plan, **kw) -> list[str]:
    with pytest.raises(ImportRejected) as info:
        read_registry(path, kind, plan, **kw)
    return [str(p) for p in info.value.problems]


def test_good_enterprises_with_chinese_headers(tmp_path, seed_plan, codes):
    f = write_csv(tmp_path / "e.csv", ["统一社会信用代码", "企业名称", "地区", "成立日期", "战略性新兴产业"],
                  [[codes[0], "甲公司", "vitality_centre", "2019-03-01", "是"], [codes[1].lower(), "乙公司", "wcsc", "", ""]])
    got = read_registry(f, "enterprises", seed_plan)
    assert [e.credit_code for e in got.records] == [codes[0], codes[1]]
    assert got.records[0].strategic_emerging is True and got.records[1].strategic_emerging is False
    assert got.fields == {"credit_code", "name_zh", "unit", "founded_on", "strategic_emerging"}


def test_bad_check_character(tmp_path, seed_plan, codes):
    bad = codes[0][:17] + ("0" if codes[0][17] != "0" else "1")
    f = write_csv(tmp_path / "e.csv", ENT, [[codes[1], "甲", "wcsc", ""], [bad, "乙", "wcsc", ""]])
    [problem] = rejected(f, "enterprises", seed_plan)
    assert problem.startswith("e.csv, row 3, column 'credit_code': found")
    assert f"check character should be '{codes[0][17]}', found '{bad[17]}'" in problem


def test_same_enterprise_twice_names_both_rows(tmp_path, seed_plan, codes):
    f = write_csv(tmp_path / "e.csv", ENT, [[codes[0], "甲", "wcsc", ""], [codes[1], "乙", "wcsc", ""],
                                            [codes[0], "丙", "wcsc", ""]])
    [problem] = rejected(f, "enterprises", seed_plan)
    assert problem == f"e.csv, row 4: the same enterprise (credit_code {codes[0]}) as row 2; keep one of the two rows"


def test_certificate_ending_before_it_starts(tmp_path, seed_plan, codes):
    f = write_csv(tmp_path / "c.csv", CERT, [[codes[0], "gazelle", "2023-05-01", "2022-12-31"]])
    [problem] = rejected(f, "certifications", seed_plan, known_enterprises=lambda c: c)
    assert problem == ("c.csv, row 2, column 'valid_to': Valid to 2022-12-31 is before Valid from 2023-05-01: "
                       "a certificate cannot end before it starts")


def test_high_tech_certificate_without_end_lasts_three_years(tmp_path, seed_plan, codes):
    f = write_csv(tmp_path / "c.csv", CERT, [[codes[0], "高新技术企业", "2024-02-29", ""],
                                             [codes[0], "tech_sme", "2024-05-01", ""]])
    high, sme = read_registry(f, "certifications", seed_plan, known_enterprises=lambda c: c).records
    assert high.kind == "high_tech" and high.valid_to == date(2027, 2, 28)
    assert sme.valid_to is None


def test_certification_for_an_unknown_enterprise(tmp_path, seed_plan, codes):
    f = write_csv(tmp_path / "c.csv", CERT, [[codes[0], "gazelle", "2023-05-01", ""],
                                             [codes[1], "gazelle", "2023-05-01", ""],
                                             [codes[1], "unicorn", "2024-05-01", ""]])
    [problem] = rejected(f, "certifications", seed_plan, known_enterprises=lambda c: {codes[0]})
    assert problem == (f"c.csv, row 3, column 'credit_code': no enterprise with credit code {codes[1]} in the registry "
                       "(also row 4); import it first with 'scicity registry import enterprises'")


def test_patent_lapsing_before_its_grant(tmp_path, seed_plan):
    f = write_csv(tmp_path / "p.csv", ["number", "type", "granted_on", "lapsed_on", "unit"],
                  [["ZL202310000001.5", "invention", "2023-06-01", "2023-05-31", "science_avenue"]])
    [problem] = rejected(f, "patents", seed_plan)
    assert problem == ("p.csv, row 2, column 'lapsed_on': Lapsed on 2023-05-31 is before Granted on 2023-06-01: "
                       "a patent cannot lapse before it is granted")


def test_unknown_geography_unit_suggests_the_closest(tmp_path, seed_plan):
    f = write_csv(tmp_path / "t.csv", ["person_id", "tier", "introduced_on", "unit"],
                  [["P1", "top", "2023-05-01", "vitality_center"]])
    [problem] = rejected(f, "talent", seed_plan)
    assert problem == ("t.csv, row 2, column 'unit': the plan has no geographic unit 'vitality_center'; "
                       "did you mean 'vitality_centre'?")


@pytest.mark.parametrize(
    ("kind", "header", "row", "column", "message"),
    [
        ("talent", ["person_id", "tier", "introduced_on", "unit"], ["P1", "legendary", "2023-05-01", "wcsc"], "tier",
         "found 'legendary' — not one of top, outstanding, leading, young"),
        ("talent", ["person_id", "tier", "introduced_on", "unit"], ["P1", "Young", "2023-05-01", "wcsc"], None, None),
        ("institutions", ["code", "name_en", "type", "level", "unit", "recognised_on"],
         ["KL-1", "Lab", "key_labs", "municipal", "wcsc", "2020-01-01"], "type",
         "found 'key_labs' — not one of major_facility, national_industry_platform, rd_institution, key_lab, "
         "pilot_platform, other; did you mean 'key_lab'?"),
        ("institutions", ["code", "name_en", "type", "level", "unit", "recognised_on"],
         ["KL-1", "Lab", "key_lab", "provincial", "wcsc", "2020-01-01"], "level",
         "found 'provincial' — not one of district, municipal, national"),
        ("institutions", ["code", "name_en", "type", "level", "unit", "recognised_on"],
         ["KL-1", "", "key_lab", "市级", "wcsc", "2020-01-01"], "name_en",
         "an institution needs a name: fill English name or Chinese name (or both)"),
    ],
)
def test_unknown_choices(tmp_path, seed_plan, kind, header, row, column, message):
    f = write_csv(tmp_path / "f.csv", header, [row])
    if message is None:
        assert read_registry(f, kind, seed_plan).records
        return
    [problem] = rejected(f, kind, seed_plan)
    assert problem == f"f.csv, row 2, column {column!r}: {message}"


@pytest.mark.parametrize(
    ("written", "expected"),
    [("2023-05-01", date(2023, 5, 1)), ("2023/5/1", date(2023, 5, 1)), ("2023.05.01", date(2023, 5, 1)),
     ("2023年5月1日", date(2023, 5, 1)), ("20230501", date(2023, 5, 1)), ("２０２３－０５－０１", date(2023, 5, 1))],
)
def test_accepted_date_texts(tmp_path, seed_plan, written, expected):
    f = write_csv(tmp_path / "t.csv", ["person_id", "tier", "introduced_on", "unit"], [["P1", "top", written, "wcsc"]])
    notes: list[str] = []
    [record] = read_registry(f, "talent", seed_plan, note=notes.append).records
    assert record.introduced_on == expected
    assert bool(notes) == (written not in ("2023-05-01", "２０２３－０５－０１"))


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("2023-05", "found '2023-05' — only a year and month; write the full date with the day, e.g. 2023-05-01"),
        ("5/1/2023", "found '5/1/2023' — ambiguous (month/day or day/month?); write year-month-day, "
                     "e.g. 2023-05-01 or 2023-01-05"),
        ("13/5/2023", "found '13/5/2023' — write dates as year-month-day: 2023-05-13"),
        ("2023", "found '2023' — only a year; write the full date, e.g. 2023-05-01"),
        ("45047", "found '45047' — looks like an Excel serial date number (2023-05-01?); CSV files hold dates as "
                  "text: write YYYY-MM-DD"),
        ("2023-02-30", "found '2023-02-30' — no such day; write a valid date as YYYY-MM-DD"),
    ],
)
def test_rejected_date_texts(tmp_path, seed_plan, written, message):
    f = write_csv(tmp_path / "t.csv", ["person_id", "tier", "introduced_on", "unit"], [["P1", "top", written, "wcsc"]])
    [problem] = rejected(f, "talent", seed_plan)
    assert problem.startswith(f"t.csv, row 2, column 'introduced_on': {message}"), problem


def test_xlsx_date_cells_and_serial_numbers(tmp_path, seed_plan):
    f = write_xlsx(tmp_path / "t.xlsx", ["person_id", "tier", "introduced_on", "departed_on", "unit"],
                   [["P1", "top", date(2023, 5, 1), None, "wcsc"],
                    ["P2", "young", datetime(2021, 7, 9, 0, 0), 45047, "wcsc"],
                    ["P3", "young", 45047.0, None, "science_avenue"]], sheet="人才")
    records = read_registry(f, "talent", seed_plan).records
    assert [r.introduced_on for r in records] == [date(2023, 5, 1), date(2021, 7, 9), date(2023, 5, 1)]
    assert records[1].departed_on == date(2023, 5, 1)


def test_xlsx_problems_name_the_sheet(tmp_path, seed_plan):
    f = write_xlsx(tmp_path / "t.xlsx", ["person_id", "tier", "introduced_on", "unit"],
                   [["P1", "top", 2023, "wcsc"], ["P2", "top", "2023-05", "wcsc"]], sheet="人才")
    assert rejected(f, "talent", seed_plan) == [
        "t.xlsx, sheet '人才', row 2, column 'introduced_on': found 2023 — only a year; write the full date, e.g. 2023-05-01",
        "t.xlsx, sheet '人才', row 3, column 'introduced_on': found '2023-05' — only a year and month; write the full "
        "date with the day, e.g. 2023-05-01 (if the day is not known, ask the issuing office; dates here are exact days)",
    ]


def test_header_problems(tmp_path, seed_plan):
    f = write_csv(tmp_path / "p.csv", ["number", "kind", "granted_on", "unit"], [["ZL1", "invention", "2020-01-01", "wcsc"]])
    problems = rejected(f, "patents", seed_plan)
    assert problems[0].startswith("p.csv, row 1, column 'kind': unknown column 'kind' for patents")
    assert problems[1] == ("p.csv, row 1: required column 'type' is missing; a patents file needs number, type, "
                           "granted_on, unit")


def test_empty_and_header_only_files(tmp_path, seed_plan):
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    assert rejected(empty, "patents", seed_plan) == [
        "empty.csv: the file is empty; expected a header row (number, type, granted_on, unit, …) and data rows"]
    header = write_csv(tmp_path / "h.csv", ["number", "type", "granted_on", "unit"], [])
    assert rejected(header, "patents", seed_plan) == ["h.csv: the file has a header but no data rows"]


def test_financials_numbers(tmp_path, seed_plan, codes):
    f = write_csv(tmp_path / "f.csv", ["credit_code", "year", "revenue", "employees", "valuation"],
                  [[codes[0], "2023", "1234.5", "12", ""], [codes[1], "2023", "-5", "3.5", "1,000"]])
    problems = rejected(f, "financials", seed_plan, known_enterprises=lambda c: c)
    assert problems == [
        "f.csv, row 3, column 'revenue': found '-5' — negative; amounts here cannot be negative — check the sign",
        "f.csv, row 3, column 'employees': found '3.5' — a count of persons must be a whole number",
        "f.csv, row 3, column 'valuation': found '1,000' — remove the thousands separators: write 1000",
    ]


def test_a_bad_last_row_of_a_large_file_rejects_it_all(tmp_path, seed_plan):
    rows = [[f"ZL2020{i:08d}", "invention", "2021-01-01", "", "wcsc"] for i in range(50_000)]
    rows.append(["ZL-last", "invention", "2021-01-01", "2020-12-31", "wcsc"])
    f = write_csv(tmp_path / "p.csv", ["number", "type", "granted_on", "lapsed_on", "unit"], rows)
    [problem] = rejected(f, "patents", seed_plan)
    assert problem.startswith("p.csv, row 50002, column 'lapsed_on'")
