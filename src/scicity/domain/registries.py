"""Registries of the innovation actors: institutions, enterprises (certifications, financials), talent, patents.

Plain frozen records, one class per registry, each with its natural key
(what identifies it in files and in the zone's own lists) and its rules of
validity in time. The fifth registry of the design, base statistics (GRP,
R&D expenditure, population, …), is the observation store itself.

Validity at a date ``D`` (a period's value is taken at its end, 31 December):

- an institution, a talent record or a patent counts while
  ``start <= D`` and (``end`` is empty or ``end > D``), where ``end``
  (closed_on, departed_on, lapsed_on) is the first day it no longer counts;
- a certification counts while ``valid_from <= D <= valid_to`` (valid_to is
  the last valid day, inclusive) or ``valid_to`` is empty (open-ended).

A high-tech enterprise certificate lasts three years: without a valid_to it
is given ``valid_from`` + 3 years − 1 day when imported.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, timedelta
from enum import StrEnum
from typing import Any, ClassVar

from scicity.domain.field_labels import field_label
from scicity.domain.message import Msg
from scicity.domain.vocabularies import (  # noqa: F401 (the record classes' vocabulary, imported from here)
    CertificationKind, InstitutionLevel, InstitutionType, PatentType, RegistryKind, TalentTier)


HIGH_TECH_YEARS = 3


def counts_at(start: date, end: date | None, at: date) -> bool:
    """Validity of institutions, talent and patents: started by ``at`` and not ended by it (end exclusive)."""
    return start <= at and (end is None or end > at)


def certificate_valid_at(valid_from: date, valid_to: date | None, at: date) -> bool:
    """Validity of certifications: ``valid_to`` is the last valid day (inclusive); empty is open-ended."""
    return valid_from <= at and (valid_to is None or at <= valid_to)


def add_years(day: date, years: int) -> date:
    """The same calendar day ``years`` later (29 February becomes 1 March)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)


def default_valid_to(kind: CertificationKind | str, valid_from: date) -> date | None:
    """The last valid day of a certificate imported without one: high-tech lasts 3 years, others are open."""
    if CertificationKind(kind) is CertificationKind.HIGH_TECH:
        return add_years(valid_from, HIGH_TECH_YEARS) - timedelta(days=1)
    return None


Problems = list[tuple[str, str]]  # (field, message)


class _Record:
    """What every registry record offers: its kind, natural key, field names and rule checks."""

    __slots__ = ()
    KIND: ClassVar[RegistryKind]
    KEY: ClassVar[tuple[str, ...]]
    ENUMS: ClassVar[dict[str, type[StrEnum]]] = {}

    def __post_init__(self) -> None:
        for name, enum in self.ENUMS.items():
            value = getattr(self, name)
            if not isinstance(value, enum):
                object.__setattr__(self, name, enum(value))

    @property
    def key(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.KEY)

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))  # type: ignore[arg-type]

    def problems(self) -> Problems:
        """Rules between fields (dates in order, a name given); empty when the record is sound."""
        return []


def _not_above(out: Problems, name: str, value: float | None, whole_name: str, whole: float | None, what: str) -> None:
    if value is not None and whole is not None and value > whole:
        out.append((name, Msg("{name} {value} is above {whole_name} {whole}: {what}", name=field_label(name), value=f"{value:g}",
                              whole_name=field_label(whole_name), whole=f"{whole:g}", what=Msg(what))))


def _ends_after(out: Problems, start_name: str, start: date, end_name: str, end: date | None, what: str) -> None:
    if end is not None and end < start:
        out.append((end_name, Msg("{end_name} {end} is before {start_name} {start}: {what}", end_name=field_label(end_name),
                                  end=end.isoformat(), start_name=field_label(start_name), start=start.isoformat(), what=Msg(what))))


