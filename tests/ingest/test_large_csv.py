"""A 50 MB CSV is streamed: peak memory stays within a small multiple of the observations themselves."""

from __future__ import annotations

import sys
import tracemalloc

import pytest

from scicity.domain import GeoUnit, Plan, Text
from scicity.ingest.long_table import read_observations

TARGET_BYTES = 50 * 1024 * 1024
UNITS = 1_200
YEARS = range(1901, 2201)


@pytest.fixture(scope="module")
def big_plan(plan: Plan) -> Plan:
    children = tuple(GeoUnit(id=f"unit_{i:04d}", name=Text(en=f"Unit {i}")) for i in range(UNITS))
    return plan.model_copy(update={"geography": plan.geography.model_copy(update={"children": children})})


def _observation_bytes(observations: list) -> int:
    """What the result itself holds: the list, each Observation, its float and period, and distinct strings."""
    total = sys.getsizeof(observations)
    strings: dict[int, int] = {}
    for o in observations:
        total += sys.getsizeof(o) + sys.getsizeof(o.value) + sys.getsizeof(o.period)
        for s in (o.indicator, o.unit, o.source):
            if s is not None:
                strings[id(s)] = sys.getsizeof(s)
    return total + sum(strings.values())


@pytest.mark.slow
def test_fifty_megabytes_stream_with_bounded_memory(tmp_path, big_plan):
    path = tmp_path / "big.csv"
    ids = ["rd_expenditure", "grp", "high_tech_enterprises", "talent_change"]
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write("indicator,unit,period,value,source,vintage\n")
        done = False
        for year in YEARS:
            for u in range(UNITS):
                for ind in ids:
                    f.write(f"{ind},unit_{u:04d},{year},{year * 7 + u + 0.125},重庆市统计局 yearbook {year % 7},2024-03-31\n")
                    rows += 1
                if f.tell() >= TARGET_BYTES:
                    done = True
                    break
            if done:
                break
    size = path.stat().st_size
    assert size >= TARGET_BYTES

    calls: list[tuple[int, int]] = []
    tracemalloc.start()
    try:
        observations = read_observations(path, big_plan, progress=lambda d, t: calls.append((d, t)))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert len(observations) == rows
    assert calls[-1] == (size, size) and len(calls) > 10
    assert all(a[0] <= b[0] for a, b in zip(calls, calls[1:]))
    own = _observation_bytes(observations)
    # The key index for duplicate detection costs about as much as the observations; the file is never held.
    assert peak < 4 * own, f"peak {peak / 1e6:.0f} MB vs observations {own / 1e6:.0f} MB"
    assert peak < 3 * size + own
