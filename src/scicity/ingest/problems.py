"""Problems found in a data file, each naming the place a person would look.

A reader never stops at the first bad cell: it collects every problem (up to
a cap) into a :class:`ProblemLog` and, when there is at least one, raises
:class:`ImportRejected` so that nothing of the file is imported.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Problems kept per file; beyond this only a count is kept ("and N more").
DEFAULT_CAP = 1_000
#: Problems printed by ``str(ImportRejected)``.
SHOWN = 50


@dataclass(frozen=True, slots=True)
class Location:
    """Where in a file: rows are numbered as a spreadsheet shows them (the header is row 1)."""

    file: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        parts = [self.file]
        if self.sheet is not None:
            parts.append(f"sheet {self.sheet!r}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column {self.column!r}")
        return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a file: where, what (with a hint), the offending text and the field."""

    location: Location
    message: str
    value: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


class ImportRejected(ValueError):
    """A file has problems; nothing of it was imported.

    ``problems`` holds at most the reader's cap; ``omitted`` counts the ones
    beyond it.
    """

    def __init__(self, problems: list[Problem], file: str, omitted: int = 0) -> None:
        self.problems = problems
        self.file = file
        self.omitted = omitted
        super().__init__(self._text())

    def text(self, action: str = "imported") -> str:
        """The problems, with what did not happen: ``imported`` (an import) or ``read`` (a read-only run)."""
        return self._text(action)
    def __reduce__(self):  # noqa: ANN204 - pickled from the worker that read the file
        return (ImportRejected, (self.problems, self.file, self.omitted))

    @property
    def total(self) -> int:
        return len(self.problems) + self.omitted

    def _text(self, action: str = "imported") -> str:
        n = self.total
        head = f"{self.file}: {n} problem{'s' if n != 1 else ''}; nothing was {action}."
        lines = [f"  - {p}" for p in self.problems[:SHOWN]]
        rest = n - min(len(self.problems), SHOWN)
        if rest:
            lines.append(f"  … and {rest} more.")
        return "\n".join([head, *lines])


class ProblemLog:
    """Collects problems up to ``cap``, then only counts them."""

    def __init__(self, file: str, cap: int = DEFAULT_CAP) -> None:
        self.file = file
        self.cap = cap
        self.problems: list[Problem] = []
        self.omitted = 0

    def __bool__(self) -> bool:
        return bool(self.problems) or self.omitted > 0

    def __len__(self) -> int:
        return len(self.problems) + self.omitted

    def add(self, problem: Problem) -> None:
        if len(self.problems) < self.cap:
            self.problems.append(problem)
        else:
            self.omitted += 1

    def report(self, location: Location, message: str, value: object = None, field: str | None = None) -> None:
        """Add a problem; ``value`` is the offending cell as found (shown shortened)."""
        self.add(Problem(location, message, None if value is None else shorten(value), field))

    def raise_if_any(self) -> None:
        if self:
            raise ImportRejected(self.problems, self.file, self.omitted)


def shorten(value: object, limit: int = 60) -> str:
    """The text of a cell as found, cut to ``limit`` characters for messages."""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def quoted(value: object) -> str:
    """A cell's content for a message: text quoted, numbers plain, long text cut."""
    if isinstance(value, str):
        return repr(shorten(value))
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return shorten(value)
