"""Exchange records in SQLite and PostgreSQL: import from CSV/XLSX (zh/en headers), all or nothing;
deals through the pipeline to a registered contract; the need closes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from scicity.domain.exchange import ContractType, DealStage, Publication, SellerType, TechContract
from scicity.ingest.exchange_reader import read_exchange
from scicity.ingest.problems import ImportRejected
from scicity.matching.text import normalise
from scicity.store.errors import InvalidInput, InvalidTransition
from scicity.store.exchange import ExchangeRepository
from scicity.store.exchange_deals import DealRepository

ACHIEVEMENTS_ZH = (
    "成果编号,成果名称,英文名称,成果简介,领域,IPC分类号,技术成熟度,所属单位编号,单位类型,合作方式,发布状态\n"
    "A1,高镍正极材料,High-nickel cathode,<script>alert('x')</script>单晶化,new_energy,H01M4；H01M10,6,CQU,高校,转让、许可,已发布\n"
    "A2,钢板表面缺陷检测,,深度学习视觉,electronics,G01N21,7,CQU,高校,合作开发,草稿\n"
)
NEEDS_EN = (
    "code,title,problem,field,enterprise,enterprise_name,budget,deadline,open_call,min_trl\n"
    "N1,Safer cathode for EV cells,Particles crack after long cycling,new_energy,91500000MA5U000001,ACME,300,2026-06-30,yes,5\n"
)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def load(repo: ExchangeRepository, path: Path, kind: str):
    data = read_exchange(path, kind, known=repo.known, known_patents=repo.known_patents, fold_text=normalise)
    return repo.apply(kind, data.records, actor="tester", file_name=path.name)


def test_import_in_both_languages_then_update_in_place(database, tmp_path, clock):
    repo = ExchangeRepository(database, clock=clock)
    first = load(repo, write(tmp_path, "a.csv", ACHIEVEMENTS_ZH), "achievements")
    assert first.counts() == {"new": 2, "changed": 0, "unchanged": 0}
    a1 = repo.get("achievements", "A1")
    assert a1.abstract_zh.startswith("<script>")  # stored as text
    assert a1.ipc == ("H01M4", "H01M10") and [t.value for t in a1.terms] == ["transfer", "licence"]
    assert a1.status is Publication.PUBLISHED
    again = load(repo, write(tmp_path, "b.csv", ACHIEVEMENTS_ZH.replace(",6,", ",7,")), "achievements")
    assert again.counts() == {"new": 0, "changed": 1, "unchanged": 1}
    assert repo.get("achievements", "A1").trl == 7
    assert [a.code for a in repo.list("achievements", published=True)] == ["A1"]
    load(repo, write(tmp_path, "n.csv", NEEDS_EN), "needs")
    need = repo.get("needs", "N1")
    assert need.open_call and need.budget == 300 and need.deadline == date(2026, 6, 30)


def test_xlsx_template(database, tmp_path):
    repo = ExchangeRepository(database)
    book = Workbook()
    sheet = book.active
    sheet.append(["专家编号", "姓名", "所属单位编号", "研究方向"])
    sheet.append(["E1", "李明", "CQU", "动力电池；固态电解质"])
    path = tmp_path / "experts.xlsx"
    book.save(path)
    assert load(repo, path, "experts").new == 1
    assert repo.get("experts", "E1").keywords == "动力电池；固态电解质"


def test_bad_rows_reject_the_whole_file(database, tmp_path):
    repo = ExchangeRepository(database)
    text = (
        "code,title_zh,title_en,abstract_zh,owner,patents\n"
        "A1,電池正極材料,,,CQU,\n"
        "A1,其他,,,CQU,\n"                      # same code
        "A3,电池正极材料,,,CQU,\n"               # same title after folding traditional characters
        "A4,,,,CQU,\n"                           # no title
        "A5,大文本,," + "字" * 1_000_001 + ",CQU,\n"  # 1 MB abstract
        "A6,专利,,,CQU,CN202310000001.X\n"       # a patent the registry lacks
    )
    with pytest.raises(ImportRejected) as caught:
        load(repo, write(tmp_path, "bad.csv", text), "achievements")
    messages = [str(p) for p in caught.value.problems]
    assert any("row 3" in m and "also on row 2" in m for m in messages)
    assert any("row 4" in m and "same title" in m for m in messages)
    assert any("row 5" in m and "empty in both languages" in m for m in messages)
    assert any("row 6" in m and "characters long" in m for m in messages)
    assert any("row 7" in m and "CN202310000001.X" in m and "patent registry" in m for m in messages)
    assert repo.count("achievements") == 0


def test_negative_and_absurd_contract_amounts(database, tmp_path):
    repo = ExchangeRepository(database)
    text = ("合同登记号,合同类型,成交金额,卖方,卖方类型,买方,签订日期\n"
            "C1,技术转让,-5,CQU,高校,ACME,2025-03-01\n"
            "C2,技术开发,99999999,CQU,高校,ACME,2025-03-01\n")
    with pytest.raises(ImportRejected) as caught:
        load(repo, write(tmp_path, "c.csv", text), "contracts")
    assert [p.location.row for p in caught.value.problems] == [2, 3]
    assert all(p.location.column == "成交金额" for p in caught.value.problems)


def test_deal_pipeline_to_registered_contract(database, tmp_path, clock):
    repo = ExchangeRepository(database, clock=clock)
    load(repo, write(tmp_path, "a.csv", ACHIEVEMENTS_ZH), "achievements")
    load(repo, write(tmp_path, "n.csv", NEEDS_EN), "needs")
    deals = DealRepository(database, clock=clock)
    deal = deals.express_interest(actor="ent-user", org="91500000MA5U000001", achievement="A1", need="N1")
    assert deal.stage is DealStage.MATCHED and deal.seller_org == "CQU"
    assert [n.kind for n in deals.notifications("CQU")] == ["interest"]
    with pytest.raises(InvalidTransition, match="one stage at a time"):
        deals.move(deal.code, "signed", actor="tto")
    deals.move(deal.code, "contacted", actor="tto", on=date(2025, 1, 5))
    with pytest.raises(InvalidTransition, match="does not go back"):
        deals.move(deal.code, "matched", actor="tto")
    with pytest.raises(InvalidTransition, match="before the last move"):
        deals.move(deal.code, "negotiating", actor="tto", on=date(2025, 1, 1))
    deals.move(deal.code, "negotiating", actor="tto", on=date(2025, 1, 10))
    deals.move(deal.code, "signed", actor="tto", on=date(2025, 2, 1))
    assert repo.get("needs", "N1").closed  # the deal fills the need
    with pytest.raises(InvalidInput, match="needs the technology contract"):
        deals.move(deal.code, "registered", actor="tto", on=date(2025, 2, 10))
    contract = TechContract(code="2025-500001", type=ContractType.TRANSFER, amount=280.0, seller="CQU",
                            seller_type=SellerType.UNIVERSITY, buyer="ACME", field="new_energy", ip=True,
                            signed_on=date(2025, 2, 1))
    done = deals.move(deal.code, "registered", actor="tto", on=date(2025, 2, 20), contract=contract)
    assert done.contract == "2025-500001" and [e.stage.value for e in done.events] == [
        "matched", "contacted", "negotiating", "signed", "registered"]
    stored = repo.get("contracts", "2025-500001")
    assert stored.deal == deal.code and stored.registered_on == date(2025, 2, 20)
    with pytest.raises(InvalidInput, match="closed"):
        deals.express_interest(actor="x", org="O", achievement="A1", need="N1")
