"""Count the SQL statements a piece of code sends (an SQLAlchemy event listener on every engine)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.engine import Engine


@contextmanager
def statements() -> Iterator[list[str]]:
    """The statements executed inside the block, on any engine of this process, in order."""
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001, PLR0913
        seen.append(statement)

    event.listen(Engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", record)


def selects_from(seen: list[str], table: str) -> list[str]:
    """The SELECT statements among ``seen`` that read ``table``."""
    return [s for s in seen if s.lstrip().upper().startswith("SELECT") and f"FROM {table}" in s.replace('"', "")]
