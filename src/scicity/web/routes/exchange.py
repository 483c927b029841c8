"""The exchange platform's pages: public catalogue, match page with explanations, one-click interest,
deals through the pipeline, forms for achievements and needs, publishing (operators), notifications."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from scicity.domain.exchange import (
    PIPELINE,
    Achievement,
    ContractType,
    DealStage,
    ExchangeKind,
    Need,
    Publication,
    SellerType,
    TechContract,
)
from scicity.domain.message import Msg, said
from scicity.i18n import tr, translations
from scicity.service.exchange_match import MatchResults, signal_text
from scicity.service.exchange_notify import announce_fits
from scicity.store.errors import InvalidInput, InvalidTransition, NotFound
from scicity.store.exchange import ExchangeRepository
from scicity.store.exchange_deals import DealRepository
from scicity.web.deps import Lang, State, require
from scicity.web.errors import BadRequest, Forbidden, NotFoundError
from scicity.web.exchange_web import actor_of, matcher
from scicity.web.permissions import Perm, Principal
from scicity.web.render import render

router = APIRouter(tags=["pages"], include_in_schema=False)
Member = Annotated[Principal, Depends(require(Perm.EXCHANGE))]
Operator = Annotated[Principal, Depends(require(Perm.EXCHANGE_OPERATE))]
STAGES = [s.value for s in PIPELINE] + [DealStage.DROPPED.value]


@router.get("/exchange")
def catalogue(request: Request, state: State, lang: Lang) -> Response:
    """Published achievements and open calls: public, no sign-in needed."""
    repo = ExchangeRepository(state.db)
    achievements = repo.list(ExchangeKind.ACHIEVEMENTS, published=True)
    calls = [n for n in repo.list(ExchangeKind.NEEDS, published=True, open_only=True) if isinstance(n, Need)
             and n.open_call]
    return render(request, "exchange.html", {"achievements": achievements, "calls": calls, "lang": lang})


@router.get("/exchange/match")
def match_page(request: Request, principal: Member, state: State, lang: Lang,
               need: Annotated[str | None, Query(max_length=64)] = None,
               achievement: Annotated[str | None, Query(max_length=64)] = None,
               q: Annotated[str | None, Query(max_length=2000)] = None) -> Response:
    actor = actor_of(state, principal)
    repo = ExchangeRepository(state.db)
    m = matcher(request)
    subject = None
    try:
        if need:
            subject = repo.get(ExchangeKind.NEEDS, need)
            if not actor.may_see(subject):  # type: ignore[arg-type]
                raise NotFoundError(Msg("no need with code {code}", code=repr(need)))
            results = m.for_need(need)
        elif achievement:
            subject = repo.get(ExchangeKind.ACHIEVEMENTS, achievement)
            if not actor.may_see(subject):  # type: ignore[arg-type]
                raise NotFoundError(Msg("no achievement with code {code}", code=repr(achievement)))
            results = m.for_achievement(achievement)
        elif q and q.strip():
            results = m.for_text(q)
        else:
            results = None
    except NotFound as exc:
        raise NotFoundError(str(exc)) from None
    if results is not None and not actor.operator:
        hidden = {a.code for a in repo.list(ExchangeKind.NEEDS) if not actor.may_see(a)}  # type: ignore[arg-type]
        results = MatchResults(results.query, {k: [r for r in v if not (r.kind == "need" and r.id in hidden)]
                                               for k, v in results.by_kind.items()})
    _ = translations(lang).gettext
    return render(request, "exchange_match.html", {"subject": subject, "results": results, "q": q or "",
                                                    "need": need, "achievement": achievement, "text": signal_text,
                                                    "tr": _})


@router.post("/exchange/interest")
def express_interest(request: Request, principal: Member, state: State,
                     achievement: Annotated[str | None, Form(max_length=64)] = None,
                     need: Annotated[str | None, Form(max_length=64)] = None) -> Response:
    actor = actor_of(state, principal)
    repo = ExchangeRepository(state.db)
    for kind, code in ((ExchangeKind.ACHIEVEMENTS, achievement), (ExchangeKind.NEEDS, need)):
        if code:
            try:
                record = repo.get(kind, code)
            except NotFound as exc:
                raise NotFoundError(str(exc)) from None
            if not actor.may_see(record):  # type: ignore[arg-type]
                raise NotFoundError(Msg("no achievement with code {code}", code=repr(code)) if kind is ExchangeKind.ACHIEVEMENTS
                                    else Msg("no need with code {code}", code=repr(code)))
    try:
        DealRepository(state.db).express_interest(actor=principal.name, org=actor.org, achievement=achievement or None,
                                                  need=need or None)
    except (InvalidInput, NotFound) as exc:
        raise BadRequest(said(exc)) from None
    state.wrote()
    return RedirectResponse("/exchange/deals", status_code=303)


@router.get("/exchange/deals")
def deals_page(request: Request, principal: Member, state: State, lang: Lang) -> Response:
    actor = actor_of(state, principal)
    deals = DealRepository(state.db).list(org=None if actor.operator else (actor.org or "\x00"))
    notes = DealRepository(state.db).notifications(actor.org) if actor.org else []
    return render(request, "exchange_deals.html", {"deals": deals, "stages": STAGES, "notes": notes,
                                                    "actor": actor, "today": date.today().isoformat(),
                                                    "contract_types": [t.value for t in ContractType]})


@router.post("/exchange/deals/{code}/move")
def move_deal(code: str, principal: Member, state: State,
              stage: Annotated[str, Form(max_length=20)],
              on: Annotated[str | None, Form(max_length=10)] = None,
              note: Annotated[str | None, Form(max_length=2000)] = None,
              contract_code: Annotated[str | None, Form(max_length=64)] = None,
              contract_type: Annotated[str | None, Form(max_length=20)] = None,
              amount: Annotated[float | None, Form()] = None) -> Response:
    actor = actor_of(state, principal)
    deals = DealRepository(state.db)
    try:
        deal = deals.get(code)
    except NotFound as exc:
        raise NotFoundError(str(exc)) from None
    if not actor.may_move(deal.seller_org, deal.buyer_org):
        raise Forbidden("only the two parties of a deal, or the platform operator, move it")
    if stage not in STAGES:
        raise BadRequest(Msg("unknown stage {stage}; one of {stages}", stage=repr(stage), stages=", ".join(STAGES)))
    try:
        day = date.fromisoformat(on) if on else None
    except ValueError:
        raise BadRequest(Msg("the date must be written YYYY-MM-DD")) from None
    contract = None
    if stage == DealStage.REGISTERED.value:
        if not contract_code or contract_type not in {t.value for t in ContractType} or amount is None:
            raise BadRequest(Msg("registering needs the contract's registration number, type and amount (万元)"))
        repo = ExchangeRepository(state.db)
        seller = repo.get(ExchangeKind.ACHIEVEMENTS, deal.achievement) if deal.achievement else None
        buyer = repo.get(ExchangeKind.NEEDS, deal.need) if deal.need else None
        contract = TechContract(code=contract_code, type=ContractType(contract_type), amount=amount,
                                seller=getattr(seller, "owner_name", None) or deal.seller_org or "-",
                                seller_type=getattr(seller, "owner_type", SellerType.OTHER),
                                buyer=deal.buyer_org or "-", field=getattr(seller, "field", None), ip=True,
                                signed_on=next((e.on for e in deal.events if e.stage is DealStage.SIGNED),
                                               day or date.today()),
                                unit=getattr(seller, "unit", None) or getattr(buyer, "unit", None))
    try:
        deals.move(code, stage, actor=principal.name, on=day, note=note or None, contract=contract)
    except (InvalidTransition, InvalidInput) as exc:
        raise BadRequest(said(exc)) from None
    state.wrote()
    return RedirectResponse("/exchange/deals", status_code=303)


@router.get("/exchange/new/{kind}")
def new_form(request: Request, kind: str, principal: Member, state: State) -> Response:
    if kind not in ("achievements", "needs"):
        raise NotFoundError(Msg("no form for {kind}; forms exist for achievements and needs", kind=repr(kind)))
    actor = actor_of(state, principal)
    return render(request, "exchange_form.html", {"kind": kind, "actor": actor, "error": None, "form": {}})


@router.post("/exchange/new/{kind}")
def create(request: Request, kind: str, principal: Member, state: State, lang: Lang,
           code: Annotated[str, Form(min_length=1, max_length=64)],
           title_zh: Annotated[str, Form(max_length=300)] = "", title_en: Annotated[str, Form(max_length=300)] = "",
           text_zh: Annotated[str, Form(max_length=20000)] = "", text_en: Annotated[str, Form(max_length=20000)] = "",
           field: Annotated[str, Form(max_length=100)] = "", trl: Annotated[int | None, Form(ge=1, le=9)] = None,
           org: Annotated[str, Form(max_length=64)] = "") -> Response:
    if kind not in ("achievements", "needs"):
        raise NotFoundError(Msg("no form for {kind}; forms exist for achievements and needs", kind=repr(kind)))
    actor = actor_of(state, principal)
    owner = org.strip() if actor.operator and org.strip() else actor.org
    if owner is None:
        raise Forbidden("you act for no organisation on the platform yet; ask the operator to add you")
    common = dict(code=code.strip(), title_zh=title_zh or None, title_en=title_en or None, field=field or None,
                  status=Publication.PENDING)
    record = (Achievement(**common, abstract_zh=text_zh or None, abstract_en=text_en or None, trl=trl, owner=owner)
              if kind == "achievements" else
              Need(**common, problem_zh=text_zh or None, problem_en=text_en or None, min_trl=trl, enterprise=owner))
    repo = ExchangeRepository(state.db)
    if code.strip() in repo.known(kind, [code.strip()]):
        existing = repo.get(kind, code.strip())
        if not actor.owns(existing) and not actor.operator:
            raise Forbidden(f"{code} belongs to another organisation")
    try:
        repo.save(record, actor=principal.name)
    except InvalidInput as exc:
        return render(request, "exchange_form.html", {"kind": kind, "actor": actor, "error": tr(said(exc), lang),
                                                       "form": record.model_dump()}, status_code=400)
    state.wrote()
    announce_fits(state.db, matcher(request), record, settings=state.settings)
    return RedirectResponse(f"/exchange/match?{'achievement' if kind == 'achievements' else 'need'}={record.code}",
                            status_code=303)


@router.post("/exchange/{kind}/{code}/publish")
def publish(kind: str, code: str, principal: Operator, state: State, request: Request) -> Response:
    if kind not in ("achievements", "needs"):
        raise NotFoundError(Msg("{kind} are not published", kind=repr(kind)))
    try:
        ExchangeRepository(state.db).set_status(kind, code, Publication.PUBLISHED, actor=principal.name)
    except NotFound as exc:
        raise NotFoundError(str(exc)) from None
    state.wrote()
    record = ExchangeRepository(state.db).get(kind, code)
    matcher(request).add(record)
    return RedirectResponse("/exchange", status_code=303)
