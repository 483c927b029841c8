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


class SeriesFileInvalid(ValueError):
    """The file cannot be read as yearly series; ``problems`` says where and why."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        self.problems = problems
        shown = "\n".join(f"  {p}" for p in problems[:20])
        more = f"\n  … {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(f"{path}: {len(problems)} problem(s):\n{shown}{more}")


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
        raise SeriesFileInvalid(path, ["file not found"]) from None
    except UnicodeDecodeError as exc:
        raise SeriesFileInvalid(path, [f"not UTF-8 text (byte {exc.start})"]) from None
    reader = csv.DictReader(text.splitlines())
    cols = [c.strip() for c in reader.fieldnames or []]
    if {"iso3", "year"} <= set(cols):
        layout, key_cols, year_col = "wdi", ("iso3",), "year"
        known = {"iso3", "country", "is_aggregate", "year"}
        values = [c for c in cols if c not in known]
        if len(values) != 1:
            raise SeriesFileInvalid(path, [f"expected one value column besides {sorted(known)}, found {values}"])
        value_col = values[0]
    elif {"indicator", "period", "value"} <= set(cols):
        layout, key_cols, year_col, value_col = "long", ("indicator", "unit"), "period", "value"
    else:
        raise SeriesFileInvalid(
            path, [f"columns {cols}: expected iso3, year and a value column (WDI) or indicator, unit, period, value"]
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
            problems.append(f"row {number}, column {key_cols[0]}: empty")
            continue
        try:
            year = int(row[year_col])
        except ValueError:
            problems.append(f"row {number}, column {year_col}: {row[year_col]!r} is not a year")
            continue
        raw = row.get(value_col, "")
        if raw == "":
            continue  # a missing value
        try:
            value = float(raw)
        except ValueError:
            problems.append(f"row {number}, column {value_col}: {raw!r} is not a number")
            continue
        if not math.isfinite(value):
            problems.append(f"row {number}, column {value_col}: {raw!r} is not a finite number")
            continue
        if year in series.setdefault(key, {}):
            problems.append(f"row {number}: a second value for {key} in {year}")
            continue
        series[key][year] = value
    if problems:
        raise SeriesFileInvalid(path, problems)
    return SeriesTable(series, layout, aggregates)
