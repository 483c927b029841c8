"""A number that changes whenever stored data change: the newest audit event's id.

Every write through the repositories (imports, entries, reviews, plans, goal
status, users) records an audit event in the same transaction, so a cache of
anything computed from stored data can be keyed by this number and is then
invalidated by any write, from the web, the API or the command line.
"""

from __future__ import annotations

from collections.abc import Iterable

from scicity.store.db import Database

#: audit entities that are not a registry table (every other entity is one, registry kinds added later too)
NOT_REGISTRY_ENTITIES = frozenset({
    "observation", "plan", "user", "department", "api_token", "goal_status",
    "peer", "plan_draft", "public_field", "report_draft",
})


def data_version(db: Database, *, except_entities: Iterable[str] = ()) -> int:
    """The newest audit event's id (0: none), leaving out the events on ``except_entities``."""
    skipped = sorted(except_entities)
    if db.sqlite_file is not None:  # without SQLAlchemy (scicity.store.sqlite_reads)
        from scicity.store.sqlite_reads import newest_audit_id

        return newest_audit_id(db.sqlite_file, except_entities=skipped)
    from sqlalchemy import func, select

    from scicity.store.tables import AuditEventRow

    stmt = select(func.max(AuditEventRow.id))
    if skipped:
        stmt = stmt.where(AuditEventRow.entity.not_in(skipped))
    with db.connect() as conn:
        return int(conn.execute(stmt).scalar() or 0)


def registry_version(db: Database) -> int:
    """The newest audit event of a registry write (imports, entries): the state of the registries."""
    return data_version(db, except_entities=NOT_REGISTRY_ENTITIES)
