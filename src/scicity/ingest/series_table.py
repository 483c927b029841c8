"""Read yearly series for calibration from a CSV: the WDI layout or scicity's long layout.

- WDI layout (``shared/data/wdi_researchers_per_million.csv``): ``iso3, country,
  is_aggregate, year, <value>``; rows with ``is_aggregate = 1`` (regional
  aggregates) are left out, as they are not series of their own.
- long layout: ``indicator, unit, period, value`` (one series per indicator and unit).

Every problem is reported with its row and column; nothing is returned then.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

from scicity.domain.message import Msg


class SeriesFileInvalid(ValueError):
    """The file cannot be read as yearly series; ``problems`` says where and why."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        shown = "\n".join(f"  {p}" for p in problems[:20])
        more = f"\n  … {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(f"{path}: {len(problems)} problem(s):\n{shown}{more}")

    def lines(self) -> list[str]:
        """What :func:`str` says, as translatable messages: the headline, then each problem (20 at most)."""
        head = Msg("{path}: {n} problem(s):", path=str(self.path), n=len(self.problems))
        more = [Msg("… {n} more", n=len(self.problems) - 20)] if len(self.problems) > 20 else []
        return [head, *self.problems[:20], *more]


@dataclass(frozen=True)
class SeriesTable:
    series: dict[str, dict[int, float]]
    layout: str
    aggregates_left_out: int


def read_series_csv(path: Path) -> SeriesTable:
    """The series of ``path`` keyed by country (WDI) or ``indicator/unit`` (long layout)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise SeriesFileInvalid(path, [Msg("file not found")]) from None
    except UnicodeDecodeError as exc:
        raise SeriesFileInvalid(path, [Msg("not UTF-8 text (byte {start})", start=exc.start)]) from None
    reader = csv.DictReader(text.splitlines())
    cols = [c.strip() for c in reader.fieldnames or []]
    if {"iso3", "year"} <= set(cols):
        layout, key_cols, year_col = "wdi", ("iso3",), "year"
        known = {"iso3", "country", "is_aggregate", "year"}
        values = [c for c in cols if c not in known]
        if len(values) != 1:
            raise SeriesFileInvalid(path, [Msg("expected one value column besides {known}, found {values}", known=str(sorted(known)), values=str(values))])
        value_col = values[0]
    elif {"indicator", "period", "value"} <= set(cols):
        layout, key_cols, year_col, value_col = "long", ("indicator", "unit"), "period", "value"
    else:
        raise SeriesFileInvalid(
            path, [Msg("columns {cols}: expected iso3, year and a value column (WDI) or indicator, unit, period, value",
                       cols=str(cols))]
        )
    series: dict[str, dict[int, float]] = {}
    problems: list[str] = []
    aggregates = 0
    for number, row in enumerate(reader, start=2):
        row = {k.strip(): (v or "").strip() for k, v in row.items() if k}
        if layout == "wdi" and row.get("is_aggregate") in ("1", "true", "True"):
            aggregates += 1
            continue
        key = "/".join(row.get(c, "") for c in key_cols if row.get(c, "")) or ""
        if not key:
            problems.append(Msg("row {number}, column {column}: empty", number=number, column=key_cols[0]))
            continue
        try:
            year = int(row[year_col])
        except ValueError:
            problems.append(Msg("row {number}, column {column}: {found} is not a year", number=number, column=year_col,
                                found=repr(row[year_col])))
            continue
        raw = row.get(value_col, "")
        if raw == "":
            continue  # a missing value
        try:
            value = float(raw)
        except ValueError:
            problems.append(Msg("row {number}, column {column}: {found} is not a number", number=number, column=value_col,
                                found=repr(raw)))
            continue
        if not math.isfinite(value):
            problems.append(Msg("row {number}, column {column}: {found} is not a finite number", number=number,
                                column=value_col, found=repr(raw)))
            continue
        if year in series.setdefault(key, {}):
            problems.append(Msg("row {number}: a second value for {key} in {year}", number=number, key=key, year=year))
            continue
        series[key][year] = value
    if problems:
        raise SeriesFileInvalid(path, problems)
    return SeriesTable(series, layout, aggregates)
