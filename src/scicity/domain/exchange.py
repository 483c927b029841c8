"""The school–locality exchange platform: what flows between universities, institutes and enterprises.

Records (all keyed by a ``code`` that the publishing office chooses):

- :class:`Achievement` (科技成果) — a result a university or institute offers;
- :class:`Need` (技术需求) — a problem an enterprise wants solved; an open
  call (揭榜挂帅) is a public need with a budget and a deadline;
- :class:`Expert`, :class:`Facility` (shared instruments and labs, 大型仪器共享)
  and their :class:`Booking` (hours used);
- :class:`Deal` — a match that moves through :data:`PIPELINE`;
- :class:`TechContract` (技术合同登记) — the registered outcome;
- :class:`TalentExchange` — researchers in enterprises, engineers in universities.

Every record can list its own problems (:meth:`problems`), each as
(field, message), so that a reader reports them with row and column. Text is
kept exactly as written (HTML included: it is escaped on output, never run).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from scicity.domain.message import Msg, join
from scicity.domain.vocabularies import (  # noqa: F401 (the records' vocabulary, imported from here)
    ContractType, DealStage, FacilityKind, SellerType, TalentDirection)

#: a description longer than this is refused (1 MB of text is not an abstract)
MAX_DESCRIPTION = 20_000
MAX_TITLE = 300
#: amounts are in CNY 10,000 (万元); one contract above this (CNY 10 bn) is taken for a typing error
MAX_AMOUNT = 1_000_000.0
MAX_HOURS_PER_BOOKING = 24 * 366


class ExchangeKind(StrEnum):
    ACHIEVEMENTS = "achievements"
    NEEDS = "needs"
    EXPERTS = "experts"
    FACILITIES = "facilities"
    BOOKINGS = "bookings"
    DEALS = "deals"
    CONTRACTS = "contracts"
    TALENT_EXCHANGES = "talent_exchanges"


class Maturity(StrEnum):
    """实验室 · 小试 · 中试 · 产业化, with the TRL range each covers."""

    LAB = "lab"
    BENCH = "bench"
    PILOT = "pilot"
    INDUSTRIAL = "industrial"


TRL_OF_MATURITY = {Maturity.LAB: (1, 3), Maturity.BENCH: (4, 5), Maturity.PILOT: (6, 7), Maturity.INDUSTRIAL: (8, 9)}


def maturity_of_trl(trl: int) -> Maturity:
    return next(m for m, (lo, hi) in TRL_OF_MATURITY.items() if lo <= trl <= hi)


class Terms(StrEnum):
    TRANSFER = "transfer"
    LICENCE = "licence"
    JOINT_DEVELOPMENT = "joint_development"
    EQUITY = "equity"


class Publication(StrEnum):
    """Achievements and needs are published by the platform operator (moderation)."""

    DRAFT = "draft"
    PENDING = "pending"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"


PIPELINE = (DealStage.MATCHED, DealStage.CONTACTED, DealStage.NEGOTIATING, DealStage.SIGNED,
            DealStage.REGISTERED, DealStage.DELIVERED)
CLOSED_STAGES = frozenset({DealStage.DELIVERED, DealStage.DROPPED})


def transition_problem(current: DealStage, new: DealStage) -> str | None:
    """Why a deal cannot move from ``current`` to ``new``, or None when it may (one step on, or dropped)."""
    if current in CLOSED_STAGES:
        return Msg("the deal is {stage}; a closed deal does not move", stage=Msg(current.value))
    if new is DealStage.DROPPED:
        return None
    at, to = PIPELINE.index(current), PIPELINE.index(new)
    if to == at:
        return Msg("the deal is already {stage}", stage=Msg(current.value))
    if to < at:
        return Msg("a deal does not go back from {stage} to {new}", stage=Msg(current.value), new=Msg(new.value))
    if to > at + 1:
        skipped = join(*(Msg(s.value) for s in PIPELINE[at + 1:to]), sep=", ")
        return Msg("a deal moves one stage at a time: from {stage} the next stage is {next} ({skipped} would be skipped)",
                   stage=Msg(current.value), next=Msg(PIPELINE[at + 1].value), skipped=skipped)
    return None


def field_problems(problems: list[tuple[str, str]]) -> Msg:
    """Problems of a record's fields as one message: ``field: problem; field: problem``."""
    return join(*(Msg("{field}: {problem}", field=f, problem=m) for f, m in problems), sep="; ")


