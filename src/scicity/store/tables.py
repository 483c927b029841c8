"""The tables, as SQLAlchemy declarative classes.

The schema itself is created and changed only by the Alembic migrations in
``scicity/store/migrations``; these classes must describe the same schema (a
test compares them with a migrated database). Rows are internal to the store:
repositories turn them into domain objects before handing them out.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Date,
    Double,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from scicity.store.types import BigIntPK, JSONDoc, UTCDateTime

# Named constraints, so that migrations (and SQLite batch mode) can refer to them.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ID_LENGTH = 64  # indicator, series, unit, plan and goal ids
ACTOR_LENGTH = 128
OBSERVATION_STATUSES = ("draft", "submitted", "approved", "returned")
GOAL_STATUSES = ("not_started", "in_progress", "achieved")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class ImportBatch(Base):
    """One applied import (a dry run is never stored)."""

    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    file_name: Mapped[str | None] = mapped_column(String(512))
    sha256: Mapped[str | None] = mapped_column(String(64))
    actor: Mapped[str] = mapped_column(String(ACTOR_LENGTH))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    row_count: Mapped[int] = mapped_column(Integer)
    new_count: Mapped[int] = mapped_column(Integer)
    changed_count: Mapped[int] = mapped_column(Integer)
    unchanged_count: Mapped[int] = mapped_column(Integer)


class ObservationRow(Base):
    """One revision of one (indicator, unit, period). Revisions are added, never overwritten."""

    __tablename__ = "observations"
    __table_args__ = (
        # Also the index for "latest revision per key" look-ups.
        UniqueConstraint("indicator", "unit", "period", "revision"),
        CheckConstraint("revision >= 1", name="revision_positive"),
        CheckConstraint(_one_of("status", OBSERVATION_STATUSES), name="status_known"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    indicator: Mapped[str] = mapped_column(String(ID_LENGTH))
    unit: Mapped[str] = mapped_column(String(ID_LENGTH))
    period: Mapped[int] = mapped_column(Integer)
    value: Mapped[float] = mapped_column(Double())
    status: Mapped[str] = mapped_column(String(16))
    source: Mapped[str | None] = mapped_column(Text)
    vintage: Mapped[date | None] = mapped_column(Date)
    revision: Mapped[int] = mapped_column(Integer)
    created_by: Mapped[str] = mapped_column(String(ACTOR_LENGTH))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    approved_by: Mapped[str | None] = mapped_column(String(ACTOR_LENGTH))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    comment: Mapped[str | None] = mapped_column(Text)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"), index=True)


class CurrentValueRow(Base):
    """The highest approved revision of one (indicator, unit, period): what "the latest approved value" reads.

    Kept by triggers on ``observations`` (migration 0009) in the transaction of every import, correction and
    approval; never written by the repositories.
    """

    __tablename__ = "current_values"

    indicator: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    unit: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True, index=True)
    period: Mapped[int] = mapped_column(Integer, primary_key=True)
    revision: Mapped[int] = mapped_column(Integer)
    observation_id: Mapped[int] = mapped_column(BigIntPK)  # not a foreign key: derived data, like an index


class PlanRow(Base):
    """A plan file as loaded; several plans can be stored side by side, one is the default."""

    __tablename__ = "plans"
    __table_args__ = (
        # At most one default plan.
        Index(
            "uq_plans_one_default",
            "is_default",
            unique=True,
            sqlite_where=text("is_default"),
            postgresql_where=text("is_default"),
        ),
    )

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    name: Mapped[str] = mapped_column(String(512))
    yaml_text: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    is_default: Mapped[bool] = mapped_column()


class AuditEventRow(Base):
    """Who did what to which record, with before/after. The database refuses UPDATE and DELETE."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_entity_entity_id", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    actor: Mapped[str] = mapped_column(String(ACTOR_LENGTH), index=True)
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str] = mapped_column(String(256))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSONDoc)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSONDoc)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))
    #: the hash chain (store/audit_chain.py): the previous event's hash, and this event's over it and its content
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    hash: Mapped[str | None] = mapped_column(String(64))


class GoalStatusRow(Base):
    """One confirmation of a qualitative goal's status; the highest revision wins."""

    __tablename__ = "goal_status"
    __table_args__ = (
        UniqueConstraint("plan_id", "goal_id", "revision"),
        CheckConstraint("revision >= 1", name="revision_positive"),
        CheckConstraint(_one_of("status", GOAL_STATUSES), name="status_known"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    plan_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    goal_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    revision: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    evidence: Mapped[str | None] = mapped_column(Text)
    confirmed_by: Mapped[str] = mapped_column(String(ACTOR_LENGTH))
    at: Mapped[datetime] = mapped_column(UTCDateTime())


#: the modules that define tables on ``Base`` besides this one (imported by :func:`all_metadata`)
TABLE_MODULES = (
    "registry_tables",
    "exchange_tables",
    "report_tables",
    "user_tables",
    "plan_draft_tables",
    "public_field_tables",
)


def all_metadata() -> MetaData:
    """``Base.metadata`` with every table of the schema in it (migrations, schema comparison).

    The other table modules are imported where they are used, not here: a command that reads observations
    does not build the ORM classes of the registries, the exchange platform and the reports.
    """
    import importlib

    for name in TABLE_MODULES:
        importlib.import_module(f"scicity.store.{name}")
    return Base.metadata