@dataclass(frozen=True, slots=True, kw_only=True)
class Institution(_Record):
    """An institution or platform (lab, facility, R&D institution) recognised at a level."""

    KIND: ClassVar[RegistryKind] = RegistryKind.INSTITUTIONS
    KEY: ClassVar[tuple[str, ...]] = ("code",)
    ENUMS: ClassVar[dict[str, type[StrEnum]]] = {"type": InstitutionType, "level": InstitutionLevel}

    code: str
    name_en: str | None = None
    name_zh: str | None = None
    type: InstitutionType
    level: InstitutionLevel
    host: str | None = None
    unit: str
    recognised_on: date
    closed_on: date | None = None

    def valid_at(self, at: date) -> bool:
        return counts_at(self.recognised_on, self.closed_on, at)

    def problems(self) -> Problems:
        out: Problems = []
        if not (self.name_en or self.name_zh):
            out.append(("name_en", Msg("an institution needs a name: fill {en} or {zh} (or both)", en=field_label("name_en"), zh=field_label("name_zh"))))
        _ends_after(out, "recognised_on", self.recognised_on, "closed_on", self.closed_on,
                    "an institution cannot close before it is recognised")
        return out


@dataclass(frozen=True, slots=True, kw_only=True)
class Enterprise(_Record):
    KIND: ClassVar[RegistryKind] = RegistryKind.ENTERPRISES
    KEY: ClassVar[tuple[str, ...]] = ("credit_code",)

    credit_code: str
    name_zh: str | None = None
    name_en: str | None = None
    founded_on: date | None = None
    unit: str
    industry: str | None = None
    strategic_emerging: bool = False

    def problems(self) -> Problems:
        if not (self.name_en or self.name_zh):
            return [("name_zh", Msg("an enterprise needs a name: fill {zh} or {en} (or both)", zh=field_label("name_zh"), en=field_label("name_en")))]
        return []


@dataclass(frozen=True, slots=True, kw_only=True)
class Certification(_Record):
    """A certificate or recognition of an enterprise, valid from ``valid_from`` to ``valid_to`` (inclusive)."""

    KIND: ClassVar[RegistryKind] = RegistryKind.CERTIFICATIONS
    KEY: ClassVar[tuple[str, ...]] = ("credit_code", "kind", "valid_from")
    ENUMS: ClassVar[dict[str, type[StrEnum]]] = {"kind": CertificationKind}

    credit_code: str
    kind: CertificationKind
    valid_from: date
    valid_to: date | None = None
    certificate_no: str | None = None

    def valid_at(self, at: date) -> bool:
        return certificate_valid_at(self.valid_from, self.valid_to, at)

    def problems(self) -> Problems:
        out: Problems = []
        _ends_after(out, "valid_from", self.valid_from, "valid_to", self.valid_to,
                    "a certificate cannot end before it starts")
        return out


