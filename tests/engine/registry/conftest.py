"""One engine per backend over the same sample registries, shared by the contract suite.

Backends: ``sqlite`` and ``postgres`` (the store's own database kinds),
``duckdb`` and ``spark`` (over Parquet exports). Spark tests carry the
``spark`` marker (deselect with ``-m "not spark"``; CI runs them) and share
one SparkSession per test session (per xdist worker).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import URL
from sqlalchemy.pool import NullPool

from scicity.domain.plan import GeoUnit, Text
from scicity.engine.registry.engine import RegistryEngine
from scicity.engine.registry.sample import Rows, sample_rows, write_parquet, write_sql

#: warnings of the libraries underneath, not of scicity (Spark's sockets, DuckDB 2 deprecations inside Ibis 12)
LIBRARY_WARNINGS = [
    pytest.mark.filterwarnings(r"ignore:fetch_arrow_table\(\) is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings(r"ignore:fetch_record_batch\(\) is deprecated:DeprecationWarning"),
]

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
    pytest.param("duckdb", id="duckdb"),
    pytest.param("spark", id="spark", marks=pytest.mark.spark),
]


def _unit(uid: str, *children: GeoUnit) -> GeoUnit:
    return GeoUnit(id=uid, name=Text(en=uid), children=children)


GEO = _unit("city", _unit("axis", _unit("point")), _unit("east"), _unit("west"))
UNITS = [u.id for u in GEO.walk()]


@pytest.fixture(scope="session")
def rows() -> Rows:
    return sample_rows(UNITS, seed=11, size=80, exchange=True)


@pytest.fixture(scope="session")
def parquet_dir(tmp_path_factory: pytest.TempPathFactory, rows: Rows):
    path = tmp_path_factory.mktemp("parquet")
    write_parquet(path, rows)
    return path


@pytest.fixture(scope="session")
def spark():
    from scicity.engine.registry.connect import spark_session

    session = spark_session(cores=2, memory="1g")
    yield session
    session.stop()


@pytest.fixture(scope="session")
def pg_registry_url(pg_session_url: URL) -> str:
    schema = f"r_{secrets.token_hex(6)}"
    engine = create_engine(pg_session_url, poolclass=NullPool)
    with engine.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    engine.dispose()
    return pg_session_url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)


def _engine(request: pytest.FixtureRequest, name: str, rows: Rows) -> RegistryEngine:
    from scicity.engine.registry.connect import connect_duckdb, connect_spark, connect_store

    if name == "sqlite":
        url = f"sqlite:///{request.getfixturevalue('tmp_path_factory').mktemp('sqlite')}/registries.db"
        write_sql(url, rows)
        return connect_store(url)
    if name == "postgres":
        url = request.getfixturevalue("pg_registry_url")
        write_sql(url, rows)
        return connect_store(url)
    if name == "duckdb":
        return connect_duckdb(request.getfixturevalue("parquet_dir"))
    return connect_spark(request.getfixturevalue("parquet_dir"), request.getfixturevalue("spark"))


@pytest.fixture(scope="session", params=BACKENDS)
def engine(request: pytest.FixtureRequest, rows: Rows) -> Iterator[RegistryEngine]:
    eng = _engine(request, request.param, rows)
    yield eng
    eng.close()
