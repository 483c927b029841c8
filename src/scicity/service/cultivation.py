"""Cultivation use cases: enterprise facts from the registries, evaluation of every tier, pool, funnel, expiry watch.

The facts of an enterprise are read from the registries: its founding date,
its yearly figures, its certificates and — where the yearly figures leave the
IP counts empty — its patents valid at the year's end, found by holder name
(invention patents are class I, utility models and designs class II).
The projection of a tier's count lives in :mod:`scicity.service.cultivation_projection`.
"""

from __future__ import annotations

import threading
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import date
from operator import attrgetter
from pathlib import Path
from typing import Any, TypeVar

from scicity.domain.registries import (
    Certification,
    Enterprise,
    Financials,
    Patent,
    PatentType,
    RegistryKind,
    certificate_valid_at,
)
from scicity.domain.tier_eval import OutcomeReading, Status, TierResult, evaluate, evaluate_year
from scicity.domain.tier_metrics import EnterpriseFacts
from scicity.domain.tier_rules import RuleBook
from scicity.engine.cache_file import keep_text
from scicity.ingest.tier_rules_file import load_rule_book
from scicity.service.cultivation_views import missing_text
from scicity.service.gc_pause import no_gc_pauses
from scicity.service.tier_indicators import TIER_INDICATORS, registry_version
from scicity.store.db import Database
from scicity.store.registries import RegistryRepository

T = TypeVar("T")

_BOOKS: dict[tuple[tuple[str, float, int], ...], RuleBook] = {}


def rule_book(extra: Sequence[Path] = (), *, cache_dir: Path | None = None) -> RuleBook:
    """The rule book of the packaged files and ``extra``, read again only when a file changed; with
    ``cache_dir``, the checked book is also kept there as JSON for the next process (parsing the YAML with
    its line numbers costs more than the rest of a small zone's evaluation)."""
    from scicity.ingest.tier_rule_sources import rule_files

    files = rule_files(extra)
    try:
        key = tuple((str(f), f.stat().st_mtime, f.stat().st_size) for f in files)
    except OSError:
        return load_rule_book(extra)  # a file went missing: let the loader name it
    found = _BOOKS.get(key)
    if found is None:
        file = cache_dir / f"tier-rules-{_book_stamp(key)}.json" if cache_dir is not None else None
        found = _read_book(file) if file is not None else None
        if found is None:
            found = load_rule_book(extra)
            if file is not None:
                keep_text(file, found.model_dump_json())
        if len(_BOOKS) > 16:
            _BOOKS.clear()
        _BOOKS[key] = found
    return found


def _book_stamp(key: tuple[tuple[str, float, int], ...]) -> str:
    """The files (path, time, size) and the code that reads and checks them."""
    import hashlib

    import scicity.domain.tier_rules as model
    import scicity.ingest.tier_rules_file as loader

    code = "".join(Path(m.__file__ or "").read_text(encoding="utf-8") for m in (model, loader))
    return hashlib.sha256((repr(key) + code).encode()).hexdigest()[:32]


