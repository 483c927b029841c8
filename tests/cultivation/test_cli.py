"""`scicity tiers …` against a small registry imported through the CLI, as an office would."""

from __future__ import annotations

import json

import openpyxl
import pytest

from scicity.ingest.tier_rules_file import PACKAGED
from tests.registries.conftest import write_csv

FIN = ["credit_code", "year", "revenue", "rd_expenditure", "employees", "st_staff", "total_costs", "total_assets",
       "net_assets", "rd_domestic_share", "hightech_revenue", "main_revenue", "debt_ratio", "conversions",
       "ip_class1", "ip_class2", "major_incident", "dishonest", "restricted_industry"]


@pytest.fixture
def office(cli, tmp_path, codes):
    cli("init")
    a, b, c = codes[:3]
    write_csv(tmp_path / "e.csv", ["credit_code", "name_zh", "unit", "founded_on"],
              [[a, "甲科技（示例）", "wcsc", "2015-03-01"], [b, "乙科技（示例）", "wcsc", "2016-05-01"],
               [c, "丙科技（示例）", "wcsc", "2019-01-01"]])
    rows = []
    for year in (2023, 2024, 2025):
        rows.append([a, year, 30000, 780, 200, 40, 26000, 40000, 20000, 90, 22000, 29000, 40, 3, 2, 5, "否", "否", "否"])
        rows.append([b, year, 5000, 400, 100, 30, 4500, 6000, 3000, 90, 4000, 4800, 40, 5, 1, 3, "否", "否", "否"])
        rows.append([c, year, 2000, 30, 60, 3, 1900, 2500, 1200, "" if year == 2025 else 80, 900, 1900, 50, 0, 0, 0,
                     "否", "否", "否"])
    write_csv(tmp_path / "f.csv", FIN, rows)
    write_csv(tmp_path / "c.csv", ["credit_code", "kind", "valid_from"], [[b, "high_tech", "2023-11-01"]])
    for kind, name in (("enterprises", "e"), ("financials", "f"), ("certifications", "c")):
        cli("registry", "import", kind, tmp_path / f"{name}.csv")
    return cli


def test_list_and_validate(cli, tmp_path):
    listed = cli("tiers", "list", "--lang", "zh").stdout
    assert "科技和创新型中小企业" in listed and "2026-04-01" in listed
    assert "OK" in cli("tiers", "validate", PACKAGED / "gazelle-2023.yaml").stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text((PACKAGED / "gazelle-2023.yaml").read_text(encoding="utf-8").replace("metric: sales", "metric: salez"),
                   encoding="utf-8")
    result = cli("tiers", "validate", bad, ok=False)
    assert result.exit_code == 1 and "bad.yaml:" in result.output and "unknown field 'salez'" in result.output


def test_evaluate_formats(office, tmp_path):
    table = office("tiers", "evaluate", "--year", "2025").stdout
    assert "High-tech enterprise" in table
    data = json.loads(office("tiers", "evaluate", "--year", "2025", "--tier", "specialised", "--format", "json").stdout)
    a = next(r for r in data if r["enterprise"] == "甲科技（示例）")
    rd = next(c for c in a["criteria"] if c["id"] == "rd_ratio")
    assert rd["status"] == "not_met" and rd["gap"]["text"] == "CNY 1.20 m more R&D on this year's sales"
    c = next(r for r in data if r["enterprise"] == "丙科技（示例）")
    assert c["outcome"] in ("not_met", "unknown")
    out = tmp_path / "all.xlsx"
    office("tiers", "evaluate", "--format", "xlsx", "--output", out, "--lang", "zh")
    sheet = openpyxl.load_workbook(out).active
    assert [cell.value for cell in sheet[1]][:3] == ["统一社会信用代码", "企业名称", "地区"]
    assert sheet.max_row == 1 + 3 * 7


def test_gap_card_and_unknown(office, codes):
    card = office("tiers", "gap", codes[2], "--tier", "high_tech").stdout
    assert "Domestic share of R&D (%) 2025" in card and "第十一条（五）" in card
    zh = office("tiers", "gap", codes[0], "--tier", "specialised", "--lang", "zh").stdout
    assert "在本年销售收入基础上增加研发费用120.0万元" in zh
    assert "no enterprise with credit code" in office("tiers", "gap", "91500000MA5U0000X1", ok=False).output


def test_pipeline_projection_pool_and_expiry(office, tmp_path):
    data = json.loads(office("tiers", "pipeline", "--tier", "high_tech", "--year", "2027", "--format", "json").stdout)
    p = data["projection"]
    assert p["valid_now"] == 1 and p["expiring"] == 1 and p["low"] <= p["projected"] <= p["high"]
    assert [f["year"] for f in data["funnel"]] == [2023, 2024, 2025]
    pool = tmp_path / "pool.xlsx"
    office("tiers", "pipeline", "--tier", "specialised", "--year", "2026", "--pool", pool)
    assert openpyxl.load_workbook(pool).active.max_row >= 2


def test_template_in_chinese(cli, tmp_path):
    out = tmp_path / "t.xlsx"
    cli("tiers", "template", out, "--lang", "zh")
    header = [c.value for c in openpyxl.load_workbook(out).active[1]]
    assert header[:3] == ["统一社会信用代码", "年份", "营业收入"] and "科技人员" in header


def test_evaluate_a_year_no_rule_covers_says_so(office):
    """Not an empty table as if no one had been judged: the span the rules cover (open-ended when one is)."""
    result = office("tiers", "evaluate", "--year", "1990", ok=False)
    assert result.exit_code == 2 and "no tier rules are in force in 1990" in result.output
    assert "2016 to …" in result.output
    gazelle = office("tiers", "evaluate", "--year", "2099", "--tier", "gazelle", "--lang", "zh", ok=False).output
    assert "2099年没有生效的梯度培育规则" in gazelle and "2023年至2027年" in gazelle
    assert "Gazelle" in office("tiers", "evaluate", "--year", "2025", "--tier", "gazelle").stdout
