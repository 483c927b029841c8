"""Messages with parameters that a person reads, in Chinese and in English: the reader's notes, the cross-field
rules of registry and exchange records, a registry count's source, pydantic's errors and the map's marks."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from scicity.domain.exchange import DealStage, TechContract, SellerType, ContractType, transition_problem
from scicity.domain.registries import Financials, Institution, InstitutionLevel, InstitutionType
from scicity.i18n import tr
from scicity.ingest.csv_text import detect_format
from scicity.ingest.long_table import foreign_note
from scicity.ingest.schema_words import schema_message
from scicity.plans import DEFAULT_PLAN_ID, packaged_plans
from scicity.ingest.plan_file import load_plan_file
from scicity.service.geo_map import approximate_units, map_labels, map_spec
from scicity.service.reconciled_values import source_words
from scicity.i18n import translations

HAN = re.compile(r"[\u4e00-\u9fff]")


def test_a_gb18030_file_is_noted_in_both_languages(tmp_path: Path) -> None:
    path = tmp_path / "gbk.csv"
    path.write_bytes("indicator,unit,period,value\n人才,wcsc,2023,1\n".encode("gb18030"))
    note = detect_format(path).note
    assert "read as GB18030" in tr(note, "en") and not HAN.search(tr(note, "en"))
    assert "已按 GB18030（GBK）读取" in tr(note, "zh")


def test_rows_left_out_are_noted_with_their_ids_in_both_languages() -> None:
    note = foreign_note({("indicator", f"x{i}"): 1 for i in range(10)} | {("unit", "south"): 2})
    assert tr(note, "en") == ("left out 12 rows for indicators/series x0, x1, x2, x3, x4, x5, x6, x7, … (2 more) and "
                              "units south that the plan does not have (--strict refuses them)")
    zh = tr(note, "zh")
    assert zh.startswith("略去了 12 行") and "另有 2 个" in zh and "单元 south" in zh
    assert tr(foreign_note({("unit", "south"): 1}), "en").startswith("left out 1 row for units south")


def test_cross_field_rules_of_registry_records_in_both_languages() -> None:
    inst = Institution(code="L1", type=InstitutionType.KEY_LAB, level=InstitutionLevel.NATIONAL, unit="wcsc",
                       recognised_on=date(2023, 5, 1), closed_on=date(2022, 1, 1))
    (f1, name), (f2, order) = inst.problems()
    assert (f1, f2) == ("name_en", "closed_on")
    assert tr(order, "en") == "Closed on 2022-01-01 is before Recognised on 2023-05-01: an institution cannot close before it is recognised"
    assert tr(order, "zh") == "撤销/关闭日期 2022-01-01 早于 认定日期 2023-05-01：机构不能在认定之前撤销"
    assert tr(name, "zh") == "机构需要名称：请填写英文名称或中文名称（或两者）"  # fields by their labels
    fin = Financials(credit_code="X", year=2023, revenue=100, rd_expenditure=120, rd_domestic_share=140)
    said = {f: tr(m, "zh") for f, m in fin.problems()}
    assert said["rd_expenditure"] == "研发投入 120 高于 营业收入 100：研发费用高于营业收入；请检查两列的单位（万元）"
    assert said["rd_domestic_share"].startswith("境内研发费用占比（%） 140 超过 100 %")
    assert not any(code in text for text in said.values() for code in ("rd_", "revenue", "_share"))


def test_cross_field_rules_of_exchange_records_and_deals_in_both_languages() -> None:
    contract = TechContract(code="C1", type=ContractType.DEVELOPMENT, amount=2_000_000, seller="U", buyer="E",
                            seller_type=SellerType.UNIVERSITY, signed_on=date(2024, 3, 1), registered_on=date(2024, 2, 1))
    said = {f: (tr(m, "en"), tr(m, "zh")) for f, m in contract.problems()}
    assert said["amount"][0].startswith("amount 2,000,000 (CNY 10,000) is above 1,000,000")
    assert said["amount"][1].startswith("金额 2,000,000（万元）超过 1,000,000")
    assert said["registered_on"] == ("registered before it was signed", "登记日期早于签订日期")
    move = transition_problem(DealStage.MATCHED, DealStage.SIGNED)
    assert tr(move, "en") == ("a deal moves one stage at a time: from matched the next stage is contacted "
                              "(contacted, negotiating would be skipped)")
    assert tr(move, "zh") == "对接项目每次只推进一个阶段：“已匹配”的下一阶段是“已联系”（否则将跳过 已联系, 洽谈中）"
    assert tr(transition_problem(DealStage.DELIVERED, DealStage.SIGNED), "zh") == "该对接项目已交付；已结束的项目不能再推进"


def test_a_registry_count_names_its_registry_in_both_languages() -> None:
    assert tr(source_words("registry: talent (120 entities)"), "en") == "registry: talent (120 entities)"
    assert tr(source_words("registry: talent (120 entities)"), "zh") == "名录：人才（120 条记录）"
    assert tr(source_words("registry: contracts (sum of amount)"), "zh").startswith("名录：技术合同数（")
    assert source_words("NBS yearbook 2023") == "NBS yearbook 2023"  # a source as written stays as it is


def test_pydantic_errors_read_in_both_languages() -> None:
    err = {"type": "int_parsing", "loc": ("year",), "msg": "Input should be a valid integer", "input": "二〇二三"}
    assert tr(schema_message(err), "en") == "a whole number is needed (found '二〇二三')"
    assert tr(schema_message(err), "zh") == "需要整数（这里是 '二〇二三'）"
    err = {"type": "greater_than_equal", "loc": ("hours",), "msg": "…", "input": -1, "ctx": {"ge": 0}}
    assert tr(schema_message(err), "zh") == "需要至少为 0 的值（这里是 -1）"
    unknown = {"type": "some_new_type", "loc": (), "msg": "Something pydantic says"}
    assert schema_message(unknown) == "Something pydantic says"  # an error type not listed keeps pydantic's words


def test_the_seed_plan_marks_its_places_approximate_on_the_map_in_both_languages() -> None:
    plan = load_plan_file(packaged_plans()[DEFAULT_PLAN_ID]).plan
    assert approximate_units(plan.geography, "zh") == ["科学大道创新发展轴", "科学动力储备中心", "科技活力赋能中心", "科技效能释放中心"]
    for lang, words in (("zh", "位置为示意"), ("en", "approximate position")):
        spec = map_spec(plan.geography, lang, map_labels(translations(lang).gettext))
        points = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "point")
        assert {row["position"] for row in points["data"]["values"]} == {words}
        assert {"field": "position", "type": "nominal", "title": "位置" if lang == "zh" else "Position"} in \
            points["encoding"]["tooltip"]


def test_the_demo_source_reads_in_both_languages() -> None:
    from scicity.demo.generator import SOURCE

    assert tr(source_words(SOURCE), "en") == SOURCE
    assert tr(source_words(SOURCE), "zh") == "合成的演示数据（scicity 演示数据生成器）——并非真实统计数据"
