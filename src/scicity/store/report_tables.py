"""The report drafts table (migration 0007_report_drafts), on the same ``Base`` as :mod:`scicity.store.tables`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from scicity.store.tables import ACTOR_LENGTH, ID_LENGTH, Base, _one_of
from scicity.store.types import BigIntPK, JSONDoc, UTCDateTime

DRAFT_STATES = ("draft", "frozen", "published")
REPORT_KINDS = ("final", "midterm", "annual")


class ReportDraftRow(Base):
    """One version of a report: the office's sections, and once frozen the report model it stands on."""

    __tablename__ = "report_drafts"
    __table_args__ = (
        UniqueConstraint("series_id", "version"),
        CheckConstraint(_one_of("state", DRAFT_STATES), name="state_known"),
        CheckConstraint(_one_of("kind", REPORT_KINDS), name="kind_known"),
        CheckConstraint("version >= 1", name="version_positive"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    series_id: Mapped[int | None] = mapped_column(Integer)  # the first version's id: all versions of a report share it
    version: Mapped[int] = mapped_column(Integer)
    supersedes: Mapped[int | None] = mapped_column(ForeignKey("report_drafts.id"))
    plan_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    kind: Mapped[str] = mapped_column(String(16))
    as_of: Mapped[int] = mapped_column(Integer)
    unit: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    title: Mapped[str] = mapped_column(String(256))
    state: Mapped[str] = mapped_column(String(16))
    revision: Mapped[int] = mapped_column(Integer)  # +1 for every edit of the sections
    sections: Mapped[list[dict[str, Any]]] = mapped_column(JSONDoc)
    data_version: Mapped[int | None] = mapped_column(Integer)
    frozen_models: Mapped[dict[str, Any] | None] = mapped_column(JSONDoc)  # {"zh": model, "en": model}
    created_by: Mapped[str] = mapped_column(String(ACTOR_LENGTH))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    frozen_by: Mapped[str | None] = mapped_column(String(ACTOR_LENGTH))
    frozen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published_by: Mapped[str | None] = mapped_column(String(ACTOR_LENGTH))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
