"""Problems found in a data file, each naming the place a person would look.

A reader never stops at the first bad cell: it collects every problem (up to
a cap) into a :class:`ProblemLog` and, when there is at least one, raises
:class:`ImportRejected` so that nothing of the file is imported.
"""

from __future__ import annotations

from dataclasses import dataclass

from scicity.domain.message import Msg
from scicity.i18n import tr

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
        return self.text("en")

    def text(self, lang: str) -> str:
        """The place in the reader's language: ``a.xlsx, sheet 'Data', row 3, column 'C'`` / ``a.xlsx，工作表“Data”，第 3 行，“C”列``."""
        return ("，" if lang == "zh" else ", ").join([self.file, *self._parts(lang)])

    def place(self, lang: str, *, file: bool = False) -> str:
        """For a page: sheet, row and column, unquoted in English (``sheet Data, row 3, column C``), after the file
        when ``file``; the file alone when the problem is the whole file."""
        parts = self._parts(lang, quote=False)
        return ("，" if lang == "zh" else ", ").join([self.file, *parts] if file or not parts else parts)

    def _parts(self, lang: str, quote: bool = True) -> list[str]:
        def q(text: str) -> str:
            return f"“{text}”" if lang == "zh" else repr(text) if quote else text

        parts = []
        if self.sheet is not None:
            parts.append(tr(Msg("sheet {sheet}", sheet=q(self.sheet)), lang))
        if self.row is not None:
            parts.append(tr(Msg("row {row}", row=self.row), lang))
        if self.column is not None:
            parts.append(tr(Msg("column {column}", column=q(self.column)), lang))
        return parts


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a file: where, what (with a hint), the offending text and the field."""

    location: Location
    message: str
    value: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        return self.text("en")

    def text(self, lang: str) -> str:
        """Where and what, in the reader's language (the message is translated with its parameters)."""
        return tr(Msg("{where}: {problem}", where=self.location.text(lang), problem=self.message), lang)


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

    def text(self, action: str = "imported", lang: str = "en") -> str:
        """The problems, with what did not happen: ``imported`` (an import) or ``read`` (a read-only run),
        in the reader's language."""
        return self._text(action, lang)

    def __reduce__(self):  # noqa: ANN204 - pickled from the worker that read the file
        return (ImportRejected, (self.problems, self.file, self.omitted))

    @property
    def total(self) -> int:
        return len(self.problems) + self.omitted

    def _text(self, action: str = "imported", lang: str = "en") -> str:
        n = self.total
        head = tr(Msg(HEADS[(action == "read", n == 1)], file=self.file, n=n), lang)
        lines = [f"  - {p.text(lang)}" for p in self.problems[:SHOWN]]
        rest = n - min(len(self.problems), SHOWN)
        if rest:
            lines.append("  " + tr(Msg("… and {rest} more.", rest=rest), lang))
        return "\n".join([head, *lines])


#: the first line of a rejected file's problems: (read-only run, one problem) -> message id
HEADS = {
    (False, True): "{file}: {n} problem; nothing was imported.",
    (False, False): "{file}: {n} problems; nothing was imported.",
    (True, True): "{file}: {n} problem; nothing was read.",
    (True, False): "{file}: {n} problems; nothing was read.",
}


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
        """Add a problem; ``value`` is the offending cell as found (shown shortened). ``message`` is a
        :class:`~scicity.domain.message.Msg` (translated where it is shown) or plain English text."""
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


#: Message ids that several readers share (one translation in messages.po).
XLS = ("this is an old Excel .xls file (or a password-protected workbook); save it as .xlsx (Excel Workbook) "
       "or as CSV UTF-8")
NO_ROWS = "the file has a header but no data rows"
MERGED = "merged cells {cells}; unmerge them and write the value in every row — merged cells are read as empty"


def replaced(message: str, old: str, new: str) -> str:
    """``message`` with ``old`` written as ``new`` (a stored file's name as uploaded), still translatable."""
    if not old or old == new or old not in message:
        return message
    template = getattr(message, "msg_id", None)
    if template is None:
        return message.replace(old, new)
    args = {k: replaced(v, old, new) if isinstance(v, str) else v for k, v in message.msg_args.items()}
    return Msg(template if args else template.replace(old, new), **args)
