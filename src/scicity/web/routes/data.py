"""Data in: the XLSX template, upload with a dry-run preview then confirm, and a form for one value.

Values entered here are stored as ``submitted`` (or ``draft``): they count in
the overview only once someone else approves them. A data provider may only
enter the ids their department reports.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import FileResponse, RedirectResponse, Response
from starlette.background import BackgroundTask

from scicity.domain.message import Msg
from scicity.domain.changes import ChangeKind
from scicity.domain.observation import Observation, ObservationStatus
from scicity.ingest.isolated import limits_from
from scicity.ingest.problems import ImportRejected, replaced
from scicity.service.file_reads import read_data_file
from scicity.ingest.template import write_template
from scicity.web.api.schemas import SOURCE_PATTERN
from scicity.web.contexts import CellProblem, ChangeLine, DataPage, RefusedRows
from scicity.web.deps import DataEntry, Lang, State
from scicity.web.errors import BadRequest, Forbidden
from scicity.domain.plan import Plan
from scicity.i18n import fmt_plain, tr, translations
from scicity.ingest.cells import CellRejected, parse_period, parse_value, parse_vintage
from scicity.web.permissions import Principal
from scicity.web.flash import redirect_with
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
              indicator: Annotated[str | None, Query(max_length=64)] = None,
              unit: Annotated[str | None, Query(max_length=64)] = None) -> Response:
    """The data page; ``?indicator=&unit=`` preselect the one-value form (from an indicator page)."""
    page = base_page(state, principal, lang)
    page.selected_indicator = indicator or ""
    page.selected_unit = unit or ""
    return render(request, "data.html", page)


@router.get("/data/template.xlsx")
def template(principal: DataEntry, state: State, lang: Lang,
             unit: Annotated[str | None, Query(max_length=64, description="The geographic unit (default: the plan's "
                                                "zone).")] = None) -> Response:
    """The Excel template in the reader's language, for the plan's zone or one unit (``?unit=``)."""
    loaded = state.plan()
    if unit and unit not in loaded.plan.geo_units():
        raise BadRequest(Msg("the plan has no geographic unit {text}", text=repr(unit[:64])))
    tmp = Path(tempfile.mkdtemp(prefix="scicity-template-")) / "template.xlsx"
    write_template(loaded.plan, tmp, lang=lang, unit=unit or None)

    def cleanup() -> None:
        tmp.unlink(missing_ok=True)
        tmp.parent.rmdir()

    name = f"{loaded.plan.id}-{unit}-template.xlsx" if unit else f"{loaded.plan.id}-template.xlsx"
    return FileResponse(tmp, filename=name, background=BackgroundTask(cleanup),
                        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def check_reportable(principal: Principal, ids: set[str]) -> None:
    refused = sorted(i for i in ids if not principal.can_report(i))
    if refused:
        raise Forbidden(Msg('your department does not report {known}; nothing was stored. Ask an administrator if it should.', known=', '.join(refused)))


@router.post("/data/upload")
def upload(request: Request, principal: DataEntry, state: State, lang: Lang,
           file: Annotated[UploadFile, File(description="CSV or XLSX")],
           status: Annotated[str, Form(max_length=16)] = "submitted") -> Response:
    if status not in ENTRY_STATUSES:
        raise BadRequest(Msg('status must be one of {known}', known=', '.join(ENTRY_STATUSES)))
    page = base_page(state, principal, lang)
    page.status_choice = status
    store = uploads(state)
    try:
        pending = store.save(file.file, user_id=principal.user.id, file_name=file.filename or "upload",  # type: ignore[union-attr]
                             status=status, unit=None)
    except UploadTooLarge as exc:
        page.error = tr(Msg("{reason}; nothing was stored", reason=exc.args[0]), lang)
        return render(request, "data.html", page, status_code=413)
    page.file_name = pending.file_name
    path = pending.path(store.root)
    try:
        return _preview(request, state, principal, lang, page, store, pending, path)
    except BaseException:
        store.discard(pending)  # nothing stays behind when a request fails
        raise


def read_upload(state: WebState, path: Path, file_name: str, notes: list[str] | None = None) -> list[Observation]:
    """The observations of an uploaded file, read in a limited worker (ImportRejected names the file as uploaded).

    ``notes`` receives the reader's remarks (messages, the file named as uploaded)."""
    loaded = state.plan()
    try:
        rows, read_notes = read_data_file(path, loaded.plan, label=file_name, limits=limits_from(state.settings))
        if notes is not None:
            notes.extend(replaced(n, path.name, file_name) for n in read_notes)
    except ImportRejected as exc:
        raise ImportRejected([renamed(p, path.name, file_name) for p in exc.problems], file_name, exc.omitted) from None
    return rows


