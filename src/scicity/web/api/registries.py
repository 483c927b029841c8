"""/api/v1/registries/{kind}: list a registry (paged, filtered) and import a CSV/XLSX file (all or nothing)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from scicity.domain.message import Msg
from scicity.domain.registries import RegistryKind
from scicity.i18n import tr
from scicity.ingest.problems import HEADS, ImportRejected
from scicity.ingest.registry_columns import COLUMN_LABELS, COLUMNS
from scicity.ingest.registry_words import value_words
from scicity.store.registry_rows import jsonable
from scicity.store.registry_search import search
from scicity.web.api.common import ERRORS
from scicity.web.api.schemas import IsoDay, Problem
from scicity.web.deps import Lang, RecordReader, State, require
from scicity.web.permissions import Perm, Principal
from scicity.web.registry_web import (
    SHOWN_PROBLEMS,
    changed_fields,
    make_filter,
    problem_dict,
    read_upload,
    repository,
    save_upload,
    upload_store,
)
from scicity.web.errors import UploadRefused
from scicity.web.uploads import UploadTooLarge

router = APIRouter(tags=["registries"], responses=ERRORS)
RegistryKeeper = Annotated[Principal, Depends(require(Perm.REGISTRIES))]


class RegistryListOut(BaseModel):
    kind: str
    total: int = Field(description="Records matching the filters, on all pages.")
    limit: int
    offset: int
    records: list[dict[str, Any]] = Field(description="Fields as in the registry's files; dates YYYY-MM-DD.")
    labels: dict[str, str] = Field(default_factory=dict, description="Each field's column name in the language "
                                   "asked (Accept-Language or ?lang=).")
    words: list[dict[str, str]] = Field(default_factory=list, description="Per record, the words of its enumerated "
                                        "and yes/no values (and the name of its geographic unit) in the language "
                                        "asked; the ids stay in records.")


class FileProblemOut(BaseModel):
    file: str
    sheet: str | None
    row: int | None
    column: str | None
    message: str
    value: str | None


class RegistryRejectedOut(Problem):
    """422: the file has problems (nothing was imported), or the request itself is malformed."""

    total: int | None = Field(None, description="How many problems in all (the list holds at most 200).")
    problems: list[FileProblemOut] = Field(default_factory=list)


class ChangedFieldOut(BaseModel):
    record: str
    field: str
    old: str
    new: str


class RegistryImportOut(BaseModel):
    kind: str
    dry_run: bool
    file_name: str
    rows: int
    counts: dict[str, int] = Field(description="new, changed, unchanged")
    changes: list[ChangedFieldOut] = Field(description="The changed fields of the first changed records.")
    batch_id: int | None = None


@router.get("/registries/{kind}", response_model=RegistryListOut)
def list_registry(
    kind: RegistryKind,
    principal: RecordReader,
    state: State,
    lang: Lang,
    unit: Annotated[str | None, Query(max_length=64, description="Geography unit (and the units under it).")] = None,
    valid_at: Annotated[IsoDay | None, Query(description="Only records valid on this day (not for enterprises, financials).")] = None,
    q: Annotated[str | None, Query(max_length=100, description="Text in a name or code (case-insensitive).")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> RegistryListOut:
    """Records ordered by their key, with the total that match.

    Give valid_at only for the registries with validity dates (not enterprises, financials): otherwise 400.
    """
    found = search(state.db, kind, make_filter(state, kind, unit, valid_at, q), limit=limit, offset=offset)
    fields = [c.field for c in COLUMNS[kind]]
    records = [{name: jsonable(getattr(r, name)) for name in fields} for r in found.records]
    units = {u.id: u.name.get(lang) for u in state.plan().plan.geography.walk()}
    labels = {name: tr(COLUMN_LABELS.get(name, name), lang) for name in fields}
    words = []
    for r in found.records:
        w = {name: text for name in fields if (text := value_words(kind.value, name, getattr(r, name), lang))}
        if getattr(r, "unit", None) in units:
            w["unit"] = units[r.unit]  # type: ignore[attr-defined]
        words.append(w)
    return RegistryListOut(kind=kind.value, total=found.total, limit=limit, offset=offset, records=records,
                           labels=labels, words=words)


@router.post("/registries/{kind}", response_model=RegistryImportOut,
             responses={413: {"model": Problem, "description": "The file is larger than the upload limit."},
                        422: {"model": RegistryRejectedOut, "description": "The file has problems; nothing was imported."}})
def import_registry(
    kind: RegistryKind,
    principal: RegistryKeeper,
    state: State,
    lang: Lang,
    file: Annotated[UploadFile, File(description="CSV or XLSX, one record per row, the header in the first row.")],
    dry_run: Annotated[bool, Form(description="Only say what would change; write nothing.")] = False,
) -> Any:
    """Import a file all or nothing: new records added, known keys updated (the fields the file has columns for).

    The file's content: a CSV or XLSX with the registry's header in the first row and one record per row
    (see docs/registries.md). A file with problems is refused with 422, every problem at its cell.
    """
    store = upload_store(state)
    try:
        pending = save_upload(state, file.file, file.filename or "upload", principal.user.id, kind)  # type: ignore[union-attr]
    except UploadTooLarge as exc:
        raise UploadRefused(Msg("{reason}; nothing was stored", reason=exc.args[0])) from None
    try:
        data = read_upload(state, pending, kind)
        repo = repository(state)
        if dry_run:
            changes = repo.preview(kind, data.records, fields=data.fields)
        else:
            changes = repo.apply(kind, data.records, actor=principal.name, fields=data.fields,
                                 file_name=pending.file_name, sha256=pending.sha256)
    except ImportRejected as exc:
        head = tr(Msg(HEADS[(False, exc.total == 1)], file=exc.file, n=exc.total), lang)
        first = tr(Msg("{where}: {problem}", where=head, problem=exc.problems[0].message), lang) if exc.total == 1 else head
        body = {"detail": first, "total": exc.total,
                "problems": [problem_dict(p, lang) for p in exc.problems[:SHOWN_PROBLEMS]]}
        return JSONResponse(body, status_code=422)
    finally:
        store.discard(pending)
    return RegistryImportOut(kind=kind.value, dry_run=dry_run, file_name=pending.file_name, rows=data.rows,
                             counts=changes.counts(), batch_id=changes.batch_id,
                             changes=[ChangedFieldOut(**vars(c)) for c in changed_fields(changes)])

