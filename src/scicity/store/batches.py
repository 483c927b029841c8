"""Import batches: one row per applied import (a dry run leaves no trace)."""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from scicity.store.db import Database
from scicity.store.errors import NotFound
from scicity.store.tables import ImportBatch


@dataclass(frozen=True, slots=True)
class ImportBatchInfo:
    id: int
    file_name: str | None
    sha256: str | None
    actor: str
    created_at: datetime
    row_count: int
    new_count: int
    changed_count: int
    unchanged_count: int


class BatchRepository:
    """Read-only access to import batches (they are written by ``ObservationRepository.apply``)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def get(self, batch_id: int) -> ImportBatchInfo:
        with self.db.session() as session:
            row = session.get(ImportBatch, batch_id)
            if row is None:
                raise NotFound(f"no import batch with id {batch_id}")
            return _info(row)

    def list(self, limit: int | None = 100) -> builtins.list[ImportBatchInfo]:
        """Batches, newest first."""
        stmt = select(ImportBatch).order_by(ImportBatch.id.desc()).limit(limit)
        with self.db.session() as session:
            return [_info(row) for row in session.scalars(stmt)]


def _info(row: ImportBatch) -> ImportBatchInfo:
    return ImportBatchInfo(
        id=row.id,
        file_name=row.file_name,
        sha256=row.sha256,
        actor=row.actor,
        created_at=row.created_at,
        row_count=row.row_count,
        new_count=row.new_count,
        changed_count=row.changed_count,
        unchanged_count=row.unchanged_count,
    )
