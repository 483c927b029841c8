"""`scicity calibrate` on a real subset: table and JSON, and errors for bad input."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from scicity.cli import app

SUBSET = Path(__file__).resolve().parents[1] / "assess" / "data" / "wdi_subset.csv"
runner = CliRunner()


def test_calibrate_json_has_every_figure():
    result = runner.invoke(app, ["calibrate", "--data", str(SUBSET), "--horizons", "1-3", "--format", "json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert body["horizons"] == [1, 2, 3] and body["aggregates_left_out"] == 3
    assert set(body["coverage"]["projection"]["0.8"]) == {"1", "2", "3", "all"}
    assert {"base_rate", "naive", "rw_drift", "projection"} <= set(body["brier"])
    assert body["reliability"]["projection"][0]["n"] > 0


def test_calibrate_table():
    result = runner.invoke(app, ["calibrate", "-d", str(SUBSET), "--horizons", "1,5", "-m", "projection", "-m", "schedule"],
                           env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "interval coverage by horizon" in result.output and "hit rate" in result.output
    assert "schedule" in result.output and "escap" not in result.output


def test_calibrate_refuses_bad_input(tmp_path):
    assert runner.invoke(app, ["calibrate", "-d", str(SUBSET), "--horizons", "0-3"]).exit_code == 2
    assert runner.invoke(app, ["calibrate", "-d", str(SUBSET), "-m", "nope"]).exit_code == 2
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    result = runner.invoke(app, ["calibrate", "-d", str(bad)])
    assert result.exit_code == 1 and "expected iso3" in result.output
