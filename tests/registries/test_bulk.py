"""200,000 enterprises and their certificates through files and the store (timed, printed; no timing assertion)."""

from __future__ import annotations

import random
import time

import pytest

from scicity.domain.credit_code import make_credit_code
from scicity.ingest.problems import ImportRejected
from scicity.ingest.registry_reader import read_registry
from scicity.store import AuditRepository
from tests.registries.conftest import write_csv

N = 200_000
UNITS = ("science_avenue", "power_reserve_centre", "vitality_centre", "efficiency_centre")


@pytest.mark.slow
def test_import_200k_enterprises_and_certificates(database, registries, seed_plan, tmp_path, capsys):
    rng = random.Random(3)
    codes = sorted({make_credit_code(rng, division="500107") for _ in range(N + 100)})[:N]
    ents = write_csv(tmp_path / "enterprises.csv", ["credit_code", "name_zh", "unit", "founded_on", "industry"],
                     [[c, f"示例企业{i}（示例）", UNITS[i % 4], f"20{10 + i % 14}-0{1 + i % 9}-1{i % 10}", "software"]
                      for i, c in enumerate(codes)])
    certs = write_csv(tmp_path / "certifications.csv", ["credit_code", "kind", "valid_from"],
                      [[c, "high_tech" if i % 3 else "tech_sme", f"202{i % 6}-05-01"] for i, c in enumerate(codes)])
    timings = {}
    started = time.perf_counter()
    data = read_registry(ents, "enterprises", seed_plan)
    timings["read enterprises"] = time.perf_counter() - started
    started = time.perf_counter()
    done = registries.apply("enterprises", data.records, actor="bulk", fields=data.fields)
    timings["apply enterprises"] = time.perf_counter() - started
    assert done.new == N
    started = time.perf_counter()
    cdata = read_registry(certs, "certifications", seed_plan, known_enterprises=registries.known_credit_codes)
    timings["read certifications"] = time.perf_counter() - started
    started = time.perf_counter()
    assert registries.apply("certifications", cdata.records, actor="bulk", fields=cdata.fields).new == N
    timings["apply certifications"] = time.perf_counter() - started
    started = time.perf_counter()
    assert registries.preview("enterprises", data.records, fields=data.fields).unchanged == N
    timings["preview unchanged"] = time.perf_counter() - started
    assert len(AuditRepository(database).list(action="registry.import")) == 2  # one event per batch

    # a bad last row rejects the whole file: nothing more is written
    bad = write_csv(tmp_path / "more.csv", ["credit_code", "name_zh", "unit"],
                    [[c, "x", "wcsc"] for c in codes[:1000]] + [[codes[0][:17] + "0", "bad", "wcsc"]])
    with pytest.raises(ImportRejected):
        read_registry(bad, "enterprises", seed_plan)
    assert registries.count("enterprises") == N
    with capsys.disabled():
        shown = "; ".join(f"{k} {v:.2f}s" for k, v in timings.items())
        print(f"\n[registries bulk, {database.dialect_name}] {N:,} enterprises + {N:,} certifications: {shown}")