@dataclass(frozen=True, slots=True, kw_only=True)
class Financials(_Record):
    """An enterprise's figures for one year (CNY 10,000 for money; persons for employees)."""

    KIND: ClassVar[RegistryKind] = RegistryKind.FINANCIALS
    KEY: ClassVar[tuple[str, ...]] = ("credit_code", "year")

    credit_code: str
    year: int
    revenue: float | None = None
    rd_expenditure: float | None = None
    employees: int | None = None
    valuation: float | None = None
    # what the cultivation tiers need (docs/cultivation.md); money in CNY 10,000, shares in percent
    st_staff: int | None = None  # S&T staff, persons
    total_costs: float | None = None
    total_assets: float | None = None
    net_assets: float | None = None
    rd_domestic_share: float | None = None  # percent of R&D spent in mainland China
    hightech_revenue: float | None = None  # revenue from high-tech products and services
    main_revenue: float | None = None  # main-business revenue
    debt_ratio: float | None = None  # percent
    new_equity: float | None = None  # new qualified equity financing in the year
    conversions: int | None = None  # S&T results converted in the year
    ip_class1: int | None = None  # class I IP (invention patents, …) tied to the main products
    ip_class2: int | None = None  # class II IP (utility models, designs, software copyright)
    valuation_usd: float | None = None  # latest post-money valuation, USD 10,000
    financing_usd: float | None = None  # cumulative private financing, USD 10,000
    listed: bool | None = None
    major_incident: bool | None = None  # major safety, quality or environmental incident, research misconduct
    dishonest: bool | None = None  # on the abnormal-operation or serious-dishonesty lists
    restricted_industry: bool | None = None  # prohibited, restricted or phase-out industry
    national_award: bool | None = None  # national S&T award in the last 5 years (top 3 units)
    provincial_rd_institution: bool | None = None  # runs a provincial/ministerial or higher R&D institution
    led_standard: bool | None = None  # led an international, national or industry standard in the last 5 years

    def problems(self) -> Problems:
        out: Problems = []
        _not_above(out, "rd_expenditure", self.rd_expenditure, "revenue", self.revenue,
                   "R&D expense above sales; check the units (CNY 10,000) of both columns")
        _not_above(out, "st_staff", self.st_staff, "employees", self.employees,
                   "more S&T staff than staff; S&T staff are counted among all staff")
        _not_above(out, "hightech_revenue", self.hightech_revenue, "revenue", self.revenue,
                   "high-tech product revenue above total revenue")
        _not_above(out, "main_revenue", self.main_revenue, "revenue", self.revenue,
                   "main-business revenue above total revenue")
        _not_above(out, "net_assets", self.net_assets, "total_assets", self.total_assets,
                   "net assets above total assets")
        if self.rd_domestic_share is not None and self.rd_domestic_share > 100:
            out.append(("rd_domestic_share", Msg("{name} {value} is above 100 %; write the percent of R&D spent in mainland China (0–100)",
                                                 name=field_label("rd_domestic_share"), value=f"{self.rd_domestic_share:g}")))
        return out


@dataclass(frozen=True, slots=True, kw_only=True)
class Talent(_Record):
    """A person (pseudonymous id) introduced or recognised at a tier."""

    KIND: ClassVar[RegistryKind] = RegistryKind.TALENT
    KEY: ClassVar[tuple[str, ...]] = ("person_id", "tier")
    ENUMS: ClassVar[dict[str, type[StrEnum]]] = {"tier": TalentTier}

    person_id: str
    tier: TalentTier
    programme: str | None = None
    introduced_on: date
    departed_on: date | None = None
    unit: str

    def valid_at(self, at: date) -> bool:
        return counts_at(self.introduced_on, self.departed_on, at)

    def introduced_in(self, year: int) -> bool:
        return self.introduced_on.year == year

    def problems(self) -> Problems:
        out: Problems = []
        _ends_after(out, "introduced_on", self.introduced_on, "departed_on", self.departed_on,
                    "a person cannot leave before being introduced")
        return out


@dataclass(frozen=True, slots=True, kw_only=True)
class Patent(_Record):
    KIND: ClassVar[RegistryKind] = RegistryKind.PATENTS
    KEY: ClassVar[tuple[str, ...]] = ("number",)
    ENUMS: ClassVar[dict[str, type[StrEnum]]] = {"type": PatentType}

    number: str
    type: PatentType
    granted_on: date
    lapsed_on: date | None = None
    holder: str | None = None
    unit: str

    def valid_at(self, at: date) -> bool:
        return counts_at(self.granted_on, self.lapsed_on, at)

    def problems(self) -> Problems:
        out: Problems = []
        _ends_after(out, "granted_on", self.granted_on, "lapsed_on", self.lapsed_on,
                    "a patent cannot lapse before it is granted")
        return out


Record = Institution | Enterprise | Certification | Financials | Talent | Patent
RECORD_TYPES: dict[RegistryKind, type[Record]] = {
    RegistryKind.INSTITUTIONS: Institution,
    RegistryKind.ENTERPRISES: Enterprise,
    RegistryKind.CERTIFICATIONS: Certification,
    RegistryKind.FINANCIALS: Financials,
    RegistryKind.TALENT: Talent,
    RegistryKind.PATENTS: Patent,
}
#: kinds whose records belong to an enterprise (their credit code must be in the enterprise registry)
OF_ENTERPRISE = (RegistryKind.CERTIFICATIONS, RegistryKind.FINANCIALS)


def year_end(year: int) -> date:
    """The date a year's level is taken at."""
    return date(year, 12, 31)
