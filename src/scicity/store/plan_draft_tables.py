"""Tables of the next plan: drafts with their targets, versions and comments, and peer zones' values.

On the same declarative ``Base`` as :mod:`scicity.store.tables`, so that the
migration test compares them too (migration ``0008_plan_lifecycle``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, Double, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from scicity.store.tables import ACTOR_LENGTH, ID_LENGTH, Base
from scicity.store.types import BigIntPK, JSONDoc, UTCDateTime

#: the states of a draft plan, in order; adopting stores it as a plan and makes it the default
DRAFT_STATES = ("draft", "consultation", "adopted")


class PlanDraftRow(Base):
    """A plan being drafted: its YAML text as drafted, its state and its version (one more per change)."""

    __tablename__ = "plan_drafts"
    __table_args__ = (
        CheckConstraint("state IN ('draft', 'consultation', 'adopted')", name="state_known"),
        CheckConstraint("version >= 1", name="version_positive"),
    )

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    base_plan_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    name: Mapped[str] = mapped_column(String(256))
    state: Mapped[str] = mapped_column(String(16))
    version: Mapped[int] = mapped_column(Integer)
    yaml_text: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(ACTOR_LENGTH))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class PlanDraftTargetRow(Base):
    """The current value of one target of a draft, with its own revision (for the optimistic edit check)."""

    __tablename__ = "plan_draft_targets"

    draft_id: Mapped[str] = mapped_column(ForeignKey("plan_drafts.id"), primary_key=True)
    indicator: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    value: Mapped[float] = mapped_column(Double())
    revision: Mapped[int] = mapped_column(Integer)
    updated_by: Mapped[str] = mapped_column(String(ACTOR_LENGTH))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class PlanDraftVersionRow(Base):
    """One version of a draft: who made it, when, and what changed (targets before and after, or the state)."""

    __tablename__ = "plan_draft_versions"
    __table_args__ = (UniqueConstraint("draft_id", "version"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    draft_id: Mapped[str] = mapped_column(ForeignKey("plan_drafts.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    actor: Mapped[str] = mapped_column(String(ACTOR_LENGTH))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    action: Mapped[str] = mapped_column(String(32))
    changes: Mapped[Any] = mapped_column(JSONDoc)


class PlanTargetCommentRow(Base):
    """A comment on one target of a draft."""

    __tablename__ = "plan_target_comments"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    draft_id: Mapped[str] = mapped_column(ForeignKey("plan_drafts.id"), index=True)
    indicator: Mapped[str] = mapped_column(String(ID_LENGTH))
    author: Mapped[str] = mapped_column(String(ACTOR_LENGTH))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    body: Mapped[str] = mapped_column(Text)


class PeerValueRow(Base):
    """A peer zone's value of an indicator in a year (for benchmarking the next plan's targets)."""

    __tablename__ = "peer_values"
    __table_args__ = (UniqueConstraint("peer", "indicator", "year"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    peer: Mapped[str] = mapped_column(String(ID_LENGTH))
    peer_name: Mapped[str] = mapped_column(String(256))
    indicator: Mapped[str] = mapped_column(String(ID_LENGTH))
    year: Mapped[int] = mapped_column(Integer)
    value: Mapped[float] = mapped_column(Double())
    measure: Mapped[str] = mapped_column(String(64))
    synthetic: Mapped[bool] = mapped_column()
    source: Mapped[str | None] = mapped_column(Text)
    loaded_by: Mapped[str] = mapped_column(String(ACTOR_LENGTH))
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime())
