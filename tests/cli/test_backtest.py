"""`scicity backtest` on a plan whose targets fall in different years and units (stateless: plan and data files)."""

from __future__ import annotations

import json
from pathlib import Path

DATA = Path(__file__).parent / "data"
PLAN, VALUES = DATA / "two_periods.yaml", DATA / "two_periods.csv"


def run(cli, *args, ok=True):
    return cli("backtest", "--plan", PLAN, "--data", VALUES, *args, ok=ok)


def test_targets_at_or_before_as_of_are_skipped_with_their_reason(cli):
    body = json.loads(run(cli, "--as-of", "2008", "--format", "json").stdout)
    assert body["plan"] == "two-periods" and body["n"] == 3
    assert body["skipped"] == [{"indicator": "rd_intensity", "unit": "nation", "unit_name": "The nation",
                                "target_year": 2008,
                                "reason": "its target year 2008 is not after the as-of year 2008: nothing to judge mid-plan"}]
    rows = {(r["indicator"], r["unit"]): r for r in body["rows"]}
    assert rows[("rd_intensity", "west")]["unit_name"] == "The west"
    no = rows[("researchers", "nation")]
    assert (no["status_then"], no["hit"], no["predicted_meet"]) == ("insufficient_data", None, None)
    assert body["no_verdict"] == 1 and sum(body["confusion"].values()) == 2
    assert not (cli.data_dir / "scicity.db").exists()


def test_table_says_no_verdict_and_names_the_units(cli):
    text = run(cli, "--as-of", "2008").stdout
    assert "The west (west)" in text and "no verdict" in text and "1 without" in text
    assert "skipped rd_intensity (nation)" in text and "✗" in text


def test_every_method_in_one_run(cli):
    body = json.loads(run(cli, "--as-of", "2007", "--method", "all", "--format", "json").stdout)
    methods = {m["method"]: m for m in body["methods"]}
    assert set(methods) >= {"projection", "projection_ols", "schedule", "eurostat", "opensdg", "unsd", "escap"}
    assert methods["projection"]["brier"] is not None and methods["schedule"]["brier"] is None
    assert methods["projection"]["coverage_80"] is not None
    assert set(methods["schedule"]["confusion"]) == {"meet_met", "meet_missed", "miss_met", "miss_missed"}
    text = run(cli, "--as-of", "2007", "-m", "all").stdout
    assert "every method" in text and "meet→missed" in text


def test_nothing_to_backtest_is_a_clear_error(cli):
    result = run(cli, "--as-of", "2012", ok=False)
    assert result.exit_code == 2 and "no target can be backtested as of 2012" in result.output


WIDE = DATA / "two_periods_wide.csv"  # two_periods.csv plus a row for another indicator and one for another unit


def test_data_wider_than_the_plan_is_left_out_with_one_warning(cli):
    for command in (["status", "--format", "json"], ["backtest", "--as-of", "2008", "--format", "json"]):
        result = cli(*command, "--plan", PLAN, "--data", WIDE)
        assert result.exit_code == 0
        assert result.output.count("warning:") == 1
        assert "left out 2 rows for indicators/series other_indicator and units south" in result.output
        assert "imported" not in result.output
    rows = json.loads(cli("status", "--plan", PLAN, "--data", WIDE, "--format", "json").stdout)
    assert {(r["indicator"], r["unit"]) for r in rows} == {("rd_intensity", "nation"), ("rd_intensity", "west"),
                                                          ("researchers", "nation")}


def test_strict_refuses_rows_the_plan_does_not_have(cli):
    for command in (["status"], ["backtest", "--as-of", "2008"]):
        result = cli(*command, "--plan", PLAN, "--data", WIDE, "--strict", ok=False)
        assert result.exit_code == 1, result.output
        assert "nothing was read" in result.output and "imported" not in result.output
        assert "row 17, column 'indicator': the plan has no indicator or series 'other_indicator'" in result.output