def _text_problems(record: BaseModel, fields: tuple[str, ...], limit: int) -> list[tuple[str, str]]:
    out = []
    for name in fields:
        value = getattr(record, name)
        if value is not None and len(value) > limit:
            out.append((name, Msg("{n} characters long; at most {limit} fit — shorten it (attach long documents instead)",
                                  n=f"{len(value):,}", limit=f"{limit:,}")))
    return out


def _bilingual(record: BaseModel, stem: str) -> list[tuple[str, str]]:
    zh, en = getattr(record, f"{stem}_zh"), getattr(record, f"{stem}_en")
    if not (zh or "").strip() and not (en or "").strip():
        return [(f"{stem}_zh", Msg("{stem} is empty in both languages; write {stem}_zh or {stem}_en (or both)", stem=stem))]
    return []


class _Record(BaseModel):
    # defer_build: the validators are made on a record's first use, not on import (the plan model imports
    # this module for its enums; a command that reads no exchange record does not pay for the eight models)
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)
    KEY: ClassVar[tuple[str, ...]] = ("code",)
    TEXTS: ClassVar[tuple[str, ...]] = ()

    code: str

    def problems(self) -> list[tuple[str, str]]:
        return []


class Achievement(_Record):
    TEXTS: ClassVar[tuple[str, ...]] = ("title_zh", "title_en", "abstract_zh", "abstract_en")

    title_zh: str | None = None
    title_en: str | None = None
    abstract_zh: str | None = None
    abstract_en: str | None = None
    field: str | None = None
    ipc: tuple[str, ...] = ()
    patents: tuple[str, ...] = ()
    trl: int | None = None
    maturity: Maturity | None = None
    owner: str  # the institution's code (a transfer office's organisation)
    owner_name: str | None = None
    owner_type: SellerType = SellerType.UNIVERSITY
    contact: str | None = None
    terms: tuple[Terms, ...] = ()
    unit: str | None = None
    status: Publication = Publication.DRAFT
    published_on: date | None = None

    @property
    def stage(self) -> Maturity | None:
        return self.maturity or (maturity_of_trl(self.trl) if self.trl is not None else None)

    def problems(self) -> list[tuple[str, str]]:
        out = _bilingual(self, "title")
        out += _text_problems(self, ("title_zh", "title_en"), MAX_TITLE)
        out += _text_problems(self, ("abstract_zh", "abstract_en"), MAX_DESCRIPTION)
        if self.trl is not None and not 1 <= self.trl <= 9:
            out.append(("trl", Msg("TRL {trl} is outside 1–9", trl=self.trl)))
        if self.trl is not None and self.maturity is not None and maturity_of_trl(self.trl) is not self.maturity:
            lo, hi = TRL_OF_MATURITY[self.maturity]
            out.append(("maturity", Msg("maturity {maturity} means TRL {lo}–{hi}, but TRL is {trl}",
                                        maturity=Msg(self.maturity.value), lo=lo, hi=hi, trl=self.trl)))
        return out


class Need(_Record):
    TEXTS: ClassVar[tuple[str, ...]] = ("title_zh", "title_en", "problem_zh", "problem_en")

    title_zh: str | None = None
    title_en: str | None = None
    problem_zh: str | None = None
    problem_en: str | None = None
    field: str | None = None
    ipc: tuple[str, ...] = ()
    industry: str | None = None
    enterprise: str  # credit code (or the organisation code of the enterprise user)
    enterprise_name: str | None = None
    budget: float | None = None  # CNY 10,000
    deadline: date | None = None
    unit: str | None = None
    open_call: bool = False  # 揭榜挂帅: public, with budget and deadline
    min_trl: int | None = None
    terms: tuple[Terms, ...] = ()
    status: Publication = Publication.DRAFT
    closed: bool = False
    published_on: date | None = None

    def problems(self) -> list[tuple[str, str]]:
        out = _bilingual(self, "title")
        out += _text_problems(self, ("title_zh", "title_en"), MAX_TITLE)
        out += _text_problems(self, ("problem_zh", "problem_en"), MAX_DESCRIPTION)
        if self.budget is not None and not 0 <= self.budget <= MAX_AMOUNT:
            out.append(("budget", Msg("budget {budget} (CNY 10,000) is outside 0–{max}; amounts are in 万元 — check the unit",
                                      budget=f"{self.budget:,.0f}", max=f"{MAX_AMOUNT:,.0f}")))
        if self.open_call and (self.budget is None or self.deadline is None):
            out.append(("open_call", Msg("an open call (揭榜挂帅) needs a budget and a deadline")))
        if self.min_trl is not None and not 1 <= self.min_trl <= 9:
            out.append(("min_trl", Msg("TRL {trl} is outside 1–9", trl=self.min_trl)))
        return out


