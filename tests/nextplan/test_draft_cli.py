"""`scicity plan draft` and `scicity plan propose` on the demo's 14th plan."""

import json

import pytest

from scicity.ingest.plan_file import load_plan_file
from scicity.plans import packaged_plans


def test_draft_carries_the_plan_and_validates(demo_cli, tmp_path):
    out = tmp_path / "15th.yaml"
    result = demo_cli("plan", "draft", "--period", "2026-2030", "-o", out)
    assert "wcsc-15fyp-sti" in result.output and "carried" in result.output
    plan = load_plan_file(out).plan  # the loader accepts it
    last = load_plan_file(packaged_plans()["wcsc-14fyp-sti"]).plan
    assert (plan.period, plan.baseline_year, plan.target_year) == ((2026, 2030), 2025, 2030)
    assert plan.name.zh and "十五五" in plan.name.zh and "15th" in plan.name.en
    assert [a.id for a in plan.areas] == [a.id for a in last.areas]
    assert plan.geography == last.geography
    assert plan.series == last.series
    for old, new in zip(last.indicators, plan.indicators, strict=True):
        assert (new.formula, new.registry, new.definition, new.within) == (old.formula, old.registry, old.definition, old.within)
        assert new.targets[0].comparator == old.targets[0].comparator and new.targets[0].kind == old.targets[0].kind
        assert new.targets[0].year is None and new.targets[0].baseline_year is None  # the new plan's years
    text = out.read_text(encoding="utf-8")
    assert "# carried from wcsc-14fyp-sti; 2025 value: 2,420" in text  # baseline = the final approved value
    assert demo_cli("plan", "validate", out).exit_code == 0


def test_draft_targets_start_at_the_chosen_confidence(demo_cli, tmp_path):
    safe, ambitious = tmp_path / "safe.yaml", tmp_path / "ambitious.yaml"
    demo_cli("plan", "draft", "--period", "2026-2030", "-o", safe, "--confidence", "safe")
    demo_cli("plan", "draft", "--period", "2026-2030", "-o", ambitious, "--confidence", "ambitious")
    a = {i.id: i.targets[0].value for i in load_plan_file(safe).plan.indicators}
    b = {i.id: i.targets[0].value for i in load_plan_file(ambitious).plan.indicators}
    assert a["tech_enterprises"] < b["tech_enterprises"]
    assert a["rd_intensity"] < b["rd_intensity"]


def test_drop_marks_an_indicator_dropped(demo_cli, tmp_path):
    out = tmp_path / "d.yaml"
    result = demo_cli("plan", "draft", "--period", "2026-2030", "-o", out, "--drop", "pilot_platforms")
    assert "dropped" in result.output
    plan = load_plan_file(out).plan
    assert "pilot_platforms" not in {i.id for i in plan.indicators}
    assert "# dropped: pilot_platforms" in out.read_text(encoding="utf-8")
    bad = demo_cli("plan", "draft", "--period", "2026-2030", "-o", out, "--drop", "nope", ok=False)
    assert bad.exit_code != 0 and "nope" in bad.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "2025-2029"], "overlaps the last plan"),
        (["--period", "2024-2030"], "overlaps the last plan"),
        (["--period", "2027-2031", "--baseline-year", "2026"], "no approved data for the baseline year 2026"),
        (["--period", "2026-2030", "--levels", "safe=0"], "0 % or 100 %"),
        (["--period", "2026-2030", "--levels", "safe=100"], "0 % or 100 %"),
        (["--period", "20262030"], "two years"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(demo_cli, tmp_path, args, message):
    out = tmp_path / "x.yaml"
    for command in (["plan", "draft", "-o", out], ["plan", "propose"]):
        result = demo_cli(*command, *args, ok=False)
        assert result.exit_code != 0
        assert message in result.output.replace("\n", " ")
    assert not out.exists()


def test_propose_json_has_levels_scenarios_and_checks(demo_cli, tmp_path):
    out = tmp_path / "15th.yaml"
    demo_cli("plan", "draft", "--period", "2026-2030", "-o", out)
    result = demo_cli("plan", "propose", "--period", "2026-2030", "--format", "json", "--draft", out)
    data = json.loads(result.output)
    by_id = {p["indicator"]: p for p in data["proposals"]}
    assert len(by_id) == 18
    tech = by_id["tech_enterprises"]
    assert tech["baseline_value"] == 2420 and tech["baseline_year"] == 2025
    levels = {lv["name"]: lv for lv in tech["levels"]}
    assert levels["safe"]["p_meet"] == pytest.approx(0.9, abs=0.03)
    assert levels["stretch"]["p_meet"] == pytest.approx(0.6, abs=0.03)
    assert levels["ambitious"]["p_meet"] == pytest.approx(0.2, abs=0.03)
    assert levels["safe"]["value"] < levels["stretch"]["value"] < levels["ambitious"]["value"]
    assert levels["safe"]["required_yearly_change"] == pytest.approx((levels["safe"]["value"] - 2420) / 5)
    keys = {s["key"] for s in tech["scenarios"]}
    assert {"trend", "last_growth"} <= keys
    assert tech["achieved_yearly_change"] == pytest.approx((2420 - tech_2020(demo_cli)) / 5)
    kinds = {c["kind"] for c in data["checks"]}
    assert kinds == {"ratio", "tier", "flows"}
    tiers = [c for c in data["checks"] if c["kind"] == "tier"]
    assert all(c["level"] == "ok" for c in tiers)


def tech_2020(cli):
    data = json.loads(cli("status", "--format", "json", "-i", "tech_enterprises").output)
    return data["rows"][0]["points"][0]["value"] if "rows" in data else data[0]["points"][0]["value"]


def test_a_tier_above_its_total_is_an_error(demo_cli, tmp_path):
    out = tmp_path / "15th.yaml"
    demo_cli("plan", "draft", "--period", "2026-2030", "-o", out)
    text = out.read_text(encoding="utf-8")
    plan = load_plan_file(out).plan
    high = next(i for i in plan.indicators if i.id == "high_tech_enterprises").targets[0].value
    text = text.replace(f"value: {int(high)}\n", "value: 99999\n", 1)
    out.write_text(text, encoding="utf-8")
    result = demo_cli("plan", "propose", "--period", "2026-2030", "--draft", out, "-i", "high_tech_enterprises")
    assert "inconsistent tier and its total: High-tech enterprises 99,999 exceeds Technology-based enterprises" in result.output


def test_propose_table_in_chinese(demo_cli):
    result = demo_cli("plan", "propose", "--period", "2026-2030", "--lang", "zh", "-i", "rd_intensity")
    assert "R&D经费投入强度" in result.output
    assert "稳妥" in result.output and "趋势外推" in result.output
