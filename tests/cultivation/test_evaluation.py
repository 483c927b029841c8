"""The pure evaluation: criteria met / not met / unknown / manual review, scores, routes and gaps."""

from __future__ import annotations

from datetime import date

import pytest

from scicity.domain.tier_eval import Status, evaluate, evaluate_year
from scicity.domain.tier_metrics import growth_rate
from scicity.ingest.tier_rules_file import load_rule_book
from tests.cultivation.facts import facts

BOOK = load_rule_book()


def result(tier, f, year=2025):
    return {r.tier: r for r in evaluate_year(BOOK, f, year)}[tier]


def criterion(r, cid):
    return next(c for c in r.criteria if c.id == cid)


def test_the_gap_is_the_smallest_change_in_money():
    # R&D 2.6 % of CNY 300 m sales against 3 %: CNY 1.2 m more R&D on this year's sales
    f = facts({2025: dict(revenue=30000.0, rd_expenditure=780.0, main_revenue=29000.0, hightech_revenue=20000.0)})
    c = criterion(evaluate(BOOK.for_year("specialised", 2025), f, 2025), "rd_ratio")
    assert c.status is Status.NOT_MET and c.actual == pytest.approx(2.6) and c.threshold == "3 %"
    assert c.gap.amount == pytest.approx(120.0) and c.gap.unit == "CNY 10k"
    assert c.gap.en == "CNY 1.20 m more R&D on this year's sales" and "120.0万元" in c.gap.zh
    assert c.article


def test_people_gap_counts_the_new_staff_in_the_whole():
    # 5 S&T staff of 100 against 10 %: x more with (5 + x) / (100 + x) >= 10 %  ->  x = 6
    c = criterion(result("high_tech", facts(st_staff=5)), "st_staff")
    assert c.status is Status.NOT_MET and c.gap.amount == 6 and c.gap.unit == "person"


def test_tech_sme_score_and_the_zero_st_staff_rule():
    f = facts(st_staff=31, rd_expenditure=300.0, ip_class2=4)  # 20 + 50 (6 %) + 24 = 94
    r = result("tech_sme", f)
    score = criterion(r, "score").score
    assert (score.low, score.high) == (94, 94) and r.qualifies
    f0 = facts(st_staff=5, rd_expenditure=300.0, ip_class1=1)  # 0 + 50 + 30 = 80, but S&T staff scores 0
    r0 = result("tech_sme", f0)
    assert criterion(r0, "score").status is Status.NOT_MET and not r0.qualifies
    assert "0-point part" in criterion(r0, "score").gap.en


def test_direct_route_qualifies_with_the_basic_conditions():
    f = facts(st_staff=5, rd_expenditure=10.0, certs=[("high_tech", date(2024, 1, 1), date(2026, 12, 31))])
    r = result("tech_sme", f)
    assert r.qualifies and r.route_used == "high_tech"
    big = facts(employees=600, st_staff=5, certs=[("high_tech", date(2024, 1, 1), date(2026, 12, 31))])
    assert not result("tech_sme", big).qualifies  # the basic conditions still hold


def test_missing_year_in_a_three_year_window_is_unknown_and_named():
    f = facts({2023: None})
    c = criterion(result("high_tech", f), "rd_ratio")
    assert c.status is Status.UNKNOWN and "figures of 2023" in c.missing


def test_missing_figure_is_unknown_not_a_failure():
    c = criterion(result("high_tech", facts(rd_domestic_share=None)), "rd_domestic")
    assert c.status is Status.UNKNOWN and c.missing == ("rd_domestic_share 2025",)


def test_high_tech_innovation_score_is_a_range_and_needs_an_expert():
    f = facts(ip_class1=2, conversions=5, st_staff=30, rd_expenditure=300.0, hightech_revenue=4000.0,
              years={2023: dict(revenue=3500.0, net_assets=2000.0), 2024: dict(revenue=4200.0, net_assets=2500.0)})
    r = result("high_tech", f)
    score = criterion(r, "score")
    assert score.status is Status.MANUAL
    assert score.score.computed >= 7 + 25 and score.score.expert_max == 8 + 8 + 6 + 20
    assert score.score.low < 71 <= score.score.high
    assert r.outcome is Status.MANUAL  # the field criterion and the score need an expert


def test_high_tech_score_fails_when_even_full_expert_marks_cannot_reach_it():
    f = facts(ip_class1=0, ip_class2=0, conversions=0, revenue=5000.0, net_assets=3000.0)
    assert criterion(result("high_tech", f), "score").status is Status.NOT_MET


def test_growth_formula_of_the_guide():
    assert growth_rate(100, 120, 144) == pytest.approx(20.0)
    assert growth_rate(0, 100, 150) == pytest.approx(50.0)
    assert growth_rate(100, 0, 150) == 0.0


def test_prerequisite_tier_is_judged_first():
    f = facts(certs=[("tech_sme", date(2026, 4, 1), date(2027, 3, 31))])
    r = result("specialised", f, 2026)
    assert criterion(r, "prerequisite").status is Status.MET
    lg = result("little_giant", facts(), 2026)
    assert criterion(lg, "prerequisite").status is not Status.MET


def test_unicorn_age_gap_is_not_reachable_and_usd_gap_is_in_dollars():
    f = facts(founded=date(2012, 1, 1), valuation_usd=50_000.0, financing_usd=3_000.0)
    r = result("unicorn", f)
    assert criterion(r, "age").gap.reachable is False
    assert criterion(r, "valuation").gap.en == "USD 500.0 m more latest valuation"
    assert r.distance == 1e9


def test_gazelle_qualifies_with_manual_review_of_the_business_model():
    f = facts(years={2022: dict(revenue=2000.0), 2023: dict(revenue=2600.0), 2024: dict(revenue=3500.0),
                     2025: dict(revenue=5000.0)})
    r = result("gazelle", f)
    assert criterion(r, "growth").status is Status.MET and r.outcome is Status.MANUAL


def test_founded_in_year_metric_unknown_without_a_founding_date():
    c = criterion(result("high_tech", facts(founded=None)), "age")
    assert c.status is Status.UNKNOWN and c.missing == ("founded_on",)


def test_figures_of_a_year_before_the_founding_are_flagged_not_judged():
    """A founding date after the year judged gave a negative age, which passed the unicorns' 'at most 10 years'."""
    f = facts(founded=date(2025, 3, 1), valuation_usd=200_000.0, financing_usd=10_000.0)
    r = result("unicorn", f, year=2024)
    age = criterion(r, "age")
    assert age.status is Status.UNKNOWN and age.actual is None
    assert age.missing == ("founded after 2024: 2025-03-01",)
    assert r.outcome is Status.UNKNOWN
    from scicity.i18n import tr
    from scicity.domain.tier_metrics import missing_said

    said = missing_said(age.missing[0])
    assert tr(said, "en") == "founded on 2025-03-01, after 2024: check the founding date or the year of the figures"
    assert tr(said, "zh") == "成立日期 2025-03-01 晚于 2024 年：请核实成立日期或数据所属年份"
    assert criterion(result("unicorn", f, year=2025), "age").status is Status.MET  # its own year is judged
