"""The school–locality exchange platform: achievements, needs, experts, facilities and bookings,
deals and their events, technology contracts, talent exchanges, interests, notifications, members.

Revision ID: 0006_exchange
Revises: 0005_cultivation
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0006_exchange"
down_revision: str | Sequence[str] | None = "0005_cultivation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIGINT_PK = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TIMESTAMP = sa.DateTime(timezone=True)
JSON = sa.JSON().with_variant(JSONB(), "postgresql")
MATURITY = ("lab", "bench", "pilot", "industrial")
SELLER = ("university", "institute", "enterprise", "other")
PUBLICATION = ("draft", "pending", "published", "withdrawn")
FACILITY = ("instrument", "lab", "pilot_line")
STAGES = ("matched", "contacted", "negotiating", "signed", "registered", "delivered", "dropped")
CONTRACT = ("development", "transfer", "consulting", "service")
DIRECTION = ("to_enterprise", "to_university")
ORG_KINDS = ("institution", "enterprise", "operator")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def col(name: str, type_: sa.types.TypeEngine, null: bool = True, **kw: object) -> sa.Column:
    return sa.Column(name, type_, nullable=null, **kw)


def text(*names: str) -> list[sa.Column]:
    return [col(n, sa.Text()) for n in names]


def _table(name: str, *items: sa.SchemaItem, code: bool = True, batch: bool = True, pk: bool = True) -> None:
    head: list[sa.SchemaItem] = []
    if pk:
        head += [sa.Column("id", BIGINT_PK, primary_key=True, autoincrement=True),
                 sa.PrimaryKeyConstraint("id", name=f"pk_{name}")]
    if code:
        head += [col("code", sa.String(64), False), sa.UniqueConstraint("code", name=f"uq_{name}_code")]
    tail: list[sa.SchemaItem] = []
    if batch:
        tail += [col("batch_id", BIGINT_PK),
                 sa.ForeignKeyConstraint(["batch_id"], ["import_batches.id"], name=f"fk_{name}_batch_id_import_batches")]
    op.create_table(name, *head, *items, *tail)


def ck(table: str, name: str, sql: str) -> sa.CheckConstraint:
    return sa.CheckConstraint(sql, name=f"ck_{table}_{name}")


def upgrade() -> None:
    t = "exchange_achievements"
    _table(t, *text("title_zh", "title_en", "abstract_zh", "abstract_en"), col("field", sa.String(100)),
           col("ipc", JSON, False), col("patents", JSON, False), col("trl", sa.Integer()),
           col("maturity", sa.String(20)), col("owner", sa.String(64), False), *text("owner_name"),
           col("owner_type", sa.String(20), False), *text("contact"), col("terms", JSON, False),
           col("unit", sa.String(64)), col("status", sa.String(20), False), col("published_on", sa.Date()),
           col("created_at", TIMESTAMP, False),
           ck(t, "maturity_known", _in("maturity", MATURITY)), ck(t, "owner_type_known", _in("owner_type", SELLER)),
           ck(t, "status_known", _in("status", PUBLICATION)), ck(t, "trl_range", "trl IS NULL OR (trl >= 1 AND trl <= 9)"))
    op.create_index(f"ix_{t}_owner", t, ["owner"])
    t = "exchange_needs"
    _table(t, *text("title_zh", "title_en", "problem_zh", "problem_en"), col("field", sa.String(100)),
           col("ipc", JSON, False), col("industry", sa.String(100)), col("enterprise", sa.String(64), False),
           *text("enterprise_name"), col("budget", sa.Double()), col("deadline", sa.Date()),
           col("unit", sa.String(64)), col("open_call", sa.Boolean(), False, server_default=sa.false()),
           col("min_trl", sa.Integer()), col("terms", JSON, False), col("status", sa.String(20), False),
           col("closed", sa.Boolean(), False, server_default=sa.false()), col("published_on", sa.Date()),
           col("created_at", TIMESTAMP, False),
           ck(t, "status_known", _in("status", PUBLICATION)), ck(t, "budget_not_negative", "budget IS NULL OR budget >= 0"))
    op.create_index(f"ix_{t}_enterprise", t, ["enterprise"])
    t = "exchange_experts"
    _table(t, col("name", sa.Text(), False), *text("name_en"), col("institution", sa.String(64), False),
           col("field", sa.String(100)), *text("keywords", "bio_zh", "bio_en"), col("unit", sa.String(64)),
           *text("contact"))
    op.create_index(f"ix_{t}_institution", t, ["institution"])
    t = "exchange_facilities"
    _table(t, *text("name_zh", "name_en"), col("kind", sa.String(20), False), col("owner", sa.String(64), False),
           col("field", sa.String(100)), *text("description"), col("unit", sa.String(64)),
           col("hourly_rate", sa.Double()), ck(t, "kind_known", _in("kind", FACILITY)))
    op.create_index(f"ix_{t}_owner", t, ["owner"])
    t = "exchange_bookings"
    _table(t, col("facility", sa.String(64), False), col("user_org", sa.String(64), False),
           col("starts_on", sa.Date(), False), col("year", sa.Integer(), False), col("hours", sa.Double(), False),
           col("unit", sa.String(64)), ck(t, "hours_positive", "hours > 0"),
           sa.ForeignKeyConstraint(["facility"], ["exchange_facilities.code"],
                                   name=f"fk_{t}_facility_exchange_facilities"))
    op.create_index(f"ix_{t}_facility", t, ["facility"])
    t = "exchange_deals"
    _table(t, col("need", sa.String(64)), col("achievement", sa.String(64)), col("stage", sa.String(20), False),
           col("owner", sa.String(128)), col("opened_on", sa.Date()), col("contract", sa.String(64)),
           col("seller_org", sa.String(64)), col("buyer_org", sa.String(64)), col("updated_at", TIMESTAMP, False),
           ck(t, "stage_known", _in("stage", STAGES)))
    for c in ("need", "achievement", "seller_org", "buyer_org"):
        op.create_index(f"ix_{t}_{c}", t, [c])
    t = "exchange_deal_events"
    _table(t, col("deal", sa.String(64), False), col("stage", sa.String(20), False), col("on", sa.Date(), False),
           col("actor", sa.String(128), False), *text("note"), col("at", TIMESTAMP, False),
           ck(t, "stage_known", _in("stage", STAGES)),
           sa.ForeignKeyConstraint(["deal"], ["exchange_deals.code"], name=f"fk_{t}_deal_exchange_deals"),
           code=False, batch=False)
    op.create_index(f"ix_{t}_deal", t, ["deal"])
    t = "exchange_contracts"
    _table(t, col("type", sa.String(20), False), col("amount", sa.Double(), False), col("seller", sa.Text(), False),
           col("seller_type", sa.String(20), False), col("buyer", sa.Text(), False), col("field", sa.String(100)),
           col("ip", sa.Boolean(), False, server_default=sa.false()),
           col("government_funded", sa.Boolean(), False, server_default=sa.false()),
           col("signed_on", sa.Date(), False), col("registered_on", sa.Date()), col("year", sa.Integer(), False),
           col("unit", sa.String(64)), col("deal", sa.String(64)),
           ck(t, "type_known", _in("type", CONTRACT)), ck(t, "seller_type_known", _in("seller_type", SELLER)),
           ck(t, "amount_not_negative", "amount >= 0"))
    op.create_index(f"ix_{t}_year", t, ["year"])
    t = "exchange_talent"
    _table(t, col("person", sa.Text(), False), col("direction", sa.String(20), False), *text("title"),
           col("from_org", sa.String(64), False), col("to_org", sa.String(64), False),
           col("starts_on", sa.Date(), False), col("ends_on", sa.Date()), col("year", sa.Integer(), False),
           col("hours", sa.Double()), col("unit", sa.String(64)), ck(t, "direction_known", _in("direction", DIRECTION)))
    t = "exchange_interests"
    _table(t, col("achievement", sa.String(64)), col("need", sa.String(64)), col("org", sa.String(64)),
           col("actor", sa.String(128), False), col("deal", sa.String(64)), col("at", TIMESTAMP, False),
           code=False, batch=False)
    op.create_index(f"ix_{t}_achievement", t, ["achievement"])
    op.create_index(f"ix_{t}_need", t, ["need"])
    t = "exchange_notifications"
    _table(t, col("org", sa.String(64), False), col("kind", sa.String(30), False), col("subject", sa.Text(), False),
           col("body", sa.Text(), False), col("payload", JSON, False), col("created_at", TIMESTAMP, False),
           col("read_at", TIMESTAMP), col("emailed_at", TIMESTAMP), code=False, batch=False)
    op.create_index(f"ix_{t}_org", t, ["org"])
    t = "exchange_members"
    op.create_table(t, col("user_id", BIGINT_PK, False), col("org", sa.String(64), False),
                    col("org_kind", sa.String(20), False), col("email", sa.String(320)),
                    sa.PrimaryKeyConstraint("user_id", name=f"pk_{t}"),
                    sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=f"fk_{t}_user_id_users"),
                    ck(t, "org_kind_known", _in("org_kind", ORG_KINDS)))
    op.create_index(f"ix_{t}_org", t, ["org"])


def downgrade() -> None:
    for t in ("exchange_members", "exchange_notifications", "exchange_interests", "exchange_talent",
              "exchange_contracts", "exchange_deal_events", "exchange_deals", "exchange_bookings",
              "exchange_facilities", "exchange_experts", "exchange_needs", "exchange_achievements"):
        op.drop_table(t)
