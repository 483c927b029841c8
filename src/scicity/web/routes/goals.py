"""Qualitative goals: their status with evidence (a document link or a note), every change audited."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlparse

import hashlib
import re
from pathlib import Path

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import FileResponse, RedirectResponse, Response

from scicity.domain.message import Msg
from scicity.domain.plan import GoalStatus
from scicity.web.contexts import GoalLine, GoalsPage
from scicity.web.deps import GoalKeeper, Lang, Reader, State
from scicity.web.errors import BadRequest, NotFoundError
from scicity.i18n import fmt_datetime, tr, translations
from scicity.web.permissions import Perm, Principal
from scicity.web.render import render
from scicity.ingest.plan_file import LoadedPlan
from scicity.web.routes.common import PlanId, load_plan
from scicity.web.state import WebState

router = APIRouter(tags=["pages"], include_in_schema=False)
GOAL_LABELS = {"not_started": "not started", "in_progress": "in progress", "achieved": "achieved"}


def evidence_file_of(text: str | None) -> str | None:
    """The stored evidence document named by an evidence text ('file:<name> note'), if any."""
    if text and text.startswith("file:"):
        return text[len("file:"):].split(" ", 1)[0]
    return None


def is_link(text: str | None) -> bool:
    if not text:
        return False
    parsed = urlparse(text.strip())
    return parsed.scheme in ("http", "https") and bool(parsed.netloc)


@router.get("/goals")
def goals_page(request: Request, principal: Reader, state: State, lang: Lang, plan: PlanId = None) -> Response:
    return render(request, "goals.html", goals_view(state, principal, lang, load_plan(state, plan)))


def goals_view(state: WebState, principal: Principal, lang: str, loaded: LoadedPlan, *, error: str | None = None,
               error_goal: str | None = None, typed: dict[str, str] | None = None) -> GoalsPage:
    """The goals with their status and evidence; ``error`` says why a change of goal ``error_goal`` (its form as
    ``typed``) was not recorded."""
    _ = translations(lang).gettext
    latest = state.goals.latest(loaded.plan.id)
    lines = []
    for goal in loaded.plan.goals:
        entry = latest.get(goal.id)
        status = entry.status.value if entry else "not_started"
        history = [(fmt_datetime(h.at, lang), _(GOAL_LABELS[h.status.value]), h.confirmed_by, h.evidence or "")
                   for h in reversed(state.goals.history(loaded.plan.id, goal.id))] if entry else []
        lines.append(GoalLine(goal.id, goal.name.get(lang), status, _(GOAL_LABELS[status]),
                              entry.evidence if entry else None, is_link(entry.evidence if entry else None),
                              evidence_file_of(entry.evidence if entry else None),
                              entry.confirmed_by if entry else None, fmt_datetime(entry.at, lang) if entry else "",
                              history))
    return GoalsPage(lines, principal.can(Perm.GOALS), [(s, _(label)) for s, label in GOAL_LABELS.items()],
                     error=error, error_goal=error_goal, typed=typed or {})


EVIDENCE_PREFIX = "file:"
_SAFE_NAME = re.compile(r"^[0-9a-f]{16}-[\w.\-()\u4e00-\u9fff]{1,200}$")


def evidence_dir(state: WebState) -> Path:
    return state.settings.data_dir / "evidence"


def save_evidence(state: WebState, upload: UploadFile) -> str:
    """Keep an evidence document under the data directory; its stored name (content hash + file name)."""
    data = upload.file.read()
    if not data:
        raise BadRequest(Msg('the evidence file is empty'))
    name = re.sub(r"[^\w.\-()\u4e00-\u9fff]", "_", Path(upload.filename or "evidence").name)[:200] or "evidence"
    stored = f"{hashlib.sha256(data).hexdigest()[:16]}-{name}"
    folder = evidence_dir(state)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / stored).write_bytes(data)
    return stored


@router.get("/goals/evidence/{name}")
def evidence_file(name: str, principal: Reader, state: State) -> Response:
    """An evidence document, always as a download (never rendered by the browser as a page)."""
    path = evidence_dir(state) / name
    if not _SAFE_NAME.match(name) or not path.is_file():
        raise NotFoundError(Msg('no evidence document {name}', name=repr(name)))
    return FileResponse(path, filename=name.split("-", 1)[1], media_type="application/octet-stream",
                        content_disposition_type="attachment")


@router.post("/goals/{goal_id}")
def set_goal_status(
    request: Request,
    goal_id: str,
    principal: GoalKeeper,
    state: State,
    lang: Lang,
    status: Annotated[str, Form(max_length=32)],
    evidence: Annotated[str, Form(max_length=2000)] = "",
    plan: Annotated[str | None, Form(max_length=64)] = None,
    document: Annotated[UploadFile | None, File(description="Evidence document")] = None,
) -> Response:
    loaded = load_plan(state, plan)
    if goal_id not in {g.id for g in loaded.plan.goals}:
        raise BadRequest(Msg('plan {plan} has no goal {goal_id}', plan=repr(loaded.plan.id), goal_id=repr(goal_id)))
    if status not in {s.value for s in GoalStatus}:
        raise BadRequest(Msg('unknown status {status}; use one of: {known}', status=repr(status),
                             known=', '.join(s.value for s in GoalStatus)))
    has_document = document is not None and bool(document.filename)
    if status != "not_started" and not evidence.strip() and not has_document:  # the page again, the choice kept
        page = goals_view(state, principal, lang, loaded, error_goal=goal_id, typed={"status": status},
                          error=tr(Msg("say what shows it: give a link to the document or a short note as evidence"), lang))
        return render(request, "goals.html", page, status_code=422)
    created: Path | None = None
    if has_document:
        stored, created = save_evidence_new(state, document)  # type: ignore[arg-type]
        evidence = f"{EVIDENCE_PREFIX}{stored}" + (f" {evidence.strip()}" if evidence.strip() else "")
    try:
        state.goals.record(loaded.plan.id, goal_id, status, actor=principal.name, evidence=evidence.strip() or None)
    except BaseException:
        if created is not None:  # a refused update keeps no evidence file
            created.unlink(missing_ok=True)
        raise
    return RedirectResponse(f"/goals#goal-{goal_id}", status_code=303)


def save_evidence_new(state: WebState, upload: UploadFile) -> tuple[str, Path | None]:
    """:func:`save_evidence`, and the file's path if this call created it (None: the same file was kept before)."""
    data = upload.file.read()
    upload.file.seek(0)
    name = re.sub(r"[^\w.\-()\u4e00-\u9fff]", "_", Path(upload.filename or "evidence").name)[:200] or "evidence"
    path = evidence_dir(state) / f"{hashlib.sha256(data).hexdigest()[:16]}-{name}"
    existed = path.exists()
    stored = save_evidence(state, upload)
    return stored, None if existed else evidence_dir(state) / stored
