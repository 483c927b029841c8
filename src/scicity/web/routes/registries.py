"""The registries: an index with counts, a paged and filtered table per registry, download, and upload
(analysts and admins: CSV/XLSX → dry run with new / changed / unchanged or every problem → confirm, all or nothing).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile, Path
from fastapi.responses import FileResponse, RedirectResponse, Response
from starlette.background import BackgroundTask

from scicity.domain.message import Msg, join
from scicity.domain.registries import RegistryKind
from scicity.i18n import tr
from scicity.ingest.problems import ImportRejected
from scicity.ingest.registry_columns import COLUMN_LABELS, COLUMNS
from scicity.ingest.registry_words import VERBATIM, value_words
from scicity.store.registry_search import counts, has_validity, iter_matching, search
from scicity.web.contexts import CellProblem
from scicity.web.deps import Lang, Reader, RecordReader, State, require
from scicity.web.errors import NotFoundError, BadRequest, NotSignedIn
from scicity.service.public_view import public_fields
from scicity.web.permissions import Perm, Principal
from scicity.web.registry_web import (
    PAGE_SIZE,
    SHOWN_PROBLEMS,
    STATUS_PREFIX,
    ChangedField,
    apply_upload,
    changed_fields,
    export_file,
    make_filter,
    parse_day,
    read_upload,
    repository,
    save_upload,
    show,
    upload_store,
)
from scicity.web.render import render
from scicity.web.state import WebState
from scicity.web.upload_grid import build_grid
from scicity.web.uploads import UploadTooLarge

router = APIRouter(tags=["pages"], include_in_schema=False)


def registry_kind(kind: str = Path(max_length=32, description="The registry: " + ", ".join(k.value for k in RegistryKind))) -> RegistryKind:
    """The registry a path names; 404 (not 422) for one that does not exist."""
    try:
        return RegistryKind(kind)
    except ValueError:
        raise NotFoundError(Msg("there is no registry {kind}; the registries are {known}", kind=repr(kind[:32]),
                                known=join(*(Msg(TITLES[k]) for k in RegistryKind), sep=", "))) from None


KindParam = Annotated[RegistryKind, Depends(registry_kind)]
RegistryKeeper = Annotated[Principal, Depends(require(Perm.REGISTRIES))]

#: what each registry is called on the pages (translated in messages.po)
TITLES: dict[RegistryKind, str] = {
    RegistryKind.INSTITUTIONS: "Institutions and platforms",
    RegistryKind.ENTERPRISES: "Enterprises",
    RegistryKind.CERTIFICATIONS: "Enterprise certifications",
    RegistryKind.FINANCIALS: "Enterprise financials",
    RegistryKind.TALENT: "Talent",
    RegistryKind.PATENTS: "Patents",
}
LABELS = COLUMN_LABELS
Text = Annotated[str, Query(max_length=100)]


@dataclass(frozen=True)
class RegistryIndexPage:
    registries: list[tuple[str, str, int]]  # (kind, title, records)
    listed: frozenset[str] = frozenset()  # the kinds the reader may open record by record
    public: bool = False  # the public view: counts, and the fields an admin opted in


@dataclass
class RegistryPage:
    kind: str
    title: str
    columns: list[tuple[str, str]]  # (field, heading)
    rows: list[list[str]]
    total: int
    page: int
    pages: int
    units: list[tuple[str, str]]
    unit: str
    valid_at: str
    q: str
    has_validity: bool
    can_upload: bool
    query: str  # the filters as a query string (for downloads and paging)
    prev_href: str | None = None
    next_href: str | None = None
    done: tuple[int, int] | None = None  # (new, changed) of the import just confirmed
    public: bool = False  # the public view: only the fields an admin opted in, no search, no download
    file_name: str | None = None
    problems: list[CellProblem] = field(default_factory=list)
    problem_total: int = 0
    grid: Any = None
    counts: dict[str, int] = field(default_factory=dict)
    changes: list[ChangedField] = field(default_factory=list)
    upload_id: str | None = None
    error: str | None = None
    headers: list[str] = field(default_factory=list)  # the file headers an upload may use
    verbatim: list[bool] = field(default_factory=list)  # per column: codes and free text as entered (not translated)
    notes: list[str] = field(default_factory=list)  # the reader's remarks on an upload (read as GB18030, …), translated


def _unit_names(state: WebState, lang: str) -> dict[str, str]:
    return state.unit_names(lang)


def _page(state: WebState, principal: Principal, lang: str, kind: KindParam, *, unit: str = "",
          valid_at: str = "", q: str = "", page: int = 1, only: tuple[str, ...] | None = None) -> RegistryPage:
    """``only``: the fields the reader may see (the public view's opted-in fields); None: every field."""
    day = parse_day(valid_at)
    f = make_filter(state, kind, unit.strip() or None, day, q)
    found = search(state.db, kind, f, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    names = _unit_names(state, lang)
    fields = [c.field for c in COLUMNS[kind] if not (lang == "zh" and c.field == "name_en")
              and (only is None or c.field in only)]
    rows = []
    for record in found.records:
        cells = []
        for name in fields:
            value = getattr(record, name)
            if name == "unit":
                cells.append(names.get(value, value))
            else:
                cells.append(value_words(kind.value, name, value, lang) or show(value))
        rows.append(cells)
    params = {k: v for k, v in (("unit", unit.strip()), ("valid_at", valid_at.strip()), ("q", q.strip())) if v}
    pages = max(1, -(-found.total // PAGE_SIZE))
    base = f"/registries/{kind.value}"
    out = RegistryPage(
        kind=kind.value, title=TITLES[kind], columns=[(n, LABELS.get(n, n)) for n in fields], rows=rows,
        total=found.total, page=page, pages=pages, units=list(names.items()), unit=unit.strip(),
        valid_at=valid_at.strip(), q=q.strip(), has_validity=has_validity(kind),
        can_upload=principal.can(Perm.REGISTRIES), query=urlencode(params),
        headers=[c.headers[1] if lang == "zh" and len(c.headers) > 1 else c.header for c in COLUMNS[kind]],
        verbatim=[n in VERBATIM for n in fields],
    )
    if page > 1:
        out.prev_href = f"{base}?{urlencode({**params, 'page': page - 1})}"
    if page < pages:
        out.next_href = f"{base}?{urlencode({**params, 'page': page + 1})}"
    return out


@router.get("/registries")
def registries_index(request: Request, principal: Reader, state: State) -> Response:
    n = counts(state.db)
    records = principal.can(Perm.READ_RECORDS)
    listed = frozenset(k.value for k in RegistryKind) if records else frozenset(k.value for k in public_fields(state.db))
    page = RegistryIndexPage([(k.value, TITLES[k], n[k]) for k in RegistryKind], listed, public=not records)
    return render(request, "registries.html", page)


def _readable_fields(state: WebState, principal: Principal, kind: RegistryKind) -> tuple[str, ...] | None:
    """None: every field (a reader of records); else the public view's opted-in fields of the kind — none: refused
    as before (records are never public unless an admin opted a field in)."""
    if principal.can(Perm.READ_RECORDS):
        return None
    fields = public_fields(state.db).get(kind, ())
    if not fields:
        raise NotSignedIn(Msg('sign in to see this page'))
    return fields


@router.get("/registries/{kind}")
def registry_page(
    request: Request, kind: KindParam, principal: Reader, state: State, lang: Lang,
    unit: Annotated[str, Query(max_length=64)] = "",
    valid_at: Annotated[str, Query(max_length=10)] = "",
    q: Text = "",
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    new: Annotated[int | None, Query(ge=0)] = None,
    changed: Annotated[int | None, Query(ge=0)] = None,
) -> Response:
    only = _readable_fields(state, principal, kind)
    q = q if only is None else ""  # a search could tell what a field not shown holds
    context = _page(state, principal, lang, kind, unit=unit, valid_at=valid_at, q=q, page=page, only=only)
    context.public = only is not None
    if new is not None and changed is not None:
        context.done = (new, changed)
    return render(request, "registry.html", context)


@router.get("/registries/{kind}/export.{fmt}")
def registry_export(
    kind: KindParam, fmt: str, principal: RecordReader, state: State,
    unit: Annotated[str, Query(max_length=64)] = "",
    valid_at: Annotated[str, Query(max_length=10)] = "",
    q: Text = "",
) -> Response:
    """The matching records as CSV or XLSX, in the columns an import reads."""
    if fmt not in ("csv", "xlsx"):
        raise BadRequest(Msg('download as .csv or .xlsx'))
    f = make_filter(state, kind, unit.strip() or None, parse_day(valid_at), q)
    path = export_file(kind, iter_matching(state.db, kind, f), f".{fmt}")

    def cleanup() -> None:
        path.unlink(missing_ok=True)
        path.parent.rmdir()

    media = "text/csv; charset=utf-8" if fmt == "csv" else \
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return FileResponse(path, filename=path.name, media_type=media, background=BackgroundTask(cleanup))


@router.post("/registries/{kind}/upload")
def registry_upload(request: Request, kind: KindParam, principal: RegistryKeeper, state: State, lang: Lang,
                    file: Annotated[UploadFile, File(description="CSV or XLSX")]) -> Response:
    """Dry run: read every cell; list the problems (nothing kept) or what would change (kept for confirming)."""
    context = _page(state, principal, lang, kind)
    try:
        pending = save_upload(state, file.file, file.filename or "upload", principal.user.id, kind)  # type: ignore[union-attr]
    except UploadTooLarge as exc:
        context.error = tr(Msg("{reason}; nothing was stored", reason=exc.args[0]), lang)
        return render(request, "registry.html", context, status_code=413)
    context.file_name = pending.file_name
    store = upload_store(state)
    try:
        return _preview(request, state, context, store, pending, kind, lang)
    except BaseException:
        store.discard(pending)  # nothing stays behind when a request fails
        raise


def _preview(request: Request, state: WebState, context, store, pending, kind: RegistryKind,  # noqa: ANN001
             lang: str = "en") -> Response:
    notes: list[str] = []
    try:
        data = read_upload(state, pending, kind, notes)
    except ImportRejected as exc:
        context.problems = [CellProblem(p.location.place(lang, file=True), p.location.sheet, p.location.row, p.location.column,
                                        tr(p.message, lang), p.value) for p in exc.problems[:SHOWN_PROBLEMS]]
        context.problem_total = exc.total
        context.grid = build_grid(pending.path(store.root), exc.problems, lang)
        store.discard(pending)
        return render(request, "registry.html", context, status_code=422)
    changes = repository(state).preview(kind, data.records, fields=data.fields)
    context.notes = [tr(n, lang) for n in notes]
    context.counts = changes.counts()
    context.changes = changed_fields(changes)
    if changes.new or changes.changed:
        context.upload_id = pending.id
    else:
        store.discard(pending)
    return render(request, "registry.html", context)


@router.post("/registries/{kind}/confirm")
def registry_confirm(kind: KindParam, principal: RegistryKeeper, state: State,
                     upload_id: Annotated[str, Form(max_length=64)]) -> Response:
    """Store a previewed upload: read again, all or nothing, one import batch and one audit event."""
    store = upload_store(state)
    pending = store.get(upload_id, principal.user.id)  # type: ignore[union-attr]
    if pending is None or pending.status != STATUS_PREFIX + kind.value:
        raise BadRequest(Msg('this upload is no longer waiting (it was confirmed, or is older than an hour); upload it again'))
    try:
        applied = apply_upload(state, pending, kind, principal.name)
    except ImportRejected as exc:  # the registry changed since the dry run (e.g. an enterprise is gone)
        raise BadRequest(str(exc)) from None
    finally:
        store.discard(pending)
    return RedirectResponse(f"/registries/{kind.value}?new={applied.new}&changed={applied.changed}",
                            status_code=303)
