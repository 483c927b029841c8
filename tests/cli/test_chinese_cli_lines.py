"""Whole outputs of the CLI in Chinese: no Latin-script word outside the proper terms the Chinese page test allows
(tests/web/latin.py) and what the reader typed or the command generated (paths, ids, passwords); the same
commands in English say what they said before, without Chinese.

Covers ``calibrate``'s tables, ``backtest``'s (one line per message), ``init --demo`` (first and second run) and
``user demo`` / ``user list`` / ``user token(s)``, ``plan show``, ``plan draft``'s targets, the keys of ``exchange stats`` and the
units and certificates in ``explain``'s entity tables.
"""

from __future__ import annotations

import re
from pathlib import Path

from rich.cells import cell_len

from scicity.plans import DEFAULT_PLAN_ID
from scicity.store.migrate import head_revision
from tests.cli.test_chinese_cli import DATA, HAN, PLAN, run
from tests.web.latin import words_outside

SUBSET = Path(__file__).resolve().parents[1] / "assess" / "data" / "wdi_subset.csv"


def test_calibrate_tables_read_in_chinese(cli) -> None:  # noqa: ANN001
    args = ("calibrate", "-d", SUBSET, "--horizons", "1,5")
    zh = run(cli, *args, "--lang", "zh").output
    assert words_outside([zh], typed=str(SUBSET)) == set(), zh
    for said in ("按预测期（向前年数）的区间覆盖率", "名义水平", "趋势外推法", "带漂移的随机游走", "现值判断", "基准率",
                 "难以企及", "5 年", "各预测期的预测次数：1 年：", "达成概率的可靠性", "略去 3 行汇总数据", "全部序列"):
        assert said in zh, (said, zh)
    assert run(cli, *args, lang="zh").output == zh  # SCICITY_LANG says the same
    en = run(cli, *args).output
    assert not HAN.search(en), en
    assert "interval coverage by horizon" in en and "the aim is the nominal level" in en
    assert "forecasts per horizon: h=1: " in en and "out_of_reach" in en and "rw_drift" in en and "(all)" in en


def test_backtest_says_each_line_once_in_the_chosen_language(cli) -> None:  # noqa: ANN001
    args = ("backtest", "--plan", PLAN, "--data", DATA / "two_periods.csv", "--as-of", "2008")
    for extra in ((), ("-m", "all")):
        zh = run(cli, *args, *extra, "--lang", "zh").output
        assert words_outside([zh], typed="two-periods R&D intensity Researchers") == set(), zh  # the plan's id and names (English only)
        en = run(cli, *args, *extra).output
        assert not HAN.search(en), en
    summary = [line for line in run(cli, *args, "--lang", "zh").output.splitlines() if "判中率" in line]
    assert len(summary) == 1 and summary[0].startswith("共 "), summary
    assert sum("hit rate" in line for line in run(cli, *args).output.splitlines()) == 1


