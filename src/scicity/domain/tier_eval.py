"""Judge an enterprise against a tier's rules for one year: every criterion, the scores, the routes, the gaps.

A criterion is *met*, *not met*, *unknown* (a figure is missing; the result
names it) or *manual review* (an expert must judge it), always with the
actual value, the threshold and the article. A tier is qualified when every
criterion is met, or — where the rules have direct-qualification routes —
when a route and the basic criteria are met. Scores give a range: the
computable parts exactly, the expert parts from 0 to their maximum.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from scicity.domain.tier_metrics import METRICS, EnterpriseFacts, Gap, Reading, gap
from scicity.domain.tier_rules import Criterion, RuleBook, RuleVersion, Score, Threshold


class Status(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    UNKNOWN = "unknown"
    MANUAL = "manual_review"


def combine(statuses: list[Status]) -> Status:
    """All of them: one not met fails; else a missing figure makes it unknown; else an expert decides."""
    for s in (Status.NOT_MET, Status.UNKNOWN, Status.MANUAL):
        if s in statuses:
            return s
    return Status.MET


def any_of(statuses: list[Status]) -> Status:
    for s in (Status.MET, Status.MANUAL, Status.UNKNOWN):
        if s in statuses:
            return s
    return Status.NOT_MET


@dataclass(slots=True)
class PartResult:
    id: str
    name_en: str
    name_zh: str
    max: float
    low: float
    high: float
    expert: bool = False
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class ScoreResult:
    id: str
    name_en: str
    name_zh: str
    total: float
    parts: tuple[PartResult, ...]

    @property
    def low(self) -> float:
        return sum(p.low for p in self.parts)

    @property
    def high(self) -> float:
        return sum(p.high for p in self.parts)

    @property
    def computed(self) -> float:
        """The points of the computable parts (their lower bound where a figure is missing)."""
        return sum(p.low for p in self.parts if not p.expert)

    @property
    def expert_max(self) -> float:
        return sum(p.max for p in self.parts if p.expert)


@dataclass(slots=True)
class CriterionResult:
    id: str
    name_en: str
    name_zh: str
    article: str
    kind: str
    status: Status
    role: str = "condition"
    actual: float | None = None
    comparator: str | None = None
    threshold: str | None = None
    dimension: str | None = None
    missing: tuple[str, ...] = ()
    gap: Gap | None = None
    score: ScoreResult | None = None
    parts: tuple[CriterionResult, ...] = ()


class OutcomeReading:
    """What an outcome means for the office, for any record with an ``outcome`` (a full result or an engine row)."""

    __slots__ = ()
    outcome: Status

    @property
    def qualifies(self) -> bool:
        return self.outcome is Status.MET

    @property
    def on_figures(self) -> bool:
        """Qualifies as far as the figures tell (what is left needs an expert)."""
        return self.outcome in (Status.MET, Status.MANUAL)


@dataclass(frozen=True)
class TierResult(OutcomeReading):
    credit_code: str
    tier: str
    year: int
    version: str
    name_en: str
    name_zh: str
    outcome: Status
    criteria: tuple[CriterionResult, ...]
    routes: tuple[CriterionResult, ...] = ()
    route_used: str | None = None
    certified: bool = False  # holds a valid certificate of this tier at the year's end
    enterprise: str | None = None
    unit: str | None = None
    source: str = ""

    def failing(self) -> list[CriterionResult]:
        return [c for c in self.criteria if c.status is Status.NOT_MET]

    def gaps(self) -> list[Gap]:
        return [c.gap for c in self.failing() if c.gap is not None]

    @property
    def distance(self) -> float:
        """Rank in the pool: failing criteria first, then their relative shortfall; unreachable at the end."""
        failing = self.failing()
        if any(c.gap is None or not c.gap.reachable for c in failing):
            return 1e9
        return len(failing) + sum(min(c.gap.relative, 1.0) for c in failing if c.gap)  # type: ignore[union-attr]

    @property
    def widest_gap(self) -> float:
        """The largest relative shortfall of a failing criterion (1 when one cannot be closed)."""
        failing = self.failing()
        if not failing:
            return 0.0
        return max(1.0 if c.gap is None or not c.gap.reachable else c.gap.relative for c in failing)


Held = Mapping[str, Status]


def _compare(actual: float, comparator: str, target: float) -> bool:
    eps = 1e-9 * max(1.0, abs(target))
    return {">=": actual >= target - eps, ">": actual > target + eps,
            "<=": actual <= target + eps, "<": actual < target - eps}[comparator]


def _read(metric: str, facts: EnterpriseFacts, year: int) -> Reading:
    return facts.read(metric, year)


def _threshold_of(c: Criterion, facts: EnterpriseFacts, year: int) -> tuple[Threshold | None, tuple[str, ...]]:
    if c.threshold is not None:
        return c.threshold, ()
    on = _read(c.bracket_on or "", facts, year)
    if on.value is None:
        return None, on.missing
    for b in c.brackets or ():
        if b.below is None or on.value < b.below.base:
            return b.threshold, ()
    return None, ()


def _criterion(c: Criterion, rule: RuleVersion, facts: EnterpriseFacts, year: int, held: Held) -> CriterionResult:
    base = {"id": c.id, "name_en": c.name_en, "name_zh": c.name_zh, "article": c.article, "kind": c.kind,
            "role": c.role}
    if c.kind == "manual":
        return CriterionResult(**base, status=Status.MANUAL)
    if c.kind == "any_of":
        parts = tuple(_criterion(p, rule, facts, year, held) for p in c.any_of or ())
        status = any_of([p.status for p in parts])
        best_gap = min((p.gap for p in parts if p.gap is not None and p.gap.reachable),
                       key=lambda g: g.relative, default=None)
        return CriterionResult(**base, status=status, parts=parts, gap=best_gap if status is Status.NOT_MET else None)
    if c.kind == "all_of":
        parts = tuple(_criterion(p, rule, facts, year, held) for p in c.all_of or ())
        status = combine([p.status for p in parts])
        failing = [p.gap for p in parts if p.status is Status.NOT_MET]
        joined = None
        if failing and all(g is not None for g in failing):
            gs = [g for g in failing if g is not None]
            joined = Gap(len(gs), "steps", " and ".join(g.en for g in gs), "且".join(g.zh for g in gs),
                         sum(g.relative for g in gs), all(g.reachable for g in gs))
        return CriterionResult(**base, status=status, parts=parts, gap=joined)
    if c.kind == "tier_held":
        at = date(year, 12, 31)
        if facts.holds(c.tier or "", at):
            return CriterionResult(**base, status=Status.MET, actual=1.0, threshold=c.tier)
        judged = held.get(c.tier or "")
        status = Status.NOT_MET if judged is None else judged
        return CriterionResult(**base, status=status, actual=0.0, threshold=c.tier,
                               gap=Gap(1, "title", f"first meet: {c.name_en}", f"须先满足：{c.name_zh}", 1.0)
                               if status is Status.NOT_MET else None)
    if c.kind == "flag":
        r = _read(c.metric or "", facts, year)
        if r.value is None:
            return CriterionResult(**base, status=Status.UNKNOWN, missing=r.missing, threshold=str(c.expect).lower())
        ok = bool(r.value) == c.expect
        return CriterionResult(**base, status=Status.MET if ok else Status.NOT_MET, actual=r.value,
                               threshold=str(c.expect).lower(), dimension="flag",
                               gap=None if ok else Gap(1, "flag", "cannot be changed by figures; the office must "
                                                       "check the record", "无法通过指标改变；请核实记录", 1.0,
                                                       reachable=False))
    if c.kind == "score":
        score = rule.scores[c.score or ""]
        result = score_of(c.score or "", score, facts, year)
        assert c.threshold is not None and c.comparator is not None
        status = _score_status(result, score, c.comparator, c.threshold.base)
        g = _score_gap(result, score, facts, year, c.comparator, c.threshold.base) if status is Status.NOT_MET else None
        return CriterionResult(**base, status=status, actual=result.low, comparator=c.comparator,
                               threshold=c.threshold.text(), dimension="points", score=result, gap=g,
                               missing=tuple(m for p in result.parts for m in p.missing))
    # threshold
    metric = METRICS[c.metric or ""]
    r = facts.read(metric.name, year)
    limit, bracket_missing = _threshold_of(c, facts, year)
    missing = r.missing + bracket_missing
    shown = limit.text() if limit else None
    if r.value is None or limit is None:
        return CriterionResult(**base, status=Status.UNKNOWN, actual=r.value, comparator=c.comparator,
                               threshold=shown, missing=missing, dimension=metric.dimension.value)
    ok = _compare(r.value, c.comparator or ">=", limit.base)
    g = None if ok else gap(metric, facts, year, c.comparator or ">=", r.value, limit.base)
    return CriterionResult(**base, status=Status.MET if ok else Status.NOT_MET, actual=r.value,
                           comparator=c.comparator, threshold=shown, dimension=metric.dimension.value, gap=g)


def _band_points(bands: list, value: float) -> tuple[float, float]:
    for band in bands:
        if band.at_least is None or value >= band.at_least.base - 1e-9:
            return band.low, band.high
    return 0.0, 0.0


def score_of(score_id: str, score: Score, facts: EnterpriseFacts, year: int) -> ScoreResult:
    parts: list[PartResult] = []
    for p in score.parts:
        if p.expert:
            parts.append(PartResult(p.id, p.name_en, p.name_zh, p.max, 0.0, p.max, expert=True))
            continue
        low = high = 0.0
        missing: list[str] = []
        for option in p.best_of:
            r = _read(option.metric, facts, year)
            if r.value is None:
                missing.extend(r.missing)
                continue
            lo, hi = _band_points(option.bands, r.value)
            low, high = max(low, lo), max(high, hi)
        if missing and high < p.max:
            high = p.max  # a missing figure could give the part's maximum
        parts.append(PartResult(p.id, p.name_en, p.name_zh, p.max, low, high, missing=tuple(dict.fromkeys(missing))))
    return ScoreResult(score_id, score.name_en, score.name_zh, score.total, tuple(parts))


def _score_status(result: ScoreResult, score: Score, comparator: str, target: float) -> Status:
    spec = {p.id: p for p in score.parts}
    must = [r for r in result.parts if spec[r.id].must_score]
    if any(r.high == 0 for r in must):
        return Status.NOT_MET
    sure = _compare(result.low, comparator, target) and all(r.low > 0 for r in must)
    if sure:
        return Status.MET
    if not _compare(result.high, comparator, target):
        return Status.NOT_MET
    data_missing = any(r.missing for r in result.parts)
    return Status.UNKNOWN if data_missing else Status.MANUAL


def _score_gap(result: ScoreResult, score: Score, facts: EnterpriseFacts, year: int, comparator: str,
               target: float) -> Gap:
    """Points short, and for each computable part the figures that would reach a band giving enough points."""
    short = target - result.high + (1.0 if comparator == ">" else 0.0)
    spec = {p.id: p for p in score.parts}
    must = [r for r in result.parts if spec[r.id].must_score and r.high == 0]
    options_en: list[str] = []
    options_zh: list[str] = []
    for r in result.parts:
        part = spec[r.id]
        if part.expert:
            continue
        needed = r.high + short if not must else (0.0 if r not in must else 1e-9)
        if must and r not in must:
            continue
        for option in part.best_of:
            reading = _read(option.metric, facts, year)
            if reading.value is None:
                continue
            band = next((b for b in reversed(option.bands) if b.at_least is not None and b.low >= needed), None)
            if band is None or band.at_least is None:
                continue
            g = gap(METRICS[option.metric], facts, year, ">=", reading.value, band.at_least.base)
            options_en.append(g.en)
            options_zh.append(g.zh)
    points = max(short, 0.0)
    lead_en = "a 0-point part must score" if must else f"{points:g} points short"
    lead_zh = "得分为0的必备项须得分" if must else f"还差{points:g}分"
    en = f"{lead_en}: " + (" or ".join(options_en) if options_en else "no single figure closes it")
    zh = f"{lead_zh}：" + ("或".join(options_zh) if options_zh else "单项指标无法弥补")
    return Gap(points, "point", en, zh, points / target if target else 1.0, reachable=bool(options_en))


def evaluate(rule: RuleVersion, facts: EnterpriseFacts, year: int, held: Held | None = None) -> TierResult:
    """The tier result of ``facts`` in ``year`` under ``rule``; ``held`` gives the outcomes of prerequisite tiers."""
    held = held or {}
    criteria = tuple(_criterion(c, rule, facts, year, held) for c in rule.criteria)
    routes = tuple(_criterion(c, rule, facts, year, held) for c in rule.routes)
    outcome = combine([c.status for c in criteria])
    used = None
    if routes and outcome is not Status.MET:
        met = [r for r in routes if r.status is Status.MET]
        basic = combine([c.status for c in criteria if c.role == "basic"])
        if met and basic is Status.MET:
            outcome, used = Status.MET, met[0].id
        elif met and basic in (Status.UNKNOWN, Status.MANUAL):
            outcome = basic
    return TierResult(facts.credit_code, rule.tier, year, rule.version, rule.name_en, rule.name_zh, outcome,
                      criteria, routes, used, facts.holds(rule.tier, date(year, 12, 31)), facts.name, facts.unit,
                      rule.source)


def evaluate_year(book: RuleBook, facts: EnterpriseFacts, year: int, tiers: list[str] | None = None) -> list[TierResult]:
    """Every tier in force in ``year`` (in ladder order, so that prerequisites are judged first)."""
    held: dict[str, Status] = {}
    out: list[TierResult] = []
    wanted = set(tiers) if tiers else None
    for tier in book.tiers():
        rule = book.for_year(tier, year)
        if rule is None:
            continue
        result = evaluate(rule, facts, year, held)
        held[tier] = Status.MET if result.certified else result.outcome
        if wanted is None or tier in wanted:
            out.append(result)
    return out

