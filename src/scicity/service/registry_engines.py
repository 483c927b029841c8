"""Choosing the engine that counts the registries: the store's database, DuckDB or Spark over Parquet."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scicity.engine.registry.engine import RegistryEngine

ENGINES = ("store", "duckdb", "spark")


class EngineUnavailable(RuntimeError):
    """The chosen engine cannot run with what was given (the message says what to pass)."""


@contextmanager
def open_registry_engine(
    kind: str, database_url: str | None, parquet: Path | None = None, cache_dir: Path | None = None
) -> Iterator[RegistryEngine | None]:
    """The engine of ``kind``, closed (and any temporary export removed) at the end; ``cache_dir`` keeps the
    compiled count SQL for later processes (:attr:`~scicity.engine.registry.engine.RegistryEngine.sql_cache`).

    - ``store``: the registry tables of the database at ``database_url`` (None: no engine, yields None);
    - ``duckdb`` / ``spark``: the Parquet files in ``parquet``, or the store's tables exported
      to a temporary directory first when no directory is given.
    """
    if kind not in ENGINES:
        raise EngineUnavailable(f"unknown engine {kind!r}; use one of {', '.join(ENGINES)}")
    from scicity.engine.registry.connect import connect_duckdb, connect_spark, connect_store

    if kind == "store":
        if database_url is None:
            yield None
            return
        engine = connect_store(database_url)
        engine.sql_cache = cache_dir
        try:
            yield engine
        finally:
            engine.close()
        return
    with tempfile.TemporaryDirectory(prefix="scicity-parquet-") as tmp:
        directory = parquet
        if directory is None:
            if database_url is None:
                raise EngineUnavailable(f"--engine {kind} reads Parquet: pass --parquet DIR (or use a database to export from)")
            directory = Path(tmp)
            export_from_store(database_url, directory)
        elif not directory.is_dir():
            raise EngineUnavailable(f"no Parquet directory {directory}; write one with 'scicity engine export-parquet {directory}'")
        engine = connect_duckdb(directory) if kind == "duckdb" else connect_spark(directory)
        engine.sql_cache = cache_dir
        try:
            yield engine
        finally:
            engine.close()


def export_from_store(database_url: str, directory: Path) -> dict[str, int]:
    """Export the store's registry tables to ``directory`` as Parquet; rows written per table."""
    from scicity.engine.registry.connect import connect_store
    from scicity.engine.registry.parquet import export_parquet

    store = connect_store(database_url)
    try:
        return export_parquet(store, directory)
    finally:
        store.close()
