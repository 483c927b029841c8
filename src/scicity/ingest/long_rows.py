"""Turn the rows of a long table into observations, reporting every bad cell.

Shared by the CSV and the XLSX reader: they hand over rows of cells with
the row number a user sees; this module checks ids against the plan, parses
the cells strictly, finds repeated keys and keeps the observations. Once the
file has a problem the observations are dropped (the import will be
rejected anyway) so that a bad large file does not hold memory.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence
from typing import TypeVar

from openpyxl.utils import get_column_letter

from scicity.domain.message import Msg
from scicity.domain.observation import Observation
from scicity.domain.plan import Plan, Text
from scicity.ingest.columns import ColumnMap
from scicity.ingest.problems import Location, ProblemLog, quoted
from scicity.ingest.cells import (
    CellRejected,
    CellValue,
    is_blank,
    narrow,
    parse_period,
    parse_source,
    parse_value,
    parse_vintage,
)

_IDENTIFIER = re.compile(r"[a-z][a-z0-9_]*")
_CACHE_LIMIT = 10_000
T = TypeVar("T")


class PlanIds:
    """The plan's reported ids and geographic units, with hints for near misses."""

    def __init__(self, plan: Plan) -> None:
        self.measures = plan.reported_ids()
        self.non_negative = plan.non_negative_ids()
        self.units = {u: u for u in plan.geo_units()}
        self.root = plan.geography.id
        self._id_names = _names({**{s.id: s.name for s in plan.series}, **{i.id: i.name for i in plan.indicators}})
        self._unit_names = _names({u.id: u.name for u in plan.geography.walk()})
        self._ids = {i: i for i in self.measures}
        self._hints: dict[tuple[str, str], str] = {}
        #: read-only runs (stateless status, backtest): rows for ids or units the plan lacks are left out and
        #: counted here by (kind, text) instead of being problems
        self.skip_foreign = False
        self.foreign: dict[tuple[str, str], int] = {}

    def indicator(self, text: str) -> str | None:
        return self._ids.get(text)

    def unit(self, text: str) -> str | None:
        return self.units.get(text)

    def unknown_indicator(self, text: str) -> str:
        return self._hint("indicator", text)

    def unknown_unit(self, text: str) -> str:
        return self._hint("unit", text)

    def _hint(self, kind: str, text: str) -> str:
        cached = self._hints.get((kind, text))
        if cached is None:
            cached = self._compose(kind, text)
            if len(self._hints) < _CACHE_LIMIT:
                self._hints[(kind, text)] = cached
        return cached

    def _compose(self, kind: str, text: str) -> str:
        ids, names, other = (
            (self._ids, self._id_names, self.units) if kind == "indicator" else (self.units, self._unit_names, self._ids)
        )
        head = Msg("the plan has no indicator or series {text}" if kind == "indicator"
                   else "the plan has no geographic unit {text}", text=repr(text))
        if text in names:
            return Msg("{head}; that is the name of {id} — write its id {id}", head=head, id=repr(names[text]))
        if text in other:
            return Msg("{head}; {text} is a geographic unit — are the columns swapped?" if kind == "indicator"
                       else "{head}; {text} is an indicator or series — are the columns swapped?",
                       head=head, text=repr(text))
        close = difflib.get_close_matches(text, list(ids), n=1)
        if close:
            return Msg("{head}; did you mean {close}?", head=head, close=repr(close[0]))
        if kind == "unit" and not _IDENTIFIER.fullmatch(text):
            listed = ", ".join(repr(u) for u in list(self.units)[:10])
            return Msg("{head}; this column names the geographic unit (地区), e.g. {listed} — the unit of measure is "
                       "set by the plan", head=head, listed=listed)
        return head


def _names(named: dict[str, Text]) -> dict[str, str]:
    """Names (English and Chinese, folded like ids) to ids, for 'write its id' hints."""
    out: dict[str, str] = {}
    for id_, name in named.items():
        for text in (name.en, name.zh):
            if text:
                out.setdefault(narrow(text).strip().lower(), id_)
    return out


def id_text(raw: CellValue) -> str:
    """An id as written, trimmed and lower-cased (ids are lower-case by definition)."""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return narrow(str(raw)).strip().lower()


