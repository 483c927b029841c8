"""/api/v1/observations: read (latest revision per key), write (as submitted or draft), approve and return."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from scicity.domain.message import Msg
from scicity.domain.observation import Observation, ObservationStatus
from scicity.store.observation_rows import ObservationRecord
from scicity.web.api.common import ERRORS
from scicity.web.api.schemas import ChangeOut, ChangesOut, ObservationOut, ObservationsIn, ReturnIn, ReviewIn
from scicity.web.deps import Approver, DataEntry, Reader, State
from scicity.web.errors import BadRequest, Conflict, Forbidden, NotFoundError, NotSignedIn
from scicity.web.permissions import Perm
from scicity.web.routes.data import check_reportable
from scicity.web.routes.indicator import visible

router = APIRouter(tags=["observations"], responses=ERRORS)
#: a stored row's id: what the databases' BIGINT holds
RowId = Annotated[int, Path(ge=1, le=2**63 - 1, description="The observation's row id.")]


def _out(rec: ObservationRecord) -> ObservationOut:
    o = rec.observation
    return ObservationOut(id=rec.id, indicator=o.indicator, unit=o.unit, period=o.period, value=o.value,
                          revision=o.revision, status=o.status.value, source=o.source, vintage=o.vintage,
                          created_by=o.created_by, created_at=o.created_at, approved_by=o.approved_by,
                          comment=rec.comment)


@router.get("/observations", response_model=list[ObservationOut])
def list_observations(
    principal: Reader,
    state: State,
    indicator: Annotated[list[str] | None, Query(max_length=100)] = None,
    unit: Annotated[list[str] | None, Query(max_length=100)] = None,
    status: Annotated[Literal["approved", "any"], Query(description="'any': drafts too, as far as you may see them")] = "approved",
    limit: Annotated[int, Query(ge=1, le=10_000)] = 1000,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[ObservationOut]:
    """The latest revision of each (indicator, unit, period) with the given status, sorted by key."""
    if status == "any" and not principal.signed_in:
        raise NotSignedIn(Msg('sign in to see values that are not approved yet'))
    if status == "any" and not principal.can(Perm.READ_DRAFTS):
        raise Forbidden(Msg('your role sees approved values only; ask with status=approved'))
    statuses = (ObservationStatus.APPROVED,) if status == "approved" else None
    records = state.observations.all_latest_for_export(indicator, unit, statuses=statuses)
    records = [r for r in records if visible(r, principal)]
    return [_out(r) for r in records[offset : offset + limit]]


@router.post("/observations", response_model=ChangesOut)
def write_observations(body: ObservationsIn, principal: DataEntry, state: State) -> ChangesOut:
    """Store values (new ones and corrections, as new revisions) all or nothing; ``dry_run`` only compares.

    Ids and units are the default plan's (404 otherwise). Send one value per indicator, unit and period in one
    request (a second one for the same key: 400, nothing written).
    """
    plan = state.plan().plan
    reported = plan.reported_ids()
    units = plan.geo_units()
    bad = sorted({o.indicator for o in body.observations if o.indicator not in reported})
    bad_units = sorted({o.unit for o in body.observations if o.unit not in units})
    if bad or bad_units:
        raise NotFoundError(Msg('unknown ids {bad} or units {bad_units} for plan {plan}', bad=bad, bad_units=bad_units, plan=repr(plan.id)))
    check_reportable(principal, {o.indicator for o in body.observations})
    negative = sorted({o.indicator for o in body.observations if o.value < 0 and o.indicator in plan.non_negative_ids()})
    if negative:
        raise BadRequest(Msg('these ids cannot be negative: {known}', known=', '.join(negative)))
    rows = [Observation(o.indicator, o.unit, o.period, o.value, o.source, o.vintage) for o in body.observations]
    if body.dry_run:
        changes = state.observations.preview(rows)
        batch = None
    else:
        applied = state.observations.apply(rows, actor=principal.name, status=body.status, file_name="api")
        changes, batch = applied, applied.batch_id
    return ChangesOut(dry_run=body.dry_run, counts=changes.counts(), batch_id=batch,
                      changes=[ChangeOut(kind=c.kind.value, indicator=c.key.indicator, unit=c.key.unit,
                                         period=c.key.period, old_value=c.old_value, new_value=c.new_value)
                               for c in changes.changes])


def _review(state, principal, observation_id: int, target: ObservationStatus, comment: str | None) -> ObservationOut:  # noqa: ANN001
    waiting = [r for r in state.observations.all_latest_for_export(None, statuses=(ObservationStatus.SUBMITTED,))
               if r.id == observation_id]
    if not waiting:
        if not state.observations.exists(observation_id):
            raise NotFoundError(Msg("there is no observation {observation_id}", observation_id=observation_id))
        raise Conflict(Msg('observation {observation_id} is not waiting for approval', observation_id=observation_id))
    if not principal.may_review(waiting[0].observation.created_by):
        raise Forbidden(Msg('you entered this value: someone else must approve or return it'))
    return _out(state.observations.set_status(observation_id, None, target, actor=principal.name, comment=comment))


@router.post("/observations/{observation_id}/approve", response_model=ObservationOut)
def approve(observation_id: RowId, body: ReviewIn, principal: Approver, state: State) -> ObservationOut:
    return _review(state, principal, observation_id, ObservationStatus.APPROVED, body.comment)


@router.post("/observations/{observation_id}/return", response_model=ObservationOut)
def return_observation(observation_id: RowId, body: ReturnIn, principal: Approver, state: State) -> ObservationOut:
    if not (body.comment and body.comment.strip()):
        raise BadRequest(Msg('returning a value needs a comment that says what to fix'))
    return _review(state, principal, observation_id, ObservationStatus.RETURNED, body.comment)