def _preview(request: Request, state: WebState, principal: Principal, lang: str, page: DataPage, store: UploadStore,
             pending, path: Path) -> Response:  # noqa: ANN001
    loaded = state.plan()
    notes: list[str] = []
    try:
        rows = read_upload(state, path, pending.file_name, notes)
    except ImportRejected as exc:
        page.problems = [CellProblem(p.location.place(lang), p.location.sheet, p.location.row, p.location.column,
                                     tr(p.message, lang), p.value) for p in exc.problems[:200]]
        page.problem_total = exc.total
        page.grid = build_grid(path, exc.problems, lang)
        store.discard(pending)
        return render(request, "data.html", page, status_code=422)
    refused: dict[str, list[Observation]] = {}
    for r in rows:
        if not principal.can_report(r.indicator):
            refused.setdefault(r.indicator, []).append(r)
    if refused:
        store.discard(pending)
        _ = translations(lang).gettext
        units = loaded.plan.geo_units()
        page.error = _("your department does not report these series; nothing was stored. Remove those rows, or ask "
                       "an administrator to add the series to your department.")
        page.refused = [RefusedRows(i, plan_name(loaded.plan, i, lang), _(", ").join(
            f"{units[o.unit].name.get(lang) if o.unit in units else o.unit} {o.period}" for o in found))
            for i, found in sorted(refused.items())]
        return render(request, "data.html", page, status_code=403)
    page.notes = [tr(n, lang) for n in notes]
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
def confirm(request: Request, principal: DataEntry, state: State, upload_id: Annotated[str, Form(max_length=64)]) -> Response:
    store = uploads(state)
    pending = store.get(upload_id, principal.user.id)  # type: ignore[union-attr]
    if pending is None:
        raise BadRequest(Msg('this upload is no longer waiting (it was confirmed, or is older than an hour); upload it again'))
    loaded = state.plan()
    try:
        rows = read_upload(state, pending.path(store.root), pending.file_name)
        check_reportable(principal, {r.indicator for r in rows})
        applied = state.observations.apply(rows, actor=principal.name, status=pending.status,
                                           file_name=pending.file_name, sha256=pending.sha256)
    finally:
        store.discard(pending)
    counts = applied.counts()
    return redirect_with(request, "/data", "stored {new} new and {changed} changed values as {status}",
                         new=counts["new"], changed=counts["changed"], status=pending.status)


@router.post("/data/value")
def enter_value(
    request: Request,
    principal: DataEntry,
    state: State,
    lang: Lang,
    indicator: Annotated[str, Form(max_length=64)],
    unit: Annotated[str, Form(max_length=64)],
    period: Annotated[str, Form(max_length=16)],
    value: Annotated[str, Form(max_length=100)],
    source: Annotated[str, Form(max_length=1000)] = "",
    vintage: Annotated[str, Form(max_length=32)] = "",
    status: Annotated[str, Form(max_length=16)] = "submitted",
) -> Response:
    """Enter or correct one value: a correction adds a revision (with its own vintage); nothing is overwritten.

    A value that cannot be stored (``12%``, a date where a number belongs, an id the department does not
    report) answers the data page again with the reason beside the form and everything as it was typed."""
    plan = state.plan().plan
    _ = translations(lang).gettext
    problem: str | None = None
    code = 422
    number = 0.0
    day = None
    year = 0
    if indicator not in plan.reported_ids():
        problem = _("%s is not an id data can be reported under in this plan") % repr(indicator)
    elif unit not in plan.geo_units():
        problem = _("%s is not a geographic unit of this plan") % repr(unit)
    elif status not in ENTRY_STATUSES:
        problem = _("store as 'submitted' or 'draft'")
    elif not principal.can_report(indicator):
        problem = _("your department does not report %s; nothing was stored. Ask an administrator if it should.") % (
            f"{plan_name(plan, indicator, lang)} ({indicator})")
        code = 403
    if problem is None:
        try:
            year = parse_period(period)
            number = parse_value(value, indicator=indicator, non_negative=indicator in plan.non_negative_ids(),
                                 measure=measure_in(plan, indicator, lang))
            day = parse_vintage(vintage)
        except CellRejected as exc:
            problem = tr(exc.args[0] if exc.args else str(exc), lang)
    if problem is not None:
        page = base_page(state, principal, lang)
        page.selected_indicator, page.selected_unit = indicator, unit
        page.form = {"value": value, "source": source, "vintage": vintage, "period": period}
        page.form_error = problem
        page.status_choice = status if status in ENTRY_STATUSES else "submitted"
        return render(request, "data.html", page, status_code=code)
    obs = Observation(indicator, unit, year, number, source.strip() or None, day)
    applied = state.observations.apply([obs], actor=principal.name, status=status, file_name="web form")
    if not applied.writes:
        return redirect_with(request, "/data", "value unchanged: nothing stored")
    return redirect_with(request, "/data", "stored as {status}", status=status)


def measure_in(plan: Plan, ident: str, lang: str) -> str | None:
    for thing in (*plan.indicators, *plan.series):
        if thing.id == ident:
            return thing.measure_in(lang)
    return None


def plan_name(plan: Plan, ident: str, lang: str) -> str:
    for thing in (*plan.indicators, *plan.series):
        if thing.id == ident:
            return thing.name.get(lang)
    return ident


@router.post("/data/submit/{row_id}")
def submit_draft(request: Request, row_id: int, principal: DataEntry, state: State) -> Response:
    """Send one of one's drafts (or returned values) for approval."""
    records = [r for r in state.observations.all_latest_for_export(None, statuses=(ObservationStatus.DRAFT, ObservationStatus.RETURNED)) if r.id == row_id]
    if not records or records[0].observation.created_by != principal.name:
        raise Forbidden(Msg('only the person who entered a draft can submit it'))
    state.observations.set_status(row_id, None, ObservationStatus.SUBMITTED, actor=principal.name)
    return redirect_with(request, "/data", "submitted for approval")

