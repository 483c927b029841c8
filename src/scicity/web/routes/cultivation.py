"""Cultivation pages: the tiers with their funnel and projections, the pool, the expiry watch, an enterprise's card."""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, Response
from starlette.background import BackgroundTask

from scicity.domain.credit_code import normalise
from scicity.domain.message import Msg
from scicity.domain.tier_eval import evaluate_year
from scicity.service.cultivation import (
    TIER_INDICATORS,
    data_years,
    evaluate_database,
    expiry_watch,
    funnel,
    pool,
    registry_facts,
)
from scicity.service.cultivation_projection import project
from scicity.service.cultivation_views import OUTCOME, flat_row, result_json, score_text, unknown_tier
from scicity.web.charts import FONT
from scicity.web.deps import Lang, Reader, State
from scicity.web.errors import BadRequest, NotFoundError
from scicity.web.presenters import target_words
from scicity.web.render import render
from scicity.web.state import WebState

router = APIRouter(tags=["pages"], include_in_schema=False)
Year = Annotated[int | None, Query(ge=2000, le=2100)]
Tier = Annotated[str, Query(max_length=40)]


def _version(state: WebState) -> int:
    """The registries' version as the pages last saw it (moves with every registry write)."""
    return state.read_model.versions().registries


def _years(state: WebState) -> list[int]:
    return data_years(registry_facts(state.db, _version(state)))


def _evaluation(state: WebState, years: list[int] | None = None) -> Any:
    return evaluate_database(state.db, years, version=_version(state), cache_dir=state.settings.data_dir / "cache")


def _tier_names(state: WebState, lang: str) -> dict[str, str]:
    book = state.rule_book()
    return {t: (book.of(t)[-1].name_zh if lang == "zh" else book.of(t)[-1].name_en) for t in book.tiers()}


def known_tier(state: WebState, tier: str) -> str:
    """``tier`` when the rule book has it; else 404 naming every tier (the pages and the API check it here)."""
    problem = unknown_tier(state.rule_book(), tier)
    if problem is not None:
        raise NotFoundError(problem)
    return tier


@dataclass
class CultivationPage:
    year: int | None
    years: list[int]
    tiers: list[tuple[str, str]]
    rows: list[dict[str, Any]] = field(default_factory=list)  # tier, name, certified, qualifying, pool, projection
    moves: list[tuple[str, str, int]] = field(default_factory=list)
    chart_spec: str = ""


def funnel_chart(steps: list, names: dict[str, str], labels: dict[str, str]) -> str:
    data = [{"tier": names[t], "order": i, "year": str(s.year), "n": s.certified[t], "what": labels["certified"]}
            for s in steps for i, t in enumerate(names)]
    data += [{"tier": names[t], "order": i, "year": str(s.year), "n": s.qualifying[t], "what": labels["qualifying"]}
             for s in steps for i, t in enumerate(names)]
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json", "width": "container", "height": 260,
        "config": {"font": FONT}, "data": {"values": data},
        "mark": {"type": "bar", "tooltip": True},
        "encoding": {
            "x": {"field": "tier", "type": "nominal", "sort": list(names.values()), "title": None,
                  "axis": {"labelAngle": 0}},
            "xOffset": {"field": "year", "type": "nominal"},
            "y": {"field": "n", "type": "quantitative", "title": labels["enterprises"], "scale": {"type": "symlog"},
                  "stack": None},
            "color": {"field": "year", "type": "nominal", "title": labels["year"]},
            "opacity": {"field": "what", "type": "nominal", "title": None,
                        "scale": {"domain": [labels["certified"], labels["qualifying"]], "range": [1, 0.35]}},
        },
    }
    return json.dumps(spec, ensure_ascii=False)


