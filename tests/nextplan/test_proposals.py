"""Proposals and cross-target checks on plain values (no database): the numbers and the honest refusals."""

import pytest

from scicity.assess import assess
from scicity.domain.observation import Observation
from scicity.engine.indicator_values import compute_values
from scicity.ingest.plan_file import load_plan_file
from scicity.plans import packaged_plans
from scicity.service.next_plan import DraftError, compare_plans, draft_next_plan
from scicity.service.plan_checks import check_targets, ratio_parts
from scicity.service.proposals import PeerPoint, evaluate, history_of, propose, propose_one

PLAN = load_plan_file(packaged_plans()["wcsc-14fyp-sti"]).plan
ROOT = PLAN.geography.id
YEARS = range(2020, 2026)


def obs(ident, values):
    return [Observation(ident, ROOT, y, float(v)) for y, v in zip(YEARS, values)]


def table(extra=()):
    rows = (
        obs("tech_enterprises", [1050, 1300, 1560, 1850, 2110, 2420])
        + obs("high_tech_enterprises", [300, 340, 380, 420, 460, 500])
        + obs("rd_expenditure", [100, 112, 125, 140, 156, 175])
        + obs("grp", [2500, 2650, 2800, 2950, 3100, 3250])
        + obs("top_talent", [0, 4, 5, 6, 6, 6])
        + obs("talent_total", [120000, 133000, 146000, 159000, 172000, 186000])
        + [Observation("key_labs", ROOT, 2025, 106.0)]  # one point only
        + list(extra)
    )
    return compute_values(PLAN, rows)


def test_levels_have_their_odds_and_the_effort_is_stated():
    t = table()
    prop = propose_one(history_of(PLAN, t, PLAN.indicator("tech_enterprises"), 2025, 2030))
    assert prop.note is None
    safe, stretch, ambitious = prop.levels
    assert safe.odds.p_meet == pytest.approx(0.9, abs=0.02)
    assert ambitious.odds.p_meet == pytest.approx(0.2, abs=0.02)
    assert safe.odds.value < stretch.odds.value < ambitious.odds.value
    assert safe.odds.required_yearly_change == pytest.approx((safe.odds.value - 2420) / 5)
    assert prop.achieved_yearly_change == pytest.approx((2420 - 1050) / 5)
    # the p_meet is the assess API's own, on the whole history against the new target year
    h = prop.history
    assert assess(h.points, h.spec_of(safe.odds.value)).p_meet == pytest.approx(safe.odds.p_meet)


def test_an_indicator_with_one_point_gets_an_honest_not_enough_data():
    prop = propose_one(history_of(PLAN, table(), PLAN.indicator("key_labs"), 2025, 2030))
    assert prop.levels == [] and prop.scenarios == []
    assert "not enough data: 1 point(s) up to 2025" in prop.note
    odds = evaluate(prop.history, 120)
    assert odds.p_meet is None and odds.required_yearly_change == pytest.approx((120 - 106) / 5)


def test_cumulative_targets_are_flows_of_the_new_period():
    prop = propose_one(history_of(PLAN, table(), PLAN.indicator("top_talent"), 2025, 2030))
    h = prop.history
    assert h.baseline_value == 27 and h.past_sum == 27  # what the last plan introduced, 2021–2025
    trend = next(s for s in prop.scenarios if s.key == "trend")
    assert 20 < trend.odds.value < 45  # about five or six a year again, not the running total
    assert trend.odds.required_yearly_change == pytest.approx(trend.odds.value / 5)


def test_peer_scenarios_reach_their_level_or_grow_at_their_rate():
    peers = [PeerPoint("zj", "Zhangjiang", 2020, 2000, True), PeerPoint("zj", "Zhangjiang", 2025, 5000, True)]
    prop = propose_one(history_of(PLAN, table(), PLAN.indicator("tech_enterprises"), 2025, 2030), peers=peers)
    level = next(s for s in prop.scenarios if s.key == "peer_level")
    growth = next(s for s in prop.scenarios if s.key == "peer_growth")
    assert level.odds.value == 5000 and "synthetic" in level.note
    assert growth.odds.value == pytest.approx(2420 * (5000 / 2000) ** (5 / 5), abs=1)
    assert level.odds.p_meet < 0.05  # far above the trend


def test_ratio_parts_are_read_from_the_formula():
    assert ratio_parts("rd_expenditure / grp * 100") == ("rd_expenditure", "grp", 100.0)
    assert ratio_parts("valid_invention_patents / resident_population * 10000")[2] == 10000
    assert ratio_parts("a * 100 / b") == ("a", "b", 100.0)
    assert ratio_parts("a + b") is None


def test_checks_ratio_tier_and_flows():
    t = table()
    draft = draft_next_plan(PLAN, t, (2026, 2030)).plan
    targets = {"rd_intensity": 6.0, "tech_enterprises": 3000, "high_tech_enterprises": 3500, "top_talent": 500,
               "talent_total": 300}
    checks = check_targets(draft, targets, PLAN, t, 2025)
    ratio = next(c for c in checks if c.kind == "ratio")
    implied = ratio.numbers["implied_numerator"]
    assert implied == pytest.approx(6.0 * ratio.numbers["denominator_projection"] / 100)
    assert "R&D expenditure" in ratio.message
    tier = next(c for c in checks if c.kind == "tier" and "high_tech_enterprises" in c.indicators)
    assert tier.level == "error" and "exceeds" in tier.message
    flows = next(c for c in checks if c.kind == "flows")
    assert flows.level == "error"  # 500 introduced but a stock of 300
    ok = check_targets(draft, {**targets, "high_tech_enterprises": 700, "talent_total": 250000}, PLAN, t, 2025)
    assert {c.level for c in ok if c.kind in ("tier", "flows")} == {"ok"}


def test_draft_errors_and_indicators_without_data_are_dropped():
    t = table()
    with pytest.raises(DraftError, match="overlaps"):
        draft_next_plan(PLAN, t, (2025, 2029))
    with pytest.raises(DraftError, match="no approved data for the baseline year 2019"):
        draft_next_plan(PLAN, t, (2026, 2030), baseline_year=2019)
    draft = draft_next_plan(PLAN, t, (2026, 2030))
    marks = {m.indicator: m.mark for m in draft.marks}
    assert marks["tech_enterprises"] == "carried" and marks["major_facilities"] == "dropped"
    assert "major_facilities" not in {i.id for i in draft.plan.indicators}
    # key_labs has one point: carried with the last target value as placeholder and a note in the file
    assert draft.plan.indicator("key_labs").targets[0].value == 100
    assert "not enough data" in draft.text


def test_compare_plans_marks_changed_definitions():
    t = table()
    draft = draft_next_plan(PLAN, t, (2026, 2030)).plan
    changed = draft.model_copy(update={"indicators": tuple(
        i.model_copy(update={"definition": "new"}) if i.id == "tech_enterprises" else i for i in draft.indicators)})
    marks = {m.indicator: m for m in compare_plans(PLAN, changed)}
    assert marks["tech_enterprises"].mark == "changed" and "definition" in marks["tech_enterprises"].text()
    assert marks["high_tech_enterprises"].mark == "carried"
    assert marks["major_facilities"].mark == "dropped"


def test_propose_covers_every_targeted_indicator():
    props = propose(PLAN, table(), 2025, 2030)
    assert len(props) == len(PLAN.indicators)
