"""Peer zones' values: read from CSV (checked against the plan), stored, and handed to the proposals.

The CSV has one value per row::

    peer,peer_name,indicator,year,value,unit,synthetic,source
    zhangjiang,Zhangjiang Science City,high_tech_enterprises,2025,2100,enterprises,false,annual report 2025

``indicator`` must be an indicator of the plan and ``unit`` its unit of
measure (as the plan file writes it); every bad row is reported, by row
number and column, and nothing is stored unless the whole file is good.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from scicity.domain.plan import Plan
from scicity.service.proposals import PeerPoint
from scicity.store.db import Database
from scicity.store.peers import PeerRepository, PeerValue

COLUMNS = ("peer", "peer_name", "indicator", "year", "value", "unit")
OPTIONAL = ("synthetic", "source")
TRUE = {"true", "yes", "1", "y", "是"}
FALSE = {"false", "no", "0", "n", "否", ""}


@dataclass(frozen=True)
class PeerProblem:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column}: {self.message}"


class PeerFileRejected(ValueError):
    def __init__(self, file: str, problems: Sequence[PeerProblem]) -> None:
        self.file = file
        self.problems = list(problems)
        lines = "\n".join(f"  {file}: {p}" for p in self.problems)
        super().__init__(f"{file}: {len(self.problems)} problem(s); nothing was stored:\n{lines}")


def read_peer_csv(text: str, plan: Plan, file: str = "<peers>") -> list[PeerValue]:
    """Peer values from CSV text, checked against ``plan``; :class:`PeerFileRejected` lists every problem."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise PeerFileRejected(file, [PeerProblem(1, c, "missing column (the header needs " + ", ".join(COLUMNS) + ")")
                                      for c in missing])
    measures = {i.id: i.measure for i in plan.indicators}
    out: list[PeerValue] = []
    problems: list[PeerProblem] = []
    seen: dict[tuple[str, str, int], int] = {}
    for n, raw in enumerate(reader, start=2):
        row = {k.strip(): (v or "").strip() for k, v in raw.items() if k is not None}
        bad = len(problems)
        peer, ind = row["peer"], row["indicator"]
        if not peer:
            problems.append(PeerProblem(n, "peer", "empty: give the peer zone an id, e.g. zhangjiang"))
        if ind not in measures:
            problems.append(PeerProblem(n, "indicator", f"unknown indicator {ind!r}: plan {plan.id} has "
                                        + ", ".join(sorted(measures))))
        elif row["unit"] != measures[ind]:
            problems.append(PeerProblem(n, "unit", f"{ind} is measured in {measures[ind]!r} in plan {plan.id}, "
                                        f"the file says {row['unit']!r}: convert the value or fix the unit"))
        try:
            year = int(row["year"])
        except ValueError:
            problems.append(PeerProblem(n, "year", f"{row['year']!r} is not a year"))
            year = 0
        try:
            value = float(row["value"].replace(",", ""))
            if not math.isfinite(value):
                raise ValueError
        except ValueError:
            problems.append(PeerProblem(n, "value", f"{row['value']!r} is not a number"))
            value = math.nan
        flag = row.get("synthetic", "").lower()
        if flag not in TRUE | FALSE:
            problems.append(PeerProblem(n, "synthetic", f"{row.get('synthetic')!r}: write true or false"))
        key = (peer, ind, year)
        if len(problems) == bad and key in seen:
            problems.append(PeerProblem(n, "year", f"{peer} {ind} {year} is given twice (also row {seen[key]})"))
        seen.setdefault(key, n)
        if len(problems) == bad:
            out.append(PeerValue(peer, row["peer_name"] or peer, ind, year, value, row["unit"], flag in TRUE,
                                 row.get("source") or None))
    if problems:
        raise PeerFileRejected(file, problems)
    return out


def import_peers(db: Database, path: Path, plan: Plan, *, actor: str) -> dict[str, int]:
    values = read_peer_csv(path.read_text(encoding="utf-8"), plan, str(path))
    return PeerRepository(db).load(values, actor=actor)


def peer_points(db: Database) -> dict[str, list[PeerPoint]]:
    """Stored peer values by indicator, as the proposals take them."""
    out: dict[str, list[PeerPoint]] = {}
    for v in PeerRepository(db).list():
        out.setdefault(v.indicator, []).append(PeerPoint(v.peer, v.peer_name, v.year, v.value, v.synthetic))
    return out


def peer_label(name: str, lang: str) -> str:
    """A peer's name in a language, from 'English / 中文' (a name without ' / ' is used as it is)."""
    en, sep, zh = name.partition(" / ")
    return (zh if lang == "zh" else en).strip() if sep else name


def standing(values: Sequence[PeerPoint], own: float | None, horizon: int) -> list[dict[str, float | str | bool | None]]:
    """Where the zone stands against each peer's latest value, and the yearly change to reach it in ``horizon`` years."""
    latest: dict[str, PeerPoint] = {}
    for p in values:
        if p.peer not in latest or p.year > latest[p.peer].year:
            latest[p.peer] = p
    out: list[dict[str, float | str | bool | None]] = []
    for peer, p in sorted(latest.items(), key=lambda kv: -kv[1].value):
        gap = None if own is None else p.value - own
        growth = None
        if own and own > 0 and p.value > 0:
            growth = (p.value / own) ** (1.0 / horizon) - 1.0
        out.append({"peer": peer, "peer_name": p.peer_name, "year": p.year, "value": p.value, "synthetic": p.synthetic,
                    "ratio": None if not own else p.value / own, "gap": gap,
                    "yearly_change": None if gap is None else gap / horizon, "yearly_growth": growth})
    return out
