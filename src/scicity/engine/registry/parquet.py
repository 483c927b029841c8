"""Parquet exports of the registry tables, for DuckDB and Spark: one file per table."""

from __future__ import annotations

from pathlib import Path

from scicity.engine.registry.engine import RegistryEngine
from scicity.engine.registry.layout import EXCHANGE_COLUMNS, REGISTRY_TABLES


def export_parquet(engine: RegistryEngine, directory: Path | str) -> dict[str, int]:
    """Write ``<table>.parquet`` for every registry table the engine has; return rows per table."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, int] = {}
    for name in REGISTRY_TABLES:
        if not engine.has_table(name):
            continue
        table = engine.table(name).to_pyarrow()
        import pyarrow.parquet as pq

        pq.write_table(table, out / f"{name}.parquet")
        written[name] = table.num_rows
    for name, columns in EXCHANGE_COLUMNS.items():  # the exchange records, the columns the engine reads
        if not engine.has_table(name):
            continue
        import pyarrow.parquet as pq

        table = engine.table(name).select(*columns).to_pyarrow()
        pq.write_table(table, out / f"{name}.parquet")
        written[name] = table.num_rows
    return written
