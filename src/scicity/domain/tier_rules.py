"""The rules of the cultivation tiers as data: one version of one tier per rule file.

A rule file names its tier and version, the period it is in force, its source
and, for every criterion, the article it comes from. The criteria read
*metrics* of an enterprise's yearly figures (:mod:`scicity.domain.tier_metrics`)
and compare them with thresholds that always carry a unit. Scores (the
technology-based SME score, the high-tech innovation score) are bands of
metrics, also as data. See docs/cultivation.md for the format.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from scicity.domain.message import Msg


class Dimension(StrEnum):
    RATIO = "ratio"  # percent
    CNY = "cny"  # money in CNY, held as CNY 10,000
    USD = "usd"  # money in USD, held as USD 10,000
    PERSONS = "persons"
    YEARS = "years"
    COUNT = "count"
    POINTS = "points"
    FLAG = "flag"


#: unit written in a rule file -> (dimension, factor to the base unit of the dimension)
UNITS: dict[str, tuple[Dimension, float]] = {
    "%": (Dimension.RATIO, 1.0),
    "CNY": (Dimension.CNY, 1e-4), "CNY 10k": (Dimension.CNY, 1.0), "CNY m": (Dimension.CNY, 100.0),
    "CNY bn": (Dimension.CNY, 1e5),
    "USD": (Dimension.USD, 1e-4), "USD 10k": (Dimension.USD, 1.0), "USD m": (Dimension.USD, 100.0),
    "USD bn": (Dimension.USD, 1e5),
    "person": (Dimension.PERSONS, 1.0), "year": (Dimension.YEARS, 1.0), "count": (Dimension.COUNT, 1.0),
    "point": (Dimension.POINTS, 1.0),
}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Threshold(_Model):
    value: float
    unit: str = Field(description="one of the units of docs/cultivation.md: %, CNY m, USD m, person, year, …")

    @model_validator(mode="before")
    @classmethod
    def _unit_given(cls, data: object) -> object:
        if isinstance(data, dict) and "unit" not in data:
            raise ValueError(Msg('threshold {value} has no unit; write e.g. unit: "%" or unit: CNY m',
                                 value=repr(data.get("value"))))
        if not isinstance(data, dict):
            raise ValueError(Msg("a threshold is {{value: …, unit: …}}, found {found}", found=repr(data)))
        return data

    @property
    def dimension(self) -> Dimension:
        return UNITS[self.unit][0]

    @property
    def base(self) -> float:
        """The value in the base unit of its dimension (CNY 10,000, USD 10,000, percent, …)."""
        return self.value * UNITS[self.unit][1]

    def text(self) -> str:
        return f"{self.value:g} {self.unit}" if self.unit != "%" else f"{self.value:g} %"


class Bracket(_Model):
    """A threshold that applies while the bracketing metric is below ``below`` (the last has none)."""

    below: Threshold | None = None
    threshold: Threshold


class Band(_Model):
    """Points given when the metric is at least ``at_least`` (the last band, without one, takes the rest)."""

    at_least: Threshold | None = None
    points: float | tuple[float, float]

    @property
    def low(self) -> float:
        return self.points if isinstance(self.points, float | int) else self.points[0]

    @property
    def high(self) -> float:
        return self.points if isinstance(self.points, float | int) else self.points[1]


class BandedMetric(_Model):
    metric: str
    bands: list[Band]


class ScorePart(_Model):
    id: str
    name_zh: str
    name_en: str
    max: float
    best_of: list[BandedMetric] = []  # computable: the best of these metrics' bands
    expert: bool = False  # judged by experts: 0 … max
    must_score: bool = False  # the score fails when this part gives 0 points

    @model_validator(mode="after")
    def _one_way(self) -> ScorePart:
        if self.expert == bool(self.best_of):
            raise ValueError(Msg("score part {part}: give either best_of (computable) or expert: true", part=repr(self.id)))
        return self


class Score(_Model):
    name_zh: str
    name_en: str
    parts: list[ScorePart]

    @property
    def total(self) -> float:
        return sum(p.max for p in self.parts)


CriterionKind = Literal["threshold", "flag", "manual", "score", "tier_held", "any_of", "all_of"]
Comparator = Literal[">=", ">", "<=", "<"]


class Criterion(_Model):
    id: str
    name_zh: str
    name_en: str
    article: str
    kind: CriterionKind = "threshold"
    role: Literal["basic", "condition"] = "condition"
    metric: str | None = None
    comparator: Comparator | None = None
    threshold: Threshold | None = None
    brackets: list[Bracket] | None = None  # threshold chosen by the bracket metric
    bracket_on: str | None = None
    expect: bool | None = None  # flags: the value the flag must have
    score: str | None = None  # score criteria: the score's id in ``scores``
    tier: str | None = None  # tier_held: the tier whose title is a prerequisite
    any_of: list[Criterion] | None = None
    all_of: list[Criterion] | None = None

    @model_validator(mode="after")
    def _fields_of_kind(self) -> Criterion:
        need = {
            "threshold": ("metric", "comparator"), "flag": ("metric", "expect"), "manual": (),
            "score": ("score", "comparator", "threshold"), "tier_held": ("tier",), "any_of": ("any_of",), "all_of": ("all_of",),
        }[self.kind]
        missing = [name for name in need if getattr(self, name) is None]
        if missing:
            raise ValueError(Msg("criterion {id} ({kind}) needs {keys}", id=repr(self.id), kind=self.kind,
                                 keys=", ".join(missing)))
        if self.kind == "threshold" and (self.threshold is None) == (self.brackets is None):
            raise ValueError(Msg("criterion {id}: give a threshold or brackets (with bracket_on), not both", id=repr(self.id)))
        if self.brackets is not None and self.bracket_on is None:
            raise ValueError(Msg("criterion {id}: brackets need bracket_on (the metric that picks the bracket)",
                                 id=repr(self.id)))
        return self

    def children(self) -> list[Criterion]:
        return [*(self.any_of or ()), *(self.all_of or ())]

    def thresholds(self) -> list[Threshold]:
        out = [self.threshold] if self.threshold else []
        for b in self.brackets or ():
            out.append(b.threshold)
        return out


class RuleVersion(_Model):
    """One version of one tier's rules, in force from ``effective_from`` to ``effective_to`` (inclusive)."""

    tier: str
    version: str
    rank: int = Field(description="position on the ladder: 1 technology-based SME … 6 unicorn")
    name_zh: str
    name_en: str
    effective_from: date
    effective_to: date | None = None
    source: str
    url: str | None = None
    note: str | None = None
    certificate_years: int | None = None
    criteria: list[Criterion]
    routes: list[Criterion] = []  # direct qualification: any one, with the basic criteria
    scores: dict[str, Score] = {}

    def in_force(self, at: date) -> bool:
        return self.effective_from <= at and (self.effective_to is None or at <= self.effective_to)

    def period(self) -> str:
        end = self.effective_to.isoformat() if self.effective_to else "…"
        return f"{self.effective_from.isoformat()} – {end}"


class RuleBook(_Model):
    """Every version of every tier; picks the version in force for a year."""

    versions: tuple[RuleVersion, ...]

    def tiers(self) -> list[str]:
        seen: dict[str, int] = {}
        for v in self.versions:
            seen.setdefault(v.tier, v.rank)
        return sorted(seen, key=lambda t: (seen[t], t))

    def of(self, tier: str) -> list[RuleVersion]:
        return sorted((v for v in self.versions if v.tier == tier), key=lambda v: v.effective_from)

    def for_year(self, tier: str, year: int) -> RuleVersion | None:
        """The version in force at the end of ``year`` (the date a year's figures are judged at)."""
        at = date(year, 12, 31)
        for v in self.of(tier):
            if v.in_force(at):
                return v
        return None
