"""The exchange platform's records in the database: import (all or nothing), look up, list.

An import is one transaction, one import batch and one audit event
("exchange.import"); records are inserted or updated in place by ``code``.
Deals, contracts, interests and notifications are in
:mod:`scicity.store.exchange_deals`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scicity.domain.exchange import (
    RECORD_TYPES,
    Achievement,
    Booking,
    ExchangeKind,
    ExchangeRecord,
    Need,
    field_problems,
    Publication,
    TalentExchange,
    TechContract,
)
from scicity.store.audit import AuditRepository, check_actor
from scicity.store.db import Database
from scicity.store.errors import InvalidInput, NotFound
from scicity.store.exchange_tables import (
    AchievementRow,
    BookingRow,
    ContractRow,
    DealRow,
    ExpertRow,
    FacilityRow,
    NeedRow,
    TalentExchangeRow,
)
from scicity.store.registry_tables import PatentRow
from scicity.store.tables import ImportBatch
from scicity.store.types import as_utc, utcnow

ROWS: dict[ExchangeKind, type] = {
    ExchangeKind.ACHIEVEMENTS: AchievementRow, ExchangeKind.NEEDS: NeedRow, ExchangeKind.EXPERTS: ExpertRow,
    ExchangeKind.FACILITIES: FacilityRow, ExchangeKind.BOOKINGS: BookingRow, ExchangeKind.DEALS: DealRow,
    ExchangeKind.CONTRACTS: ContractRow, ExchangeKind.TALENT_EXCHANGES: TalentExchangeRow,
}
KEY_CHUNK = 500
ACTION = "exchange.import"


@dataclass(frozen=True)
class ExchangeChanges:
    kind: ExchangeKind
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    batch_id: int | None = None
    new_codes: tuple[str, ...] = ()

    def counts(self) -> dict[str, int]:
        return {"new": self.new, "changed": self.changed, "unchanged": self.unchanged}


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def to_columns(record: ExchangeRecord, now: datetime) -> dict[str, Any]:
    """The row's columns for a record (derived columns included)."""
    values = {k: _plain(v) for k, v in record.model_dump().items()}
    if isinstance(record, Achievement):
        values["maturity"] = record.stage.value if record.stage else None
        values["created_at"] = now
    elif isinstance(record, Need):
        values["created_at"] = now
    elif isinstance(record, Booking):
        values["year"] = record.starts_on.year
    elif isinstance(record, TechContract):
        values["year"] = (record.registered_on or record.signed_on).year
    elif isinstance(record, TalentExchange):
        values["year"] = record.starts_on.year
    elif record.__class__.__name__ == "Deal":
        values["updated_at"] = now
    return values


def to_record(kind: ExchangeKind, row: Any) -> ExchangeRecord:
    model = RECORD_TYPES[kind]
    values = {name: getattr(row, name) for name in model.model_fields}
    for name, value in values.items():
        if isinstance(value, list):
            values[name] = tuple(value)
    return model(**values)


_STAMPS = frozenset({"created_at", "updated_at"})


def _same(row: Any, values: dict[str, Any]) -> bool:
    return all(getattr(row, k) == v for k, v in values.items() if k not in _STAMPS)


