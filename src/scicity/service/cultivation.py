"""Cultivation use cases: enterprise facts from the registries, evaluation of every tier, pool, funnel, expiry watch.

The facts of an enterprise are read from the registries: its founding date,
its yearly figures, its certificates and — where the yearly figures leave the
IP counts empty — its patents valid at the year's end, found by holder name
(invention patents are class I, utility models and designs class II).
The projection of a tier's count lives in :mod:`scicity.service.cultivation_projection`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from scicity.domain.registries import (
    Certification,
    Enterprise,
    Financials,
    Patent,
    PatentType,
    RegistryKind,
    certificate_valid_at,
)
from scicity.domain.tier_eval import Status, TierResult, evaluate_year
from scicity.domain.tier_metrics import EnterpriseFacts
from scicity.domain.tier_rules import RuleBook
from scicity.ingest.tier_rules_file import load_rule_book
from scicity.store.db import Database
from scicity.store.registries import RegistryRepository

#: tiers whose count a plan indicator is (the demo seed plan's ids)
TIER_INDICATORS: dict[str, tuple[str, ...]] = {
    "tech_enterprises": ("tech_sme",),
    "high_tech_enterprises": ("high_tech",),
    "gazelle_enterprises": ("gazelle",),
    "unicorn_enterprises": ("unicorn", "potential_unicorn"),
}


def rule_book(extra: Sequence[Path] = ()) -> RuleBook:
    return load_rule_book(extra)


def facts_from(enterprises: Iterable[Enterprise], financials: Iterable[Financials],
               certifications: Iterable[Certification], patents: Iterable[Patent] = ()) -> list[EnterpriseFacts]:
    """One :class:`EnterpriseFacts` per enterprise; IP counts from patents where the figures leave them empty."""
    years: dict[str, dict[int, Financials]] = defaultdict(dict)
    for f in financials:
        years[f.credit_code][f.year] = f
    certs: dict[str, list[Certification]] = defaultdict(list)
    for c in certifications:
        certs[c.credit_code].append(c)
    by_holder: dict[str, list[Patent]] = defaultdict(list)
    for p in patents:
        if p.holder:
            by_holder[p.holder].append(p)
    out: list[EnterpriseFacts] = []
    for e in enterprises:
        own = by_holder.get(e.name_zh or "", []) + (by_holder.get(e.name_en or "", []) if e.name_en else [])
        # a kept patent registry also says "none": counts of 0 where the figures leave them empty
        figures = {y: _with_patents(f, own) for y, f in years.get(e.credit_code, {}).items()} if by_holder else \
            years.get(e.credit_code, {})
        out.append(EnterpriseFacts(e.credit_code, e.founded_on, figures, tuple(certs.get(e.credit_code, ())),
                                   e.name_zh or e.name_en, e.unit))
    return out


def _with_patents(f: Financials, patents: list[Patent]) -> Financials:
    if f.ip_class1 is not None and f.ip_class2 is not None:
        return f
    at = date(f.year, 12, 31)
    valid = [p for p in patents if p.valid_at(at)]
    one = sum(1 for p in valid if p.type is PatentType.INVENTION)
    two = len(valid) - one
    return replace(f, ip_class1=f.ip_class1 if f.ip_class1 is not None else one,
                   ip_class2=f.ip_class2 if f.ip_class2 is not None else two)


def load_facts(db: Database, units: Sequence[str] | None = None) -> list[EnterpriseFacts]:
    repo = RegistryRepository(db)
    return facts_from(repo.iter(RegistryKind.ENTERPRISES, units=units),  # type: ignore[arg-type]
                      repo.iter(RegistryKind.FINANCIALS, units=units),  # type: ignore[arg-type]
                      repo.iter(RegistryKind.CERTIFICATIONS, units=units),  # type: ignore[arg-type]
                      repo.iter(RegistryKind.PATENTS, units=units))  # type: ignore[arg-type]


def data_years(facts: Sequence[EnterpriseFacts]) -> list[int]:
    return sorted({y for f in facts for y in f.years})


@dataclass(frozen=True)
class Evaluation:
    """Every tier result of every enterprise for the years asked."""

    book: RuleBook
    facts: dict[str, EnterpriseFacts]
    results: dict[tuple[int, str], list[TierResult]]  # (year, tier) -> results

    def of(self, tier: str, year: int) -> list[TierResult]:
        return self.results.get((year, tier), [])

    def card(self, credit_code: str, year: int) -> list[TierResult]:
        facts = self.facts[credit_code]
        return evaluate_year(self.book, facts, year)

    @property
    def years(self) -> list[int]:
        return sorted({y for y, _t in self.results})


def evaluate_all(book: RuleBook, facts: Sequence[EnterpriseFacts], years: Sequence[int],
                 tiers: Sequence[str] | None = None) -> Evaluation:
    results: dict[tuple[int, str], list[TierResult]] = defaultdict(list)
    for f in facts:
        for year in years:
            for r in evaluate_year(book, f, year, list(tiers) if tiers else None):
                results[(year, r.tier)].append(r)
    return Evaluation(book, {f.credit_code: f for f in facts}, dict(results))


def pool(evaluation: Evaluation, tier: str, year: int, *, max_failing: int = 2, within: float = 0.5,
         unit: str | None = None, limit: int | None = None) -> list[TierResult]:
    """Near-qualifiers: not certified, failing at most ``max_failing`` criteria, each short by at most
    ``within`` of its threshold and closable; closest first."""
    out = [r for r in evaluation.of(tier, year)
           if not r.certified and r.outcome is Status.NOT_MET and 0 < len(r.failing()) <= max_failing
           and r.widest_gap <= within and (unit is None or r.unit == unit)]
    out.sort(key=lambda r: (r.distance, r.credit_code))
    return out[:limit] if limit else out


@dataclass(frozen=True)
class FunnelYear:
    year: int
    certified: dict[str, int]  # tier -> enterprises holding a valid certificate at the year's end
    qualifying: dict[str, int]  # tier -> enterprises the rules say qualify (certified or not)
    transitions: dict[tuple[str, str], int]  # (highest tier a year before, highest tier now) -> enterprises


NONE = "none"


def _highest(results: dict[str, TierResult], order: list[str]) -> str:
    best = NONE
    for tier in order:
        r = results.get(tier)
        if r is not None and (r.certified or r.qualifies):
            best = tier
    return best


def funnel(evaluation: Evaluation) -> list[FunnelYear]:
    order = evaluation.book.tiers()
    per: dict[int, dict[str, dict[str, TierResult]]] = defaultdict(lambda: defaultdict(dict))
    for (year, tier), results in evaluation.results.items():
        for r in results:
            per[year][r.credit_code][tier] = r
    out: list[FunnelYear] = []
    previous: dict[str, str] | None = None
    for year in sorted(per):
        highest = {code: _highest(rs, order) for code, rs in per[year].items()}
        certified = {t: sum(1 for r in evaluation.of(t, year) if r.certified) for t in order}
        qualifying = {t: sum(1 for r in evaluation.of(t, year) if r.certified or r.on_figures) for t in order}
        moves: dict[tuple[str, str], int] = defaultdict(int)
        if previous is not None:
            for code, now in highest.items():
                before = previous.get(code, NONE)
                if before != now:
                    moves[(before, now)] += 1
        out.append(FunnelYear(year, certified, qualifying, dict(moves)))
        previous = highest
    return out


@dataclass(frozen=True)
class Expiry:
    credit_code: str
    name: str | None
    unit: str | None
    certificate: Certification
    risk: str  # low | medium | high | unknown
    result: TierResult | None

    @property
    def reasons_en(self) -> list[str]:
        r = self.result
        if r is None:
            return ["no figures for the year"]
        return [f"{c.name_en}: {c.gap.en}" if c.gap else c.name_en for c in r.failing()] + \
            [f"{c.name_en}: missing {', '.join(c.missing)}" for c in r.criteria if c.status is Status.UNKNOWN]

    @property
    def reasons_zh(self) -> list[str]:
        r = self.result
        if r is None:
            return ["该年无数据"]
        return [f"{c.name_zh}：{c.gap.zh}" if c.gap else c.name_zh for c in r.failing()] + \
            [f"{c.name_zh}：缺少{'、'.join(c.missing)}" for c in r.criteria if c.status is Status.UNKNOWN]


RISK = {Status.MET: "low", Status.MANUAL: "medium", Status.UNKNOWN: "unknown", Status.NOT_MET: "high"}


def expiry_watch(evaluation: Evaluation, year: int, tier: str = "high_tech") -> list[Expiry]:
    """Certificates of ``tier`` valid at the end of ``year`` that end in ``year + 1``, with the renewal risk."""
    at, start, end = date(year, 12, 31), date(year + 1, 1, 1), date(year + 1, 12, 31)
    results = {r.credit_code: r for r in evaluation.of(tier, year)}
    out: list[Expiry] = []
    for code, facts in evaluation.facts.items():
        for c in facts.certificates:
            if c.kind != tier or c.valid_to is None or not (start <= c.valid_to <= end):
                continue
            if not certificate_valid_at(c.valid_from, c.valid_to, at):
                continue
            renewed = any(o.kind == tier and o.valid_from > c.valid_from for o in facts.certificates)
            if renewed:
                continue
            r = results.get(code)
            risk = "unknown" if r is None else RISK[r.outcome]
            out.append(Expiry(code, facts.name, facts.unit, c, risk, r))
    order = {"high": 0, "unknown": 1, "medium": 2, "low": 3}
    out.sort(key=lambda e: (order[e.risk], e.certificate.valid_to, e.credit_code))
    return out


_CACHE: dict[tuple[object, ...], Evaluation] = {}
CACHED = 4


def _last_batch(db: Database) -> tuple[object, ...]:
    """What identifies the registries' content: the newest import batch (the same in a copy of the database)."""
    from sqlalchemy import select

    from scicity.store.tables import ImportBatch

    with db.session() as session:
        row = session.execute(select(ImportBatch.id, ImportBatch.created_at, ImportBatch.file_name,
                                     ImportBatch.row_count).order_by(ImportBatch.id.desc()).limit(1)).first()
        return tuple(row) if row else (0,)


def evaluate_database(db: Database, years: Sequence[int] | None = None, *, extra_rules: Sequence[Path] = (),
                      units: Sequence[str] | None = None) -> Evaluation:
    """Every tier for every enterprise of the registries (all data years unless ``years``); kept per import."""
    key = (_last_batch(db), tuple(years or ()), tuple(map(str, extra_rules)), tuple(units or ()))
    found = _CACHE.get(key)
    if found is not None:
        return found
    facts = load_facts(db, units)
    wanted = list(years) if years else data_years(facts)
    evaluation = evaluate_all(rule_book(extra_rules), facts, wanted)
    if len(_CACHE) >= CACHED:  # a new import makes the old ones stale: drop the oldest
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[key] = evaluation
    return evaluation


def cached_evaluation(db: Database) -> Evaluation | None:
    """The evaluation of every data year if one was made since the last import (None: not yet)."""
    batch = _last_batch(db)
    for key, evaluation in _CACHE.items():
        if key[0] == batch and key[2:] == ((), ()) and len(evaluation.years) > 1:
            return evaluation
    return None
