"""Forms for experts, shared facilities and instruments, talent exchanges and bookings: create and edit.

A transfer office (or enterprise) creates and edits its own records — the
organisation is theirs, not typed; the platform operator any, choosing the
organisation by name. A booking (hours of a shared facility used by an
organisation) is recorded by the facility's owner, on one of its facilities. Organisations and geography units are chosen by name
(the codes are the values sent). On a bad value the form comes back with
what was typed and the problem, naming the field; nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import anyio.to_thread
from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import select

from scicity.domain.exchange import (
    Booking,
    ExchangeKind,
    Expert,
    Facility,
    FacilityKind,
    TalentDirection,
    TalentExchange,
)
from scicity.domain.message import Msg, join, said
from scicity.ingest.schema_words import schema_message
from scicity.i18n import tr
from scicity.store.errors import InvalidInput, NotFound
from scicity.store.exchange import ExchangeRepository
from scicity.web.errors import Forbidden, NotFoundError
from scicity.web.exchange_web import Actor, actor_of
from scicity.web.render import render
from scicity.web.routes.common import load_plan
from scicity.web.routes.exchange import Member
from scicity.web.deps import Lang, State
from scicity.web.state import WebState

router = APIRouter(tags=["pages"], include_in_schema=False)


@dataclass(frozen=True)
class Input:
    """One field of a form: name, label (a msgid), kind (text, textarea, number, date, choice, org, unit)."""

    name: str
    label: str
    kind: str = "text"
    required: bool = False
    choices: tuple[str, ...] = ()


FORMS: dict[str, tuple[str, tuple[Input, ...]]] = {
    "experts": ("Expert", (
        Input("code", "code", required=True), Input("name", "Name (Chinese)", required=True), Input("name_en", "Name (English)"),
        Input("institution", "Organisation", "org", required=True), Input("field", "field"), Input("keywords", "Keywords"),
        Input("bio_zh", "Profile (Chinese)", "textarea"), Input("bio_en", "Profile (English)", "textarea"),
        Input("unit", "Geographic unit", "unit"), Input("contact", "Contact"))),
    "facilities": ("Shared facility or instrument", (
        Input("code", "code", required=True), Input("name_zh", "Name (Chinese)"), Input("name_en", "Name (English)"),
        Input("kind", "facility kind", "choice", True, tuple(k.value for k in FacilityKind)),
        Input("owner", "Organisation", "org", required=True), Input("field", "field"),
        Input("description", "Description", "textarea"), Input("unit", "Geographic unit", "unit"),
        Input("hourly_rate", "Hourly rate (CNY)", "number"))),
    "talent_exchanges": ("Talent exchange", (
        Input("code", "code", required=True), Input("person", "Person", required=True),
        Input("direction", "direction", "choice", True, tuple(d.value for d in TalentDirection)),
        Input("title", "Position (科技副总, 产业教授, …)"), Input("from_org", "From organisation", "org", required=True),
        Input("to_org", "To organisation", "org", required=True), Input("starts_on", "Starts on", "date", required=True),
        Input("ends_on", "Ends on", "date"), Input("hours", "hours", "number"), Input("unit", "Geographic unit", "unit"))),
    "bookings": ("Facility or instrument booking", (
        Input("code", "code", required=True), Input("facility", "Shared facility or instrument", "facility", required=True),
        Input("user_org", "Organisation that used it", "org", required=True),
        Input("starts_on", "Starts on", "date", required=True), Input("hours", "hours", "number", required=True))),
}
MODELS = {"experts": Expert, "facilities": Facility, "talent_exchanges": TalentExchange, "bookings": Booking}
#: the fields that name the organisation a record belongs to (a booking: also its facility's owner, see :func:`owns`)
OWNERS = {"experts": ("institution",), "facilities": ("owner",), "talent_exchanges": ("from_org", "to_org"),
          "bookings": ("user_org",)}
#: organisation fields any user chooses from the list (the others are the user's own organisation)
CHOSEN = frozenset({"from_org", "to_org", "user_org"})


def _kind(kind: str) -> str:
    if kind not in FORMS:
        raise NotFoundError(Msg("no form for {kind}; forms here are for {forms}", kind=repr(kind), 
                                forms=join(*(Msg(title) for title, _ in FORMS.values()), sep=", ")))
    return kind


def owns(actor: Actor, kind: str, record: Any, state: WebState | None = None) -> bool:
    """The operator edits every record; an organisation those that name it (a booking: also the facility's owner)."""
    if actor.operator:
        return True
    if actor.org is None:
        return False
    if actor.org in {getattr(record, f, None) for f in OWNERS[kind]}:
        return True
    return kind == "bookings" and state is not None and actor.org in _facility_owners(state, [record.facility]).values()


def _facility_owners(state: WebState, codes: list[str] | None = None) -> dict[str, str]:
    """Facility code → owning organisation (all facilities, or those of ``codes``)."""
    from scicity.store.exchange_tables import FacilityRow

    query = select(FacilityRow.code, FacilityRow.owner)
    if codes is not None:
        query = query.where(FacilityRow.code.in_(codes))
    with state.db.session() as session:
        return dict(session.execute(query).all())


def facilities(state: WebState, actor: Actor, lang: str) -> list[tuple[str, str]]:
    """(code, name) of the facilities the actor may record bookings of: the operator all, an organisation its own."""
    if not actor.operator and actor.org is None:
        return []
    rows = ExchangeRepository(state.db).list("facilities", owner=None if actor.operator else actor.org)
    named = [(f.code, (f.name_zh if lang == "zh" else f.name_en) or f.name_zh or f.name_en or f.code) for f in rows]
    return sorted(named, key=lambda kv: kv[1])


def organisations(state: WebState, actor: Actor, lang: str = "en") -> list[tuple[str, str]]:
    """(code, name) of the organisations on the platform, by name: achievements' owners, needs' enterprises,
    members; the actor's own first."""
    from scicity.store.exchange_tables import AchievementRow, MemberRow, NeedRow

    names: dict[str, str] = {}
    with state.db.session() as session:
        for code, name in session.execute(select(AchievementRow.owner, AchievementRow.owner_name)):
            names.setdefault(code, name or code)
        for code, name in session.execute(select(NeedRow.enterprise, NeedRow.enterprise_name)):
            names.setdefault(code, name or code)
        for (code,) in session.execute(select(MemberRow.org)):
            names.setdefault(code, code)
        unnamed = [code for code, name in names.items() if name == code]
        if unnamed:  # an enterprise known only by its credit code: its name from the enterprise registry
            from scicity.store.registry_tables import EnterpriseRow

            for code, zh, en in session.execute(select(EnterpriseRow.credit_code, EnterpriseRow.name_zh,
                                                       EnterpriseRow.name_en)
                                                .where(EnterpriseRow.credit_code.in_(unnamed))):
                names[code] = (zh or en if lang == "zh" else en or zh) or code
    ordered = sorted(names.items(), key=lambda kv: (kv[0] != actor.org, kv[1]))
    return ordered


def _page(request: Request, state: WebState, actor: Actor, kind: str, lang: str, form: dict[str, Any],
          error: str | None, editing: bool, status: int = 200) -> Response:
    title, inputs = FORMS[kind]
    units = [(u.id, u.name.get(lang)) for u in load_plan(state, None).plan.geography.walk()]
    return render(request, "exchange_record_form.html", {
        "kind": kind, "title": title, "inputs": inputs, "form": form, "error": error, "editing": editing,
        "actor": actor, "orgs": organisations(state, actor, lang), "units": units, "chosen": CHOSEN,
        "facilities": facilities(state, actor, lang) if kind == "bookings" else []}, status_code=status)


@router.get("/exchange/records/{kind}/new")
def new_record(request: Request, kind: str, principal: Member, state: State, lang: Lang) -> Response:
    """An empty form; the organisation is the user's own (operators choose one)."""
    kind = _kind(kind)
    actor = actor_of(state, principal)
    if actor.org is None and not actor.operator:
        raise Forbidden("you act for no organisation on the platform yet; ask the operator to add you")
    start = {f: actor.org for f in OWNERS[kind][:1]} if actor.org else {}
    return _page(request, state, actor, kind, lang, start, None, False)


@router.get("/exchange/records/{kind}/{code}")
def edit_record(request: Request, kind: str, code: str, principal: Member, state: State, lang: Lang) -> Response:
    """The record's form, filled in: its organisation's members and the operator only."""
    kind = _kind(kind)
    actor = actor_of(state, principal)
    try:
        record = ExchangeRepository(state.db).get(kind, code)
    except NotFound as exc:
        raise NotFoundError(str(exc)) from None
    if not owns(actor, kind, record, state):
        raise NotFoundError(Msg("no {kind} record with code {code}", kind=Msg(FORMS[kind][0]) if kind in FORMS else kind, code=repr(code)))  # as if absent
    form = {k: ("" if v is None else (v.value if hasattr(v, "value") else v)) for k, v in record.model_dump().items()}
    return _page(request, state, actor, kind, lang, form, None, True)


@router.post("/exchange/records/{kind}")
async def save_record(request: Request, kind: str, principal: Member, state: State, lang: Lang) -> Response:
    """Create or change a record (by its code); on a bad value the form again with the input kept."""
    kind = _kind(kind)
    posted = await request.form()
    form = {i.name: str(posted.get(i.name, "") or "").strip() for i in FORMS[kind][1]}
    return await anyio.to_thread.run_sync(lambda: _save(request, state, principal, kind, lang, form))


def _save(request: Request, state: WebState, principal: Any, kind: str, lang: str, form: dict[str, str]) -> Response:
    actor = actor_of(state, principal)
    if actor.org is None and not actor.operator:
        raise Forbidden("you act for no organisation on the platform yet; ask the operator to add you")
    repo = ExchangeRepository(state.db)
    editing = bool(form.get("code")) and form["code"] in repo.known(kind, [form["code"]])
    if editing and not owns(actor, kind, repo.get(kind, form["code"]), state):
        raise Forbidden(f"{form['code']} belongs to another organisation")
    data: dict[str, Any] = {k: (v if v != "" else None) for k, v in form.items()}
    if not actor.operator and kind == "bookings":  # recorded by the facility's owner
        if data.get("facility") and _facility_owners(state, [data["facility"]]).get(data["facility"]) != actor.org:
            return _page(request, state, actor, kind, lang, form,
                         _problem(lang, "facility", "the facility must be one of your organisation's"), editing, 400)
    elif not actor.operator:  # an organisation's own records: its code, not a typed one
        fields = OWNERS[kind]
        if len(fields) == 1:
            data[fields[0]] = actor.org
        elif actor.org not in {data.get(f) for f in fields}:
            return _page(request, state, actor, kind, lang, form,
                         _problem(lang, "from_org", "one side of the exchange must be your organisation"), editing, 400)
    for i in FORMS[kind][1]:
        if i.required and data.get(i.name) is None:
            return _page(request, state, actor, kind, lang, form, _problem(lang, i.name, "is required"), editing, 400)
    for name in ("starts_on", "ends_on"):
        if kind not in ("talent_exchanges", "bookings") or not data.get(name):
            continue
        try:
            date.fromisoformat(data[name])
        except ValueError:
            return _page(request, state, actor, kind, lang, form, _problem(lang, name, "write the date YYYY-MM-DD"),
                         editing, 400)
    try:
        record = MODELS[kind].model_validate({k: v for k, v in data.items() if v is not None and k in MODELS[kind].model_fields})
        repo.save(record, actor=principal.name)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "-"
        return _page(request, state, actor, kind, lang, form, _problem(lang, field, schema_message(first)), editing, 400)
    except InvalidInput as exc:
        return _page(request, state, actor, kind, lang, form, tr(said(exc), lang), editing, 400)
    state.wrote()
    return RedirectResponse(f"/exchange/records/{kind}/{record.code}?saved=1", status_code=303)


def _problem(lang: str, field: str, message: str) -> str:
    return tr(Msg("{field}: {problem}", field=field, problem=Msg(message) if getattr(message, "msg_id", None) is None
                  else message), lang)


__all__ = ["router", "FORMS", "ExchangeKind"]