class LongRows:
    """Checks rows one by one; ``observations`` holds the good ones while the file has no problem.

    Text that repeats down a column (ids, years, sources, dates) is parsed
    once and remembered (up to a bound), which makes large files fast.
    """

    def __init__(self, ids: PlanIds, columns: ColumnMap, log: ProblemLog, *, file: str,
                 sheet: str | None = None, default_unit: str | None = None, column_offset: int = 0) -> None:
        self.ids = ids
        self.columns = columns
        self.log = log
        self.file = file
        self.sheet = sheet
        self.default_unit = default_unit or ids.root
        self.column_offset = column_offset
        self.observations: list[Observation] = []
        self.rows_read = 0
        self._seen: dict[tuple[str, str, int], int] = {}
        self._known: dict[str, dict[CellValue, object]] = {f: {} for f in ("indicator", "unit", "period", "source",
                                                                           "vintage")}

    def where(self, row: int, field: str | None) -> Location:
        column = self.columns.names.get(field) if field else None
        return Location(self.file, self.sheet, row, column if column is not None else field)

    def read(self, row_no: int, cells: Sequence[CellValue]) -> None:
        """Check one row; blank rows are skipped."""
        if all(is_blank(c) for c in cells):
            return
        self.rows_read += 1
        if self.ids.skip_foreign and self._foreign(cells):
            return
        indicator = self._parse(row_no, cells, "indicator", self._indicator)
        unit = self._parse(row_no, cells, "unit", self._unit)
        period = self._parse(row_no, cells, "period", parse_period)
        non_negative = indicator in self.ids.non_negative
        measure = self.ids.measures.get(indicator or "")
        value = self._parse(row_no, cells, "value", lambda raw: parse_value(
            raw, indicator=indicator, non_negative=non_negative, measure=measure))
        source = self._parse(row_no, cells, "source", parse_source)
        vintage = self._parse(row_no, cells, "vintage", parse_vintage)
        beyond = range(self.columns.width, len(cells)) if self.columns.width else ()
        for i in (*self.columns.unnamed, *beyond):
            if i < len(cells) and not is_blank(cells[i]):
                self.log.report(Location(self.file, self.sheet, row_no, get_column_letter(self.column_offset + i + 1)),
                                Msg("a value in a column without a header; add the header or delete the value"),
                                cells[i])
        if indicator is None or unit is None or period is None:
            return
        key = (indicator, unit, period)
        first = self._seen.setdefault(key, row_no)
        if first != row_no:
            self.log.report(self.where(row_no, None), Msg("the same indicator {indicator}, unit {unit} and period {period} as "
                                                          "row {first}; keep one of the two rows", indicator=repr(indicator),
                                                          unit=repr(unit), period=period, first=first))
            return
        if self.log or value is None:
            self.observations.clear()
            return
        self.observations.append(Observation(indicator, unit, period, value, source=source, vintage=vintage))

    def _foreign(self, cells: Sequence[CellValue]) -> bool:
        """Count and skip a row whose indicator or unit the plan does not have (read-only runs only)."""
        for field, known in (("indicator", self.ids.indicator), ("unit", self.ids.unit)):
            i = self.columns.index.get(field)
            raw = cells[i] if i is not None and i < len(cells) else None
            if not is_blank(raw) and known(id_text(raw)) is None:
                key = (field, id_text(raw))
                self.ids.foreign[key] = self.ids.foreign.get(key, 0) + 1
                return True
        return False

    def _indicator(self, raw: CellValue) -> str:
        if is_blank(raw):
            raise CellRejected(Msg("the indicator is empty; write the id of an indicator or series"))
        found = self.ids.indicator(id_text(raw))
        if found is None:
            raise _Unknown(self.ids.unknown_indicator(id_text(raw)))
        return found

    def _unit(self, raw: CellValue) -> str:
        if is_blank(raw):
            return self.default_unit
        found = self.ids.unit(id_text(raw))
        if found is None:
            raise _Unknown(self.ids.unknown_unit(id_text(raw)))
        return found

    def _parse(self, row_no: int, cells: Sequence[CellValue], field: str, parse: Callable[[CellValue], T]) -> T | None:
        i = self.columns.index.get(field)
        if i is None:
            return None
        raw = cells[i] if i < len(cells) else None
        known = self._known.get(field)
        if known is not None and raw in known:
            return known[raw]  # type: ignore[return-value]
        try:
            result = parse(raw)
        except _Unknown as exc:
            self.log.report(self.where(row_no, field), exc.args[0], raw, field)
            return None
        except CellRejected as exc:
            self.log.report(self.where(row_no, field), rejection(raw, exc), raw, field)
            return None
        if known is not None and len(known) < _CACHE_LIMIT and not isinstance(raw, bool):
            known[raw] = result
        return result


class _Unknown(CellRejected):
    """An id the plan does not know; the message is complete as it is (no 'found …' prefix)."""


def rejection(raw: CellValue, exc: CellRejected) -> str:
    """A problem message: what was found, then why and what to write."""
    reason = exc.args[0] if exc.args else str(exc)
    return reason if is_blank(raw) else Msg("found {value} — {reason}", value=quoted(raw), reason=reason)