@router.get("/cultivation")
def cultivation_page(request: Request, principal: Reader, state: State, lang: Lang, year: Year = None) -> Response:
    names = _tier_names(state, lang)
    years = _years(state)
    page = CultivationPage(year=None, years=years, tiers=list(names.items()))
    if years:
        page.year = year if year in years else max(years)
        evaluation = _evaluation(state, [y for y in years if y <= page.year])
        steps = funnel(evaluation)
        now = next(s for s in steps if s.year == page.year)
        targets = _targets(state, lang)
        for tier, name in names.items():
            row: dict[str, Any] = {"tier": tier, "name": name, "certified": now.certified[tier],
                                   "qualifying": now.qualifying[tier], "pool": len(pool(evaluation, tier, page.year))}
            target = targets.get(tier)
            if target is not None:
                indicator, target_year, text = target
                p = project(evaluation, TIER_INDICATORS[indicator], max(target_year, page.year), page.year)
                row["projection"] = p
                row["target"] = (indicator, target_year, text)
            page.rows.append(row)
        page.moves = sorted(((a, b, n) for (a, b), n in now.transitions.items()), key=lambda m: -m[2])[:12]
        from scicity.i18n import translations

        t = translations(lang).gettext
        page.chart_spec = funnel_chart(steps, names, {"certified": t("certified"), "qualifying": t("qualifying on figures"),
                                                      "enterprises": t("Enterprises"), "year": t("Year")})
    return render(request, "cultivation.html", page)


def _targets(state: WebState, lang: str) -> dict[str, tuple[str, int, str]]:
    """tier -> (indicator id, target year, target text) of the plan's tier targets (first tier of an indicator)."""
    plan = state.plan().plan
    out: dict[str, tuple[str, int, str]] = {}
    for ind in plan.indicators:
        tiers = TIER_INDICATORS.get(ind.id)
        if not tiers or not ind.targets:
            continue
        target = ind.targets[-1]
        text = target_words(target, ind, lang)
        out.setdefault(tiers[0], (ind.id, plan.target_year_of(target), text))
    return out


@dataclass
class PoolPage:
    tier: str
    tier_name: str
    year: int | None
    years: list[int]
    tiers: list[tuple[str, str]]
    unit: str
    max_failing: int
    rows: list[dict[str, Any]] = field(default_factory=list)
    total: int = 0
    query: str = ""
    units: list[tuple[str, str]] = field(default_factory=list)  # (id, name): the units of the registry's enterprises


def _pool(state: WebState, lang: str, tier: str, year: int | None, unit: str, max_failing: int) -> tuple[PoolPage, list]:
    known_tier(state, tier)
    names = _tier_names(state, lang)
    years = _years(state)
    page = PoolPage(tier, names[tier], None, years, list(names.items()), unit, max_failing)
    unit_names = state.unit_names(lang)
    ids = sorted({f.unit for f in registry_facts(state.db, _version(state)) if f.unit})
    page.units = [(u, unit_names.get(u, u)) for u in ids]
    if unit and unit not in ids:  # a mistyped unit would show an empty pool as if no one were close
        raise BadRequest(Msg("unknown geographic unit {unit}; one of {known}", unit=repr(unit),
                             known=", ".join(f"{n} ({u})" for u, n in page.units) or "–"))
    if not years:
        return page, []
    page.year = year if year in years else max(years)
    near = pool(_evaluation(state, [page.year]), tier, page.year, max_failing=max_failing, unit=unit or None)
    page.total = len(near)
    page.rows = [{"code": r.credit_code, "name": r.enterprise, "unit": r.unit, "unit_name": unit_names.get(r.unit or "", r.unit),
                  "gaps": [g.zh if lang == "zh" else g.en for g in r.gaps()], "failing": len(r.failing())}
                 for r in near[:200]]
    page.query = f"tier={tier}&year={page.year}&unit={unit}&max_failing={max_failing}"
    return page, near


@router.get("/cultivation/pool")
def pool_page(request: Request, principal: Reader, state: State, lang: Lang, tier: Tier = "high_tech",
              year: Year = None, unit: Annotated[str, Query(max_length=64)] = "",
              max_failing: Annotated[int, Query(ge=1, le=5)] = 2) -> Response:
    page, _near = _pool(state, lang, tier, year, unit.strip(), max_failing)
    return render(request, "cultivation_pool.html", page)


