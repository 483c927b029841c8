"""`scicity status`: the documented contract, from the database and from files."""

import csv
import io
import json

import pytest

from scicity.assess import methods
from scicity.demo.generator import generate
from scicity.plans import default_plan_path
from scicity.reports.long_table import write_observations

REQUIRED = {
    "indicator", "area", "unit", "latest_period", "latest_value", "target", "status", "method",
    "native_label", "projection", "p_meet", "required_yearly_change", "explanation",
}


def test_json_contract(demo_cli):
    rows = json.loads(demo_cli("status", "--format", "json", "--as-of", "2023").stdout)
    assert len(rows) == 18
    for row in rows:
        assert REQUIRED <= set(row)
        assert set(row["target"]) >= {"comparator", "value", "kind", "year"}
        if row["projection"] is not None:
            assert set(row["projection"]) >= {"value", "low", "high"}
            assert row["projection"]["low"] <= row["projection"]["value"] <= row["projection"]["high"]
        assert row["explanation"]["summary"]
    by_id = {r["indicator"]: r for r in rows}
    assert by_id["rd_intensity"]["latest_value"] == pytest.approx(5.0)
    assert by_id["rd_intensity"]["target"] == {
        "comparator": ">", "value": 5.5, "high": None, "kind": "level", "year": 2025, "baseline_year": 2020, "judged_target": 5.5,
    }
    assert by_id["talent_total"]["status"] == "insufficient_data"  # reported for 2020 and 2025 only
    platforms = by_id["national_industry_platforms"]  # counted in the registry every year: 1, 1, 2, 2
    assert (platforms["latest_value"], platforms["status"]) == (2, "off_track")
    assert platforms["sources"] == ["registry: institutions (2 entities)"]
    assert by_id["top_talent"]["judged_value"] == 14  # 4 + 5 + 5: the 2020 flow is before the plan period
    unicorns = by_id["unicorn_enterprises"]  # increment: judged as the level against 2 (in 2020) + 5
    assert (unicorns["judged_value"], unicorns["target"]["judged_target"]) == (5, 7)


def test_mid_term_demo_shows_every_trend_status(demo_cli):
    rows = json.loads(demo_cli("status", "--format", "json", "--as-of", "2023").stdout)
    assert {r["status"] for r in rows} == {"achieved", "on_track", "at_risk", "off_track", "regressing", "insufficient_data"}


def test_final_verdicts_after_the_target_year(demo_cli):
    rows = {r["indicator"]: r for r in json.loads(demo_cli("status", "--format", "json").stdout)}
    assert {r["status"] for r in rows.values()} == {"achieved", "missed"}
    assert all(r["final"] for r in rows.values())
    assert rows["high_tech_enterprises"]["status"] == "missed"  # exactly 500 is not "over 500"
    assert rows["unicorn_enterprises"]["status"] == "achieved"  # +6 over 2020


@pytest.mark.parametrize("method", methods())
def test_every_method_runs(demo_cli, method):
    rows = json.loads(demo_cli("status", "--format", "json", "--as-of", "2023", "--method", method).stdout)
    assert {r["method"] for r in rows} == {method}


def test_table_groups_by_area_and_labels_synthetic_data(demo_cli):
    text = demo_cli("status", "--as-of", "2023").stdout
    for area in ("Sci-tech innovation platforms", "Sci-tech talent"):
        assert area in text
    assert "synthetic" in text and "18 targets" in text


def test_chinese_names(demo_cli):
    text = demo_cli("status", "--lang", "zh").stdout
    assert "科技人才" in text and "瞪羚企业" in text


def test_csv_output(demo_cli):
    rows = list(csv.DictReader(io.StringIO(demo_cli("status", "--format", "csv").stdout)))
    assert len(rows) == 18 and rows[0]["indicator"] == "major_facilities"


def test_stateless_mode_needs_no_database(cli, tmp_path):
    data = tmp_path / "demo.csv"
    write_observations(data, generate().first_release)
    result = cli("status", "--plan", default_plan_path(), "--data", data, "--format", "json", "--as-of", "2023")
    assert len(json.loads(result.stdout)) == 18
    assert not (cli.data_dir / "scicity.db").exists()


def test_unknown_method_and_missing_database(cli):
    result = cli("status", "--method", "astrology", ok=False)
    assert result.exit_code == 2 and "unknown method" in result.output
    result = cli("status", ok=False)
    assert result.exit_code == 2 and "scicity init" in result.output


def test_explain_prints_steps(demo_cli):
    text = demo_cli("status", "--as-of", "2023", "--explain", "-i", "rd_intensity", "--method", "eurostat").stdout
    assert "R = " in text or "ga" in text
