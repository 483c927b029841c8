"""Persistence: SQLAlchemy tables, repositories and Alembic migrations (SQLite or PostgreSQL).

Repositories take and give domain objects; rows stay inside this package.
Other layers should type against :mod:`scicity.store.protocols`.

    from scicity.settings import get_settings
    from scicity.store import Database, ObservationRepository
    from scicity.store import migrate  # imports Alembic: only where migrating

    settings = get_settings()
    migrate.upgrade(settings.database_url)
    db = Database.from_settings(settings)
    latest = ObservationRepository(db).latest(["rd_intensity"])

Nothing is imported until a name is used (PEP 562): ``from scicity.store.db
import Database`` costs SQLAlchemy's core only, not the ORM classes of every
table, so read-only commands start quickly.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

#: public name -> the module that defines it
_WHERE = {
    "AuditEvent": "scicity.store.audit",
    "AuditRepository": "scicity.store.audit",
    "BatchRepository": "scicity.store.batches",
    "ImportBatchInfo": "scicity.store.batches",
    "Database": "scicity.store.db",
    "display_url": "scicity.store.db",
    "ConcurrentWrite": "scicity.store.errors",
    "DatabaseBusy": "scicity.store.errors",
    "DatabaseUnavailable": "scicity.store.errors",
    "InvalidInput": "scicity.store.errors",
    "InvalidObservation": "scicity.store.errors",
    "InvalidTransition": "scicity.store.errors",
    "NotFound": "scicity.store.errors",
    "StoreError": "scicity.store.errors",
    "GoalStatusEntry": "scicity.store.goals",
    "GoalStatusRepository": "scicity.store.goals",
    "ObservationRecord": "scicity.store.observation_rows",
    "AppliedChangeSet": "scicity.store.observations",
    "ObservationRepository": "scicity.store.observations",
    "PlanRepository": "scicity.store.plans",
    "StoredPlan": "scicity.store.plans",
    "PlanDraftRepository": "scicity.store.plan_drafts",
    "ObservationStore": "scicity.store.protocols",
    "ApiToken": "scicity.store.users",
    "Department": "scicity.store.users",
    "User": "scicity.store.users",
    "UserRepository": "scicity.store.users",
}

if TYPE_CHECKING:
    from scicity.store.audit import AuditEvent, AuditRepository
    from scicity.store.batches import BatchRepository, ImportBatchInfo
    from scicity.store.db import Database, display_url
    from scicity.store.errors import (
        ConcurrentWrite,
        DatabaseBusy,
        DatabaseUnavailable,
        InvalidInput,
        InvalidObservation,
        InvalidTransition,
        NotFound,
        StoreError,
    )
    from scicity.store.goals import GoalStatusEntry, GoalStatusRepository
    from scicity.store.observation_rows import ObservationRecord
    from scicity.store.observations import AppliedChangeSet, ObservationRepository
    from scicity.store.plans import PlanRepository, StoredPlan
    from scicity.store.plan_drafts import PlanDraftRepository
    from scicity.store.protocols import ObservationStore
    from scicity.store.users import ApiToken, Department, User, UserRepository


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'scicity.store' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "AppliedChangeSet",
    "AuditEvent",
    "AuditRepository",
    "BatchRepository",
    "ConcurrentWrite",
    "PlanDraftRepository",
    "Database",
    "DatabaseBusy",
    "DatabaseUnavailable",
    "GoalStatusEntry",
    "GoalStatusRepository",
    "ImportBatchInfo",
    "InvalidInput",
    "InvalidObservation",
    "InvalidTransition",
    "NotFound",
    "ObservationRecord",
    "ObservationRepository",
    "ObservationStore",
    "PlanRepository",
    "StoreError",
    "StoredPlan",
    "User",
    "UserRepository",
    "ApiToken",
    "Department",
    "display_url",
]
