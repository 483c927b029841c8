"""Runs of years: the building block of the demo registries.

A *run* is the span of year ends at which one entity counts: from its first
year to its last (None: it still counts after the last demo year). Given the
number that must count at the end of every year, :func:`runs_for` starts,
keeps and ends runs so that exactly that many are open at every year end,
with some turnover (closures, lapses, expiries) so that the data look lived-in.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass
class Run:
    first: int  # first year at whose end the entity counts
    last: int | None = None  # last such year; None: still counting after the demo years


def runs_for(
    counts: Sequence[int],
    years: Sequence[int],
    rng: random.Random,
    *,
    churn: float,
    earliest: int,
    prefer_end: Callable[[Run, int], bool] | None = None,
) -> list[Run]:
    """Runs such that, for each ``years[i]``, exactly ``counts[i]`` runs count at that year's end.

    Entities counting in the first year start between ``earliest`` and that
    year. Each later year ends about ``churn`` of the open runs (those for
    which ``prefer_end(run, year)`` holds first) and starts as many as needed.
    """
    first_year = years[0]
    open_runs = [Run(rng.randint(earliest, first_year)) for _ in range(counts[0])]
    done: list[Run] = []
    for year, target in zip(years[1:], counts[1:], strict=True):
        closing = min(len(open_runs), int(len(open_runs) * churn))
        closing = max(closing, len(open_runs) - target)
        candidates = list(open_runs)
        rng.shuffle(candidates)
        if prefer_end is not None:
            candidates.sort(key=lambda r: not prefer_end(r, year))
        ended = candidates[:closing]
        for run in ended:
            run.last = year - 1
        ended_ids = {id(r) for r in ended}
        done.extend(ended)
        open_runs = [r for r in open_runs if id(r) not in ended_ids]
        open_runs.extend(Run(year) for _ in range(target - len(open_runs)))
    return done + open_runs


def day_in(year: int, rng: random.Random, *, months: tuple[int, int] = (1, 12)) -> date:
    """A day of ``year`` (within ``months``, inclusive)."""
    start = date(year, months[0], 1)
    end = date(year, months[1], 28) if months[1] < 12 else date(year, 12, 31)
    return start + timedelta(days=rng.randint(0, (end - start).days))


def start_and_end(run: Run, rng: random.Random) -> tuple[date, date | None]:
    """Dates for a run under the start-inclusive, end-exclusive rule: start in its first year, end in the year after its last."""
    start = day_in(run.first, rng)
    return start, (None if run.last is None else day_in(run.last + 1, rng))


def yearly_certificates(run: Run, last_year: int, rng: random.Random, *, since: int) -> list[tuple[int, date, date]]:
    """(year, valid_from, valid_to) of yearly recognitions: each covers its own year's end only."""
    month, day = rng.randint(3, 10), rng.randint(1, 28)
    end = run.last if run.last is not None else last_year
    out = []
    for year in range(max(run.first, since), end + 1):
        start = date(year, month, day)
        out.append((year, start, date(year + 1, month, day) - timedelta(days=1)))
    return out


def three_year_certificates(run: Run, last_year: int, rng: random.Random) -> list[tuple[date, date]]:
    """(valid_from, valid_to) of three-year certificates renewed back to back; cut short when the run ends early."""
    month, day = rng.randint(3, 10), rng.randint(1, 28)
    end = run.last if run.last is not None else last_year
    out = []
    year = run.first
    while year <= end:
        start = date(year, month, day)
        valid_to = date(year + 3, month, day) - timedelta(days=1)
        if run.last is not None and year + 2 > run.last:  # withdrawn before its term
            valid_to = date(run.last + 1, month, day) - timedelta(days=1)
        out.append((start, valid_to))
        year += 3
    return out
