"""The CLI in the user's language (--lang zh or SCICITY_LANG=zh): errors and hints, plan-file problems (file:line
kept), the reader's notes and `scicity db verify` — and the same commands in English read as before."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from scicity.cli import app

DATA = Path(__file__).parent / "data"
PLAN = DATA / "two_periods.yaml"
WIDE = DATA / "two_periods_wide.csv"
HAN = re.compile(r"[\u4e00-\u9fff]")


def run(cli, *args, lang: str | None = None, ok: bool = True):  # noqa: ANN001, ANN201
    env = {"SCICITY_DATA_DIR": str(cli.data_dir), "COLUMNS": "200", "NO_COLOR": "1"}
    if lang:
        env["SCICITY_LANG"] = lang
    result = cli.runner.invoke(app, [str(a) for a in args], env=env, catch_exceptions=False)
    if ok:
        assert result.exit_code == 0, result.output
    return result


def test_an_unknown_method_is_an_error_in_the_chosen_language(cli) -> None:  # noqa: ANN001
    zh = run(cli, "status", "--plan", PLAN, "--data", DATA / "two_periods.csv", "--lang", "zh", "--method", "nope", ok=False)
    assert zh.exit_code == 2
    assert "错误：" in zh.output and "未知的方法 'nope'" in zh.output and "提示：" in zh.output, zh.output
    en = run(cli, "status", "--plan", PLAN, "--data", DATA / "two_periods.csv", "--method", "nope", ok=False)
    assert "error: unknown method 'nope'" in en.output and "hint: choose one of:" in en.output
    assert not HAN.search(en.output)


def test_scicity_lang_chooses_the_language_of_errors_without_lang(cli) -> None:  # noqa: ANN001
    zh = run(cli, "backtest", "--plan", PLAN, "--data", DATA / "two_periods.csv", "--as-of", "2012", lang="zh", ok=False)
    assert "截至 2012 没有可回测的目标" in zh.output, zh.output
    en = run(cli, "backtest", "--plan", PLAN, "--data", DATA / "two_periods.csv", "--as-of", "2012", ok=False)
    assert "no target can be backtested as of 2012" in en.output


def test_an_unknown_language_code_is_said_in_english_and_names_the_choices(cli) -> None:  # noqa: ANN001
    result = run(cli, "status", "--plan", PLAN, "--data", DATA / "two_periods.csv", "--lang", "xx", ok=False)
    assert result.exit_code == 2 and "unknown language 'xx'" in result.output and "en, zh" in result.output


def test_the_reader_note_on_rows_left_out_is_in_the_chosen_language(cli) -> None:  # noqa: ANN001
    zh = run(cli, "status", "--plan", PLAN, "--data", WIDE, "--format", "json", lang="zh")
    assert "警告：" in zh.output and "two_periods_wide.csv：略去了 2 行属于规划中没有的指标/数据序列 other_indicator以及单元 south的数据" \
        in zh.output, zh.output
    en = run(cli, "status", "--plan", PLAN, "--data", WIDE, "--format", "json")
    assert "left out 2 rows for indicators/series other_indicator and units south" in en.output


BAD_PLAN = """\
id: p
name: {en: A plan}
period: [2021, 2025]
baseline_year: twenty
target_year: 2025
areas:
  - {id: a, name: {en: Area}}
geography: {id: g, name: {en: G}}
indicators:
  - id: x
    name: {en: X}
    area: b
    measure: "%"
    colour: red
    targets:
      - {comparator: "=>", value: 5}
