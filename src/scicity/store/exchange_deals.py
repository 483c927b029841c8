"""Follow-through on the exchange platform: interest, deals and their stages, contracts, notifications.

- :meth:`DealRepository.express_interest` opens a deal at ``matched`` (one click);
- :meth:`DealRepository.move` moves it one stage on (or drops it), with date and who, refusing skipped
  stages and moves backwards; ``signed`` closes the need the deal fills; ``registered`` needs the
  technology contract, which is stored with it;
- notifications are kept per organisation and marked read or e-mailed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select, update

from scicity.domain.exchange import DealStage, TechContract, field_problems, transition_problem
from scicity.domain.message import Msg
from scicity.store.audit import AuditRepository, check_actor
from scicity.store.db import Database
from scicity.store.errors import InvalidInput, InvalidTransition, NotFound
from scicity.store.exchange import to_columns
from scicity.store.exchange_tables import (
    AchievementRow,
    ContractRow,
    DealEventRow,
    DealRow,
    InterestRow,
    MemberRow,
    NeedRow,
    NotificationRow,
)
from scicity.store.types import as_utc, utcnow


@dataclass(frozen=True)
class DealEvent:
    stage: DealStage
    on: date
    actor: str
    note: str | None


@dataclass(frozen=True)
class DealView:
    code: str
    need: str | None
    achievement: str | None
    stage: DealStage
    owner: str | None
    seller_org: str | None
    buyer_org: str | None
    contract: str | None
    events: tuple[DealEvent, ...]


@dataclass(frozen=True)
class Notification:
    id: int
    org: str
    kind: str
    subject: str
    body: str
    payload: dict[str, Any]
    created_at: datetime
    read_at: datetime | None
    emailed_at: datetime | None


class DealRepository:
    def __init__(self, db: Database, *, clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.clock = clock
        self.audit = AuditRepository(db, clock=clock)

    def express_interest(self, *, actor: str, org: str | None, achievement: str | None = None,
                         need: str | None = None, owner: str | None = None) -> DealView:
        """Record interest and open (or find) the deal between this need and achievement."""
        check_actor(actor)
        if achievement is None and need is None:
            raise InvalidInput("say what you are interested in: an achievement, a need or both")
        now = as_utc(self.clock())
        with self.db.session() as session:
            a_row = n_row = None
            if achievement is not None:
                a_row = session.scalars(select(AchievementRow).where(AchievementRow.code == achievement)).one_or_none()
                if a_row is None:
                    raise NotFound(f"no achievement with code {achievement!r}")
            if need is not None:
                n_row = session.scalars(select(NeedRow).where(NeedRow.code == need)).one_or_none()
                if n_row is None:
                    raise NotFound(f"no need with code {need!r}")
                if n_row.closed:
                    raise InvalidInput(f"need {need} is closed: a deal has filled it")
            existing = session.scalars(select(DealRow).where(DealRow.need == need, DealRow.achievement == achievement,
                                                             DealRow.stage != DealStage.DROPPED.value)).first()
            if existing is None:
                code = f"D-{now:%Y%m%d}-{(achievement or '-')[:24]}-{(need or '-')[:24]}"
                existing = DealRow(code=code[:64], need=need, achievement=achievement, stage=DealStage.MATCHED.value,
                                   owner=owner or actor, opened_on=now.date(),
                                   seller_org=a_row.owner if a_row is not None else None,
                                   buyer_org=n_row.enterprise if n_row is not None else org, updated_at=now)
                session.add(existing)
                session.flush()
                session.add(DealEventRow(deal=existing.code, stage=DealStage.MATCHED.value, on=now.date(),
                                         actor=actor, note="interest expressed", at=now))
            session.add(InterestRow(achievement=achievement, need=need, org=org, actor=actor, deal=existing.code,
                                    at=now))
            title = (a_row.title_zh or a_row.title_en) if a_row is not None else (n_row.title_zh or n_row.title_en)
            for target in {existing.seller_org, existing.buyer_org} - {org, None}:
                session.add(NotificationRow(org=target, kind="interest", subject=f"Interest: {title}",
                                            body=f"{actor} ({org or '-'}) expressed interest; deal {existing.code}.",
                                            payload={"deal": existing.code, "achievement": achievement, "need": need},
                                            created_at=now))
            self.audit.record(session, actor=actor, action="exchange.interest", entity="exchange.deal",
                              entity_id=existing.code, after={"achievement": achievement, "need": need}, at=now)
            code = existing.code
        return self.get(code)

    def move(self, code: str, stage: DealStage | str, *, actor: str, on: date | None = None, note: str | None = None,
             contract: TechContract | None = None) -> DealView:
        """One stage on (or dropped); ``registered`` stores ``contract``; ``signed`` closes the need."""
        stage = DealStage(stage)
        check_actor(actor)
        now = as_utc(self.clock())
        on = on or now.date()
        with self.db.session() as session:
            row = session.scalars(select(DealRow).where(DealRow.code == code).with_for_update()).one_or_none()
            if row is None:
                raise NotFound(f"no deal with code {code!r}")
            problem = transition_problem(DealStage(row.stage), stage)
            if problem:
                raise InvalidTransition(Msg("deal {code}: {problem}", code=code, problem=problem))
            last = session.scalar(select(DealEventRow.on).where(DealEventRow.deal == code)
                                  .order_by(DealEventRow.id.desc()).limit(1))
            if last is not None and on < last:
                raise InvalidTransition(Msg("deal {code}: {on} is before the last move ({last})", code=code,
                                            on=on.isoformat(), last=last.isoformat()))
            if stage is DealStage.REGISTERED:
                if contract is None:
                    raise InvalidInput(Msg("deal {code}: registering needs the technology contract "
                                           "(type, amount, seller, buyer, signed date)", code=code))
                problems = contract.problems()
                if problems:
                    raise InvalidInput(field_problems(problems))
                contract = contract.model_copy(update={"deal": code, "registered_on": contract.registered_on or on})
                if session.scalar(select(ContractRow.id).where(ContractRow.code == contract.code)) is not None:
                    raise InvalidInput(Msg("a contract with registration number {code} is already registered",
                                           code=contract.code))
                session.add(ContractRow(**to_columns(contract, now)))
                row.contract = contract.code
            if stage is DealStage.SIGNED and row.need is not None:
                session.execute(update(NeedRow).where(NeedRow.code == row.need).values(closed=True))
            before = row.stage
            row.stage, row.updated_at = stage.value, now
            session.add(DealEventRow(deal=code, stage=stage.value, on=on, actor=actor, note=note, at=now))
            for target in {row.seller_org, row.buyer_org} - {None}:
                session.add(NotificationRow(org=target, kind="deal", subject=f"Deal {code}: {stage.value}",
                                            body=f"{actor} moved deal {code} from {before} to {stage.value} on {on}.",
                                            payload={"deal": code, "stage": stage.value}, created_at=now))
            self.audit.record(session, actor=actor, action="exchange.deal.move", entity="exchange.deal",
                              entity_id=code, before={"stage": before}, after={"stage": stage.value}, at=now)
        return self.get(code)

    def get(self, code: str) -> DealView:
        with self.db.session() as session:
            row = session.scalars(select(DealRow).where(DealRow.code == code)).one_or_none()
            if row is None:
                raise NotFound(f"no deal with code {code!r}")
            events = session.scalars(select(DealEventRow).where(DealEventRow.deal == code).order_by(DealEventRow.id))
            return _view(row, list(events))

    def list(self, *, org: str | None = None) -> list[DealView]:
        """Deals; with ``org`` only those where it sells or buys."""
        with self.db.session() as session:
            query = select(DealRow).order_by(DealRow.id)
            if org is not None:
                query = query.where((DealRow.seller_org == org) | (DealRow.buyer_org == org))
            rows = list(session.scalars(query))
            events: dict[str, list[DealEventRow]] = {}
            if rows:
                for e in session.scalars(select(DealEventRow).where(DealEventRow.deal.in_([r.code for r in rows]))
                                         .order_by(DealEventRow.id)):
                    events.setdefault(e.deal, []).append(e)
            return [_view(r, events.get(r.code, [])) for r in rows]

    # -- notifications ----------------------------------------------------------------------------------------
    def notify(self, org: str, kind: str, subject: str, body: str, payload: dict[str, Any]) -> int:
        with self.db.session() as session:
            row = NotificationRow(org=org, kind=kind, subject=subject, body=body, payload=payload,
                                  created_at=as_utc(self.clock()))
            session.add(row)
            session.flush()
            return int(row.id)

    def notifications(self, org: str, *, unread_only: bool = False, limit: int = 100) -> list[Notification]:
        with self.db.session() as session:
            query = select(NotificationRow).where(NotificationRow.org == org)
            if unread_only:
                query = query.where(NotificationRow.read_at.is_(None))
            rows = session.scalars(query.order_by(NotificationRow.id.desc()).limit(limit))
            return [Notification(r.id, r.org, r.kind, r.subject, r.body, r.payload or {}, r.created_at, r.read_at,
                                 r.emailed_at) for r in rows]

    def pending_email(self, orgs: list[str] | None = None) -> list[Notification]:
        """Notifications not yet e-mailed (oldest first)."""
        with self.db.session() as session:
            query = select(NotificationRow).where(NotificationRow.emailed_at.is_(None))
            if orgs is not None:
                query = query.where(NotificationRow.org.in_(orgs))
            return [Notification(r.id, r.org, r.kind, r.subject, r.body, r.payload or {}, r.created_at, r.read_at,
                                 r.emailed_at) for r in session.scalars(query.order_by(NotificationRow.id))]

    def mark(self, ids: list[int], *, read: bool = False, emailed: bool = False) -> None:
        now = as_utc(self.clock())
        values: dict[str, Any] = {}
        if read:
            values["read_at"] = now
        if emailed:
            values["emailed_at"] = now
        if ids and values:
            with self.db.session() as session:
                session.execute(update(NotificationRow).where(NotificationRow.id.in_(ids)).values(**values))

    # -- members ----------------------------------------------------------------------------------------------
    def set_member(self, user_id: int, org: str, org_kind: str, email: str | None = None) -> None:
        with self.db.session() as session:
            row = session.get(MemberRow, user_id)
            if row is None:
                session.add(MemberRow(user_id=user_id, org=org, org_kind=org_kind, email=email))
            else:
                row.org, row.org_kind, row.email = org, org_kind, email

    def member(self, user_id: int) -> tuple[str, str, str | None] | None:
        with self.db.session() as session:
            row = session.get(MemberRow, user_id)
            return None if row is None else (row.org, row.org_kind, row.email)

    def emails_of(self, org: str) -> list[str]:
        with self.db.session() as session:
            return [e for e in session.scalars(select(MemberRow.email).where(MemberRow.org == org)) if e]


def _view(row: DealRow, events: list[DealEventRow]) -> DealView:
    return DealView(row.code, row.need, row.achievement, DealStage(row.stage), row.owner, row.seller_org,
                    row.buyer_org, row.contract,
                    tuple(DealEvent(DealStage(e.stage), e.on, e.actor, e.note) for e in events))
