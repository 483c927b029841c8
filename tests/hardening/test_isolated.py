"""The worker that reads files: a reader that aborts, runs out of memory or hangs fails only its request."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from scicity.ingest.isolated import ParseLimits, WorkerFailed, run_isolated
from scicity.ingest.problems import ImportRejected, Location, Problem
from tests.hardening.hostile import zip_bomb_xlsx
from tests.hardening.targets import _abort, _allocate, _calamine, _fails, _hang, _rejects

SMALL = ParseLimits(memory=512 * 1024 * 1024, seconds=5)


def _message(fn, *args) -> str:  # noqa: ANN001
    with pytest.raises(ImportRejected) as caught:
        run_isolated(fn, *args, label="upload.xlsx", limits=SMALL)
    [problem] = caught.value.problems
    assert problem.location.file == "upload.xlsx"
    return problem.message


def test_a_native_abort_is_a_clear_problem() -> None:
    assert "the reader stopped: signal SIGABRT" in _message(_abort)


def test_memory_beyond_the_limit_is_a_clear_problem() -> None:
    assert "memory limit of 512 MB" in _message(_allocate)


def test_calamine_unpacking_a_bomb_stops_at_the_memory_limit(tmp_path: Path) -> None:
    bomb = zip_bomb_xlsx(tmp_path / "bomb.xlsx", size=1024**3)
    assert "memory limit of 512 MB" in _message(_calamine, str(bomb))


def test_a_reader_that_hangs_is_stopped() -> None:
    started = time.monotonic()
    with pytest.raises(ImportRejected) as caught:
        run_isolated(_hang, label="slow.csv", limits=ParseLimits(seconds=1))
    assert time.monotonic() - started < 10
    assert "took longer than 1 s" in caught.value.problems[0].message


def test_results_and_problems_come_back_as_they_are() -> None:
    assert run_isolated(sorted, [3, 1, 2], label="x", limits=SMALL) == [1, 2, 3]
    with pytest.raises(ImportRejected) as caught:
        run_isolated(_rejects, label="x", limits=SMALL)
    assert str(caught.value.problems[0]) == "f.csv, row 3, column 'value': not a number"
    with pytest.raises(WorkerFailed, match="KeyError"):
        run_isolated(_fails, label="x", limits=SMALL)
