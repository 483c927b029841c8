"""Structured signals between a query (a need, or an achievement) and a candidate.

Each signal that can be judged is either *matched* (adds to the score) or an
*unmet constraint* (subtracts), and says so as a :class:`Signal` with a key and
its values, so that the outer layers can word it in Chinese or English:

- ``field``: the same technology field;
- ``ipc``: IPC codes sharing a subclass (H01M) or, weaker, a class (H01);
- ``maturity``: the candidate's TRL against the need's minimum (unmet when below);
- ``location``: the same district or county;
- ``terms``: a way of cooperating both accept (unmet when the need asks for terms the other does not offer).
"""

from __future__ import annotations

from dataclasses import dataclass, field

WEIGHTS = {"field": 1.0, "ipc": 1.0, "maturity": 0.5, "location": 0.3, "terms": 0.5}
PENALTY = {"maturity": 0.6, "terms": 0.3}


@dataclass(frozen=True)
class Profile:
    """What structured signals compare: field, IPC codes, TRL (or the minimum asked), place, terms."""

    field: str | None = None
    ipc: tuple[str, ...] = ()
    trl: int | None = None
    min_trl: int | None = None
    unit: str | None = None
    terms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Signal:
    key: str
    values: dict[str, str] = field(default_factory=dict)

    def english(self) -> str:
        return ENGLISH[self.key].format(**self.values)


ENGLISH = {
    "field": "same field: {field}",
    "ipc": "IPC codes share {shared}",
    "maturity": "TRL {trl} meets the required {min_trl}",
    "location": "same location: {unit}",
    "terms": "terms both accept: {terms}",
    "maturity_unmet": "TRL {trl} is below the required {min_trl}",
    "terms_unmet": "asks for {wanted}; offers {offered}",
}


def _fold(text: str | None) -> str:
    return (text or "").strip().casefold()


def compare(query: Profile, doc: Profile) -> tuple[float, float, list[Signal], list[Signal]]:
    """(bonus in 0–1, penalty in 0–1, matched signals, unmet constraints)."""
    bonus = penalty = 0.0
    matched: list[Signal] = []
    unmet: list[Signal] = []
    if query.field and doc.field and _fold(query.field) == _fold(doc.field):
        bonus += WEIGHTS["field"]
        matched.append(Signal("field", {"field": doc.field}))
    if query.ipc and doc.ipc:
        subclasses = {c[:4] for c in query.ipc} & {c[:4] for c in doc.ipc}
        classes = {c[:3] for c in query.ipc} & {c[:3] for c in doc.ipc}
        if subclasses:
            bonus += WEIGHTS["ipc"]
            matched.append(Signal("ipc", {"shared": ", ".join(sorted(subclasses))}))
        elif classes:
            bonus += WEIGHTS["ipc"] / 2
            matched.append(Signal("ipc", {"shared": ", ".join(sorted(classes))}))
    need_trl, have_trl = query.min_trl or doc.min_trl, doc.trl if query.min_trl else query.trl
    if need_trl and have_trl:
        values = {"trl": str(have_trl), "min_trl": str(need_trl)}
        if have_trl >= need_trl:
            bonus += WEIGHTS["maturity"]
            matched.append(Signal("maturity", values))
        else:
            penalty += PENALTY["maturity"] * min(1.0, (need_trl - have_trl) / 3)
            unmet.append(Signal("maturity_unmet", values))
    if query.unit and doc.unit and _fold(query.unit) == _fold(doc.unit):
        bonus += WEIGHTS["location"]
        matched.append(Signal("location", {"unit": doc.unit}))
    if query.terms and doc.terms:
        both = sorted(set(query.terms) & set(doc.terms))
        if both:
            bonus += WEIGHTS["terms"]
            matched.append(Signal("terms", {"terms": ", ".join(both)}))
        else:
            penalty += PENALTY["terms"]
            unmet.append(Signal("terms_unmet", {"wanted": ", ".join(query.terms), "offered": ", ".join(doc.terms)}))
    return bonus / sum(WEIGHTS.values()), min(1.0, penalty), matched, unmet
