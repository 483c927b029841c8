"""The registry fields an admin has opted into the public view (migration ``0011_public_fields``).

The public view shows registries as aggregate counts; a field listed here is
shown record by record to anonymous readers as well. Opting in and out are
audit events (``public_field.opt_in`` / ``public_field.opt_out``), written in
the same transaction as the change. Which fields may be opted in at all is
decided by :mod:`scicity.service.public_view` (never person records or
enterprise financials).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import delete, select

from scicity.store.audit import AuditRepository, check_actor
from scicity.store.db import Database
from scicity.store.public_field_tables import PublicFieldRow
from scicity.store.types import utcnow


class PublicFields:
    """Reads and changes the opted-in fields."""

    def __init__(self, db: Database, *, clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.clock = clock
        self.audit = AuditRepository(db, clock=clock)

    def opted(self) -> dict[str, tuple[str, ...]]:
        """Registry kind -> its opted-in fields (sorted)."""
        out: dict[str, list[str]] = {}
        with self.db.session() as session:
            for kind, name in session.execute(select(PublicFieldRow.kind, PublicFieldRow.field)
                                              .order_by(PublicFieldRow.kind, PublicFieldRow.field)):
                out.setdefault(kind, []).append(name)
        return {k: tuple(v) for k, v in out.items()}

    def replace(self, kind: str, fields: set[str], *, actor: str) -> tuple[set[str], set[str]]:
        """Make ``fields`` the kind's opted-in fields; an audit event per field opted in or out.
        Returns (opted in, opted out)."""
        check_actor(actor)
        now = self.clock()
        with self.db.session(write=True) as session:
            current = set(session.scalars(select(PublicFieldRow.field).where(PublicFieldRow.kind == kind)))
            added, removed = fields - current, current - fields
            for name in sorted(added):
                session.add(PublicFieldRow(kind=kind, field=name, opted_by=actor, opted_at=now))
                self.audit.record(session, actor=actor, action="public_field.opt_in", entity="public_field",
                                  entity_id=f"{kind}.{name}", after={"registry": kind, "column": name}, at=now)
            if removed:
                session.execute(delete(PublicFieldRow).where(PublicFieldRow.kind == kind,
                                                             PublicFieldRow.field.in_(sorted(removed))))
            for name in sorted(removed):
                self.audit.record(session, actor=actor, action="public_field.opt_out", entity="public_field",
                                  entity_id=f"{kind}.{name}", before={"registry": kind, "column": name}, at=now)
        return added, removed
