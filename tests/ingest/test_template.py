"""The wide XLSX template: how it is built, and reading it back strictly."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest

from scicity.domain.message import Msg
from scicity.domain import Observation
from scicity.ingest.problems import ImportRejected
from scicity.ingest.template import read_any, read_template, write_template

from .files import HEADER, write_csv, write_xlsx

YEARS = [2020, 2021, 2022, 2023, 2024, 2025]


@pytest.fixture
def template(tmp_path, plan) -> Path:
    path = tmp_path / "template.xlsx"
    write_template(plan, path)
    return path


def fill(path: Path, cells: dict[tuple[str, str], object]) -> Path:
    """Type values into a template like a user would (openpyxl ignores sheet protection)."""
    wb = openpyxl.load_workbook(path)
    for (sheet, ref), value in cells.items():
        wb[sheet][ref] = value
    wb.save(path)
    return path


def rejected(path: Path, plan, **kwargs) -> str:
    with pytest.raises(ImportRejected) as exc:
        read_template(path, plan, **kwargs)
    return str(exc.value)


def test_sheets_readme_areas_series_and_a_hidden_marker(template):
    wb = openpyxl.load_workbook(template)
    assert wb.sheetnames == ["README", "Innovation input", "Sci-tech talent", "Series", "_scicity"]
    assert wb["_scicity"].sheet_state == "veryHidden"
    readme = "\n".join(str(c.value) for row in wb["README"].iter_rows() for c in row if c.value)
    assert "How to fill in this template" in readme and "填写说明" not in readme  # one language per template
    series = wb["Series"]
    assert [c.value for c in series[1]] == ["id", "Name (English)", "Name (Chinese)", "Unit of measure", *YEARS, "Source"]
    assert [series.cell(r, 1).value for r in (2, 3)] == ["rd_expenditure", "grp"]
    assert series.cell(2, 4).value == "CNY 100 million"


def test_value_cells_have_data_validation(template):
    wb = openpyxl.load_workbook(template)
    ws = wb["Innovation input"]  # row 2 rd_intensity (computed), row 3 high_tech_enterprises
    (dv,) = ws.data_validations.dataValidation
    assert str(dv.sqref) == "E3:J3"
    assert (dv.type, dv.operator, dv.formula1, dv.formula2) == ("decimal", "between", "0", "1000000000000000")
    assert dv.allow_blank and dv.showErrorMessage and dv.showInputMessage
    assert "enterprises" in dv.prompt and "≥ 0" in dv.error and len(dv.error) <= 225 and len(dv.prompt) <= 255
    (signed,) = wb["Sci-tech talent"].data_validations.dataValidation
    assert signed.formula1 == "-1000000000000000"  # talent_change may be negative


def test_layout_frozen_panes_widths_and_protection(template):
    ws = openpyxl.load_workbook(template)["Series"]
    assert ws.freeze_panes == "E2"
    assert ws.column_dimensions["B"].width > 30
    assert ws.protection.sheet
    assert ws["E2"].protection.locked is False and ws["K2"].protection.locked is False
    assert ws["A2"].protection.locked is True


def test_computed_indicators_are_grey_locked_and_explained(template):
    ws = openpyxl.load_workbook(template)["Innovation input"]
    assert ws["A2"].value == "rd_intensity"
    assert ws["K2"].value.startswith("computed from rd_expenditure / grp * 100")
    assert ws["E2"].protection.locked is True
    assert ws["E2"].fill.fgColor.rgb.endswith("EDEDED")
    assert ws["B2"].font.color.rgb.endswith("808080")


def test_chinese_template_and_other_years_and_unit(tmp_path, plan):
    path = tmp_path / "zh.xlsx"
    write_template(plan, path, lang="zh", years=[2024, 2023], unit="science_avenue")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["说明", "创新投入", "科技人才", "基础数据", "_scicity"]
    ws = wb["基础数据"]
    assert [c.value for c in ws[1]] == ["编号", "名称（中文）", "英文名称", "计量单位", 2023, 2024, "来源"]
    assert ws["B2"].value == "R&D经费支出"
    readme = "\n".join(str(c.value) for row in wb["说明"].iter_rows() for c in row if c.value)
    assert "填写说明" in readme and "How to fill" not in readme and "规划" in readme and "地区" in readme
    assert "由系统根据 rd_expenditure / grp * 100 计算，无需填写" in [c.value for c in wb["创新投入"][2]]
    (dv,) = wb["创新投入"].data_validations.dataValidation
    assert "仅填数字" in dv.prompt and "Number" not in dv.prompt and dv.errorTitle == "数值无效"
    fill(path, {("基础数据", "E3"): 5, ("基础数据", "G3"): "统计年鉴"})
    (obs,) = read_template(path, plan)
    assert (obs.indicator, obs.unit, obs.period, obs.value, obs.source) == ("grp", "science_avenue", 2023, 5.0, "统计年鉴")


def test_templates_made_before_with_bilingual_headers_are_still_read(tmp_path, plan):
    path = tmp_path / "old.xlsx"
    write_template(plan, path, years=[2023])
    wb = openpyxl.load_workbook(path)
    ws = wb["Series"]
    for ref, old in (("B1", "Name (English)"), ("C1", "名称（中文）"), ("D1", "Unit of measure / 计量单位"),
                     ("F1", "Source / 来源")):
        ws[ref] = old
    ws["E3"], ws["F3"] = 7, "yearbook"
    wb.save(path)
    (obs,) = read_template(path, plan)
    assert (obs.indicator, obs.value, obs.source) == ("grp", 7.0, "yearbook")


def test_bad_arguments_are_refused(tmp_path, plan):
    with pytest.raises(ValueError, match="'chengdu' is not a geographic unit"):
        write_template(plan, tmp_path / "x.xlsx", unit="chengdu")
    with pytest.raises(ValueError, match="years must be"):
        write_template(plan, tmp_path / "x.xlsx", years=[])


def test_prefilled_values_read_back_exactly(tmp_path, plan):
    stored = [
        Observation("grp", "wcsc", 2021, 1234.5678901234567, source="国家统计局", vintage=date(2024, 3, 31)),
        Observation("grp", "wcsc", 2022, 1e-300, source="国家统计局"),
        Observation("talent_change", "wcsc", 2023, -999999999999999.9),
        Observation("grp", "science_avenue", 2021, 7.0),  # another unit: not in this template
    ]
    path = tmp_path / "pre.xlsx"
    write_template(plan, path, observations={o.key: o for o in stored})
    back = {o.key: o for o in read_template(path, plan)}
    assert set(back) == {o.key for o in stored[:3]}
    for o in stored[:3]:
        assert back[o.key].value == o.value
    assert back[stored[0].key].source == "国家统计局"


def test_empty_template_reads_as_no_observations(template, plan):
    assert read_template(template, plan) == []


def test_typed_values_are_read_with_the_row_source(template, plan):
    fill(template, {("Series", "F3"): 25000.5, ("Series", "G3"): "26000", ("Series", "K3"): "重庆统计年鉴",
                    ("Innovation input", "J3"): 1200})
    obs = sorted(read_template(template, plan), key=lambda o: (o.indicator, o.period))
    assert [(o.indicator, o.unit, o.period, o.value, o.source) for o in obs] == [
        ("grp", "wcsc", 2021, 25000.5, "重庆统计年鉴"),
        ("grp", "wcsc", 2022, 26000.0, "重庆统计年鉴"),
        ("high_tech_enterprises", "wcsc", 2025, 1200.0, None),
    ]


def test_problems_name_sheet_row_and_column_with_year(template, plan):
    fill(template, {
        ("Series", "F3"): "1,234",
        ("Series", "G2"): -5,
        ("Innovation input", "E2"): 2.5,  # rd_intensity is computed
        ("Sci-tech talent", "H2"): "12%",
        ("Sci-tech talent", "A3"): "high_tech_enterprises",  # also has a row in 'Innovation input'
        ("Sci-tech talent", "F3"): 1,
        ("Sci-tech talent", "A4"): "rd_intensty",
        ("Sci-tech talent", "F5"): 3,  # a value without an id
        ("Series", "L1"): "notes",
    })
    text = rejected(template, plan)
    for line in [
        "template.xlsx, sheet 'Series', row 3, column 'F (2021)': found '1,234' — remove the thousands separators: write 1234",
        "template.xlsx, sheet 'Series', row 2, column 'G (2022)': found -5 — negative, but the plan says 'rd_expenditure' cannot be negative",
        "template.xlsx, sheet 'Innovation input', row 2, column 'E (2020)': 'rd_intensity' is computed from rd_expenditure / grp * 100 and cannot be entered; delete the value",
        "template.xlsx, sheet 'Sci-tech talent', row 2, column 'H (2023)': found '12%' — write 12 without the % sign (the unit of measure, persons, is set by the plan)",
        "template.xlsx, sheet 'Sci-tech talent', row 3, column 'A (id)': 'high_tech_enterprises' also has a row in sheet 'Innovation input', row 3; keep one of the two rows",
        "template.xlsx, sheet 'Sci-tech talent', row 4, column 'A (id)': the plan has no indicator or series 'rd_intensty'; did you mean 'rd_intensity'?",
        "template.xlsx, sheet 'Sci-tech talent', row 5, column 'F': values in a row without an id in column A",
        "template.xlsx, sheet 'Series', row 1, column 'L': unknown column header — found 'notes' — not a year",
    ]:
        assert line in text, line


def test_merged_cells_extra_and_missing_sheets(template, plan):
    wb = openpyxl.load_workbook(template)
    wb["Series"].merge_cells("E2:F2")
    wb["Sci-tech talent"].title = "Talent"
    wb.create_sheet("My notes")["A1"] = "remember to check"
    wb.save(template)
    text = rejected(template, plan)
    assert "template.xlsx, sheet 'Series', row 2: merged cells E2:F2; unmerge them" in text
    assert "template.xlsx, sheet 'Sci-tech talent': this sheet of the template is missing (renamed or deleted?)" in text
    assert "template.xlsx, sheet 'Talent': this sheet is not part of the template and would not be imported" in text
    assert "template.xlsx, sheet 'My notes': this sheet is not part of the template" in text


def test_another_plan_or_unit_is_refused(template, plan):
    other = plan.model_copy(update={"id": "other-plan"})
    assert "template.xlsx: the template was made for plan 'test-plan', not 'other-plan'" in rejected(template, other)
    assert ("the template was made for geographic unit 'wcsc', not 'science_avenue'"
            in rejected(template, plan, unit="science_avenue"))


def test_a_plain_workbook_is_not_a_template(tmp_path, plan):
    path = write_xlsx(tmp_path / "long.xlsx", {"Data": [HEADER[:4], ["grp", "wcsc", 2023, 1]]})
    assert "long.xlsx: this is not a scicity template (its hidden sheet '_scicity' is missing)" in rejected(path, plan)


def test_read_any_tells_the_kinds_apart(tmp_path, template, plan):
    fill(template, {("Series", "F3"): 1})
    csv_path = write_csv(tmp_path / "long.csv", [["grp", "wcsc", "2022", "2", "", ""]])
    xlsx_path = write_xlsx(tmp_path / "long.xlsx", {"Data": [HEADER[:4], ["grp", "wcsc", 2023, 3]]})
    renamed = tmp_path / "long_xlsx.csv"
    renamed.write_bytes(xlsx_path.read_bytes())
    assert [(o.period, o.value) for o in read_any(template, plan)] == [(2021, 1.0)]
    assert [(o.period, o.value) for o in read_any(csv_path, plan)] == [(2022, 2.0)]
    assert [(o.period, o.value) for o in read_any(xlsx_path, plan)] == [(2023, 3.0)]
    assert [(o.period, o.value) for o in read_any(renamed, plan)] == [(2023, 3.0)]


def test_sheet_names_are_cut_between_words() -> None:
    from scicity.ingest.template_layout import sheet_title

    taken: set[str] = set()
    long = "Comprehensive contribution of sci-tech and innovation"  # 54 characters
    first = sheet_title(long, taken)
    assert len(first) <= 31 and long.startswith(first) and long[len(first)] == " "
    second = sheet_title(long, taken)
    assert len(second) <= 31 and second.endswith(" (2)") and long.startswith(second[:-4])
    # Chinese has no spaces: the cut falls between words (jieba), never inside one
    area = "科技创新综合贡献与成果转化能力提升及高新技术产业集群培育发展情况"  # 33 characters
    title = sheet_title(area, set())
    assert len(title) <= 31 and area.startswith(title) and title.endswith("发展")
    assert area[:31] != title or area[31:] == ""  # a plain cut at 31 would split 情况


def test_a_31_plus_character_area_name_makes_a_template_for_one_unit(tmp_path, plan):
    area = plan.areas[0]
    long_zh = "科技创新综合贡献与成果转化能力提升及高新技术产业集群培育发展情况"
    long_en = "Comprehensive contribution of sci-tech and innovation to growth"
    renamed = plan.model_copy(update={"areas": [area.model_copy(update={"name": area.name.model_copy(
        update={"en": long_en, "zh": long_zh})}), *plan.areas[1:]]})
    for lang, long in (("zh", long_zh), ("en", long_en)):
        path = tmp_path / f"{lang}.xlsx"
        write_template(renamed, path, lang=lang, unit="science_avenue", years=[2024])
        names = openpyxl.load_workbook(path).sheetnames
        cut = next(n for n in names if long.startswith(n[:8]))
        assert len(cut) <= 31 and long.startswith(cut) and (long[len(cut)] == " " if lang == "en" else True)
        assert read_template(path, renamed) == []  # an empty template reads back as nothing, without problems