class ExchangeRepository:
    """Records of the exchange platform, by kind."""

    def __init__(self, db: Database, *, clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.clock = clock
        self.audit = AuditRepository(db, clock=clock)

    # -- import -----------------------------------------------------------------------------------------------
    def preview(self, kind: ExchangeKind | str, records: Sequence[ExchangeRecord]) -> ExchangeChanges:
        kind = ExchangeKind(kind)
        with self.db.session() as session:
            return self._changes(session, kind, records)[0]

    def apply(self, kind: ExchangeKind | str, records: Sequence[ExchangeRecord], *, actor: str,
              file_name: str | None = None, sha256: str | None = None) -> ExchangeChanges:
        """Insert new and update changed records in one transaction; nothing is written if anything fails."""
        kind = ExchangeKind(kind)
        check_actor(actor)
        now = as_utc(self.clock())
        table = ROWS[kind]
        with self.db.session() as session:
            changes, stored = self._changes(session, kind, records)
            batch = ImportBatch(file_name=file_name, sha256=sha256, actor=actor, created_at=now,
                                row_count=len(records), new_count=changes.new, changed_count=changes.changed,
                                unchanged_count=changes.unchanged)
            session.add(batch)
            session.flush()
            for record in records:
                values = to_columns(record, now)
                old = stored.get(record.code)
                if old is None:
                    session.add(table(**values, batch_id=batch.id))
                elif not _same(old, values):
                    for name, value in values.items():
                        if name != "created_at":
                            setattr(old, name, value)
                    old.batch_id = batch.id
            self.audit.record(session, actor=actor, action=ACTION, entity=f"exchange.{kind.value}",
                              entity_id=str(batch.id), after={**changes.counts(), "file": file_name},
                              batch_id=batch.id, at=now)
        return ExchangeChanges(kind, changes.new, changes.changed, changes.unchanged, batch.id, changes.new_codes)

    def _changes(self, session: Session, kind: ExchangeKind,
                 records: Sequence[ExchangeRecord]) -> tuple[ExchangeChanges, dict[str, Any]]:
        codes = [r.code for r in records]
        if len(set(codes)) != len(codes):
            raise InvalidInput("the same code appears twice among the records; keep one of each")
        table = ROWS[kind]
        stored: dict[str, Any] = {}
        for i in range(0, len(codes), KEY_CHUNK):
            chunk = codes[i:i + KEY_CHUNK]
            stored.update({r.code: r for r in session.scalars(select(table).where(table.code.in_(chunk)))})
        new = [r.code for r in records if r.code not in stored]
        now = as_utc(self.clock())
        changed = sum(1 for r in records if r.code in stored and not _same(stored[r.code], to_columns(r, now)))
        unchanged = len(records) - len(new) - changed
        return ExchangeChanges(kind, len(new), changed, unchanged, None, tuple(new)), stored

    # -- look-ups ---------------------------------------------------------------------------------------------
    def known(self, kind: ExchangeKind | str, codes: Iterable[str]) -> set[str]:
        """Which of ``codes`` are stored for ``kind``."""
        table = ROWS[ExchangeKind(kind)]
        wanted = sorted(set(codes))
        found: set[str] = set()
        with self.db.session() as session:
            for i in range(0, len(wanted), KEY_CHUNK):
                found.update(session.scalars(select(table.code).where(table.code.in_(wanted[i:i + KEY_CHUNK]))))
        return found

    def known_patents(self, numbers: Iterable[str]) -> set[str]:
        """Which patent numbers the patent registry holds."""
        wanted = sorted(set(numbers))
        found: set[str] = set()
        with self.db.session() as session:
            for i in range(0, len(wanted), KEY_CHUNK):
                chunk = wanted[i:i + KEY_CHUNK]
                found.update(session.scalars(select(PatentRow.number).where(PatentRow.number.in_(chunk))))
        return found

    def get(self, kind: ExchangeKind | str, code: str) -> ExchangeRecord:
        kind = ExchangeKind(kind)
        table = ROWS[kind]
        with self.db.session() as session:
            row = session.scalars(select(table).where(table.code == code)).one_or_none()
            if row is None:
                raise NotFound(f"no {kind.value[:-1].replace('_', ' ')} with code {code!r}")
            return to_record(kind, row)

    def list(self, kind: ExchangeKind | str, *, owner: str | None = None, published: bool | None = None,
             open_only: bool = False, limit: int | None = None) -> list[ExchangeRecord]:
        """Records of ``kind``; ``owner`` keeps an organisation's own (owner, enterprise or institution)."""
        kind = ExchangeKind(kind)
        table = ROWS[kind]
        query = select(table).order_by(table.id)
        if owner is not None:
            column = {ExchangeKind.NEEDS: "enterprise", ExchangeKind.EXPERTS: "institution",
                      ExchangeKind.BOOKINGS: "user_org"}.get(kind, "owner")
            query = query.where(getattr(table, column) == owner)
        if published is not None and hasattr(table, "status"):
            status = table.status == Publication.PUBLISHED.value
            query = query.where(status if published else ~status)
        if open_only and kind is ExchangeKind.NEEDS:
            query = query.where(table.closed.is_(False))
        if limit is not None:
            query = query.limit(limit)
        with self.db.session() as session:
            return [to_record(kind, row) for row in session.scalars(query)]

    def count(self, kind: ExchangeKind | str) -> int:
        table = ROWS[ExchangeKind(kind)]
        with self.db.session() as session:
            return int(session.scalar(select(func.count()).select_from(table)) or 0)

    def save(self, record: ExchangeRecord, *, actor: str) -> ExchangeChanges:
        """Add or change one record (a form), through the same path as an import."""
        problems = record.problems()
        if problems:
            raise InvalidInput(field_problems(problems))
        kind = next(k for k, t in RECORD_TYPES.items() if isinstance(record, t))
        return self.apply(kind, [record], actor=actor, file_name=None)

    def set_status(self, kind: ExchangeKind | str, code: str, status: Publication, *, actor: str,
                   on: date | None = None) -> None:
        """Publish, withdraw or send back an achievement or a need (the operator moderates)."""
        kind = ExchangeKind(kind)
        if kind not in (ExchangeKind.ACHIEVEMENTS, ExchangeKind.NEEDS):
            raise InvalidInput(f"{kind.value} are not published; only achievements and needs are")
        check_actor(actor)
        table = ROWS[kind]
        now = as_utc(self.clock())
        with self.db.session() as session:
            row = session.scalars(select(table).where(table.code == code)).one_or_none()
            if row is None:
                raise NotFound(f"no {kind.value[:-1]} with code {code!r}")
            before = row.status
            row.status = status.value
            if status is Publication.PUBLISHED and row.published_on is None:
                row.published_on = on or now.date()
            self.audit.record(session, actor=actor, action=f"exchange.{status.value}", entity=f"exchange.{kind.value}",
                              entity_id=code, before={"status": before}, after={"status": status.value}, at=now)
