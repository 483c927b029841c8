"""Registry-defined indicators through the command line: engines, explain, reconcile, Parquet export."""

import csv
import io
import json

import pytest

from scicity.demo.generator import generate
from scicity.plans import default_plan_path
from scicity.reports.long_table import write_observations

LIBRARY_WARNINGS = [
    pytest.mark.filterwarnings(r"ignore:fetch_arrow_table\(\) is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings(r"ignore:fetch_record_batch\(\) is deprecated:DeprecationWarning"),
]
pytestmark = LIBRARY_WARNINGS


def latest(cli, *args):
    rows = json.loads(cli("status", "--format", "json", "--as-of", "2023", *args).stdout)
    return {r["indicator"]: (r["latest_value"], r["status"]) for r in rows}


def test_the_registries_give_the_demo_numbers_on_every_engine(demo_cli, tmp_path):
    store = latest(demo_cli)
    assert store["key_labs"] == (90, "at_risk") and store["top_talent"][0] == 5
    assert latest(demo_cli, "--engine", "duckdb") == store
    demo_cli("engine", "export-parquet", tmp_path / "pq")
    assert (tmp_path / "pq" / "certifications.parquet").exists()
    assert latest(demo_cli, "--engine", "duckdb", "--parquet", tmp_path / "pq") == store
    rows = json.loads(demo_cli("status", "--format", "json", "-i", "key_labs").stdout)
    assert rows[0]["sources"] == ["registry: institutions (106 entities)"]


@pytest.mark.spark
def test_spark_engine_gives_the_same_numbers(demo_cli):
    assert latest(demo_cli, "--engine", "spark") == latest(demo_cli)


def test_explain_lists_the_entities_behind_a_count(demo_cli):
    text = demo_cli("explain", "key_labs", "--period", "2023", "--limit", "5").stdout
    assert "counted in the registry" in text and "90 entities (showing 1–5" in text and "key_lab" in text
    j = json.loads(demo_cli("explain", "key_labs", "--period", "2023", "--format", "json", "--limit", "3", "--offset", "3").stdout)
    (part,) = j["registry"]
    assert (j["value"], part["total"], part["offset"], len(part["members"])) == (90, 90, 3, 3)
    assert all(m["level"] in ("municipal", "national") and m["type"] == "key_lab" for m in part["members"])
    sub = json.loads(demo_cli("explain", "key_labs", "--period", "2023", "--unit", "vitality_centre", "--format", "json").stdout)
    assert sub["registry"][0]["total"] == sub["value"] == 18
    rows = list(csv.DictReader(io.StringIO(demo_cli("explain", "high_tech_enterprises", "--period", "2022", "-f", "csv", "--limit", "4").stdout)))
    assert len(rows) == 4 and rows[0]["credit_code"] and "high_tech" in rows[0]["certifications"]


def test_explain_a_ratio_over_a_registry_count(demo_cli):
    j = json.loads(demo_cli("explain", "invention_patents_per_10k", "--period", "2023", "--format", "json", "--limit", "1").stdout)
    assert j["how"] == "computed" and j["value"] == pytest.approx(65.0, abs=0.05)
    assert j["formula"] == "valid_invention_patents / resident_population * 10000"
    (part,) = j["registry"]
    assert part["id"] == "valid_invention_patents" and part["total"] == part["value"] > 7000
    bad = demo_cli("explain", "nothing", "--period", "2023", ok=False)
    assert bad.exit_code == 2 and "no indicator or series 'nothing'" in bad.output


def test_reconcile_flags_a_reported_value_that_differs(demo_cli, tmp_path):
    clean = json.loads(demo_cli("reconcile", "--format", "json").stdout)
    assert clean and not [r for r in clean if r["flagged"]]  # the demo reports what the registries count
    fix = tmp_path / "fix.csv"
    fix.write_text("indicator,unit,period,value\nkey_labs,wcsc,2023,91\n", encoding="utf-8")
    demo_cli("import", fix)
    assert latest(demo_cli)["key_labs"][0] == 90  # the registry's count is the value
    flagged = json.loads(demo_cli("reconcile", "--format", "json", "--flagged-only").stdout)
    assert [(r["id"], r["unit"], r["period"], r["reported"], r["registry"]) for r in flagged] == [("key_labs", "wcsc", 2023, 91, 90)]
    assert json.loads(demo_cli("reconcile", "--format", "json", "--flagged-only", "--tolerance", "1").stdout) == []
    assert json.loads(demo_cli("reconcile", "-f", "json", "--flagged-only", "--relative-tolerance", "0.02").stdout) == []
    text = demo_cli("status", "--as-of", "2023").stdout
    assert "reported 91 but the institutions registry counts 90" in text
    table = demo_cli("reconcile", "--flagged-only").stdout
    assert "differs" in table and "1 beyond the tolerance" in table


def test_stateless_mode_uses_reported_values_and_says_so(cli, tmp_path):
    data = tmp_path / "demo.csv"
    write_observations(data, generate().first_release)
    text = cli("status", "--plan", default_plan_path(), "--data", data, "--as-of", "2023").stdout
    assert "registry-defined ids use reported values" in text
    rows = json.loads(cli("status", "--plan", default_plan_path(), "--data", data, "-f", "json", "--as-of", "2023").stdout)
    assert {r["indicator"]: r["latest_value"] for r in rows}["key_labs"] == 90


def test_engine_errors_say_what_to_do(cli, tmp_path):
    data = tmp_path / "demo.csv"
    write_observations(data, generate().first_release)
    plan = default_plan_path()
    result = cli("status", "--plan", plan, "--data", data, "--engine", "oracle", ok=False)
    assert result.exit_code == 2 and "unknown engine 'oracle'" in result.output
    result = cli("status", "--plan", plan, "--data", data, "--engine", "duckdb", ok=False)
    assert result.exit_code == 2 and "--parquet DIR" in result.output
    result = cli("status", "--plan", plan, "--data", data, "--engine", "duckdb", "--parquet", tmp_path / "nope", ok=False)
    assert result.exit_code == 2 and "export-parquet" in result.output


def test_explain_reconcile_registry_list_and_status_in_chinese(demo_cli, monkeypatch):
    """--lang zh (or SCICITY_LANG=zh): the labels, headers, enumerated values and the data origin read in Chinese;
    ids stay beside the names."""
    explained = demo_cli("explain", "key_labs", "--period", "2023", "--lang", "zh", "--limit", "2").stdout
    assert "数值：" in explained and "由名录统计" in explained and "定义：" in explained
    assert "西部（重庆）科学城" in explained or "(wcsc)" in explained
    assert "重点实验室" in explained and "类型" in explained and "value:" not in explained
    reconciled = demo_cli("reconcile", "--lang", "zh").stdout
    assert "填报与名录对照（数据库（已审核数值）" in reconciled and "(key_labs)" in reconciled and "核对" in reconciled
    assert "reported vs registry" not in reconciled
    listed = demo_cli("registry", "list", "institutions", "--limit", "2", "--lang", "zh").stdout
    assert "机构与平台" in listed and "类型 (type)" in listed and "重点实验室" in listed and "显示 2 条记录" in listed
    assert "key_lab " not in listed
    monkeypatch.setenv("SCICITY_LANG", "zh")
    status = demo_cli("status").stdout
    assert "数据： 数据库（已审核数值）" in status or "数据：数据库（已审核数值）" in status
    english = demo_cli("reconcile", "--lang", "en").stdout
    assert "reported vs registry (database (approved values)" in english
