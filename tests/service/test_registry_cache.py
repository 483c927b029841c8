"""Registry counts cached per data version: the same numbers, no engine while the data are unchanged.

A real write through the repository (not a faked version number) must make
the next call count again, and the new count must show the written row.
"""

from datetime import date

import pytest

import scicity.engine.registry.connect as connect
from scicity.domain.registries import Institution
from scicity.engine.registry.sample import sample_rows, write_sql
from scicity.ingest.plan_file import load_plan_file
from scicity.plans import default_plan_path
from scicity.service.registry_cache import store_counts
from scicity.store.registries import RegistryRepository

YEARS = [2020, 2021, 2022, 2023]


def _count(counts, ident: str, unit: str, year: int) -> float:
    (value,) = [o.value for o in counts.observations if (o.indicator, o.unit, o.period) == (ident, unit, year)]
    return value


def test_cache_hit_until_a_write_moves_the_data_version(sqlite_database, tmp_path, monkeypatch: pytest.MonkeyPatch):
    plan = load_plan_file(default_plan_path()).plan
    url = sqlite_database.url.render_as_string(hide_password=False)
    write_sql(url, sample_rows([u.id for u in plan.geography.walk()], seed=5, size=40))
    cache = tmp_path / "cache"
    real_connect = connect.connect_store
    opened: list[str] = []

    def counting(url: str):
        opened.append(url)
        return real_connect(url)

    monkeypatch.setattr(connect, "connect_store", counting)
    first = store_counts(plan, sqlite_database, YEARS, cache)
    assert first.observations and len(opened) == 1
    assert len(list(cache.glob("registry-counts-*.json"))) == 1

    again = store_counts(plan, sqlite_database, YEARS, cache)
    assert again == first and len(opened) == 1, "unchanged data: the cache answers, no engine is opened"

    before = _count(first, "major_facilities", "wcsc", 2023)
    RegistryRepository(sqlite_database).apply(
        "institutions",
        [Institution(code="TEST-FACILITY-1", type="major_facility", level="national", unit="wcsc",
                     recognised_on=date(2021, 5, 1))],
        actor="tester",
    )
    after = store_counts(plan, sqlite_database, YEARS, cache)
    assert len(opened) == 2, "a write through the repository must make the counts be computed again"
    assert _count(after, "major_facilities", "wcsc", 2023) == before + 1
    assert _count(after, "major_facilities", "wcsc", 2020) == _count(first, "major_facilities", "wcsc", 2020)
    assert len(list(cache.glob("registry-counts-*.json"))) == 2


def test_store_values_counts_the_years_ended_by_the_given_day(sqlite_database, tmp_path):
    """The result depends on the injected date, not on the day the test runs."""
    from scicity.service.registry_cache import store_values

    plan = load_plan_file(default_plan_path()).plan
    url = sqlite_database.url.render_as_string(hide_password=False)
    write_sql(url, sample_rows([u.id for u in plan.geography.walk()], seed=5, size=40))
    early = store_values(plan, sqlite_database, tmp_path / "cache", today=date(2022, 6, 1))
    later = store_values(plan, sqlite_database, tmp_path / "cache", today=date(2024, 1, 1))
    years = lambda v: {o.period for o in v.inputs.values() if (o.source or "").startswith("registry:")}  # noqa: E731
    assert years(early) == {2020, 2021} and years(later) == {2020, 2021, 2022, 2023}
