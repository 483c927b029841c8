"""What the service layer needs from storage, as protocols.

Code outside ``store/`` types against these, so that a test double or
another backend can stand in for the SQLAlchemy repositories.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Protocol, runtime_checkable

from scicity.domain.changes import ChangeSet
from scicity.domain.observation import Observation, ObservationKey, ObservationStatus


@runtime_checkable
class ObservationStore(Protocol):
    """Observations by key and revision: read the latest, the history, preview and apply imports."""

    def latest(
        self,
        indicators: Iterable[str] | None = None,
        units: Iterable[str] | None = None,
        *,
        statuses: Iterable[ObservationStatus | str] | None = (ObservationStatus.APPROVED,),
        as_of: datetime | None = None,
    ) -> dict[ObservationKey, Observation]:
        """Highest revision per key among rows with ``statuses`` (None: any), recorded by ``as_of`` if given."""
        ...

    def history(self, key: ObservationKey) -> list[Observation]:
        """Every revision of ``key``, oldest first."""
        ...

    def preview(self, incoming: Sequence[Observation]) -> ChangeSet:
        """What :meth:`apply` would change; writes nothing."""
        ...

    def apply(
        self,
        incoming: Sequence[Observation],
        *,
        actor: str,
        status: ObservationStatus | str = ObservationStatus.APPROVED,
        file_name: str | None = None,
        sha256: str | None = None,
    ) -> ChangeSet:
        """Write new and changed values as new revisions, all or nothing; returns what was done."""
        ...
