"""A number that changes whenever stored data change: the newest audit event's id.

Every write through the repositories (imports, entries, reviews, plans, goal
status, users) records an audit event in the same transaction, so a cache of
anything computed from stored data can be keyed by this number and is then
invalidated by any write, from the web, the API or the command line.
"""

from __future__ import annotations

from sqlalchemy import func, select

from scicity.store.db import Database
from scicity.store.tables import AuditEventRow


def data_version(db: Database) -> int:
    with db.connect() as conn:
        return int(conn.execute(select(func.max(AuditEventRow.id))).scalar() or 0)
