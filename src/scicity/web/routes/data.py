"""Data in: the XLSX template, upload with a dry-run preview then confirm, and a form for one value.

Values entered here are stored as ``submitted`` (or ``draft``): they count in
the overview only once someone else approves them. A data provider may only
enter the ids their department reports.
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import FileResponse, RedirectResponse, Response
from starlette.background import BackgroundTask

from scicity.domain.changes import ChangeKind
from scicity.domain.observation import Observation, ObservationStatus
from scicity.ingest.isolated import limits_from
from scicity.ingest.problems import ImportRejected
from scicity.service.file_reads import read_data_file
from scicity.ingest.template import write_template
from scicity.web.api.schemas import SOURCE_PATTERN
from scicity.web.contexts import CellProblem, ChangeLine, DataPage
from scicity.web.deps import DataEntry, Lang, State
from scicity.web.errors import BadRequest, Forbidden
from scicity.i18n import fmt_plain
from scicity.web.permissions import Principal
from scicity.web.render import render
from scicity.web.routes.indicator import line
from scicity.web.state import WebState
from scicity.web.registry_web import renamed
from scicity.web.upload_grid import build_grid
from scicity.web.uploads import UploadStore, UploadTooLarge

router = APIRouter(tags=["pages"], include_in_schema=False)
ENTRY_STATUSES = ("submitted", "draft")


def uploads(state: WebState) -> UploadStore:
    return UploadStore(state.settings.data_dir / "uploads", state.settings.upload_max_bytes)


def base_page(state: WebState, principal: Principal, lang: str) -> DataPage:
    plan = state.plan().plan
    reported = [(i.id, i.name.get(lang)) for i in plan.indicators if not i.formula]
    reported += [(s.id, s.name.get(lang)) for s in plan.series]
    allowed = [(i, n) for i, n in reported if principal.can_report(i)]
    units = [(u.id, u.name.get(lang)) for u in plan.geography.walk()]
    years = list(range(plan.baseline_year, plan.target_year + 1))
    drafts = state.observations.all_latest_for_export(
        [i for i, _ in allowed], statuses=(ObservationStatus.DRAFT, ObservationStatus.RETURNED))
    mine = [line(r, lang) for r in drafts if r.observation.created_by == principal.name]
    return DataPage(indicators=allowed, units=units, years=years, drafts=mine)


@router.get("/data")
def data_page(request: Request, principal: DataEntry, state: State, lang: Lang,
              message: Annotated[str | None, Query(max_length=200)] = None) -> Response:
    page = base_page(state, principal, lang)
    page.message = message
    return render(request, "data.html", page)


@router.get("/data/template.xlsx")
def template(principal: DataEntry, state: State, lang: Lang) -> Response:
    loaded = state.plan()
    tmp = Path(tempfile.mkdtemp(prefix="scicity-template-")) / "template.xlsx"
    write_template(loaded.plan, tmp, lang=lang)

    def cleanup() -> None:
        tmp.unlink(missing_ok=True)
        tmp.parent.rmdir()

    return FileResponse(tmp, filename=f"{loaded.plan.id}-template.xlsx", background=BackgroundTask(cleanup),
                        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def check_reportable(principal: Principal, ids: set[str]) -> None:
    refused = sorted(i for i in ids if not principal.can_report(i))
    if refused:
        raise Forbidden(f"your department does not report {', '.join(refused)}; nothing was stored. "
                        "Ask an administrator if it should.")


@router.post("/data/upload")
def upload(request: Request, principal: DataEntry, state: State, lang: Lang,
           file: Annotated[UploadFile, File(description="CSV or XLSX")],
           status: Annotated[str, Form(max_length=16)] = "submitted") -> Response:
    if status not in ENTRY_STATUSES:
        raise BadRequest(f"status must be one of {', '.join(ENTRY_STATUSES)}")
    page = base_page(state, principal, lang)
    page.status_choice = status
    store = uploads(state)
    try:
        pending = store.save(file.file, user_id=principal.user.id, file_name=file.filename or "upload",  # type: ignore[union-attr]
                             status=status, unit=None)
    except UploadTooLarge as exc:
        page.error = f"{exc}; nothing was stored"
        return render(request, "data.html", page, status_code=413)
    page.file_name = pending.file_name
    path = pending.path(store.root)
    try:
        return _preview(request, state, principal, lang, page, store, pending, path)
    except BaseException:
        store.discard(pending)  # nothing stays behind when a request fails
        raise


def read_upload(state: WebState, path: Path, file_name: str) -> list[Observation]:
    """The observations of an uploaded file, read in a limited worker (ImportRejected names the file as uploaded)."""
    loaded = state.plan()
    try:
        rows, _notes = read_data_file(path, loaded.plan, label=file_name, limits=limits_from(state.settings))
    except ImportRejected as exc:
        raise ImportRejected([renamed(p, path.name, file_name) for p in exc.problems], file_name, exc.omitted) from None
    return rows


def _preview(request: Request, state: WebState, principal: Principal, lang: str, page: DataPage, store: UploadStore,
             pending, path: Path) -> Response:  # noqa: ANN001
    try:
        rows = read_upload(state, path, pending.file_name)
    except ImportRejected as exc:
        page.problems = [CellProblem(str(p.location), p.location.sheet, p.location.row, p.location.column, p.message, p.value)
                         for p in exc.problems[:200]]
        page.problem_total = exc.total
        page.grid = build_grid(path, exc.problems)
        store.discard(pending)
        return render(request, "data.html", page, status_code=422)
    try:
        check_reportable(principal, {r.indicator for r in rows})
    except Forbidden:
        store.discard(pending)
        raise
    changes = state.observations.preview(rows)
    page.changes = [ChangeLine(c.kind.value, c.key.indicator, c.key.unit, c.key.period,
                               fmt_plain(c.old_value, lang) if c.old_value is not None else "",
                               fmt_plain(c.new_value, lang), c.new_source) for c in changes.changes
                    if c.kind is not ChangeKind.UNCHANGED][:500]
    page.counts = changes.counts()
    page.upload_id = pending.id if changes.writes else None
    if not changes.writes:
        store.discard(pending)
    return render(request, "data.html", page)


@router.post("/data/confirm")
def confirm(principal: DataEntry, state: State, upload_id: Annotated[str, Form(max_length=64)]) -> Response:
    store = uploads(state)
    pending = store.get(upload_id, principal.user.id)  # type: ignore[union-attr]
    if pending is None:
        raise BadRequest("this upload is no longer waiting (it was confirmed, or is older than an hour); upload it again")
    try:
        rows = read_upload(state, pending.path(store.root), pending.file_name)
        check_reportable(principal, {r.indicator for r in rows})
        applied = state.observations.apply(rows, actor=principal.name, status=pending.status,
                                           file_name=pending.file_name, sha256=pending.sha256)
    finally:
        store.discard(pending)
    counts = applied.counts()
    message = f"stored {counts['new']} new and {counts['changed']} changed values as {pending.status}"
    return RedirectResponse(f"/data?message={message.replace(' ', '+')}", status_code=303)


@router.post("/data/value")
def enter_value(
    principal: DataEntry,
    state: State,
    indicator: Annotated[str, Form(max_length=64)],
    unit: Annotated[str, Form(max_length=64)],
    period: Annotated[int, Form(ge=1900, le=2200)],
    value: Annotated[float, Form(allow_inf_nan=False)],
    source: Annotated[str, Form(max_length=1000, pattern=SOURCE_PATTERN)] = "",
    vintage: Annotated[date | None, Form()] = None,
    status: Annotated[str, Form(max_length=16)] = "submitted",
) -> Response:
    """Enter or correct one value: a correction adds a revision (with its own vintage); nothing is overwritten."""
    plan = state.plan().plan
    if indicator not in plan.reported_ids():
        raise BadRequest(f"{indicator!r} is not an id data can be reported under in plan {plan.id!r}")
    if unit not in plan.geo_units():
        raise BadRequest(f"{unit!r} is not a geographic unit of plan {plan.id!r}")
    if status not in ENTRY_STATUSES:
        raise BadRequest(f"status must be one of {', '.join(ENTRY_STATUSES)}")
    check_reportable(principal, {indicator})
    if value < 0 and indicator in plan.non_negative_ids():
        raise BadRequest(f"{indicator} cannot be negative")
    obs = Observation(indicator, unit, period, value, source.strip() or None, vintage)
    applied = state.observations.apply([obs], actor=principal.name, status=status, file_name="web form")
    message = "value unchanged: nothing stored" if not applied.writes else f"stored as {status}"
    return RedirectResponse(f"/data?message={message.replace(' ', '+')}", status_code=303)


@router.post("/data/submit/{row_id}")
def submit_draft(row_id: int, principal: DataEntry, state: State) -> Response:
    """Send one of one's drafts (or returned values) for approval."""
    records = [r for r in state.observations.all_latest_for_export(None, statuses=(ObservationStatus.DRAFT, ObservationStatus.RETURNED)) if r.id == row_id]
    if not records or records[0].observation.created_by != principal.name:
        raise Forbidden("only the person who entered a draft can submit it")
    state.observations.set_status(row_id, None, ObservationStatus.SUBMITTED, actor=principal.name)
    return RedirectResponse("/data?message=submitted+for+approval", status_code=303)