def test_init_demo_and_the_demo_accounts_read_in_chinese(cli, tmp_path: Path) -> None:  # noqa: ANN001
    first = run(cli, "init", "--demo", lang="zh").output
    typed = f"sqlite:///{cli.data_dir}/scicity.db {DEFAULT_PLAN_ID} {head_revision()}"
    assert words_outside([first], typed=typed) == set(), first
    assert "已载入演示交流记录：成果 " in first and "已载入演示数据：观测值 256 条，修订" in first, first
    again = run(cli, "init", "--demo", lang="zh").output
    assert words_outside([again], typed=typed) == set(), again
    assert "未再次载入演示交流记录" in again and "未再次载入演示数据（如需重来，请使用 --reset）" in again, again

    plans = run(cli, "plan", "list", lang="zh").output
    assert "已存入 " in plans and "（默认）" in plans and "随软件提供" in plans and "stored" not in plans, plans

    accounts = run(cli, "user", "demo", lang="zh").output
    generated = " ".join(re.findall(r"(?:用户|密码|代表) (\S+)", accounts))
    assert words_outside([accounts], typed=generated) == set(), accounts
    assert re.search(r"管理员\s+用户 admin\s+密码 \S{10,}", accounts), accounts
    assert re.search(r"数据报送员\s+用户 provider\s+密码 \S{10,}", accounts), accounts
    assert re.search(r"查看者\s+用户 tto\s+密码 \S{10,}\s+代表 DEMO-UNI-A（科学城示例大学", accounts), accounts
    columns = {cell_len(line[:line.index("用户")]) for line in accounts.splitlines()[1:]}
    assert len(columns) == 1, accounts  # the role column is as wide for 数据报送员 as for 管理员

    listed = run(cli, "user", "list", lang="zh").output
    assert words_outside([listed], typed="admin analyst enterprise provider tto viewer statistics") == set(), listed
    token = run(cli, "user", "token", "viewer", "--expires-in-days", "3", lang="zh").output
    assert re.fullmatch(r"viewer 的 API 令牌（仅显示这一次，有效期至 \S+ \S+ UTC）：sct_\S+\n", token), token
    tokens = run(cli, "user", "tokens", "viewer", lang="zh").output
    assert "创建于" in tokens and "最近使用 -" in tokens and tokens.rstrip().endswith("启用"), tokens
    assert run(cli, "user", "tokens", "admin", lang="zh").output == "admin 没有 API 令牌\n"

    stats = run(cli, "exchange", "stats", "--year", "2025", lang="zh").output
    for said in ("技术咨询", "高校", "涉及知识产权 │ 是", "科学大道创新发展轴", "高校人才到企业", "已匹配"):
        assert said in stats, (said, stats)
    assert not re.search(r"\b(consulting|university|yes|science_avenue|to_enterprise|matched)\b", stats), stats

    explained = run(cli, "explain", "high_tech_enterprises", "--period", "2023", "--limit", "3", lang="zh").output
    table = explained.split("┏", 1)[1]
    assert "│ 高新技术企业 " in table and "high_tech" not in table, table  # certificates by their names
    assert not re.search(r"│ (science_avenue|power_reserve_centre|vitality_centre|efficiency_centre) ", table), table

    drafted = run(cli, "plan", "draft", "--period", "2026-2030", "-o", tmp_path / "15.yaml", lang="zh").output
    assert "≥ 4 个" in drafted and ">=" not in drafted and "facilities" not in drafted, drafted  # the proposed targets

    en = run(cli, "user", "demo").output
    assert not HAN.search(en.replace("科学城示例大学（示例）", "").split("acts for")[0]), en
    assert re.search(r"  admin     user admin     password \S{10,}", en), en
    assert "created " in run(cli, "user", "tokens", "viewer").output


def test_plan_show_reads_in_chinese_with_ids_and_formulas_secondary(cli) -> None:  # noqa: ANN001
    from scicity.ingest.plan_file import load_plan_file
    from scicity.plans import packaged_plans

    plan = load_plan_file(packaged_plans()[DEFAULT_PLAN_ID]).plan
    ids = " ".join([plan.id, *(u.id for u in plan.geography.walk()), *(g.id for g in plan.goals),
                    *(i.id for i in plan.indicators), *(s.id for s in plan.series)])
    zh = run(cli, "plan", "show", lang="zh").output
    file = packaged_plans()[DEFAULT_PLAN_ID]
    assert words_outside([zh], typed=f"{ids} {file}") == set(), zh
    for said in ("领域", "目标类型", "存量", "累计", "增量", "取得方式", "填报", "基期 2020 年", "定性目标", "空间布局", "发展轴"):
        assert said in zh, said
    assert ">=" not in zh and "≥ 3 个" in zh
    assert run(cli, "plan", "show", "--lang", "zh").output == zh
    en = run(cli, "plan", "show").output
    assert "baseline 2020" in en and ">= 3 facilities" in en and "cumulative" in en and not HAN.search(en), en
