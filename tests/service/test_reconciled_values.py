"""Values from observations and registries; reconciliation of reported aggregates with registry counts."""

from datetime import date

import pytest

from scicity.domain.observation import Observation
from scicity.engine.registry.connect import connect_store
from scicity.engine.registry.reference import reference_counts
from scicity.engine.registry.sample import sample_rows, write_sql
from scicity.ingest.plan_file import parse_plan_text
from scicity.service.explain import explain, explanation_json
from scicity.service.reconciled_values import Tolerance, build_values, counted_years

PLAN = """\
id: p
name: {en: P}
period: [2021, 2023]
baseline_year: 2020
target_year: 2023
areas: [{id: a, name: {en: A}}]
series:
  - {id: patents, name: {en: Patents}, measure: patents, registry: {entity: patents, where: {type: invention}}}
  - {id: population, name: {en: Population}, measure: persons}
indicators:
  - {id: labs, area: a, name: {en: Labs}, measure: labs, registry: {entity: institutions, where: {type: key_lab, level: [municipal, national]}}}
  - {id: top, area: a, name: {en: Top talent}, measure: persons, registry: {entity: talent, count: introduced, where: {tier: top}}}
  - {id: per_10k, area: a, name: {en: Per 10k}, measure: "per 10k", formula: patents / population * 10000}
  - {id: grp, area: a, name: {en: GRP}, measure: CNY}
geography: {id: root, name: {en: Root}, children: [{id: east, name: {en: East}, children: [{id: dock, name: {en: Dock}}]}, {id: west, name: {en: West}}]}
"""
YEARS = [2020, 2021, 2022, 2023]


@pytest.fixture(scope="module")
def plan():
    return parse_plan_text(PLAN)


@pytest.fixture(scope="module")
def rows(plan):
    return sample_rows([u.id for u in plan.geography.walk()], seed=3, size=50)


@pytest.fixture
def engine(tmp_path, rows):
    url = f"sqlite:///{tmp_path}/r.db"
    write_sql(url, rows)
    eng = connect_store(url)
    yield eng
    eng.close()


def obs(ident, period, value, unit="root"):
    return Observation(ident, unit, period, value, source="survey")


def test_registry_counts_are_the_values_and_feed_formulas(plan, rows, engine):
    want = reference_counts(rows, plan.indicator("labs").registry, YEARS, plan.geography)
    patents = reference_counts(rows, plan.series_by_id()["patents"].registry, YEARS, plan.geography)
    values = build_values(plan, [obs("population", 2022, 20_000), obs("grp", 2022, 5.0)], engine, years=YEARS)
    labs = values.table.series("labs", "east")[2022]
    assert labs.value == want[("east", 2022)] and labs.how == "registry"
    assert labs.sources == (f"registry: institutions ({want[('east', 2022)]} entities)",)
    ratio = values.table.series("per_10k", "root")[2022]
    assert ratio.how == "computed" and ratio.value == pytest.approx(patents[("root", 2022)] / 20_000 * 10000)
    assert values.table.series("grp", "root")[2022].how == "reported"
    assert values.engine == "sqlite" and set(values.from_registry) == {"patents", "labs", "top"}


def test_reported_aggregates_are_reconciled_not_used(plan, rows, engine):
    want = reference_counts(rows, plan.indicator("labs").registry, YEARS, plan.geography)
    n = want[("root", 2021)]
    reported = [obs("labs", 2021, n), obs("labs", 2022, want[("root", 2022)] + 3), obs("labs", 2019, 7)]
    values = build_values(plan, reported, engine, years=YEARS)
    assert values.table.series("labs", "root")[2022].value == want[("root", 2022)]
    assert values.table.series("labs", "root")[2019].value == 7  # a year the registry was not counted for
    recon = {r.period: r for r in values.reconciliation}
    assert set(recon) == {2021, 2022}
    assert not recon[2021].flagged and recon[2022].flagged and recon[2022].difference == -3
    assert values.table.series("labs", "root")[2022].reported == want[("root", 2022)] + 3
    lenient = build_values(plan, reported, engine, years=YEARS, tolerance=Tolerance(absolute=3))
    assert not lenient.flagged()
    relative = build_values(plan, reported, engine, years=YEARS, tolerance=Tolerance(relative=2.9 / (want[("root", 2022)] + 3)))
    assert [r.period for r in relative.flagged()] == [2022]


def test_without_an_engine_or_rows_reported_values_are_used(plan, tmp_path):
    reported = [obs("labs", 2021, 12), obs("top", 2021, 2)]
    alone = build_values(plan, reported, None)
    assert alone.table.series("labs", "root")[2021].value == 12 and alone.table.series("labs", "root")[2021].how == "reported"
    assert alone.notes and "no registry was read" in alone.notes[0]
    url = f"sqlite:///{tmp_path}/empty.db"
    write_sql(url, {})  # the tables, no rows: the registries are not kept
    empty = connect_store(url)
    try:
        values = build_values(plan, reported, empty, years=YEARS)
    finally:
        empty.close()
    assert values.table.series("labs", "root")[2021].value == 12
    assert set(values.from_reports) == {"patents", "labs", "top"} and "no rows in the registry" in values.notes[0]


def test_only_years_that_have_ended_are_counted(plan):
    assert counted_years(plan, date(2023, 6, 30)) == [2020, 2021, 2022]
    assert counted_years(plan, date(2024, 1, 1)) == [2020, 2021, 2022, 2023]


def test_explain_a_ratio_lists_the_patents_behind_it(plan, rows, engine):
    values = build_values(plan, [obs("population", 2022, 20_000, "east")], engine, years=YEARS)
    e = explain(plan, values, engine, "per_10k", 2022, "east", limit=2)
    j = explanation_json(e)
    assert j["how"] == "computed" and j["formula"] == "patents / population * 10000" and "20,000" in j["substituted"]
    (part,) = j["registry"]
    assert part["id"] == "patents" and part["total"] == part["value"] and len(part["members"]) == min(2, part["total"])
    assert {"number", "granted_on", "lapsed_on", "unit"} <= set(part["members"][0])
    series = explain(plan, values, engine, "patents", 2022, "east")
    assert series.value is not None and series.how == "registry" and series.value.value == part["value"]


def test_a_registry_with_rows_only_at_other_units_is_not_kept(plan, tmp_path):
    url = f"sqlite:///{tmp_path}/elsewhere.db"
    write_sql(url, sample_rows(["far", "away"], seed=1, size=20))
    other = connect_store(url)
    try:
        values = build_values(plan, [obs("labs", 2021, 12)], other, years=YEARS)
    finally:
        other.close()
    assert values.table.series("labs", "root")[2021].value == 12 and not values.from_registry
