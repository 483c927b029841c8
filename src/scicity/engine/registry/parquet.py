"""Parquet exports of the registry tables, for DuckDB and Spark: one file per table.

Each table is streamed in record batches into its file (never held whole in memory),
written to a temporary name and renamed when complete.
"""

from __future__ import annotations

from pathlib import Path

from scicity.engine.registry.engine import RegistryEngine
from scicity.engine.registry.layout import EXCHANGE_COLUMNS, REGISTRY_TABLES

BATCH_ROWS = 100_000


def export_parquet(engine: RegistryEngine, directory: Path | str, *, batch_rows: int = BATCH_ROWS) -> dict[str, int]:
    """Write ``<table>.parquet`` for every registry table the engine has; return rows per table."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, int] = {}
    for name in REGISTRY_TABLES:
        if not engine.has_table(name):
            continue
        written[name] = _write_batches(engine.table(name), out, name, batch_rows)
    for name, columns in EXCHANGE_COLUMNS.items():  # the exchange records, the columns the engine reads
        if not engine.has_table(name):
            continue
        written[name] = _write_batches(engine.table(name).select(*columns), out, name, batch_rows)
    return written


def _write_batches(expr, out: Path, name: str, batch_rows: int) -> int:
    """Write one table expression to ``<name>.parquet`` in batches, atomically; return its row count."""
    import pyarrow.parquet as pq

    target, partial = out / f"{name}.parquet", out / f".{name}.parquet.partial"
    reader = expr.to_pyarrow_batches(chunk_size=batch_rows)
    rows = 0
    try:
        with pq.ParquetWriter(partial, reader.schema) as writer:
            for batch in reader:
                if batch.num_rows:
                    writer.write_batch(batch)
                    rows += batch.num_rows
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        reader.close()
    partial.replace(target)
    return rows