def _read_book(file: Path) -> RuleBook | None:
    try:
        return RuleBook.model_validate_json(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


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
    one = two = 0
    for p in patents:
        if p.valid_at(at):
            if p.type is PatentType.INVENTION:
                one += 1
            else:
                two += 1
    return _with_counts(f, one if f.ip_class1 is None else f.ip_class1, two if f.ip_class2 is None else f.ip_class2)


_FINANCIAL_FIELDS = tuple(f.name for f in fields(Financials))
_financial_values = attrgetter(*_FINANCIAL_FIELDS)


def _with_counts(f: Financials, ip_class1: int, ip_class2: int) -> Financials:
    """``f`` with these IP counts: a copy made slot by slot (``dataclasses.replace`` would check the record again,
    at seven times the cost, for each of a zone's enterprise-years)."""
    out = object.__new__(Financials)
    for name, value in zip(_FINANCIAL_FIELDS, _financial_values(f)):
        object.__setattr__(out, name, value)
    object.__setattr__(out, "ip_class1", ip_class1)
    object.__setattr__(out, "ip_class2", ip_class2)
    return out


def load_facts(db: Database, units: Sequence[str] | None = None) -> list[EnterpriseFacts]:
    repo = RegistryRepository(db)
    return facts_from(repo.iter(RegistryKind.ENTERPRISES, units=units),  # type: ignore[arg-type]
                      repo.iter(RegistryKind.FINANCIALS, units=units),  # type: ignore[arg-type]
                      repo.iter(RegistryKind.CERTIFICATIONS, units=units),  # type: ignore[arg-type]
                      repo.iter(RegistryKind.PATENTS, units=units))  # type: ignore[arg-type]


def data_years(facts: Sequence[EnterpriseFacts]) -> list[int]:
    return sorted({y for f in facts for y in f.years})


@dataclass(frozen=True, slots=True)
class Outcome(OutcomeReading):
    """A tier's outcome for one enterprise and year, as the engine gives it (no criteria: see
    :meth:`Evaluation.full`)."""

    credit_code: str
    tier: str
    year: int
    outcome: Status
    certified: bool
    failing_count: int
    enterprise: str | None = None
    unit: str | None = None


class Evaluation:
    """Every tier outcome of every enterprise for the years asked; full results (criteria, gaps) on demand.

    Outcomes come from the tier engine (:func:`scicity.engine.registry.tier_duckdb.run_in_memory`, the rules compiled
    through Ibis) or from the plain-Python evaluation; a full result is always the Python evaluation of one
    enterprise, tier and year, with the prerequisite tiers as the outcomes say — one rule semantics.
    """

    def __init__(self, book: RuleBook, facts: dict[str, EnterpriseFacts],
                 outcomes: dict[tuple[int, str], list[Outcome]], engine: str = "python", *,
                 shared: Evaluation | None = None) -> None:
        self.book = book
        self.facts = facts
        self.outcomes = outcomes
        self.engine = engine
        self._views: dict[frozenset[int], Evaluation] = {}
        if shared is not None:  # a view of some years: the whole one's index, full results and pools
            self._full, self._lock, self._index, self._pools = shared._full, shared._lock, shared._index, shared._pools
            return
        self._pools: dict[tuple[object, ...], list[TierResult]] = {}
        self._full: dict[tuple[str, str, int], TierResult] = {}
        self._lock = threading.Lock()
        self._index: dict[tuple[str, int], dict[str, Outcome]] = defaultdict(dict)
        for rows in outcomes.values():
            for o in rows:
                self._index[(o.credit_code, o.year)][o.tier] = o

    def of(self, tier: str, year: int) -> list[Outcome]:
        return self.outcomes.get((year, tier), [])

    def outcome(self, credit_code: str, tier: str, year: int) -> Outcome | None:
        return self._index.get((credit_code, year), {}).get(tier)

    def full(self, credit_code: str, tier: str, year: int) -> TierResult | None:
        """The Python evaluation of one enterprise, tier and year (kept), or None when no rules are in force."""
        key = (credit_code, tier, year)
        with self._lock:
            found = self._full.get(key)
        if found is not None:
            return found
        rule = self.book.for_year(tier, year)
        facts = self.facts.get(credit_code)
        if rule is None or facts is None:
            return None
        held = {t: Status.MET if o.certified else o.outcome for t, o in self._index.get((credit_code, year), {}).items()
                if t != tier}
        result = evaluate(rule, facts, year, held)
        with self._lock:
            self._full[key] = result
        return result

    def results(self, tier: str, year: int) -> list[TierResult]:
        """Full results of every enterprise for a tier and year (the Python evaluation of each: slow for many)."""
        out = [self.full(o.credit_code, tier, year) for o in self.of(tier, year)]
        return [r for r in out if r is not None]

    def only(self, years: Sequence[int]) -> Evaluation:
        """The same evaluation for some of its years (full results shared)."""
        keep = set(years)
        with self._lock:
            found = self._views.get(frozenset(keep))
        if found is not None:
            return found
        view = Evaluation(self.book, self.facts, {k: v for k, v in self.outcomes.items() if k[0] in keep},
                          self.engine, shared=self)
        with self._lock:
            self._views[frozenset(keep)] = view
        return view

    def card(self, credit_code: str, year: int) -> list[TierResult]:
        facts = self.facts[credit_code]
        return evaluate_year(self.book, facts, year)

    @property
    def years(self) -> list[int]:
        return sorted({y for y, _t in self.outcomes})


def _outcomes_python(book: RuleBook, facts: Sequence[EnterpriseFacts], years: Sequence[int],
                     tiers: Sequence[str] | None) -> tuple[dict[tuple[int, str], list[Outcome]],
                                                           dict[tuple[str, str, int], TierResult]]:
    outcomes: dict[tuple[int, str], list[Outcome]] = defaultdict(list)
    full: dict[tuple[str, str, int], TierResult] = {}
    for f in facts:
        for year in years:
            for r in evaluate_year(book, f, year, list(tiers) if tiers else None):
                outcomes[(year, r.tier)].append(Outcome(r.credit_code, r.tier, year, r.outcome, r.certified,
                                                        len(r.failing()), r.enterprise, r.unit))
                full[(r.credit_code, r.tier, year)] = r
    return dict(outcomes), full


def evaluate_all(book: RuleBook, facts: Sequence[EnterpriseFacts], years: Sequence[int],
                 tiers: Sequence[str] | None = None, *, engine: str = "duckdb",
                 cache_dir: Path | None = None) -> Evaluation:
    """Every tier of every enterprise in ``years``: outcomes from the tier engine (``engine="duckdb"``) or from
    the plain-Python reference (``engine="python"``, which also keeps every full result)."""
    if engine == "python" or not facts or not years:
        outcomes, full = _outcomes_python(book, facts, years, tiers)
        evaluation = Evaluation(book, {f.credit_code: f for f in facts}, outcomes, "python")
        evaluation._full.update(full)
        return evaluation
    from scicity.engine.registry.tier_duckdb import run_in_memory

    table = run_in_memory(book, engine_tables(facts, years), cache_dir=cache_dir)
    wanted = set(tiers) if tiers else set(book.tiers())
    by_code = {f.credit_code: f for f in facts}
    data = {name: table.column(name).to_pylist() for name in table.column_names}
    statuses = {0: Status.MET, 1: Status.MANUAL, 2: Status.UNKNOWN, 3: Status.NOT_MET}
    keep = set(years)
    codes, row_years = data["credit_code"], [int(y) for y in data["year"]]
    place = {f.credit_code: n for n, f in enumerate(facts)}
    # the order of the Python evaluation: enterprises as loaded (each is once in a year's list of a tier)
    rows = sorted((i for i, y in enumerate(row_years) if y in keep), key=lambda i: place[codes[i]])
    named = [(codes[i], row_years[i], by_code[codes[i]]) for i in rows]
    outcomes: dict[tuple[int, str], list[Outcome]] = defaultdict(list)
    for tier in (t for t in book.tiers() if t in wanted):
        judged, held, failing = data[f"outcome_{tier}"], data[f"certified_{tier}"], data[f"failing_{tier}"]
        for i, (code, year, f) in zip(rows, named):
            value = judged[i]
            if value is not None:
                outcomes[(year, tier)].append(Outcome(code, tier, year, statuses[int(value)], bool(held[i]),
                                                      int(failing[i] or 0), f.name, f.unit))
    return Evaluation(book, by_code, dict(outcomes), "duckdb")


_NUMBERS = ("employees", "st_staff", "revenue", "total_costs", "total_assets", "net_assets", "rd_expenditure",
            "rd_domestic_share", "hightech_revenue", "main_revenue", "debt_ratio", "new_equity", "conversions",
            "ip_class1", "ip_class2", "valuation_usd", "financing_usd")
_FLAGS = ("listed", "major_incident", "dishonest", "restricted_industry", "national_award",
          "provincial_rd_institution", "led_standard")


def engine_tables(facts: Sequence[EnterpriseFacts], years: Sequence[int]) -> dict[str, Any]:
    """The facts as the tier engine's three Arrow tables (IP counts as the facts hold them, patents counted in),
    built column by column.

    Every enterprise gets a row for each of ``years`` — empty where it has no figures — so that, as in the
    Python evaluation, it is judged (unknown, certified) in a year it reported nothing for.
    """
    import pyarrow as pa

    from scicity.engine.registry.tier_sample import arrow_schemas

    schemas = arrow_schemas()
    ent_code, founded = [], []
    fin: dict[str, list[Any]] = {name: [] for name in ("credit_code", "year", *_NUMBERS, *_FLAGS)}
    cert: dict[str, list[Any]] = {name: [] for name in ("credit_code", "kind", "valid_from", "valid_to")}
    numbers, flags = attrgetter(*_NUMBERS), attrgetter(*_FLAGS)
    number_rows: list[tuple[Any, ...]] = []
    flag_rows: list[tuple[Any, ...]] = []
    blank_numbers, blank_flags = (None,) * len(_NUMBERS), (None,) * len(_FLAGS)
    for f in facts:
        ent_code.append(f.credit_code)
        founded.append(f.founded_on)
        for y, r in f.years.items():
            fin["credit_code"].append(f.credit_code)
            fin["year"].append(y)
            number_rows.append(numbers(r))
            flag_rows.append(flags(r))
        empty = [y for y in years if y not in f.years]
        if empty:
            fin["credit_code"].extend([f.credit_code] * len(empty))
            fin["year"].extend(empty)
            number_rows.extend([blank_numbers] * len(empty))
            flag_rows.extend([blank_flags] * len(empty))
        for c in f.certificates:
            cert["credit_code"].append(c.credit_code)
            cert["kind"].append(c.kind)
            cert["valid_from"].append(c.valid_from)
            cert["valid_to"].append(c.valid_to)

    if number_rows:  # rows to columns; the engine's number columns are float64 (an int count becomes a float)
        for name, column in zip(_NUMBERS, zip(*number_rows)):
            fin[name] = [None if v is None else float(v) for v in column]
        for name, column in zip(_FLAGS, zip(*flag_rows)):
            fin[name] = list(column)

    def table(name: str, columns: dict[str, list[Any]]) -> Any:
        schema = schemas[name]
        return pa.table([pa.array(columns.get(field.name, [None] * len(ent_code)), type=field.type)
                         for field in schema], schema=schema)

    return {"enterprises": table("enterprises", {"credit_code": ent_code, "founded_on": founded}),
            "enterprise_financials": table("enterprise_financials", fin),
            "certifications": table("certifications", cert)}


def pool(evaluation: Evaluation, tier: str, year: int, *, max_failing: int = 2, within: float = 0.5,
         unit: str | None = None, limit: int | None = None) -> list[TierResult]:
    """Near-qualifiers: not certified, failing at most ``max_failing`` criteria, each short by at most
    ``within`` of its threshold and closable; closest first.

    The outcomes pick the candidates (not met, 1 to ``max_failing`` criteria failing); only those are
    evaluated in full for their gaps.
    """
    key = (tier, year, max_failing, within, unit)
    kept = evaluation._pools.get(key)
    if kept is not None:
        return kept[:limit] if limit else list(kept)
    out = []
    with no_gc_pauses():  # thousands of small acyclic results: see scicity.service.gc_pause
        for o in evaluation.of(tier, year):
            if o.certified or o.outcome is not Status.NOT_MET or not 0 < o.failing_count <= max_failing:
                continue
            if unit is not None and o.unit != unit:
                continue
            r = evaluation.full(o.credit_code, tier, year)
            if r is not None and 0 < len(r.failing()) <= max_failing and r.widest_gap <= within:
                out.append(r)
    out.sort(key=lambda r: (r.distance, r.credit_code))
    evaluation._pools[key] = out
    return out[:limit] if limit else list(out)


def pool_size(evaluation: Evaluation, tier: str, year: int, **kwargs: object) -> int:
    return len(pool(evaluation, tier, year, **kwargs))  # type: ignore[arg-type]


@dataclass(frozen=True)
class FunnelYear:
    year: int
    certified: dict[str, int]  # tier -> enterprises holding a valid certificate at the year's end
    qualifying: dict[str, int]  # tier -> enterprises the rules say qualify (certified or not)
    transitions: dict[tuple[str, str], int]  # (highest tier a year before, highest tier now) -> enterprises


NONE = "none"


def _highest(results: dict[str, Outcome], order: list[str]) -> str:
    best = NONE
    for tier in order:
        r = results.get(tier)
        if r is not None and (r.certified or r.qualifies):
            best = tier
    return best


def funnel(evaluation: Evaluation) -> list[FunnelYear]:
    """Counts and moves per year (kept with the evaluation)."""
    key = ("funnel", tuple(evaluation.years))
    kept = evaluation._pools.get(key)
    if kept is None:
        kept = evaluation._pools[key] = _funnel(evaluation)  # type: ignore[assignment]
    return list(kept)  # type: ignore[arg-type]


def _funnel(evaluation: Evaluation) -> list[FunnelYear]:
    order = evaluation.book.tiers()
    per: dict[int, dict[str, dict[str, Outcome]]] = defaultdict(lambda: defaultdict(dict))
    for (year, tier), results in evaluation.outcomes.items():
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
            [f"{c.name_en}: missing {', '.join(missing_text(c.missing, 'en'))}" for c in r.criteria
             if c.status is Status.UNKNOWN]

    @property
    def reasons_zh(self) -> list[str]:
        r = self.result
        if r is None:
            return ["该年无数据"]
        return [f"{c.name_zh}：{c.gap.zh}" if c.gap else c.name_zh for c in r.failing()] + \
            [f"{c.name_zh}：缺少{'、'.join(missing_text(c.missing, 'zh'))}" for c in r.criteria
             if c.status is Status.UNKNOWN]


RISK = {Status.MET: "low", Status.MANUAL: "medium", Status.UNKNOWN: "unknown", Status.NOT_MET: "high"}


def expiry_watch(evaluation: Evaluation, year: int, tier: str = "high_tech") -> list[Expiry]:
    """Certificates of ``tier`` valid at the end of ``year`` that end in ``year + 1``, with the renewal risk."""
    at, start, end = date(year, 12, 31), date(year + 1, 1, 1), date(year + 1, 12, 31)
    present = {o.credit_code for o in evaluation.of(tier, year)}
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
            r = evaluation.full(code, tier, year) if code in present else None
            risk = "unknown" if r is None else RISK[r.outcome]
            out.append(Expiry(code, facts.name, facts.unit, c, risk, r))
    order = {"high": 0, "unknown": 1, "medium": 2, "low": 3}
    out.sort(key=lambda e: (order[e.risk], e.certificate.valid_to, e.credit_code))
    return out


# -- kept per registry version, one computation at a time -----------------------------------------------------


@dataclass
class _Slot:
    lock: threading.Lock
    value: object = None


_CACHE: OrderedDict[tuple[object, ...], _Slot] = OrderedDict()
_CACHE_LOCK = threading.Lock()
CACHED = 8


def _single_flight(key: tuple[object, ...], compute: Callable[[], T]) -> T:
    """``compute()`` once per key: concurrent callers of the same key wait for the one computation."""
    with _CACHE_LOCK:
        slot = _CACHE.get(key)
        if slot is None:
            slot = _CACHE[key] = _Slot(threading.Lock())
            while len(_CACHE) > CACHED:  # a write makes the old versions stale: drop the oldest
                _CACHE.popitem(last=False)
        else:
            _CACHE.move_to_end(key)
    with slot.lock:
        if slot.value is None:
            slot.value = compute()
        return slot.value  # type: ignore[return-value]


def _db_key(db: Database) -> str:
    return db.url.render_as_string(hide_password=True)


def registry_facts(db: Database, version: int | None = None, units: Sequence[str] | None = None
                   ) -> list[EnterpriseFacts]:
    """:func:`load_facts`, kept per registry version."""
    state = registry_version(db) if version is None else version
    return _single_flight(("facts", _db_key(db), state, tuple(units or ())), lambda: load_facts(db, units))


def evaluate_database(db: Database, years: Sequence[int] | None = None, *, extra_rules: Sequence[Path] = (),
                      units: Sequence[str] | None = None, version: int | None = None,
                      cache_dir: Path | None = None) -> Evaluation:
    """Every tier for every enterprise of the registries (all data years unless ``years``).

    Every data year is evaluated once per registry version (``version``: default the newest registry
    write in the audit log) and kept; ``years`` picks a view of it. ``cache_dir`` keeps the compiled query
    between processes.
    """
    state = registry_version(db) if version is None else version
    rules = tuple(map(str, extra_rules))
    whole = _single_flight(("evaluation", _db_key(db), state, rules, tuple(units or ())), lambda: evaluate_all(
        rule_book(extra_rules, cache_dir=cache_dir), (facts := registry_facts(db, state, units)), data_years(facts),
        cache_dir=cache_dir))
    if not years or set(years) >= set(whole.years):
        return whole
    if set(years) <= set(whole.years):
        return whole.only(years)
    asked = tuple(sorted(set(years)))  # years without figures too: everyone judged (unknown, certified)
    return _single_flight(("evaluation", _db_key(db), state, rules, tuple(units or ()), asked), lambda: evaluate_all(
        rule_book(extra_rules), registry_facts(db, state, units), asked, cache_dir=cache_dir))


def cached_evaluation(db: Database, version: int | None = None) -> Evaluation | None:
    """The evaluation of every data year if one was made for the registries' current version (None: not yet)."""
    state = registry_version(db) if version is None else version
    with _CACHE_LOCK:
        slot = _CACHE.get(("evaluation", _db_key(db), state, (), ()))
    value = slot.value if slot is not None else None
    return value if isinstance(value, Evaluation) and len(value.years) > 1 else None


def forget() -> None:
    """Drop every kept evaluation (tests)."""
    with _CACHE_LOCK:
        _CACHE.clear()
