"""The tier evaluation compiled through Ibis gives the pure Python evaluation's outcome on every backend."""

from __future__ import annotations

import secrets

import pytest
from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool

from scicity.domain.registries import Certification, Enterprise, Financials
from scicity.domain.tier_eval import evaluate_year
from scicity.engine.registry.tier_sample import arrow_tables, tier_rows, write_tier_parquet, write_tier_sql
from scicity.engine.registry.tier_duckdb import run_in_memory
from scicity.engine.registry.tiers import CODES, tier_table
from scicity.ingest.tier_rules_file import load_rule_book
from scicity.service.cultivation import facts_from
from tests.engine.registry.conftest import LIBRARY_WARNINGS

pytestmark = LIBRARY_WARNINGS
BOOK = load_rule_book()
YEARS = (2021, 2022, 2023, 2024, 2025, 2026)


@pytest.fixture(scope="module")
def rows():
    return tier_rows(120, YEARS, seed=17, missing=0.03)


@pytest.fixture(scope="module")
def reference(rows):
    """The plain-Python outcome of every (enterprise, year with figures, tier in force)."""
    facts = facts_from([Enterprise(**e) for e in rows["enterprises"]],
                       [Financials(**f) for f in rows["enterprise_financials"]],
                       [Certification(**c) for c in rows["certifications"]])
    present = {(f["credit_code"], f["year"]) for f in rows["enterprise_financials"]}
    out = {}
    for f in facts:
        for year in YEARS:
            if (f.credit_code, year) in present:
                for r in evaluate_year(BOOK, f, year):
                    out[(f.credit_code, year, r.tier)] = (r.outcome.value, r.certified)
    return out


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres), "duckdb",
                        pytest.param("spark", marks=pytest.mark.spark)])
def engine(request, rows, tmp_path):
    from scicity.engine.registry.connect import connect_duckdb, connect_spark, connect_store

    name = request.param
    if name == "sqlite":
        url = f"sqlite:///{tmp_path / 'tiers.db'}"
        write_tier_sql(url, rows)
        eng = connect_store(url)
    elif name == "postgres":
        base = request.getfixturevalue("pg_session_url")
        schema = f"t_{secrets.token_hex(6)}"
        admin = create_engine(base, poolclass=NullPool)
        with admin.begin() as conn:
            conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        admin.dispose()
        url = base.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
        write_tier_sql(url, rows)
        eng = connect_store(url)
    else:
        write_tier_parquet(tmp_path / "parquet", rows)
        eng = connect_duckdb(tmp_path / "parquet") if name == "duckdb" else \
            connect_spark(tmp_path / "parquet", request.getfixturevalue("spark"))
    yield eng
    eng.close()


def test_outcomes_equal_the_reference(engine, reference):
    _check(tier_table(engine, BOOK).to_pandas().to_dict("records"), reference)


def test_staged_duckdb_sql_equals_the_reference(rows, reference, tmp_path):
    """The pages' path (``tier_sql``: integer keys, the metrics a materialised CTE, the tiers as stages) on
    Arrow tables; the codes come back as text."""
    table = run_in_memory(BOOK, arrow_tables(rows), failing=False, cache_dir=tmp_path)
    assert {type(c) for c in table.column("credit_code").to_pylist()} == {str}
    _check(table.to_pylist(), reference)


def _check(records, reference):
    got = {}
    for rec in records:
        for tier in BOOK.tiers():
            value = rec[f"outcome_{tier}"]
            if value is not None and value == value:
                got[(rec["credit_code"], int(rec["year"]), tier)] = (CODES[int(value)], bool(rec[f"certified_{tier}"]))
    assert len(got) == len(reference)
    wrong = [(k, reference[k], got.get(k)) for k in reference if got.get(k) != reference[k]]
    assert not wrong, wrong[:10]
    outcomes = {v[0] for v in reference.values()}
    assert outcomes == {"met", "not_met", "unknown", "manual_review"}  # the sample exercises every outcome
