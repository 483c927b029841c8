"""Two imports of the same key at the same time: one wins, the other writes nothing and says why."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import event

from scicity.domain import Observation, ObservationKey
from scicity.store import ConcurrentWrite, Database, ObservationRepository, migrate


@pytest.mark.postgres
def test_concurrent_imports_of_the_same_key(pg_url: str) -> None:
    migrate.upgrade(pg_url)
    key = ObservationKey("rd", "cq", 2021)
    errors: list[BaseException] = []
    paused, resume = threading.Event(), threading.Event()

    def pause_before_insert(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.startswith("INSERT INTO observations"):
            paused.set()
            resume.wait(timeout=20)

    with Database(pg_url) as first, Database(pg_url) as second:
        ObservationRepository(first).apply([Observation("rd", "cq", 2021, 1.0)], actor="seed")
        event.listen(first.engine, "before_cursor_execute", pause_before_insert)

        def slow_import() -> None:
            try:
                ObservationRepository(first).apply([Observation("rd", "cq", 2021, 2.0)], actor="slow")
            except BaseException as err:  # noqa: BLE001 - handed to the test thread
                errors.append(err)

        thread = threading.Thread(target=slow_import)
        thread.start()
        assert paused.wait(timeout=20), "the slow import never reached its insert"
        ObservationRepository(second).apply([Observation("rd", "cq", 2021, 3.0)], actor="fast")
        resume.set()
        thread.join(timeout=30)
        assert not thread.is_alive()
        history = ObservationRepository(second).history(key)

    assert len(errors) == 1 and isinstance(errors[0], ConcurrentWrite), errors
    assert [(o.value, o.created_by) for o in history] == [(1.0, "seed"), (3.0, "fast")]
