from collections import Counter

import pytest

from scicity.demo.generator import BROKEN_DOWN, SOURCE, SUB_UNITS, generate, split
from scicity.domain.observation import latest_revisions
from scicity.engine.indicator_values import compute_values
from scicity.ingest.plan_file import load_plan_file
from scicity.plans import default_plan_path


@pytest.fixture(scope="module")
def plan():
    return load_plan_file(default_plan_path()).plan


def test_deterministic():
    assert generate() == generate()


def test_labelled_synthetic_and_known_ids(plan):
    data = generate()
    ids = set(plan.reported_ids())
    units = set(plan.geo_units())
    for o in data.all:
        assert o.source == SOURCE and "synthetic" in o.source
        assert o.indicator in ids and o.unit in units and 2020 <= o.period <= 2025


def test_no_duplicate_keys_within_a_release():
    for release in (generate().first_release, generate().revisions):
        counts = Counter(o.key for o in release)
        assert max(counts.values()) == 1


def test_parts_of_counts_add_up():
    data = generate()
    root = {(o.indicator, o.period): o.value for o in data.first_release if o.unit == "wcsc"}
    for ind in BROKEN_DOWN:
        for year in range(2020, 2026):
            parts = [o.value for o in data.first_release if o.indicator == ind and o.period == year and o.unit in SUB_UNITS]
            assert sum(parts) == root.get((ind, year), 0)  # talent_total is reported for 2020 and 2025 only


@pytest.mark.parametrize("total", [0, 1, 3, 7, 106, 186000])
def test_split_sums(total):
    assert sum(split(total)) == total


def test_every_ratio_is_computed_from_parts(plan):
    data = generate()
    table = compute_values(plan, latest_revisions(data.first_release))
    for ind in plan.indicators:
        if ind.formula:
            values = table.series(ind.id, "wcsc")
            assert sorted(values) == list(range(2020, 2026))
            assert all(v.how == "computed" for v in values.values())
    rd = dict(table.points("rd_intensity", "wcsc"))
    assert rd[2020] == pytest.approx(4.5) and rd[2025] == pytest.approx(5.4)
