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
"""

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
from scicity.store.plan_drafts import PlanDraftRepository  # also registers the next-plan tables
from scicity.store.protocols import ObservationStore
from scicity.store.users import ApiToken, Department, User, UserRepository  # also registers the user tables

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
