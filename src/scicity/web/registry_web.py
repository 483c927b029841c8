"""What the registry pages and the registry API share: filters, import of an uploaded file, problems.

An upload is kept in ``<data dir>/registry-uploads/`` (the same
:class:`~scicity.web.uploads.UploadStore` as observation uploads, a folder of
its own) between the dry run and the confirmation; confirming reads it again
and applies it all or nothing (:meth:`RegistryRepository.apply`).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import BinaryIO

from scicity.domain.message import Msg
from scicity.domain.registries import Record, RegistryKind
from scicity.i18n import tr
from scicity.ingest.problems import ImportRejected, Problem, replaced
from scicity.ingest.registry_export import cell_text, write_registry
from scicity.ingest.isolated import limits_from
from scicity.ingest.registry_reader import RegistryFile
from scicity.service.file_reads import read_registry_file
from scicity.store.registries import RegistryChanges, RegistryRepository
from scicity.store.registry_search import RegistryFilter, has_validity
from scicity.web.errors import BadRequest
from scicity.web.state import WebState
from scicity.web.uploads import PendingUpload, UploadStore

PAGE_SIZE = 50
#: how many changed records a dry run lists
SHOWN_CHANGES = 200
#: how many problems a page or an API answer lists (the total is given too)
SHOWN_PROBLEMS = 200
#: what ``PendingUpload.status`` holds for a registry upload (followed by the registry)
STATUS_PREFIX = "registry:"


def repository(state: WebState) -> RegistryRepository:
    return RegistryRepository(state.db)


def upload_store(state: WebState) -> UploadStore:
    return UploadStore(state.settings.data_dir / "registry-uploads", state.settings.upload_max_bytes)


def make_filter(state: WebState, kind: RegistryKind, unit: str | None, valid_at: date | None,
                text: str | None) -> RegistryFilter:
    """The filter of a request, checked: a known geography unit (with the units under it), validity only where it applies."""
    units = None
    if unit:
        geo = state.plan().plan.geo_units()
        if unit not in geo:
            raise BadRequest(Msg("unknown geography unit {unit}; the plan's units are {known}", unit=repr(unit), known=', '.join(geo)))
        units = {u.id for u in geo[unit].walk()}
    if valid_at is not None and not has_validity(kind):
        raise BadRequest(Msg("{kind} have no validity dates: leave 'valid at' empty (certifications can be listed valid at a date)", kind=kind.value))
    return RegistryFilter(units, valid_at, (text or "").strip() or None)


def parse_day(text: str | None) -> date | None:
    """A YYYY-MM-DD form field (empty: none)."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise BadRequest(Msg("'valid at' must be a date written YYYY-MM-DD, not {text}", text=repr(text[:20]))) from None


def save_upload(state: WebState, source: BinaryIO, file_name: str, user_id: int, kind: RegistryKind) -> PendingUpload:
    """Keep an upload (UploadTooLarge beyond the size limit; nothing is kept then)."""
    return upload_store(state).save(source, user_id=user_id, file_name=file_name,
                                    status=STATUS_PREFIX + kind.value, unit=None)


def read_upload(state: WebState, pending: PendingUpload, kind: RegistryKind, notes: list[str] | None = None) -> RegistryFile:
    """Every record of an upload, or ImportRejected whose problems name the file as it was uploaded.

    ``notes`` receives the reader's remarks (messages, the file named as uploaded)."""
    path = pending.path(upload_store(state).root)
    try:
        data, read_notes = read_registry_file(path, kind, state.plan().plan, database_url=state.settings.database_url,
                                              label=path.name, limits=limits_from(state.settings))
        if notes is not None:
            notes.extend(replaced(n, path.name, pending.file_name) for n in read_notes)
        return data
    except ImportRejected as exc:
        problems = [renamed(p, path.name, pending.file_name) for p in exc.problems]
        raise ImportRejected(problems, pending.file_name, exc.omitted) from None


def renamed(problem: Problem, stored: str, shown: str) -> Problem:
    location = problem.location
    if location.file in (stored, str(stored)):
        location = replace(location, file=shown)
    return replace(problem, location=location, message=replaced(problem.message, stored, shown))


def apply_upload(state: WebState, pending: PendingUpload, kind: RegistryKind, actor: str) -> RegistryChanges:
    data = read_upload(state, pending, kind)
    return repository(state).apply(kind, data.records, actor=actor, fields=data.fields, file_name=pending.file_name,
                                   sha256=pending.sha256)


@dataclass(frozen=True)
class ChangedField:
    record: str
    field: str
    old: str
    new: str


def changed_fields(changes: RegistryChanges, limit: int = SHOWN_CHANGES) -> list[ChangedField]:
    out: list[ChangedField] = []
    for key, diff in changes.changes.items():
        for name, (old, new) in diff.items():
            out.append(ChangedField(key, name, show(old), show(new)))
            if len(out) >= limit:
                return out
    return out


def show(value: object) -> str:
    return "" if value is None else cell_text(value)


def problem_dict(p: Problem, lang: str = "en") -> dict[str, object]:
    """A problem for the API: the place as fields (ids and letters as they are), the message in ``lang``."""
    loc = p.location
    return {"file": loc.file, "sheet": loc.sheet, "row": loc.row, "column": loc.column, "message": tr(p.message, lang),
            "value": p.value}


def export_file(kind: RegistryKind, records: Iterable[Record], suffix: str) -> Path:
    """A temporary file holding ``records`` as .csv or .xlsx (the caller removes it and its folder)."""
    path = Path(tempfile.mkdtemp(prefix="scicity-registry-")) / f"{kind.value}{suffix}"
    write_registry(path, kind, records)
    return path
