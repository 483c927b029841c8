"""Tables of the exchange platform (migration ``0006_exchange``), on the same ``Base`` as the others.

One table per record kind of :mod:`scicity.domain.exchange`, keyed by ``code``;
lists (IPC codes, patents, terms) are JSON. Deals keep every move in
``exchange_deal_events``; interests, notifications and the organisation a
user acts for (``exchange_members``) complete the follow-through. The
indicator engine reads ``exchange_contracts`` and the others directly, so
names and columns are a contract: add columns, never rename them.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, CheckConstraint, Date, Double, ForeignKey, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from scicity.domain.exchange import (
    ContractType,
    DealStage,
    FacilityKind,
    Maturity,
    Publication,
    SellerType,
    TalentDirection,
)
from scicity.store.tables import ACTOR_LENGTH, ID_LENGTH, Base, _one_of
from scicity.store.types import BigIntPK, JSONDoc, UTCDateTime
from scicity.store import user_tables as _user_tables  # noqa: F401 — its foreign keys name users

CODE = 64
FIELD = 100
ORG_KINDS = ("institution", "enterprise", "operator")


def _values(enum: type) -> tuple[str, ...]:
    return tuple(m.value for m in enum)


def _batch() -> Mapped[int | None]:
    return mapped_column(ForeignKey("import_batches.id"), nullable=True)


def _id() -> Mapped[int]:
    return mapped_column(BigIntPK, primary_key=True, autoincrement=True)


def _code() -> Mapped[str]:
    return mapped_column(String(CODE), unique=True)


class AchievementRow(Base):
    __tablename__ = "exchange_achievements"
    __table_args__ = (
        CheckConstraint(_one_of("maturity", _values(Maturity)), name="maturity_known"),
        CheckConstraint(_one_of("owner_type", _values(SellerType)), name="owner_type_known"),
        CheckConstraint(_one_of("status", _values(Publication)), name="status_known"),
        CheckConstraint("trl IS NULL OR (trl >= 1 AND trl <= 9)", name="trl_range"),
    )

    id: Mapped[int] = _id()
    code: Mapped[str] = _code()
    title_zh: Mapped[str | None] = mapped_column(Text)
    title_en: Mapped[str | None] = mapped_column(Text)
    abstract_zh: Mapped[str | None] = mapped_column(Text)
    abstract_en: Mapped[str | None] = mapped_column(Text)
    field: Mapped[str | None] = mapped_column(String(FIELD))
    ipc: Mapped[Any] = mapped_column(JSONDoc)
    patents: Mapped[Any] = mapped_column(JSONDoc)
    trl: Mapped[int | None] = mapped_column(Integer)
    maturity: Mapped[str | None] = mapped_column(String(20))
    owner: Mapped[str] = mapped_column(String(CODE), index=True)
    owner_name: Mapped[str | None] = mapped_column(Text)
    owner_type: Mapped[str] = mapped_column(String(20))
    contact: Mapped[str | None] = mapped_column(Text)
    terms: Mapped[Any] = mapped_column(JSONDoc)
    unit: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    status: Mapped[str] = mapped_column(String(20))
    published_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    batch_id: Mapped[int | None] = _batch()


class NeedRow(Base):
    __tablename__ = "exchange_needs"
    __table_args__ = (
        CheckConstraint(_one_of("status", _values(Publication)), name="status_known"),
        CheckConstraint("budget IS NULL OR budget >= 0", name="budget_not_negative"),
    )

    id: Mapped[int] = _id()
    code: Mapped[str] = _code()
    title_zh: Mapped[str | None] = mapped_column(Text)
    title_en: Mapped[str | None] = mapped_column(Text)
    problem_zh: Mapped[str | None] = mapped_column(Text)
    problem_en: Mapped[str | None] = mapped_column(Text)
    field: Mapped[str | None] = mapped_column(String(FIELD))
    ipc: Mapped[Any] = mapped_column(JSONDoc)
    industry: Mapped[str | None] = mapped_column(String(FIELD))
    enterprise: Mapped[str] = mapped_column(String(CODE), index=True)
    enterprise_name: Mapped[str | None] = mapped_column(Text)
    budget: Mapped[float | None] = mapped_column(Double())
    deadline: Mapped[date | None] = mapped_column(Date)
    unit: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    open_call: Mapped[bool] = mapped_column(Boolean, server_default=false())
    min_trl: Mapped[int | None] = mapped_column(Integer)
    terms: Mapped[Any] = mapped_column(JSONDoc)
    status: Mapped[str] = mapped_column(String(20))
    closed: Mapped[bool] = mapped_column(Boolean, server_default=false())
    published_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    batch_id: Mapped[int | None] = _batch()


class ExpertRow(Base):
    __tablename__ = "exchange_experts"

    id: Mapped[int] = _id()
    code: Mapped[str] = _code()
    name: Mapped[str] = mapped_column(Text)
    name_en: Mapped[str | None] = mapped_column(Text)
    institution: Mapped[str] = mapped_column(String(CODE), index=True)
    field: Mapped[str | None] = mapped_column(String(FIELD))
    keywords: Mapped[str | None] = mapped_column(Text)
    bio_zh: Mapped[str | None] = mapped_column(Text)
    bio_en: Mapped[str | None] = mapped_column(Text)
    unit: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    contact: Mapped[str | None] = mapped_column(Text)
    batch_id: Mapped[int | None] = _batch()


class FacilityRow(Base):
    __tablename__ = "exchange_facilities"
    __table_args__ = (CheckConstraint(_one_of("kind", _values(FacilityKind)), name="kind_known"),)

    id: Mapped[int] = _id()
    code: Mapped[str] = _code()
    name_zh: Mapped[str | None] = mapped_column(Text)
    name_en: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20))
    owner: Mapped[str] = mapped_column(String(CODE), index=True)
    field: Mapped[str | None] = mapped_column(String(FIELD))
    description: Mapped[str | None] = mapped_column(Text)
    unit: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    hourly_rate: Mapped[float | None] = mapped_column(Double())
    batch_id: Mapped[int | None] = _batch()


class BookingRow(Base):
    __tablename__ = "exchange_bookings"
    __table_args__ = (CheckConstraint("hours > 0", name="hours_positive"),)

    id: Mapped[int] = _id()
    code: Mapped[str] = _code()
    facility: Mapped[str] = mapped_column(ForeignKey("exchange_facilities.code"), index=True)
    user_org: Mapped[str] = mapped_column(String(CODE))
    starts_on: Mapped[date] = mapped_column(Date)
    year: Mapped[int] = mapped_column(Integer)
    hours: Mapped[float] = mapped_column(Double())
    unit: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    batch_id: Mapped[int | None] = _batch()


class DealRow(Base):
    __tablename__ = "exchange_deals"
    __table_args__ = (CheckConstraint(_one_of("stage", _values(DealStage)), name="stage_known"),)

    id: Mapped[int] = _id()
    code: Mapped[str] = _code()
    need: Mapped[str | None] = mapped_column(String(CODE), index=True)
    achievement: Mapped[str | None] = mapped_column(String(CODE), index=True)
    stage: Mapped[str] = mapped_column(String(20))
    owner: Mapped[str | None] = mapped_column(String(ACTOR_LENGTH))
    opened_on: Mapped[date | None] = mapped_column(Date)
    contract: Mapped[str | None] = mapped_column(String(CODE))
    seller_org: Mapped[str | None] = mapped_column(String(CODE), index=True)
    buyer_org: Mapped[str | None] = mapped_column(String(CODE), index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    batch_id: Mapped[int | None] = _batch()


class DealEventRow(Base):
    """One move of a deal: which stage, when, by whom."""

    __tablename__ = "exchange_deal_events"
    __table_args__ = (CheckConstraint(_one_of("stage", _values(DealStage)), name="stage_known"),)

    id: Mapped[int] = _id()
    deal: Mapped[str] = mapped_column(ForeignKey("exchange_deals.code"), index=True)
    stage: Mapped[str] = mapped_column(String(20))
    on: Mapped[date] = mapped_column(Date)
    actor: Mapped[str] = mapped_column(String(ACTOR_LENGTH))
    note: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class ContractRow(Base):
    __tablename__ = "exchange_contracts"
    __table_args__ = (
        CheckConstraint(_one_of("type", _values(ContractType)), name="type_known"),
        CheckConstraint(_one_of("seller_type", _values(SellerType)), name="seller_type_known"),
        CheckConstraint("amount >= 0", name="amount_not_negative"),
    )

    id: Mapped[int] = _id()
    code: Mapped[str] = _code()
    type: Mapped[str] = mapped_column(String(20))
    amount: Mapped[float] = mapped_column(Double())
    seller: Mapped[str] = mapped_column(Text)
    seller_type: Mapped[str] = mapped_column(String(20))
    buyer: Mapped[str] = mapped_column(Text)
    field: Mapped[str | None] = mapped_column(String(FIELD))
    ip: Mapped[bool] = mapped_column(Boolean, server_default=false())
    government_funded: Mapped[bool] = mapped_column(Boolean, server_default=false())
    signed_on: Mapped[date] = mapped_column(Date)
    registered_on: Mapped[date | None] = mapped_column(Date)
    year: Mapped[int] = mapped_column(Integer, index=True)  # of registration (of signing when not registered)
    unit: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    deal: Mapped[str | None] = mapped_column(String(CODE))
    batch_id: Mapped[int | None] = _batch()


class TalentExchangeRow(Base):
    __tablename__ = "exchange_talent"
    __table_args__ = (CheckConstraint(_one_of("direction", _values(TalentDirection)), name="direction_known"),)

    id: Mapped[int] = _id()
    code: Mapped[str] = _code()
    person: Mapped[str] = mapped_column(Text)
    direction: Mapped[str] = mapped_column(String(20))
    title: Mapped[str | None] = mapped_column(Text)
    from_org: Mapped[str] = mapped_column(String(CODE))
    to_org: Mapped[str] = mapped_column(String(CODE))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    year: Mapped[int] = mapped_column(Integer)
    hours: Mapped[float | None] = mapped_column(Double())
    unit: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    batch_id: Mapped[int | None] = _batch()


class InterestRow(Base):
    """Someone expressed interest in an achievement (for a need of theirs) or in a need."""

    __tablename__ = "exchange_interests"

    id: Mapped[int] = _id()
    achievement: Mapped[str | None] = mapped_column(String(CODE), index=True)
    need: Mapped[str | None] = mapped_column(String(CODE), index=True)
    org: Mapped[str | None] = mapped_column(String(CODE))
    actor: Mapped[str] = mapped_column(String(ACTOR_LENGTH))
    deal: Mapped[str | None] = mapped_column(String(CODE))
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class NotificationRow(Base):
    """A message for an organisation: a new fit, an interest, a deal that moved."""

    __tablename__ = "exchange_notifications"

    id: Mapped[int] = _id()
    org: Mapped[str] = mapped_column(String(CODE), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    subject: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    payload: Mapped[Any] = mapped_column(JSONDoc)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class MemberRow(Base):
    """The organisation a user acts for on the platform (a transfer office, an enterprise, the operator)."""

    __tablename__ = "exchange_members"
    __table_args__ = (CheckConstraint(_one_of("org_kind", ORG_KINDS), name="org_kind_known"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    org: Mapped[str] = mapped_column(String(CODE), index=True)
    org_kind: Mapped[str] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(320))
