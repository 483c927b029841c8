import pytest

from scicity.domain.observation import Observation
from scicity.engine.indicator_values import compute_values
from scicity.ingest.plan_file import parse_plan_text

PLAN = """\
id: p
name: {en: P}
period: [2021, 2025]
baseline_year: 2020
target_year: 2025
areas: [{id: a, name: {en: A}}]
series:
  - {id: rd, name: {en: RD}, measure: CNY}
  - {id: grp, name: {en: GRP}, measure: CNY}
indicators:
  - {id: intensity, area: a, name: {en: I}, measure: "%", formula: rd / grp * 100}
  - {id: double, area: a, name: {en: D}, measure: "%", formula: intensity * 2}
  - {id: count, area: a, name: {en: C}, measure: things}
geography: {id: root, name: {en: Root}, children: [{id: east, name: {en: East}}]}
"""


@pytest.fixture
def plan():
    return parse_plan_text(PLAN)


def obs(i, period, value, unit="root", source=None):
    return Observation(i, unit, period, value, source=source)


def test_ratio_from_parts_with_trace(plan):
    t = compute_values(plan, [obs("rd", 2020, 90, source="stats bureau"), obs("grp", 2020, 2000, source="NBS")])
    v = t.series("intensity", "root")[2020]
    assert v.value == pytest.approx(4.5) and v.how == "computed"
    assert v.sources == ("NBS", "stats bureau") and "90" in v.substituted


def test_formula_over_indicator(plan):
    t = compute_values(plan, [obs("rd", 2020, 90), obs("grp", 2020, 2000)])
    assert t.points("double", "root") == [(2020, pytest.approx(9.0))]


def test_only_years_and_units_with_every_part(plan):
    t = compute_values(plan, [obs("rd", 2020, 90), obs("grp", 2021, 2000), obs("rd", 2021, 100, "east")])
    assert t.points("intensity", "root") == []


def test_reported_ratio_is_checked_against_parts(plan):
    t = compute_values(plan, [obs("rd", 2020, 90), obs("grp", 2020, 2000), obs("intensity", 2020, 4.9)])
    v = t.series("intensity", "root")[2020]
    assert v.value == pytest.approx(4.5) and v.reported == 4.9 and v.mismatch
    assert t.mismatches() == [v]
    t = compute_values(plan, [obs("rd", 2020, 90), obs("grp", 2020, 2000), obs("intensity", 2020, 4.5001)])
    assert not t.mismatches()


def test_reported_ratio_used_when_parts_missing(plan):
    t = compute_values(plan, [obs("intensity", 2020, 4.9)])
    v = t.series("intensity", "root")[2020]
    assert v.value == 4.9 and v.how == "reported (parts missing)"


def test_division_by_zero_gives_no_value(plan):
    t = compute_values(plan, [obs("rd", 2020, 90), obs("grp", 2020, 0)])
    assert t.points("intensity", "root") == []


def test_units_kept_apart(plan):
    t = compute_values(plan, [obs("count", 2020, 3), obs("count", 2020, 1, "east")])
    assert t.points("count", "root") == [(2020, 3)] and t.points("count", "east") == [(2020, 1)]
