"""Opening an engine: the store's own database, DuckDB over Parquet, or Spark over Parquet."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ibis
from sqlalchemy.engine import make_url

from scicity.engine.registry.engine import RegistryEngine
from scicity.engine.registry.layout import EXCHANGE_TABLES, REGISTRY_TABLES

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

ENGINES = ("store", "duckdb", "spark")


def connect_store(url: str) -> RegistryEngine:
    """The registries in the store's own database (an SQLAlchemy URL: SQLite or PostgreSQL)."""
    u = make_url(url)
    backend = u.get_backend_name()
    if backend == "sqlite":
        con = ibis.sqlite.connect(u.database or ":memory:")
        return RegistryEngine(con, "sqlite", on_close=con.disconnect)
    if backend == "postgresql":
        extra: dict[str, Any] = {k: v for k, v in u.query.items() if isinstance(v, str)}
        con = ibis.postgres.connect(
            host=u.host or "localhost",
            port=u.port or 5432,
            user=u.username,
            password=u.password,
            database=u.database,
            **extra,
        )
        return RegistryEngine(con, "postgres", on_close=con.disconnect)
    raise ValueError(f"the registry engine reads SQLite or PostgreSQL stores, not {backend!r}")


def _parquet_files(directory: Path) -> dict[str, Path]:
    if not directory.is_dir():
        raise FileNotFoundError(f"no Parquet directory {directory}; write one with 'scicity engine export-parquet {directory}'")
    return {t: directory / f"{t}.parquet" for t in (*REGISTRY_TABLES, *EXCHANGE_TABLES) if (directory / f"{t}.parquet").exists()}


def connect_duckdb(directory: Path | str, *, in_memory: bool = True, threads: int | None = None) -> RegistryEngine:
    """DuckDB over the Parquet exports in ``directory`` (``<table>.parquet``), on one connection.

    ``in_memory`` (the default) reads each file once into a DuckDB table (columnar, compressed), so
    that the counts do not decode Parquet again on every query; ``False`` leaves views over the files.
    ``threads``: DuckDB's worker threads (default: DuckDB's own, one per core). On a machine whose cores are
    already busy, 1 thread spends less CPU for the same counts (see docs/registry-indicators.md).
    """
    files = _parquet_files(Path(directory))
    con = ibis.duckdb.connect(**({"threads": int(threads)} if threads else {}))
    if in_memory:
        for name, path in files.items():
            con.raw_sql(f"CREATE TABLE \"{name}\" AS SELECT * FROM read_parquet('{_sql_text(path)}')")
        tables = {name: con.table(name) for name in files}
    else:
        tables = {name: con.read_parquet(path, table_name=name) for name, path in files.items()}
    return RegistryEngine(con, "duckdb", tables, on_close=con.disconnect)


def _sql_text(path: Path) -> str:
    return str(path.resolve()).replace("'", "''")


def spark_session(warehouse: Path | str | None = None, *, cores: int = 2, memory: str = "2g") -> SparkSession:
    """A local SparkSession for tests and one-machine runs (loopback only, no UI, few shuffle partitions)."""
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    from pyspark.sql import SparkSession

    warehouse = warehouse or tempfile.mkdtemp(prefix="scicity-spark-")
    session = (
        SparkSession.builder.master(f"local[{cores}]")
        .appName("scicity-registry")
        .config("spark.sql.shuffle.partitions", str(max(2, cores)))
        .config("spark.sql.warehouse.dir", str(warehouse))
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.memory", memory)
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.host", "127.0.0.1")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    return session


def connect_spark(directory: Path | str, session: SparkSession | None = None) -> RegistryEngine:
    """Spark over the Parquet exports in ``directory``; a local session is started when none is given."""
    files = _parquet_files(Path(directory))
    own = session is None
    spark = session or spark_session()
    con = ibis.pyspark.connect(spark)
    tables = {name: con.read_parquet(str(path), table_name=f"scicity_{name}") for name, path in files.items()}
    return RegistryEngine(con, "spark", tables, on_close=spark.stop if own else None)
