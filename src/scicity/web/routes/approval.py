"""Approval: values waiting for review; approve, or return with a comment. Someone else than the author decides."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from scicity.domain.message import Msg
from scicity.domain.observation import ObservationStatus
from scicity.web.contexts import ApprovalPage
from scicity.web.deps import Approver, Lang, State
from scicity.web.errors import BadRequest, Forbidden
from scicity.i18n import fmt_plain, tr
from scicity.web.flash import redirect_with
from scicity.web.render import render
from scicity.web.routes.indicator import line
from scicity.web.state import WebState

router = APIRouter(tags=["pages"], include_in_schema=False)


def submitted(state: WebState):  # noqa: ANN201
    return [r for r in state.observations.all_latest_for_export(None, statuses=(ObservationStatus.SUBMITTED,))
            if r.observation.status is ObservationStatus.SUBMITTED]


@router.get("/approval")
def approval_page(request: Request, principal: Approver, state: State, lang: Lang) -> Response:
    return render(request, "approval.html", approval_view(state, principal, lang))


def approval_view(state: WebState, principal, lang: str, *, error: str | None = None,  # noqa: ANN001
                  error_row: int | None = None) -> ApprovalPage:
    """The values waiting for approval; ``error`` is said beside row ``error_row`` (a return without a comment)."""
    records = submitted(state)
    approved = state.observations.latest({r.key.indicator for r in records}, {r.key.unit for r in records}) if records else {}
    previous = {r.id: fmt_plain(approved[r.key].value, lang) for r in records if r.key in approved}
    own = {r.id for r in records if r.observation.created_by == principal.name}
    return ApprovalPage([line(r, lang) for r in records], previous, own, error=error, error_row=error_row)


def _review(state: WebState, principal, row_id: int, target: ObservationStatus, comment: str | None) -> None:  # noqa: ANN001
    records = [r for r in submitted(state) if r.id == row_id]
    if not records:
        raise BadRequest(Msg('value {row_id} is not waiting for approval (someone may have reviewed it already)', row_id=row_id))
    if not principal.may_review(records[0].observation.created_by):
        raise Forbidden(Msg('you entered this value: someone else must approve or return it'))
    state.observations.set_status(row_id, None, target, actor=principal.name, comment=comment)


@router.post("/approval/{row_id}/approve")
def approve(request: Request, row_id: int, principal: Approver, state: State,
            comment: Annotated[str, Form(max_length=2000)] = "") -> Response:
    _review(state, principal, row_id, ObservationStatus.APPROVED, comment.strip() or None)
    return redirect_with(request, "/approval", "approved")


@router.post("/approval/{row_id}/return")
def return_value(request: Request, row_id: int, principal: Approver, state: State, lang: Lang,
                 comment: Annotated[str, Form(max_length=2000)] = "") -> Response:
    """Return a value to its author with a comment; without one, the page again with the reason at that row."""
    if not comment.strip() and any(r.id == row_id for r in submitted(state)):  # (a row not waiting: said below)
        view = approval_view(state, principal, lang, error=tr(Msg("say what to fix: returning a value needs a comment"),
                                                              lang), error_row=row_id)
        return render(request, "approval.html", view, status_code=422)
    _review(state, principal, row_id, ObservationStatus.RETURNED, comment.strip() or None)
    return redirect_with(request, "/approval", "returned")


