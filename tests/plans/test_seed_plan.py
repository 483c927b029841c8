"""The seed plan as shipped: 18 targets traceable to the seed text."""

import re
from pathlib import Path

import pytest

from scicity.domain.plan import Comparator, TargetKind
from scicity.ingest.plan_file import load_plan_file
from scicity.plans import default_plan_path, packaged_plans
from tests.environment import unavailable

SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / "000_f2364861dde24a97.txt"

EXPECTED = {
    "major_facilities": (">=", 3, "level"),
    "national_industry_platforms": (">=", 4, "level"),
    "rd_institutions": (">=", 320, "level"),
    "key_labs": (">=", 100, "level"),
    "pilot_platforms": (">=", 5, "level"),
    "rd_intensity": (">", 5.5, "level"),
    "gov_st_expenditure_share": (">", 15, "level"),
    "invention_patents_per_10k": (">", 70, "level"),
    "strategic_emerging_share": (">", 90, "level"),
    "tech_enterprises": (">", 2000, "level"),
    "high_tech_enterprises": (">", 500, "level"),
    "gazelle_enterprises": (">=", 50, "level"),
    "unicorn_enterprises": (">=", 5, "increment"),
    "top_talent": (">=", 50, "cumulative"),
    "outstanding_talent": (">=", 300, "cumulative"),
    "leading_talent": (">=", 1000, "cumulative"),
    "young_talent": (">=", 2500, "cumulative"),
    "talent_total": (">=", 200000, "level"),
}


@pytest.fixture(scope="module")
def plan():
    return load_plan_file(default_plan_path()).plan


def test_default_plan_is_the_seed_plan(plan):
    assert plan.id == "wcsc-14fyp-sti" in packaged_plans()
    assert (plan.baseline_year, plan.target_year, plan.period) == (2020, 2025, (2021, 2025))


def test_all_18_targets_with_exact_semantics(plan):
    got = {ind.id: (t.comparator.value, t.value, t.kind.value) for ind, t in plan.targets()}
    assert got == EXPECTED


def test_ratios_are_computed_from_their_parts(plan):
    formulas = {i.id: i.formula for i in plan.indicators if i.formula}
    assert formulas == {
        "rd_intensity": "rd_expenditure / grp * 100",
        "gov_st_expenditure_share": "gov_st_expenditure / gov_budget_expenditure * 100",
        "invention_patents_per_10k": "valid_invention_patents / resident_population * 10000",
        "strategic_emerging_share": "sei_output / industrial_output * 100",
    }


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_every_quote_is_in_the_seed_text(plan):
    if not SEED.exists():
        unavailable(f"the seed text {SEED} is not beside the checkout (shared/seed)")
    seed = _norm(SEED.read_text(encoding="utf-8"))
    quotes = [t.source_quote for _, t in plan.targets()] + [i.source_quote for i in plan.indicators]
    quotes += [g.source_quote for g in plan.goals]
    assert all(quotes)
    for quote in quotes:
        assert _norm(quote) in seed, quote


def test_qualitative_goals_and_layout(plan):
    assert len(plan.goals) == 6
    units = plan.geo_units()
    assert [u.kind for u in plan.geography.children] == ["axis", "centre", "centre", "centre"]
    assert set(units) == {"wcsc", "science_avenue", "power_reserve_centre", "vitality_centre", "efficiency_centre"}


def test_strict_comparators_are_strict(plan):
    rd = plan.indicator("rd_intensity").targets[0]
    assert rd.comparator is Comparator.GT and not rd.comparator.holds(5.5, rd.value)
    unicorn = plan.indicator("unicorn_enterprises").targets[0]
    assert unicorn.kind is TargetKind.INCREMENT


def test_every_name_is_bilingual(plan):
    for thing in [*plan.areas, *plan.series, *plan.indicators, *plan.goals, *plan.geography.walk()]:
        assert thing.name.en and thing.name.zh, thing.id
