"""A hash chain over the audit log: every event carries the hash of its content and of the event before it.

Revision ID: 0009_audit_chain
Revises: 0008_plan_lifecycle
Create Date: 2026-12-02

Adds ``audit_events.prev_hash`` and ``audit_events.hash`` and fills them for
the events already stored, in id order (:mod:`scicity.store.audit_chain`
defines the hash; it must never change, or stored chains stop verifying).
The audit log's guards refuse UPDATE, so they are switched off for the
backfill and on again in the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from alembic import op

from scicity.store.audit_chain import GENESIS, event_hash
from scicity.store.types import UTCDateTime

revision: str = "0009_audit_chain"
down_revision: str | Sequence[str] | None = "0008_plan_lifecycle"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSONDOC = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
BATCH = 5_000
#: the guard of migration 0001 (the same text, so that it refuses as before)
AUDIT_MESSAGE = "audit_events is append-only: rows can be added but never changed or deleted"

_EVENTS = sa.Table(
    "audit_events",
    sa.MetaData(),
    sa.Column("id", sa.BigInteger, primary_key=True),
    sa.Column("at", UTCDateTime()),
    sa.Column("actor", sa.String),
    sa.Column("action", sa.String),
    sa.Column("entity", sa.String),
    sa.Column("entity_id", sa.String),
    sa.Column("before", JSONDOC),
    sa.Column("after", JSONDOC),
    sa.Column("batch_id", sa.BigInteger),
    sa.Column("prev_hash", sa.String(64)),
    sa.Column("hash", sa.String(64)),
)


def upgrade() -> None:
    op.add_column("audit_events", sa.Column("prev_hash", sa.String(64), nullable=True))
    op.add_column("audit_events", sa.Column("hash", sa.String(64), nullable=True))
    bind = op.get_bind()
    postgres = bind.dialect.name == "postgresql"
    if postgres:
        op.execute("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_update")
    prev, last_id = GENESIS, None
    while True:
        stmt = sa.select(_EVENTS).order_by(_EVENTS.c.id).limit(BATCH)
        if last_id is not None:
            stmt = stmt.where(_EVENTS.c.id > last_id)
        rows = bind.execute(stmt).all()
        if not rows:
            break
        updates = []
        for row in rows:
            digest = event_hash(prev, row._mapping)
            updates.append({"row_id": row.id, "prev_hash": prev, "hash": digest})
            prev = digest
        bind.execute(
            _EVENTS.update().where(_EVENTS.c.id == sa.bindparam("row_id")).values(
                prev_hash=sa.bindparam("prev_hash"), hash=sa.bindparam("hash")),
            updates,
        )
        last_id = rows[-1].id
    if postgres:
        op.execute("ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only")
    else:
        op.execute("CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events "
                   f"BEGIN SELECT RAISE(ABORT, '{AUDIT_MESSAGE}'); END")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.drop_column("audit_events", "hash")
        op.drop_column("audit_events", "prev_hash")
        return
    # SQLite rebuilds the table to drop columns: its guards go with it and are made again
    for name in ("audit_events_no_update", "audit_events_no_delete", "audit_events_no_replace"):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    with op.batch_alter_table("audit_events") as batch:
        batch.drop_column("hash")
        batch.drop_column("prev_hash")
    for event in ("UPDATE", "DELETE"):
        op.execute(f"CREATE TRIGGER audit_events_no_{event.lower()} BEFORE {event} ON audit_events "
                   f"BEGIN SELECT RAISE(ABORT, '{AUDIT_MESSAGE}'); END")
    op.execute(
        "CREATE TRIGGER audit_events_no_replace BEFORE INSERT ON audit_events WHEN EXISTS ("
        "SELECT 1 FROM audit_events WHERE id = NEW.id) "
        "BEGIN SELECT RAISE(ABORT, 'audit_events rows cannot be replaced: an insert may not reuse the id or key "
        "of a stored row'); END"
    )