"""


def test_plan_validate_lists_every_problem_in_chinese_at_its_line(cli, tmp_path: Path) -> None:  # noqa: ANN001
    plan = tmp_path / "bad.yaml"
    plan.write_text(BAD_PLAN, encoding="utf-8")
    zh = run(cli, "plan", "validate", plan, "--lang", "zh", ok=False)
    assert zh.exit_code == 1
    text = zh.output
    assert f"{plan}：" in text and "个问题" in text
    assert f"{plan}:4 (baseline_year)：需要整数（这里是 'twenty'）" in text, text
    assert f"{plan}:12 (indicators[0].area)：未知的领域 'b'" in text
    assert f"{plan}:14 (indicators[0].colour)：未知的键 'colour'" in text
    assert "比较符 '=>' 不是" in text
    for line in text.splitlines()[1:]:  # nothing English but ids, places and the values as written
        said = line.split("：", 1)[-1]  # the place (file:line and the key's path) stays as written
        assert not re.search(r"\b(unknown|missing|problem|found|comparator|needed)\b", said), line
    en = run(cli, "plan", "validate", plan, ok=False)
    assert f"{plan}:12 (indicators[0].area): unknown area 'b'" in en.output
    assert "unknown key 'colour'" in en.output and not HAN.search(en.output)


def test_a_plan_that_does_not_load_is_an_error_in_chinese_with_its_problems(cli, tmp_path: Path) -> None:  # noqa: ANN001
    plan = tmp_path / "bad.yaml"
    plan.write_text(BAD_PLAN, encoding="utf-8")
    zh = run(cli, "status", "--plan", plan, "--data", DATA / "two_periods.csv", lang="zh", ok=False)
    assert "规划文件中有 4 个问题" in zh.output and "未知的领域 'b'" in zh.output
    assert re.search(r"错误：\s*规划 .*bad\.yaml 有 4 个问题", zh.output), zh.output
    assert "请运行“scicity plan validate" in zh.output


def test_db_verify_reports_in_the_chosen_language(cli) -> None:  # noqa: ANN001
    run(cli, "init")
    zh = run(cli, "db", "verify", lang="zh")
    assert "正常：0 条观测值与其 0 条审计事件一致" in zh.output and "哈希链完整" in zh.output, zh.output
    assert "链头：" in zh.output
    en = run(cli, "db", "verify")
    assert "ok: 0 observations match their 0 audit events" in en.output and "head: " in en.output
    bad = run(cli, "db", "verify", "--head", "12", lang="zh", ok=False)
    assert "--head '12'：请按此前" in bad.output


def test_the_template_refuses_an_unknown_language_and_reports_in_chinese(cli, tmp_path: Path) -> None:  # noqa: ANN001
    bad = run(cli, "template", tmp_path / "t.xlsx", "--plan", PLAN, "--lang", "xx", ok=False)
    assert bad.exit_code == 2 and "unknown language 'xx'" in bad.output and not (tmp_path / "t.xlsx").exists()
    zh = run(cli, "template", tmp_path / "t.xlsx", "--plan", PLAN, "--lang", "zh")
    assert "写出模板" in zh.output and (tmp_path / "t.xlsx").exists()


def test_what_an_import_did_is_said_in_the_chosen_language(cli, tmp_path) -> None:  # noqa: ANN001
    run(cli, "init", "--demo")
    f = tmp_path / "fix.csv"
    f.write_text("indicator,unit,period,value,source\ntalent_total,wcsc,2025,186500,talent survey 2026\n", encoding="utf-8")
    zh = run(cli, "import", f, "--dry-run", lang="zh").output
    assert "试运行：" in zh and "未写入任何内容" in zh and "变更 1" in zh and "新增 0" in zh, zh
    en = run(cli, "import", f, "--dry-run").output
    assert "dry run: " in en and "(nothing written)" in en and "1 changed" in en and not HAN.search(en), en
    done = run(cli, "import", f, lang="zh").output
    assert "已导入" in done and "状态为已审核" in done, done
    out = tmp_path / "out.csv"
    assert "条观测值写入" in run(cli, "export", out, lang="zh").output
    assert re.search(r"wrote \d+ observations to ", run(cli, "export", out).output)


def test_backtest_tables_in_chinese_name_indicators_and_units(cli) -> None:  # noqa: ANN001
    args = ("backtest", "--plan", PLAN, "--data", DATA / "two_periods.csv", "--as-of", "2008")
    zh = run(cli, *args, "--lang", "zh").output
    assert "回测：以 2008 年为评估时点，方法为趋势外推法" in zh and "2008 年状态" in zh and "实际结果" in zh, zh
    assert "无结论" in zh and "个无结论" in zh and "判中率" in zh and "已跳过" in zh and "期中无可评判" in zh, zh
    words = set(re.findall(r"[A-Za-z_]+", zh))
    assert not words & {"rd_intensity", "researchers", "nation", "west"}, words  # names, not ids
    assert not words & {"indicator", "unit", "status", "predicted", "outcome", "hit", "skipped", "verdict", "targets",
                        "meet", "miss", "met", "missed", "projection", "without"}, words
    assert "zh" not in run(cli, *args, lang="zh").output and "回测" in run(cli, *args, lang="zh").output
    every = run(cli, *args[:-1], "2007", "-m", "all", "--lang", "zh").output
    assert "全部方法" in every and "能实现→未实现" in every and "趋势外推法" in every and "projection" not in every, every
    en = run(cli, *args).output
    assert "judged as of 2008 with projection" in en and "skipped rd_intensity (nation)" in en and not HAN.search(en)
    assert run(cli, *args, "--lang", "xx", ok=False).exit_code != 0


def test_calibrate_says_what_is_wrong_with_the_series_file_in_chinese(cli, tmp_path) -> None:  # noqa: ANN001
    bad = tmp_path / "bad.csv"
    bad.write_text("indicator,unit,period,value\ngrp,wcsc,二〇二〇,1\ngrp,wcsc,2021,多\n,,2022,1\n", encoding="utf-8")
    zh = run(cli, "calibrate", "-d", bad, "--lang", "zh", ok=False)
    assert zh.exit_code == 1
    assert "bad.csv：3 个问题：" in zh.output and "第 2 行，period 列：'二〇二〇' 不是年份" in zh.output, zh.output
    assert "第 3 行，value 列：'多' 不是数字" in zh.output and "第 4 行，indicator 列：为空" in zh.output, zh.output
    assert "problem" not in zh.output and "is not" not in zh.output
    assert "不是 UTF-8 文本" in run(cli, "calibrate", "-d", _latin1(tmp_path), lang="zh", ok=False).output
    en = run(cli, "calibrate", "-d", bad, ok=False).output
    assert "bad.csv: 3 problem(s):\n  row 2, column period: '二〇二〇' is not a year" in en, en
    assert "  row 3, column value: '多' is not a number" in en and "row 4, column indicator: empty" in en


def _latin1(tmp_path: Path) -> Path:
    path = tmp_path / "latin1.csv"
    path.write_bytes("indicator,unit,period,value\nGRP é,wcsc,2020,1\n".encode("latin-1"))
    return path
