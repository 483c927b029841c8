"""The evaluation the pages use: outcomes from the tier engine, full results from the Python reference, kept per
registry version; 专精特新 and 小巨人 certificates; thresholds as readers write them."""

from __future__ import annotations

import shutil
import threading
from datetime import date

import pytest

from scicity.domain.registries import Certification, CertificationKind, RegistryKind
from scicity.domain.tier_eval import Status, evaluate_year
from scicity.ingest.tier_rules_file import load_rule_book
from scicity.service import cultivation as cu
from scicity.service.cultivation_views import result_json, threshold_text
from scicity.store.db import Database
from scicity.store.registries import RegistryRepository
from tests.cultivation.facts import CODE, facts

BOOK = load_rule_book()


@pytest.fixture(scope="module")
def demo_facts(registry_db_file):
    db = Database(f"sqlite:///{registry_db_file}")
    try:
        yield cu.load_facts(db)
    finally:
        db.dispose()


def _table(evaluation):
    return {(k, o.credit_code): (o.outcome, o.certified, o.failing_count) for k, rows in evaluation.outcomes.items()
            for o in rows}


def test_engine_outcomes_equal_the_python_reference_on_the_demo(demo_facts):
    """Patents counted by holder, years without figures, certificates of every kind: the same outcome, the same
    number of failing criteria, the same pool, funnel and expiry watch."""
    some = demo_facts[::6]  # every sixth enterprise: all kinds of them, in reasonable time
    years = cu.data_years(demo_facts)
    engine = cu.evaluate_all(BOOK, some, years)
    reference = cu.evaluate_all(BOOK, some, years, engine="python")
    assert engine.engine == "duckdb" and reference.engine == "python"
    assert _table(engine) == _table(reference) and len(_table(engine)) > 10_000
    outcomes = {o.outcome for rows in engine.outcomes.values() for o in rows}
    assert outcomes == set(Status)
    last = max(years)
    for tier in BOOK.tiers():
        assert [r.credit_code for r in cu.pool(engine, tier, last)] == [r.credit_code for r in cu.pool(reference, tier, last)]
    assert cu.funnel(engine) == cu.funnel(reference)
    watch = [(e.credit_code, e.risk) for e in cu.expiry_watch(engine, last - 1)]
    assert watch and watch == [(e.credit_code, e.risk) for e in cu.expiry_watch(reference, last - 1)]
    # a full result is the Python evaluation of that enterprise, tier and year
    o = next(o for o in engine.of("high_tech", last) if o.outcome is Status.NOT_MET)
    full = engine.full(o.credit_code, "high_tech", last)
    assert full == next(r for r in evaluate_year(BOOK, engine.facts[o.credit_code], last) if r.tier == "high_tech")


def test_the_demo_holds_specialised_and_little_giant_titles_and_the_rules_count_them(demo_facts):
    kinds = {c.kind for f in demo_facts for c in f.certificates}
    assert {CertificationKind.SPECIALISED, CertificationKind.LITTLE_GIANT} <= kinds
    evaluation = cu.evaluate_all(BOOK, [f for f in demo_facts if any(
        c.kind is CertificationKind.LITTLE_GIANT for c in f.certificates)], cu.data_years(demo_facts))
    steps = cu.funnel(evaluation)
    assert any(s.certified["little_giant"] for s in steps) and any(s.certified["specialised"] for s in steps)


def test_little_giant_prerequisite_is_met_by_a_specialised_certificate():
    holder = facts(rd_expenditure=50.0, certs=[(CertificationKind.SPECIALISED, date(2024, 7, 1), date(2027, 6, 30))])
    without = facts(rd_expenditure=50.0)  # R&D CNY 0.5 m a year: not 专精特新 on its figures

    def prerequisite(f):
        r = next(r for r in evaluate_year(BOOK, f, 2025) if r.tier == "little_giant")
        return next(c for c in r.criteria if c.kind == "tier_held")
    assert prerequisite(holder).status is Status.MET
    missing = prerequisite(without)
    assert missing.status is Status.NOT_MET
    assert missing.gap is not None and "specialised" not in missing.gap.zh and "专精特新" in missing.gap.zh
    engine = cu.evaluate_all(BOOK, [holder], [2025])
    assert engine.outcome(CODE, "little_giant", 2025).outcome is \
        next(r for r in evaluate_year(BOOK, holder, 2025) if r.tier == "little_giant").outcome


def test_kept_per_registry_version_one_computation_and_fresh_after_a_write(registry_db_file, tmp_path):
    shutil.copy(registry_db_file, tmp_path / "scicity.db")
    db = Database(f"sqlite:///{tmp_path / 'scicity.db'}")
    cu.forget()
    try:
        got: list[object] = []
        threads = [threading.Thread(target=lambda: got.append(cu.evaluate_database(db))) for _ in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(got) == 3 and got[0] is got[1] is got[2]  # single flight: one evaluation for three callers
        first = got[0]
        assert cu.evaluate_database(db) is first and cu.cached_evaluation(db) is first
        assert cu.evaluate_database(db, first.years[-2:]).years == first.years[-2:]
        year = max(first.years)
        code = next(o.credit_code for o in first.of("high_tech", year) if not o.certified)
        RegistryRepository(db).apply(RegistryKind.CERTIFICATIONS, [Certification(
            credit_code=code, kind=CertificationKind.HIGH_TECH, valid_from=date(year, 1, 10),
            valid_to=date(year + 3, 1, 9))], actor="test", file_name="one certificate")
        assert cu.cached_evaluation(db) is None  # the registry write moved the version
        after = cu.evaluate_database(db)
        assert after is not first and after.outcome(code, "high_tech", year).certified
    finally:
        cu.forget()
        db.dispose()


def test_money_thresholds_read_in_natural_units_and_routes_by_name():
    assert threshold_text("<=", "200 CNY m", "zh") == "≤ 2亿元"
    assert threshold_text(">=", "50 CNY m", "zh") == "≥ 5000万元"
    assert threshold_text("<=", "200 CNY m", "en") == "≤ CNY 200 m"
    assert threshold_text(">=", "1 USD bn", "zh") == "≥ 10亿美元" and threshold_text(">=", "1 USD bn", "en") == "≥ USD 1 bn"
    assert threshold_text("<=", "500 person", "zh") == "≤ 500 人"
    routed = facts(provincial_rd_institution=True, st_staff=5, rd_expenditure=10.0, ip_class2=0)
    r = next(r for r in evaluate_year(BOOK, routed, 2025) if r.tier == "tech_sme")
    assert r.route_used == "rd_institution"
    assert result_json(r, "zh")["route_used_name"] == "拥有省部级以上研发机构"
    assert result_json(r, "en")["route_used_name"].startswith("runs a provincial")


def test_the_engine_flags_figures_of_a_year_before_the_founding_as_the_reference_does():
    f = facts(founded=date(2025, 3, 1), valuation_usd=200_000.0, financing_usd=10_000.0)
    engine = cu.evaluate_all(BOOK, [f], [2024, 2025])
    reference = cu.evaluate_all(BOOK, [f], [2024, 2025], engine="python")
    assert engine.engine == "duckdb" and _table(engine) == _table(reference)
    [unicorn_2024] = engine.of("unicorn", 2024)
    assert unicorn_2024.outcome is Status.UNKNOWN  # not 'qualifies' on a negative age
