"""Data and registry files read in a limited worker (:mod:`scicity.ingest.isolated`), for the web and the CLI.

    rows, notes = read_data_file(path, plan, limits=limits_from(settings), label="upload.xlsx")

The functions given to the worker are module-level (they are pickled) and
collect the readers' notes into a list instead of calling back.
"""

from __future__ import annotations

from pathlib import Path

from scicity.domain.observation import Observation
from scicity.domain.plan import Plan
from scicity.domain.registries import RegistryKind
from scicity.ingest.isolated import ParseLimits, run_isolated
from scicity.ingest.registry_reader import RegistryFile


def _data(path: Path, plan: Plan, unit: str | None, skip_foreign: bool) -> tuple[list[Observation], list[str]]:
    from scicity.ingest.detect import read_any

    notes: list[str] = []
    return read_any(path, plan, unit=unit, note=notes.append, skip_foreign=skip_foreign), notes


def read_data_file(path: Path, plan: Plan, *, unit: str | None = None, label: str | None = None,
                   limits: ParseLimits = ParseLimits(), skip_foreign: bool = False) -> tuple[list[Observation], list[str]]:
    """The observations of a data file and the reader's notes, or ImportRejected.

    ``skip_foreign``: rows for indicators or units the plan lacks are left out with a note (read-only runs).
    """
    return run_isolated(_data, Path(path), plan, unit, skip_foreign, label=label or Path(path).name, limits=limits)


class KnownInStore:
    """``known_enterprises`` for the registry reader that asks the database itself (picklable: only the URL)."""

    def __init__(self, database_url: str) -> None:
        self.database_url = database_url

    def __call__(self, codes: set[str]) -> set[str]:
        from scicity.store.db import Database
        from scicity.store.registries import RegistryRepository

        with Database(self.database_url) as db:
            return RegistryRepository(db).known_credit_codes(codes)


class StoredInStore:
    """``stored`` for the registry reader: the records the database holds for some keys (picklable: only the URL)."""

    def __init__(self, database_url: str) -> None:
        self.database_url = database_url

    def __call__(self, kind: RegistryKind, keys: list[tuple[object, ...]]) -> dict[tuple[object, ...], object]:
        from scicity.store.db import Database
        from scicity.store.registries import RegistryRepository

        with Database(self.database_url) as db:
            return RegistryRepository(db).stored(kind, keys)  # type: ignore[return-value]


def _registry(path: Path, kind: RegistryKind, plan: Plan, database_url: str | None) -> tuple[RegistryFile, list[str]]:
    from scicity.ingest.registry_reader import read_registry

    notes: list[str] = []
    known = KnownInStore(database_url) if database_url else None
    stored = StoredInStore(database_url) if database_url else None
    return read_registry(path, kind, plan, known_enterprises=known, stored=stored, note=notes.append), notes


def read_registry_file(path: Path, kind: RegistryKind, plan: Plan, *, database_url: str | None,
                       label: str | None = None, limits: ParseLimits = ParseLimits()) -> tuple[RegistryFile, list[str]]:
    """The records of a registry file (credit codes checked against ``database_url``) and notes, or ImportRejected."""
    return run_isolated(_registry, Path(path), RegistryKind(kind), plan, database_url,
                        label=label or Path(path).name, limits=limits)

