"""Count queries are compiled once per process and the kept SQL is right on every engine of that kind.

Two engines of one backend kind over *different* registries: the second runs the SQL the first compiled
(no new compile) and must still count its own rows, equal to the plain-Python reference.
"""

from __future__ import annotations

import pytest

from scicity.engine.registry import engine as engine_module
from scicity.engine.registry.connect import connect_duckdb, connect_store
from scicity.engine.registry.reference import reference_counts
from scicity.engine.registry.sample import sample_rows, write_parquet, write_sql

from .conftest import GEO, LIBRARY_WARNINGS, UNITS
from .test_contract import DEFINITIONS, YEARS, same

pytestmark = LIBRARY_WARNINGS


def _open(kind, tmp_path, rows, tag):
    if kind == "duckdb":
        write_parquet(tmp_path / tag, rows)
        return connect_duckdb(tmp_path / tag)
    url = f"sqlite:///{tmp_path}/{tag}.db"
    write_sql(url, rows)
    return connect_store(url)


@pytest.mark.parametrize("kind", ["duckdb", "sqlite"])
def test_second_engine_reuses_the_sql_and_counts_its_own_rows(kind, tmp_path, monkeypatch):
    monkeypatch.setattr(engine_module, "_COMPILED", {})
    first_rows, second_rows = sample_rows(UNITS, seed=3, size=60, exchange=True), sample_rows(UNITS, seed=4, size=90, exchange=True)
    compiles = []
    real = engine_module.counts_expr
    monkeypatch.setattr(engine_module, "counts_expr", lambda *a, **k: compiles.append(1) or real(*a, **k))
    first = _open(kind, tmp_path, first_rows, "one")
    second = _open(kind, tmp_path, second_rows, "two")
    try:
        got1 = first.counts_many(DEFINITIONS, YEARS, GEO)
        groups = len(compiles)
        assert groups >= 4 and len(engine_module._COMPILED) == groups
        got2 = second.counts_many(DEFINITIONS, YEARS, GEO)
        again = first.counts_many(DEFINITIONS, YEARS, GEO)
        assert len(compiles) == groups  # compiled once, in the first engine
        for name, definition in DEFINITIONS.items():
            assert same(again[name], got1[name], name), name
            assert same(got1[name], reference_counts(first_rows, definition, YEARS, GEO), name), name
            assert same(got2[name], reference_counts(second_rows, definition, YEARS, GEO), name), name
        assert got1 != got2  # the registries differ, so a stale result would show
    finally:
        first.close()
        second.close()


@pytest.mark.parametrize("kind", ["duckdb", "sqlite"])
def test_sql_kept_on_disk_serves_a_later_process_without_compiling(kind, tmp_path, monkeypatch):
    """With ``sql_cache``, a fresh process (an empty ``_COMPILED``) reads the SQL from the files and builds no query."""
    monkeypatch.setattr(engine_module, "_COMPILED", {})
    rows = sample_rows(UNITS, seed=6, size=50, exchange=True)
    first = _open(kind, tmp_path, rows, "one")
    first.sql_cache = tmp_path / "cache"
    try:
        got = first.counts_many(DEFINITIONS, YEARS, GEO)
    finally:
        first.close()
    files = sorted((tmp_path / "cache").glob("registry-sql-*.sql"))
    assert len(files) == len(engine_module._COMPILED) >= 4
    monkeypatch.setattr(engine_module, "_COMPILED", {})  # the next process
    monkeypatch.setattr(engine_module, "counts_expr", lambda *a, **k: pytest.fail("compiled again"))
    second = _open(kind, tmp_path, rows, "two")
    second.sql_cache = tmp_path / "cache"
    try:
        again = second.counts_many(DEFINITIONS, YEARS, GEO)
    finally:
        second.close()
    for name, definition in DEFINITIONS.items():
        assert same(again[name], got[name], name), name
        assert same(again[name], reference_counts(rows, definition, YEARS, GEO), name), name


@pytest.mark.parametrize("kind", ["duckdb", "sqlite"])
def test_presence_reads_one_row(kind, tmp_path):
    rows = sample_rows(UNITS, seed=5, size=40)
    eng = _open(kind, tmp_path, {**rows, "talent": []}, "p")
    try:
        assert eng.keeps(DEFINITIONS["high_tech"])
        assert eng.keeps(DEFINITIONS["high_tech"], frozenset({"point"})) == (
            eng.rows_in("certifications", frozenset({"point"})) > 0)
        assert not eng.keeps(DEFINITIONS["top_talent"])  # an empty table: not kept
        assert not eng.keeps(DEFINITIONS["valid_invention_patents"], frozenset({"nowhere"}))
    finally:
        eng.close()