class Expert(_Record):
    TEXTS: ClassVar[tuple[str, ...]] = ("name", "bio_zh", "bio_en", "keywords")

    name: str
    name_en: str | None = None
    institution: str
    field: str | None = None
    keywords: str | None = None
    bio_zh: str | None = None
    bio_en: str | None = None
    unit: str | None = None
    contact: str | None = None

    def problems(self) -> list[tuple[str, str]]:
        return _text_problems(self, ("bio_zh", "bio_en", "keywords"), MAX_DESCRIPTION)


class Facility(_Record):
    TEXTS: ClassVar[tuple[str, ...]] = ("name_zh", "name_en", "description")

    name_zh: str | None = None
    name_en: str | None = None
    kind: FacilityKind = FacilityKind.INSTRUMENT
    owner: str
    field: str | None = None
    description: str | None = None
    unit: str | None = None
    hourly_rate: float | None = None  # CNY per hour

    def problems(self) -> list[tuple[str, str]]:
        out = _bilingual(self, "name")
        out += _text_problems(self, ("description",), MAX_DESCRIPTION)
        if self.hourly_rate is not None and not 0 <= self.hourly_rate <= 1_000_000:
            out.append(("hourly_rate", Msg("hourly rate {rate} is outside 0–1,000,000 CNY", rate=f"{self.hourly_rate:,.0f}")))
        return out


class Booking(_Record):
    facility: str
    user_org: str
    starts_on: date
    hours: float

    def problems(self) -> list[tuple[str, str]]:
        if not 0 < self.hours <= MAX_HOURS_PER_BOOKING:
            return [("hours", Msg("{hours} hours; a booking uses more than 0 and at most {max} hours", hours=f"{self.hours:g}",
                                  max=f"{MAX_HOURS_PER_BOOKING:,}"))]
        return []


class Deal(_Record):
    need: str | None = None
    achievement: str | None = None
    stage: DealStage = DealStage.MATCHED
    owner: str | None = None  # who moves it (a person or an office)
    opened_on: date | None = None
    contract: str | None = None

    def problems(self) -> list[tuple[str, str]]:
        if self.need is None and self.achievement is None:
            return [("need", Msg("a deal links a need, an achievement or both; both are empty"))]
        return []


class TechContract(_Record):
    type: ContractType
    amount: float  # CNY 10,000
    seller: str
    seller_type: SellerType
    buyer: str
    field: str | None = None
    ip: bool = False
    government_funded: bool = False
    signed_on: date
    registered_on: date | None = None
    unit: str | None = None
    deal: str | None = None

    def problems(self) -> list[tuple[str, str]]:
        out = []
        if self.amount < 0:
            out.append(("amount", Msg("amount {amount} is negative; a contract's amount is at least 0", amount=f"{self.amount:,.2f}")))
        elif self.amount > MAX_AMOUNT:
            out.append(("amount", Msg("amount {amount} (CNY 10,000) is above {max}, i.e. CNY 10 billion for one contract; "
                                      "amounts are in 万元 — check the unit", amount=f"{self.amount:,.0f}", max=f"{MAX_AMOUNT:,.0f}")))
        if self.registered_on is not None and self.registered_on < self.signed_on:
            out.append(("registered_on", Msg("registered before it was signed")))
        return out


class TalentExchange(_Record):
    person: str
    direction: TalentDirection
    title: str | None = None  # 科技副总, 产业教授, …
    from_org: str
    to_org: str
    starts_on: date
    ends_on: date | None = None
    hours: float | None = None
    unit: str | None = None

    def problems(self) -> list[tuple[str, str]]:
        out = []
        if self.ends_on is not None and self.ends_on < self.starts_on:
            out.append(("ends_on", Msg("ends before it starts")))
        if self.hours is not None and not 0 <= self.hours <= 24 * 366 * 5:
            out.append(("hours", Msg("{hours} hours is not a plausible amount of time", hours=f"{self.hours:g}")))
        return out


RECORD_TYPES: dict[ExchangeKind, type[_Record]] = {
    ExchangeKind.ACHIEVEMENTS: Achievement, ExchangeKind.NEEDS: Need, ExchangeKind.EXPERTS: Expert,
    ExchangeKind.FACILITIES: Facility, ExchangeKind.BOOKINGS: Booking, ExchangeKind.DEALS: Deal,
    ExchangeKind.CONTRACTS: TechContract, ExchangeKind.TALENT_EXCHANGES: TalentExchange,
}
ExchangeRecord = _Record
