"""Registry counts cached per data version: the same numbers, no engine while the data are unchanged."""

from scicity.engine.registry.sample import sample_rows, write_sql
from scicity.ingest.plan_file import load_plan_file
from scicity.plans import default_plan_path
from scicity.service import registry_cache
from scicity.service.registry_cache import store_counts
from scicity.store.audit import AuditRepository

YEARS = [2020, 2021, 2022, 2023]


def test_cache_hit_until_the_data_version_moves(sqlite_database, tmp_path, monkeypatch):
    plan = load_plan_file(default_plan_path()).plan
    url = sqlite_database.url.render_as_string(hide_password=False)
    write_sql(url, sample_rows([u.id for u in plan.geography.walk()], seed=5, size=40))
    cache = tmp_path / "cache"
    first = store_counts(plan, sqlite_database, YEARS, cache)
    assert first.observations and len(list(cache.glob("registry-counts-*.json"))) == 1
    import scicity.engine.registry.connect as connect

    def refuse(url: str):
        raise AssertionError("the cache should have answered")

    monkeypatch.setattr(connect, "connect_store", refuse)
    again = store_counts(plan, sqlite_database, YEARS, cache)
    assert again == first
    monkeypatch.setattr(registry_cache, "data_version", lambda db: 10**9)  # a write happened
    try:
        store_counts(plan, sqlite_database, YEARS, cache)
    except AssertionError as exc:
        assert "cache" in str(exc)
    else:
        raise AssertionError("a new data version must count again")
    assert AuditRepository  # the version is the newest audit event (store.data_version)
