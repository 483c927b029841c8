"""Import, export and template through the command line, with real files."""

import json

import openpyxl


def test_export_round_trips_through_import(demo_cli, tmp_path):
    for suffix in ("csv", "xlsx"):
        out = tmp_path / f"export.{suffix}"
        demo_cli("export", out)
        result = demo_cli("import", out, "--dry-run")
        assert "0 new" in result.stdout and "0 changed" in result.stdout


def test_dry_run_then_import_adds_a_revision(demo_cli, tmp_path):
    f = tmp_path / "fix.csv"
    # talent_total is reported (key_labs and the other counts come from the registries: see tests/cli/test_registry_values.py)
    f.write_text(
        "indicator,unit,period,value,source\ntalent_total,wcsc,2025,186500,talent survey 2026\ntalent_total,wcsc,2026,200500,\n",
        encoding="utf-8",
    )
    dry = demo_cli("import", f, "--dry-run").stdout
    assert "1 new" in dry and "1 changed" in dry and "nothing written" in dry
    before = json.loads(demo_cli("status", "--format", "json", "-i", "talent_total", "--as-of", "2025").stdout)[0]
    assert before["latest_value"] == 186000
    demo_cli("import", f)
    after = json.loads(demo_cli("status", "--format", "json", "-i", "talent_total", "--as-of", "2025").stdout)[0]
    assert after["latest_value"] == 186500
    again = demo_cli("import", f).stdout
    assert "0 new" in again and "0 changed" in again and "2 unchanged" in again


def test_bad_file_imports_nothing(demo_cli, tmp_path):
    f = tmp_path / "bad.csv"
    f.write_text("indicator,unit,period,value\nkey_labs,wcsc,2024,95\nkey_labs,wcsc,2023年,91\nnope,wcsc,2023,1\n", encoding="utf-8")
    result = demo_cli("import", f, ok=False)
    assert result.exit_code == 1
    assert "row 3" in result.output and "row 4" in result.output and "nothing was imported" in result.output
    rows = json.loads(demo_cli("status", "--format", "json", "-i", "key_labs").stdout)
    assert rows[0]["latest_value"] == 106  # the good row was not written either


def test_template_has_a_sheet_per_area(demo_cli, tmp_path):
    f = tmp_path / "template.xlsx"
    demo_cli("template", f, "--years", "2020-2025")
    wb = openpyxl.load_workbook(f)
    assert len(wb.sheetnames) >= 5


def test_filled_template_round_trips(demo_cli, tmp_path):
    f = tmp_path / "filled.xlsx"
    demo_cli("template", f, "--filled")
    result = demo_cli("import", f, "--dry-run")
    assert "0 new" in result.stdout and "0 changed" in result.stdout


def test_plan_validate_and_show(cli, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\nid: y\n", encoding="utf-8")
    result = cli("plan", "validate", bad, ok=False)
    assert result.exit_code == 1 and "bad.yaml:2" in result.output
    assert "18 targets" in cli("plan", "validate", "docs/plan-reference.yaml", "src/scicity/plans/wcsc-14fyp-sti.yaml").stdout
    assert "Science Avenue" in cli("plan", "show").stdout


def test_backtest_on_demo(demo_cli):
    result = json.loads(demo_cli("backtest", "--as-of", "2023", "--format", "json").stdout)
    assert result["n"] == 18 and 0 <= result["hit_rate"] <= 1 and 0 <= result["brier"] <= 1


def test_import_as_returned_is_refused(demo_cli, tmp_path):
    f = tmp_path / "x.csv"
    f.write_text("indicator,unit,period,value\nkey_labs,wcsc,2024,95\n", encoding="utf-8")
    result = demo_cli("import", f, "--status", "returned", ok=False)
    assert result.exit_code == 2 and "returned" in result.output


def test_import_as_submitted_does_not_count_until_approved(demo_cli, tmp_path):
    f = tmp_path / "x.csv"
    f.write_text("indicator,unit,period,value\nkey_labs,wcsc,2025,200\n", encoding="utf-8")
    demo_cli("import", f, "--status", "submitted")
    rows = json.loads(demo_cli("status", "--format", "json", "-i", "key_labs").stdout)
    assert rows[0]["latest_value"] == 106


def test_a_second_plan_side_by_side(demo_cli, tmp_path):
    demo_cli("plan", "load", "docs/plan-reference.yaml")
    listing = demo_cli("plan", "list").stdout
    assert "example-plan" in listing and "wcsc-14fyp-sti" in listing and "(default)" in listing
    rows = json.loads(demo_cli("status", "--plan", "example-plan", "--format", "json").stdout)
    # 13 targets; the demo registries hold nothing at the example plan's units, so its registry counts are not used
    assert {r["status"] for r in rows} == {"insufficient_data"} and len(rows) == 13
    rows = json.loads(demo_cli("status", "--format", "json").stdout)
    assert rows[0]["plan"] == "wcsc-14fyp-sti"  # the default plan is unchanged


def test_plan_loaded_as_default_is_used_when_none_is_named(demo_cli):
    demo_cli("plan", "load", "docs/plan-reference.yaml", "--default")
    rows = json.loads(demo_cli("status", "--format", "json").stdout)
    assert {r["plan"] for r in rows} == {"example-plan"}
    rows = json.loads(demo_cli("status", "--plan", "wcsc-14fyp-sti", "--format", "json").stdout)
    assert len(rows) == 18


def test_bad_file_problems_read_in_chinese_with_scicity_lang(demo_cli, tmp_path, monkeypatch):
    f = tmp_path / "bad.csv"
    f.write_text("indicator,unit,period,value\nkey_labs,wcsc,2023年,91\nnope,wcsc,2023,1\n", encoding="utf-8")
    monkeypatch.setenv("SCICITY_LANG", "zh")
    result = demo_cli("import", f, ok=False)
    assert result.exit_code == 1
    assert "bad.csv：2 个问题；未导入任何内容。" in result.output
    assert "第 2 行，“period”列：填写的是 '2023年'：请写成 2023" in result.output
    assert "第 3 行，“indicator”列：规划中没有指标或数据序列 'nope'" in result.output
    assert f"未从 {f} 导入任何内容" in result.output.replace("\n", "")