@router.get("/cultivation/pool.xlsx")
def pool_download(principal: Reader, state: State, lang: Lang, tier: Tier = "high_tech", year: Year = None,
                  unit: Annotated[str, Query(max_length=64)] = "",
                  max_failing: Annotated[int, Query(ge=1, le=5)] = 2) -> Response:
    from scicity.reports.cultivation_tables import write_table

    page, near = _pool(state, lang, tier, year, unit.strip(), max_failing)
    folder = Path(tempfile.mkdtemp(prefix="scicity-pool-"))
    path = folder / f"pool-{tier}-{page.year}.xlsx"
    write_table(path, [flat_row(r, lang) for r in near], sheet=f"pool {tier}")

    def cleanup() -> None:
        path.unlink(missing_ok=True)
        folder.rmdir()

    return FileResponse(path, filename=path.name, background=BackgroundTask(cleanup),
                        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@dataclass
class ExpiryPage:
    year: int | None
    years: list[int]
    rows: list[dict[str, Any]] = field(default_factory=list)


@router.get("/cultivation/expiry")
def expiry_page(request: Request, principal: Reader, state: State, lang: Lang, year: Year = None) -> Response:
    years = _years(state)
    page = ExpiryPage(None, years)
    if years:
        page.year = year if year in years else max(years)
        watch = expiry_watch(_evaluation(state, [page.year]), page.year)
        unit_names = state.unit_names(lang)
        page.rows = [{"code": e.credit_code, "name": e.name, "unit": e.unit,
                      "unit_name": unit_names.get(e.unit or "", e.unit), "valid_to": e.certificate.valid_to,
                      "risk": e.risk, "reasons": (e.reasons_zh if lang == "zh" else e.reasons_en)[:3]} for e in watch]
    return render(request, "cultivation_expiry.html", page)


@dataclass
class CardPage:
    code: str
    name: str | None
    year: int
    years: list[int]
    tiers: list[dict[str, Any]]
    unit: str | None = None
    unit_name: str | None = None


def card_results(state: WebState, credit_code: str, year: int | None) -> tuple[Any, int, list]:
    code = normalise(credit_code.strip().upper())
    facts = next((f for f in registry_facts(state.db, _version(state)) if f.credit_code == code), None)
    if facts is None:
        raise NotFoundError(Msg("no enterprise with credit code {code} in the registry", code=code))
    if not facts.years:
        raise NotFoundError(Msg("{code} has no yearly figures", code=code))
    chosen = year if year in facts.years else max(facts.years)
    return facts, chosen, evaluate_year(state.rule_book(), facts, chosen)


@router.get("/cultivation/enterprises/{credit_code}")
def card_page(request: Request, credit_code: str, principal: Reader, state: State, lang: Lang,
              year: Year = None) -> Response:
    facts, chosen, results = card_results(state, credit_code, year)
    tiers = []
    for r in results:
        j = result_json(r, lang)
        for c, raw in zip(j["criteria"] + j["routes"], [*r.criteria, *r.routes], strict=True):
            if raw.score is not None:
                c["actual_text"] = score_text(raw.score)
        j["outcome_text"] = OUTCOME[lang][r.outcome]
        tiers.append(j)
    page = CardPage(facts.credit_code, facts.name, chosen, sorted(facts.years), tiers, facts.unit,
                    state.unit_names(lang).get(facts.unit or "", facts.unit))
    return render(request, "cultivation_card.html", page)


@dataclass(frozen=True)
class IndicatorPipeline:
    tiers: tuple[str, ...]
    projection: Any  # TierProjection, or None while the registries are not evaluated yet


def indicator_pipeline(state: WebState, indicator_id: str, target_year: int) -> IndicatorPipeline | None:
    """For a tier count: its registry-based projection (the evaluation is kept per registry version)."""
    tiers = TIER_INDICATORS.get(indicator_id)
    if tiers is None:
        return None
    evaluation = _evaluation(state)
    if not evaluation.years:
        return IndicatorPipeline(tiers, None)
    base = max(evaluation.years)
    return IndicatorPipeline(tiers, project(evaluation, tiers, max(target_year, base), base))
