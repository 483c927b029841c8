"""Every registry exports and imports back unchanged (CSV and XLSX), on SQLite and PostgreSQL."""

from __future__ import annotations

import time

import pytest

from scicity.demo.registries import generate_registries
from scicity.domain.registries import RegistryKind
from scicity.ingest.registry_export import write_registry
from scicity.ingest.registry_reader import read_registry


def test_demo_registries_load_and_round_trip(registries, seed_plan, tmp_path, capsys):
    demo = generate_registries()
    started = time.perf_counter()
    done = registries.apply_many([(k, r, None) for k, r in demo.parts()], actor="demo")
    loaded = time.perf_counter() - started
    assert [c.new for c in done] == [len(r) for _, r in demo.parts()]
    for kind, records in demo.parts():
        stored = registries.list(kind)
        assert sorted(stored, key=str) == sorted(records, key=str), kind
        for suffix in ("csv", "xlsx"):
            path = tmp_path / f"{kind.value}.{suffix}"
            assert write_registry(path, kind, registries.iter(kind)) == len(records)
            data = read_registry(path, kind, seed_plan, known_enterprises=registries.known_credit_codes)
            assert registries.preview(kind, data.records, fields=data.fields).counts() == {
                "new": 0, "changed": 0, "unchanged": len(records)}, (kind, suffix)
    with capsys.disabled():
        print(f"\n[registries] demo registries ({sum(len(r) for _, r in demo.parts()):,} records) loaded in {loaded:.2f}s")


@pytest.mark.parametrize("kind", list(RegistryKind))
def test_awkward_values_round_trip(kind, registries, seed_plan, tmp_path, codes):
    """Text that looks like a formula, Chinese text, empty optionals, long decimals."""
    from datetime import date

    from scicity.domain.registries import Certification, Enterprise, Financials, Institution, Patent, Talent

    registries.apply("enterprises", [Enterprise(credit_code=codes[0], name_zh="=示例(合成)", name_en="+Odd, \"quoted\"",
                                                unit="wcsc", industry="-dash", strategic_emerging=True)], actor="t")
    samples = {
        RegistryKind.INSTITUTIONS: [Institution(code="001", name_zh="@实验室", type="other", level="district",
                                                unit="science_avenue", recognised_on=date(1999, 12, 31))],
        RegistryKind.ENTERPRISES: [],
        RegistryKind.CERTIFICATIONS: [Certification(credit_code=codes[0], kind="unicorn", valid_from=date(2024, 2, 29),
                                                    certificate_no="0012")],
        RegistryKind.FINANCIALS: [Financials(credit_code=codes[0], year=2024, revenue=1234.5678901234567,
                                             rd_expenditure=0.1, employees=0, valuation=None)],
        RegistryKind.TALENT: [Talent(person_id="0042", tier="outstanding", introduced_on=date(2021, 1, 1), unit="wcsc",
                                     programme="line\nbreak")],
        RegistryKind.PATENTS: [Patent(number="ZL202110000001.X", type="design", granted_on=date(2021, 1, 1),
                                      lapsed_on=date(2021, 1, 1), unit="wcsc")],
    }
    registries.apply(kind, samples[kind], actor="t")
    for suffix in ("csv", "xlsx"):
        path = tmp_path / f"x.{suffix}"
        write_registry(path, kind, registries.iter(kind))
        data = read_registry(path, kind, seed_plan, known_enterprises=registries.known_credit_codes)
        assert data.records == registries.list(kind), suffix
