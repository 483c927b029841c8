"""Parquet exports of the registry tables, for DuckDB and Spark: one file per table.

Each table is streamed in record batches into its file (never held whole in memory),
written to a temporary name and renamed when complete.

Integer keys: ``enterprises.parquet`` gets an int32 column ``enterprise_id``
(the enterprise's row in the file: 0, 1, 2, …) and ``certifications.parquet``
the same column, looked up from each certificate's credit code (null for a
credit code no enterprise has). The counts join certificates to enterprises
and reduce them per enterprise on these integers instead of the credit codes
(:func:`scicity.engine.registry.query.enterprise_key`); the credit codes stay
in both files. The enterprises' file is the lookup table: while it is written
the credit codes are numbered in a dict, which the certificates' batches read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scicity.engine.registry.layout import CERTIFICATIONS, ENTERPRISE_ID, EXCHANGE_COLUMNS, REGISTRY_TABLES

if TYPE_CHECKING:
    import pyarrow as pa

    from scicity.engine.registry.engine import RegistryEngine

BATCH_ROWS = 100_000
ENTERPRISES = "enterprises"


class EnterpriseIds:
    """Numbers enterprises in the order they are written and looks certificates' credit codes up."""

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}

    def number(self, batch: pa.RecordBatch) -> pa.RecordBatch:
        """The enterprises' batch with ``enterprise_id`` appended (the next row numbers)."""
        import pyarrow as pa

        first = len(self._ids)
        codes = batch.column(batch.schema.get_field_index("credit_code")).to_pylist()
        for i, code in enumerate(codes):
            self._ids.setdefault(code, first + i)  # a credit code is unique in the store: setdefault only guards
        ids = pa.array(range(first, first + len(codes)), pa.int32())
        return pa.RecordBatch.from_arrays([*batch.columns, ids], schema=batch.schema.append(pa.field(ENTERPRISE_ID, pa.int32())))

    def look_up(self, batch: pa.RecordBatch) -> pa.RecordBatch:
        """The certificates' batch with the ``enterprise_id`` of each credit code appended (null when unknown)."""
        import pyarrow as pa

        ids = self._ids
        codes = batch.column(batch.schema.get_field_index("credit_code")).to_pylist()
        column = pa.array([ids.get(c) for c in codes], pa.int32())
        return pa.RecordBatch.from_arrays([*batch.columns, column], schema=batch.schema.append(pa.field(ENTERPRISE_ID, pa.int32())))

    def add(self, name: str, batch: pa.RecordBatch) -> pa.RecordBatch:
        """A batch of table ``name`` with its integer key added (enterprises, certifications; others unchanged)."""
        if name == ENTERPRISES:
            return self.number(batch)
        if name == CERTIFICATIONS:
            return self.look_up(batch)
        return batch


def with_enterprise_ids(tables: Mapping[str, pa.Table]) -> dict[str, pa.Table]:
    """Whole Arrow tables with ``enterprise_id`` added as the export adds it (for writers that hold whole tables:
    the sample registries, the benchmark); enterprises are numbered before certificates are looked up."""
    import pyarrow as pa

    ids = EnterpriseIds()
    order = sorted(tables, key=lambda n: (n != ENTERPRISES, n))  # enterprises first
    out: dict[str, pa.Table] = {}
    for name in order:
        table = tables[name]
        if name not in (ENTERPRISES, CERTIFICATIONS) or (name == CERTIFICATIONS and ENTERPRISES not in tables):
            out[name] = table
            continue
        batches = [ids.add(name, b) for b in table.to_batches()]
        schema = batches[0].schema if batches else table.schema.append(pa.field(ENTERPRISE_ID, pa.int32()))
        out[name] = pa.Table.from_batches(batches, schema=schema)
    return {name: out[name] for name in tables}


def export_parquet(engine: RegistryEngine, directory: Path | str, *, batch_rows: int = BATCH_ROWS) -> dict[str, int]:
    """Write ``<table>.parquet`` for every registry table the engine has; return rows per table."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, int] = {}
    ids = EnterpriseIds()
    keyed = engine.has_table(ENTERPRISES)  # certificates get ids only when their enterprises are written
    for name in REGISTRY_TABLES:  # enterprises come before certifications
        if not engine.has_table(name):
            continue
        add = (lambda b, n=name: ids.add(n, b)) if keyed else None
        written[name] = _write_batches(engine.table(name), out, name, batch_rows, add)
    for name, columns in EXCHANGE_COLUMNS.items():  # the exchange records, the columns the engine reads
        if not engine.has_table(name):
            continue
        written[name] = _write_batches(engine.table(name).select(*columns), out, name, batch_rows)
    return written


def _write_batches(expr: Any, out: Path, name: str, batch_rows: int, add: Any = None) -> int:
    """Write one table expression to ``<name>.parquet`` in batches, atomically; return its row count.
    ``add`` changes each batch before it is written (the integer keys)."""
    import pyarrow.parquet as pq

    target, partial = out / f"{name}.parquet", out / f".{name}.parquet.partial"
    reader = expr.to_pyarrow_batches(chunk_size=batch_rows)
    rows = 0
    try:
        writer = None
        try:
            for batch in _changed(reader, add):
                if writer is None:
                    writer = pq.ParquetWriter(partial, batch.schema)
                if batch.num_rows:
                    writer.write_batch(batch)
                    rows += batch.num_rows
            if writer is None:  # no batch at all: an empty file with the table's columns (and the key)
                import pyarrow as pa

                empty = pa.RecordBatch.from_pylist([], schema=reader.schema)
                schema = (add(empty) if add is not None else empty).schema
                writer = pq.ParquetWriter(partial, schema)
        finally:
            if writer is not None:
                writer.close()
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        reader.close()
    partial.replace(target)
    return rows


def _changed(batches: Iterable[pa.RecordBatch], add: Any) -> Iterable[pa.RecordBatch]:
    for batch in batches:
        yield add(batch) if add is not None else batch
