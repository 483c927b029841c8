"""What an import would change: new, changed and unchanged keys.

Used by ``--dry-run`` and by the import itself, so that the preview and the
write agree by construction.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from scicity.domain.observation import Observation, ObservationKey


class ChangeKind(StrEnum):
    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"


@dataclass(frozen=True, slots=True)
class Change:
    kind: ChangeKind
    key: ObservationKey
    new_value: float
    old_value: float | None = None
    old_revision: int | None = None
    new_source: str | None = None
    old_source: str | None = None


@dataclass(frozen=True)
class ChangeSet:
    changes: tuple[Change, ...] = field(default_factory=tuple)

    def of(self, kind: ChangeKind) -> list[Change]:
        return [c for c in self.changes if c.kind is kind]

    def counts(self) -> dict[str, int]:
        return {k.value: len(self.of(k)) for k in ChangeKind}

    @property
    def writes(self) -> list[Change]:
        return [c for c in self.changes if c.kind is not ChangeKind.UNCHANGED]


def same_value(a: float, b: float) -> bool:
    """Values equal to 12 significant digits (floats from Excel and text differ in the last bits)."""
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)


def diff(incoming: Iterable[Observation], stored: Mapping[ObservationKey, Observation]) -> ChangeSet:
    """Compare incoming values with the latest stored revision of each key.

    A key counts as unchanged when its value and source are the same; a new
    source for the same value is a change (it is a different statement).
    """
    out: list[Change] = []
    for obs in incoming:
        old = stored.get(obs.key)
        if old is None:
            out.append(Change(ChangeKind.NEW, obs.key, obs.value, new_source=obs.source))
            continue
        unchanged = same_value(old.value, obs.value) and (obs.source is None or obs.source == old.source)
        out.append(
            Change(
                ChangeKind.UNCHANGED if unchanged else ChangeKind.CHANGED,
                obs.key,
                obs.value,
                old.value,
                old.revision,
                obs.source,
                old.source,
            )
        )
    out.sort(key=lambda c: (c.key.indicator, c.key.unit, c.key.period))
    return ChangeSet(tuple(out))
