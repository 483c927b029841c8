"""The registry tables: institutions, enterprises, certifications, enterprise_financials, talent, patents.

Declared on the same ``Base`` as :mod:`scicity.store.tables`, so that the
migrations' comparison test sees them; created by migration 0002. The
indicator engine reads these tables directly (through Ibis), so their names
and columns are a contract: add columns, never rename or remove them.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, CheckConstraint, Date, Double, ForeignKey, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from scicity.domain.registries import CertificationKind, InstitutionLevel, InstitutionType, PatentType, TalentTier
from scicity.store.tables import ID_LENGTH, Base, _one_of
from scicity.store.types import BigIntPK

CREDIT_CODE_LENGTH = 18
CODE_LENGTH = 64
PATENT_NUMBER_LENGTH = 40


def _values(enum: type) -> tuple[str, ...]:
    return tuple(member.value for member in enum)


def _batch() -> Mapped[int | None]:
    return mapped_column(ForeignKey("import_batches.id"), nullable=True)


class InstitutionRow(Base):
    __tablename__ = "institutions"
    __table_args__ = (
        CheckConstraint(_one_of("type", _values(InstitutionType)), name="type_known"),
        CheckConstraint(_one_of("level", _values(InstitutionLevel)), name="level_known"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(CODE_LENGTH), unique=True)
    name_en: Mapped[str | None] = mapped_column(Text)
    name_zh: Mapped[str | None] = mapped_column(Text)
    type: Mapped[str] = mapped_column(String(40))
    level: Mapped[str] = mapped_column(String(20))
    host: Mapped[str | None] = mapped_column(Text)
    unit: Mapped[str] = mapped_column(String(ID_LENGTH), index=True)
    recognised_on: Mapped[date] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    batch_id: Mapped[int | None] = _batch()


class EnterpriseRow(Base):
    __tablename__ = "enterprises"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    credit_code: Mapped[str] = mapped_column(String(CREDIT_CODE_LENGTH), unique=True)
    name_zh: Mapped[str | None] = mapped_column(Text)
    name_en: Mapped[str | None] = mapped_column(Text)
    founded_on: Mapped[date | None] = mapped_column(Date)
    unit: Mapped[str] = mapped_column(String(ID_LENGTH), index=True)
    industry: Mapped[str | None] = mapped_column(String(100))
    strategic_emerging: Mapped[bool] = mapped_column(Boolean, server_default=false())
    batch_id: Mapped[int | None] = _batch()


class CertificationRow(Base):
    __tablename__ = "certifications"
    __table_args__ = (
        UniqueConstraint("credit_code", "kind", "valid_from"),
        CheckConstraint(_one_of("kind", _values(CertificationKind)), name="kind_known"),
        CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="valid_to_after_from"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    credit_code: Mapped[str] = mapped_column(ForeignKey("enterprises.credit_code"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    certificate_no: Mapped[str | None] = mapped_column(String(CODE_LENGTH))
    batch_id: Mapped[int | None] = _batch()


class FinancialsRow(Base):
    __tablename__ = "enterprise_financials"

    credit_code: Mapped[str] = mapped_column(ForeignKey("enterprises.credit_code"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    revenue: Mapped[float | None] = mapped_column(Double())
    rd_expenditure: Mapped[float | None] = mapped_column(Double())
    valuation: Mapped[float | None] = mapped_column(Double())
    employees: Mapped[int | None] = mapped_column(Integer)
    batch_id: Mapped[int | None] = _batch()
    # the cultivation tiers' figures (migration 0005_cultivation)
    st_staff: Mapped[int | None] = mapped_column(Integer)
    total_costs: Mapped[float | None] = mapped_column(Double())
    total_assets: Mapped[float | None] = mapped_column(Double())
    net_assets: Mapped[float | None] = mapped_column(Double())
    rd_domestic_share: Mapped[float | None] = mapped_column(Double())
    hightech_revenue: Mapped[float | None] = mapped_column(Double())
    main_revenue: Mapped[float | None] = mapped_column(Double())
    debt_ratio: Mapped[float | None] = mapped_column(Double())
    new_equity: Mapped[float | None] = mapped_column(Double())
    conversions: Mapped[int | None] = mapped_column(Integer)
    ip_class1: Mapped[int | None] = mapped_column(Integer)
    ip_class2: Mapped[int | None] = mapped_column(Integer)
    valuation_usd: Mapped[float | None] = mapped_column(Double())
    financing_usd: Mapped[float | None] = mapped_column(Double())
    listed: Mapped[bool | None] = mapped_column(Boolean)
    major_incident: Mapped[bool | None] = mapped_column(Boolean)
    dishonest: Mapped[bool | None] = mapped_column(Boolean)
    restricted_industry: Mapped[bool | None] = mapped_column(Boolean)
    national_award: Mapped[bool | None] = mapped_column(Boolean)
    provincial_rd_institution: Mapped[bool | None] = mapped_column(Boolean)
    led_standard: Mapped[bool | None] = mapped_column(Boolean)


class TalentRow(Base):
    __tablename__ = "talent"
    __table_args__ = (
        UniqueConstraint("person_id", "tier"),
        CheckConstraint(_one_of("tier", _values(TalentTier)), name="tier_known"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    person_id: Mapped[str] = mapped_column(String(CODE_LENGTH))
    tier: Mapped[str] = mapped_column(String(20))
    programme: Mapped[str | None] = mapped_column(Text)
    introduced_on: Mapped[date] = mapped_column(Date)
    departed_on: Mapped[date | None] = mapped_column(Date)
    unit: Mapped[str] = mapped_column(String(ID_LENGTH), index=True)
    batch_id: Mapped[int | None] = _batch()


class PatentRow(Base):
    __tablename__ = "patents"
    __table_args__ = (
        CheckConstraint(_one_of("type", _values(PatentType)), name="type_known"),
        CheckConstraint("lapsed_on IS NULL OR lapsed_on >= granted_on", name="lapsed_after_granted"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    number: Mapped[str] = mapped_column(String(PATENT_NUMBER_LENGTH), unique=True)
    type: Mapped[str] = mapped_column(String(20))
    granted_on: Mapped[date] = mapped_column(Date)
    lapsed_on: Mapped[date | None] = mapped_column(Date)
    holder: Mapped[str | None] = mapped_column(Text)
    unit: Mapped[str] = mapped_column(String(ID_LENGTH), index=True)
    batch_id: Mapped[int | None] = _batch()
