"""Registries of the innovation actors: institutions and platforms, enterprises
(certifications, yearly financials), talent, patents. (Base statistics are the
observation series of migration 0001.)

Revision ID: 0002_registries
Revises: 0001_observations_audit_plans
Create Date: 2026-11-28

Rows are imported in batches (``import_batches``) and updated in place by
their natural key; the audit log keeps one event per import batch.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_registries"
down_revision: str | Sequence[str] | None = "0001_observations_audit_plans"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIGINT_PK = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

INSTITUTION_TYPES = ("major_facility", "national_industry_platform", "rd_institution", "key_lab", "pilot_platform", "other")
LEVELS = ("district", "municipal", "national")
CERTIFICATION_KINDS = ("tech_sme", "high_tech", "gazelle", "potential_unicorn", "unicorn")
TIERS = ("top", "outstanding", "leading", "young")
PATENT_TYPES = ("invention", "utility_model", "design")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _batch(table: str) -> list[sa.SchemaItem]:
    return [
        sa.Column("batch_id", BIGINT_PK, nullable=True),
        sa.ForeignKeyConstraint(["batch_id"], ["import_batches.id"], name=f"fk_{table}_batch_id_import_batches"),
    ]


def upgrade() -> None:
    op.create_table(
        "institutions",
        sa.Column("id", BIGINT_PK, primary_key=True, autoincrement=True),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("name_en", sa.Text(), nullable=True),
        sa.Column("name_zh", sa.Text(), nullable=True),
        sa.Column("type", sa.String(40), nullable=False),
        sa.Column("level", sa.String(20), nullable=False),
        sa.Column("host", sa.Text(), nullable=True),
        sa.Column("unit", sa.String(64), nullable=False),
        sa.Column("recognised_on", sa.Date(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        *_batch("institutions"),
        sa.PrimaryKeyConstraint("id", name="pk_institutions"),
        sa.UniqueConstraint("code", name="uq_institutions_code"),
        sa.CheckConstraint(_in("type", INSTITUTION_TYPES), name="ck_institutions_type_known"),
        sa.CheckConstraint(_in("level", LEVELS), name="ck_institutions_level_known"),
    )
    op.create_index("ix_institutions_unit", "institutions", ["unit"])
    op.create_table(
        "enterprises",
        sa.Column("id", BIGINT_PK, primary_key=True, autoincrement=True),
        sa.Column("credit_code", sa.String(18), nullable=False),
        sa.Column("name_zh", sa.Text(), nullable=True),
        sa.Column("name_en", sa.Text(), nullable=True),
        sa.Column("founded_on", sa.Date(), nullable=True),
        sa.Column("unit", sa.String(64), nullable=False),
        sa.Column("industry", sa.String(100), nullable=True),
        sa.Column("strategic_emerging", sa.Boolean(), server_default=sa.false(), nullable=False),
        *_batch("enterprises"),
        sa.PrimaryKeyConstraint("id", name="pk_enterprises"),
        sa.UniqueConstraint("credit_code", name="uq_enterprises_credit_code"),
    )
    op.create_index("ix_enterprises_unit", "enterprises", ["unit"])
    op.create_table(
        "certifications",
        sa.Column("id", BIGINT_PK, primary_key=True, autoincrement=True),
        sa.Column("credit_code", sa.String(18), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("certificate_no", sa.String(64), nullable=True),
        *_batch("certifications"),
        sa.PrimaryKeyConstraint("id", name="pk_certifications"),
        sa.ForeignKeyConstraint(["credit_code"], ["enterprises.credit_code"],
                                name="fk_certifications_credit_code_enterprises"),
        sa.UniqueConstraint("credit_code", "kind", "valid_from", name="uq_certifications_credit_code_kind_valid_from"),
        sa.CheckConstraint(_in("kind", CERTIFICATION_KINDS), name="ck_certifications_kind_known"),
        sa.CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="ck_certifications_valid_to_after_from"),
    )
    op.create_index("ix_certifications_credit_code", "certifications", ["credit_code"])
    op.create_table(
        "enterprise_financials",
        sa.Column("credit_code", sa.String(18), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("revenue", sa.Double(), nullable=True),
        sa.Column("rd_expenditure", sa.Double(), nullable=True),
        sa.Column("valuation", sa.Double(), nullable=True),
        sa.Column("employees", sa.Integer(), nullable=True),
        *_batch("enterprise_financials"),
        sa.PrimaryKeyConstraint("credit_code", "year", name="pk_enterprise_financials"),
        sa.ForeignKeyConstraint(["credit_code"], ["enterprises.credit_code"],
                                name="fk_enterprise_financials_credit_code_enterprises"),
    )
    op.create_table(
        "talent",
        sa.Column("id", BIGINT_PK, primary_key=True, autoincrement=True),
        sa.Column("person_id", sa.String(64), nullable=False),
        sa.Column("tier", sa.String(20), nullable=False),
        sa.Column("programme", sa.Text(), nullable=True),
        sa.Column("introduced_on", sa.Date(), nullable=False),
        sa.Column("departed_on", sa.Date(), nullable=True),
        sa.Column("unit", sa.String(64), nullable=False),
        *_batch("talent"),
        sa.PrimaryKeyConstraint("id", name="pk_talent"),
        sa.UniqueConstraint("person_id", "tier", name="uq_talent_person_id_tier"),
        sa.CheckConstraint(_in("tier", TIERS), name="ck_talent_tier_known"),
    )
    op.create_index("ix_talent_unit", "talent", ["unit"])
    op.create_table(
        "patents",
        sa.Column("id", BIGINT_PK, primary_key=True, autoincrement=True),
        sa.Column("number", sa.String(40), nullable=False),
        sa.Column("type", sa.String(20), nullable=False),
        sa.Column("granted_on", sa.Date(), nullable=False),
        sa.Column("lapsed_on", sa.Date(), nullable=True),
        sa.Column("holder", sa.Text(), nullable=True),
        sa.Column("unit", sa.String(64), nullable=False),
        *_batch("patents"),
        sa.PrimaryKeyConstraint("id", name="pk_patents"),
        sa.UniqueConstraint("number", name="uq_patents_number"),
        sa.CheckConstraint(_in("type", PATENT_TYPES), name="ck_patents_type_known"),
        sa.CheckConstraint("lapsed_on IS NULL OR lapsed_on >= granted_on", name="ck_patents_lapsed_after_granted"),
    )
    op.create_index("ix_patents_unit", "patents", ["unit"])


def downgrade() -> None:
    op.drop_index("ix_patents_unit", table_name="patents")
    op.drop_table("patents")
    op.drop_index("ix_talent_unit", table_name="talent")
    op.drop_table("talent")
    op.drop_table("enterprise_financials")
    op.drop_index("ix_certifications_credit_code", table_name="certifications")
    op.drop_table("certifications")
    op.drop_index("ix_enterprises_unit", table_name="enterprises")
    op.drop_table("enterprises")
    op.drop_index("ix_institutions_unit", table_name="institutions")
    op.drop_table("institutions")
