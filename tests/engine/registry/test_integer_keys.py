"""The Parquet export's integer enterprise keys: consistent with the credit codes, and counted right with or without them."""

from __future__ import annotations

import pyarrow.parquet as pq

from scicity.engine.registry import engine as engine_module
from scicity.engine.registry.connect import connect_duckdb, connect_store
from scicity.engine.registry.layout import ENTERPRISE_ID
from scicity.engine.registry.parquet import export_parquet
from scicity.engine.registry.reference import reference_counts
from scicity.engine.registry.sample import sample_rows, write_parquet, write_sql

from .conftest import GEO, LIBRARY_WARNINGS, UNITS
from .test_contract import DEFINITIONS, YEARS, same

pytestmark = LIBRARY_WARNINGS
CERTIFIED = {k: d for k, d in DEFINITIONS.items() if d.certifications()}


def test_export_numbers_enterprises_and_their_certificates(tmp_path):
    rows = sample_rows(UNITS, seed=21, size=70)
    stray = {"credit_code": "91500000MA0000000X", "kind": "high_tech", "valid_from": rows["certifications"][0]["valid_from"],
             "valid_to": None}  # a certificate of no enterprise in the registry
    rows["certifications"] = [*rows["certifications"], stray]
    url = f"sqlite:///{tmp_path}/store.db"
    write_sql(url, rows)
    store = connect_store(url)
    try:
        written = export_parquet(store, tmp_path / "pq", batch_rows=7)  # several batches per table
    finally:
        store.close()
    assert written["certifications"] == len(rows["certifications"])
    ents = pq.read_table(tmp_path / "pq" / "enterprises.parquet").to_pylist()
    certs = pq.read_table(tmp_path / "pq" / "certifications.parquet").to_pylist()
    assert [e[ENTERPRISE_ID] for e in ents] == list(range(len(ents)))  # the row in the file, across batches
    by_id = {e[ENTERPRISE_ID]: e["credit_code"] for e in ents}
    for c in certs:
        if c["credit_code"] == stray["credit_code"]:
            assert c[ENTERPRISE_ID] is None
        else:
            assert by_id[c[ENTERPRISE_ID]] == c["credit_code"]
    eng = connect_duckdb(tmp_path / "pq")
    try:
        got = eng.counts_many(CERTIFIED, YEARS, GEO)
    finally:
        eng.close()
    for name, definition in CERTIFIED.items():
        assert same(got[name], reference_counts(rows, definition, YEARS, GEO), name), name


def test_files_without_integer_keys_count_the_same_with_their_own_sql(tmp_path, monkeypatch):
    """Parquet written before the keys existed joins on the credit codes; the SQL kept for keyed files is not reused."""
    monkeypatch.setattr(engine_module, "_COMPILED", {})
    rows = sample_rows(UNITS, seed=22, size=60)
    write_parquet(tmp_path / "keyed", rows)
    write_parquet(tmp_path / "plain", rows, enterprise_ids=False)
    assert ENTERPRISE_ID in pq.read_schema(tmp_path / "keyed" / "certifications.parquet").names
    assert ENTERPRISE_ID not in pq.read_schema(tmp_path / "plain" / "certifications.parquet").names
    keyed, plain = connect_duckdb(tmp_path / "keyed"), connect_duckdb(tmp_path / "plain")
    try:
        a = keyed.counts_many(CERTIFIED, YEARS, GEO)
        b = plain.counts_many(CERTIFIED, YEARS, GEO)
    finally:
        keyed.close()
        plain.close()
    sql = [c.sql for c in engine_module._COMPILED.values()]
    assert len(sql) == 2 and sum(f'"{ENTERPRISE_ID}"' in s for s in sql) == 1
    for name, definition in CERTIFIED.items():
        expected = reference_counts(rows, definition, YEARS, GEO)
        assert same(a[name], expected, name) and same(b[name], expected, name), name
