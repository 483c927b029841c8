"""A 100,000-row import completes in one transaction (timed, printed; no timing assertion)."""

from __future__ import annotations

import time

import pytest

from scicity.domain import Observation
from scicity.store import AuditRepository, BatchRepository, Database, ObservationRepository

N = 100_000


def _rows(shift: float = 0.0) -> list[Observation]:
    # 20 indicators x 1,000 units x 5 years
    return [
        Observation(f"ind_{i:02d}", f"unit_{u:04d}", year, float(i * u + year) + shift, source="bulk")
        for i in range(20)
        for u in range(1000)
        for year in range(2021, 2026)
    ]


@pytest.mark.slow
def test_apply_100k_rows_sqlite(sqlite_database: Database, capsys: pytest.CaptureFixture[str]) -> None:
    repo = ObservationRepository(sqlite_database)
    rows = _rows()
    assert len(rows) == N

    started = time.perf_counter()
    first = repo.apply(rows, actor="loader", file_name="bulk.csv")
    t_new = time.perf_counter() - started

    changed = [Observation(o.indicator, o.unit, o.period, o.value + 1, source="bulk") for o in rows[: N // 10]]
    started = time.perf_counter()
    second = repo.apply(changed + rows[N // 10 :], actor="loader")
    t_mixed = time.perf_counter() - started

    started = time.perf_counter()
    latest = repo.latest()
    t_latest = time.perf_counter() - started

    assert first.counts() == {"new": N, "changed": 0, "unchanged": 0}
    assert second.counts() == {"new": 0, "changed": N // 10, "unchanged": N - N // 10}
    assert len(latest) == N
    assert BatchRepository(sqlite_database).get(second.batch_id or 0).changed_count == N // 10
    assert len(AuditRepository(sqlite_database).list(limit=None)) == N + N // 10
    with capsys.disabled():
        print(
            f"\n[store bulk, SQLite] apply {N:,} new rows: {t_new:.2f}s; "
            f"re-apply with {N // 10:,} changed: {t_mixed:.2f}s; latest() of {N:,} keys: {t_latest:.2f}s"
        )
