"""The enterprise figures the tiers need: import in Chinese or English, every bad input refused, both databases."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from scicity.domain.registries import Enterprise, RegistryKind
from scicity.ingest.problems import ImportRejected
from scicity.ingest.registry_reader import read_registry
from tests.registries.conftest import write_csv, write_xlsx

ZH = ["统一社会信用代码", "年份", "营业收入", "研发费用", "从业人员", "科技人员", "资产总额", "净资产", "成本费用总额",
      "境内研发费用占比", "高新技术产品收入", "主营业务收入", "资产负债率", "I类知识产权", "II类知识产权",
      "估值(万美元)", "累计融资(万美元)", "已上市", "重大事故"]


def rejected(path, plan, kind="financials") -> list[str]:
    with pytest.raises(ImportRejected) as info:
        read_registry(path, kind, plan)
    return [str(p) for p in info.value.problems]


def row(code, **over):
    values = dict(year=2025, revenue=5000, rd=200, staff=100, st=20, assets=6000, net=3000, costs=4500, dom=90,
                  ht=3500, main=4800, debt=40, ip1=1, ip2=3, val="USD 12000", fin=800, listed="否", incident="否")
    values.update(over)
    return [code, *values.values()]


def test_chinese_headers_in_xlsx_give_every_field(tmp_path, seed_plan, codes):
    f = write_xlsx(tmp_path / "f.xlsx", ZH, [row(codes[0]), row(codes[0], year=2024, val=11000.0)])
    got = read_registry(f, "financials", seed_plan)
    first = got.records[0]
    assert (first.st_staff, first.total_assets, first.ip_class1, first.valuation_usd, first.listed) == (20, 6000, 1, 12000, False)
    assert {"st_staff", "valuation_usd", "major_incident"} <= got.fields


def test_every_bad_input_of_the_issue_is_refused_with_row_and_column(tmp_path, seed_plan, codes):
    rows = [row(codes[0], rd=6000),  # R&D above sales
            row(codes[1], st=150),  # S&T staff above staff
            row(codes[2], revenue=-5, rd=0, ht=0, main=0),  # negative revenue
            row(codes[3], val="CNY 80000")]  # valuation in CNY where USD is expected
    problems = rejected(write_csv(tmp_path / "bad.csv", ZH, rows), seed_plan)
    text = "\n".join(problems)
    assert "row 2, column '研发费用': R&D expenditure 6000 is above Revenue 5000" in text
    assert "row 3, column '科技人员': S&T staff 150 is above Employees 100" in text
    assert "row 4, column '营业收入'" in text and "negative" in text
    assert "row 5, column '估值(万美元)'" in text and "USD 10,000" in text
    assert len(problems) == 4


def test_founding_date_in_the_future_is_refused(tmp_path, seed_plan, codes):
    later = (date.today() + timedelta(days=30)).isoformat()
    f = write_csv(tmp_path / "e.csv", ["credit_code", "name_zh", "unit", "founded_on"],
                  [[codes[0], "甲", "wcsc", "2019-03-01"], [codes[1], "乙", "wcsc", later]])
    [problem] = rejected(f, seed_plan, "enterprises")
    assert "row 3, column 'founded_on'" in problem and "in the future" in problem


def test_figures_are_stored_and_read_back_on_both_databases(tmp_path, seed_plan, codes, registries):
    registries.apply(RegistryKind.ENTERPRISES, [Enterprise(credit_code=codes[0], name_zh="甲", unit="wcsc")], actor="t")
    got = read_registry(write_csv(tmp_path / "f.csv", ZH, [row(codes[0])]), "financials", seed_plan)
    changes = registries.apply(RegistryKind.FINANCIALS, got.records, actor="t", fields=got.fields)
    assert changes.new == 1
    [stored] = registries.list(RegistryKind.FINANCIALS)
    assert stored == got.records[0]
    again = registries.preview(RegistryKind.FINANCIALS, got.records, fields=got.fields)
    assert again.unchanged == 1
