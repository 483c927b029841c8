"""The table of registry fields opted into the public view (migration ``0011_public_fields``), on the same ``Base``
as :mod:`scicity.store.tables` so that the migration test compares it too."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from scicity.store.tables import ACTOR_LENGTH, Base
from scicity.store.types import UTCDateTime


class PublicFieldRow(Base):
    """One registry field shown in the public view."""

    __tablename__ = "public_fields"

    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    field: Mapped[str] = mapped_column(String(64), primary_key=True)
    opted_by: Mapped[str] = mapped_column(String(ACTOR_LENGTH))
    opted_at: Mapped[datetime] = mapped_column(UTCDateTime())
