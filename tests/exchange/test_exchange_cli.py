"""`scicity exchange import / match / stats` end to end, in English and Chinese."""

import json
import os

import pytest
from typer.testing import CliRunner

from scicity.cli import app

ACH = ("成果编号,成果名称,英文名称,成果简介,领域,IPC分类号,技术成熟度,所属单位编号\n"
       "A1,高镍正极材料单晶化,High-nickel cathode,熔盐烧结抑制动力电池正极颗粒开裂，提升能量密度,new_energy,H01M4,6,CQU\n"
       "A2,钢板表面缺陷视觉检测,,深度学习实时识别划痕和凹坑 <b>bold</b>,electronics,G01N21,7,CQU\n"
       "A3,退役动力电池回收,,湿法回收锂钴镍,environment,C22B7,7,SWU\n")
NEED = ("code,title,problem,field,enterprise,min_trl\n"
        "N1,Cathode cracking in EV cells,High-nickel cathode particles crack after cycling; we want higher energy "
        "density,new_energy,E1,7\n")


@pytest.fixture
def run(tmp_path, monkeypatch):
    for name in list(os.environ):
        if name.startswith("SCICITY_"):
            monkeypatch.delenv(name)
    env = {"SCICITY_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "200", "NO_COLOR": "1"}
    runner = CliRunner()

    def call(*args, code=0):
        result = runner.invoke(app, [str(a) for a in args], env=env, catch_exceptions=False)
        assert result.exit_code == code, result.output
        return result.output

    call("db", "upgrade")
    return call


def test_import_match_and_stats(run, tmp_path):
    (tmp_path / "a.csv").write_text(ACH, encoding="utf-8")
    (tmp_path / "n.csv").write_text(NEED, encoding="utf-8")
    assert "3 new" in run("exchange", "import", "achievements", tmp_path / "a.csv", "--dry-run")
    assert "新增 3" in run("exchange", "import", "achievements", tmp_path / "a.csv", "--lang", "zh")
    run("exchange", "import", "needs", tmp_path / "n.csv")
    found = json.loads(run("exchange", "match", "--need", "N1", "--format", "json", "--no-embeddings"))
    first = found["achievements"][0]
    assert first["id"] == "A1"
    assert "same field: new_energy" in first["matched"]
    assert first["unmet"] == ["TRL 6 is below the required 7"]
    table = run("exchange", "match", "--text", "钢板 缺陷 检测", "--no-embeddings", "--lang", "zh")
    assert "A2" in table and "共同词语" in table
    back = json.loads(run("exchange", "match", "--achievement", "A1", "--format", "json", "--no-embeddings"))
    assert back["needs"][0]["id"] == "N1"
    rows = run("exchange", "stats", "--format", "csv")
    assert rows.splitlines()[0] == "measure,by,key,value"


def test_cross_language_with_embeddings(run, tmp_path):
    (tmp_path / "a.csv").write_text(ACH, encoding="utf-8")
    run("exchange", "import", "achievements", tmp_path / "a.csv")
    found = json.loads(run("exchange", "match", "--text", "steel sheet surface scratch inspection camera",
                           "--format", "json"))
    assert found["achievements"][0]["id"] == "A2"
    assert found["achievements"][0]["cosine"] is not None


def test_bad_file_is_rejected_with_row_and_column(run, tmp_path):
    (tmp_path / "c.csv").write_text("合同登记号,合同类型,成交金额,卖方,卖方类型,买方,签订日期\n"
                                    "C1,技术转让,-5,CQU,高校,ACME,2025-03-01\n", encoding="utf-8")
    out = run("exchange", "import", "contracts", tmp_path / "c.csv", code=1)
    assert "row 2" in out and "成交金额" in out and "negative" in out
    assert "需要" not in run("exchange", "stats")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_template_filled_in_imports(run, tmp_path, lang):
    from openpyxl import load_workbook

    path = tmp_path / f"needs-{lang}.xlsx"
    run("exchange", "template", "needs", path, "--lang", lang)
    book = load_workbook(path)
    sheet = book["needs"]
    headers = [c.value for c in sheet[1]]
    assert ("需求编号" in headers) == (lang == "zh")
    values = {"code": "N9", "title_zh": "测试需求", "enterprise": "E9"}
    from scicity.ingest.exchange_columns import COLUMNS
    from scicity.ingest.exchange_template import header_of

    by_header = {header_of(c.headers, lang): c.field for c in COLUMNS["needs"]}
    sheet.append([values.get(by_header[h]) for h in headers])
    book.save(path)
    assert "1 new" in run("exchange", "import", "needs", path)
