"""`scicity plan draft | propose`: the next plan drafted from the last one, its targets proposed with their odds."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from scicity.cli.console import err, fail, out, reason, say
from scicity.domain.message import Msg

if TYPE_CHECKING:
    from scicity.assess.proposal import Confidence
    from scicity.service.proposals import Proposal

FromOption = Annotated[str | None, typer.Option("--from", help="The last plan (id or YAML file). Default: the default plan.")]
PeriodOption = Annotated[str, typer.Option("--period", help="The next plan's period, e.g. 2026-2030.")]
BaselineOption = Annotated[
    int | None, typer.Option("--baseline-year", help="Baseline year (default: the year before the period; needs approved data).")
]
LevelsOption = Annotated[
    str | None,
    typer.Option("--levels", help="Confidence levels in per cent, e.g. safe=90,stretch=60,ambitious=20 (the default)."),
]
#: how each check level, check kind and scenario reads (the keys are the JSON values)
SCENARIO_TEXT = {"trend": "the trend", "last_growth": "the last plan's growth", "peer_level": "a peer's level",
                 "peer_growth": "a peer's growth"}
DataOption = Annotated[Path | None, typer.Option("--data", "-d", help="Use this CSV/XLSX file instead of the database.")]


def _t(lang: str):
    from scicity.i18n import translations

    return translations(lang).gettext


def parse_period(text: str) -> tuple[int, int]:
    parts = text.replace("–", "-").split("-")
    try:
        start, end = (int(p) for p in parts)
    except ValueError:
        fail(Msg('--period {text}: write two years, e.g. --period 2026-2030', text=repr(text)))
    return start, end


def _levels(text: str | None) -> tuple[Confidence, ...]:
    from scicity.assess.proposal import DEFAULT_LEVELS, ConfidenceInvalid, parse_levels

    if text is None:
        return DEFAULT_LEVELS
    try:
        return parse_levels(text)
    except ConfidenceInvalid as exc:
        fail(reason(exc))


def _peers(plan_id: str, data: Path | None) -> dict[str, list[Any]]:
    """Peer values stored in the database (none in file mode)."""
    if data is not None:
        return {}
    from scicity.cli.context import open_database
    from scicity.service.peers import peer_points

    db = open_database()
    try:
        return peer_points(db)
    finally:
        db.dispose()


def draft(
    output: Annotated[Path, typer.Option("--output", "-o", help="Write the draft plan file (YAML) here.")],
    period: PeriodOption = "",
    from_plan: FromOption = None,
    baseline_year: BaselineOption = None,
    plan_id: Annotated[str | None, typer.Option("--id", help="Id of the new plan (default: the last one's, moved on: 14fyp → 15fyp).")] = None,
    drop: Annotated[list[str] | None, typer.Option("--drop", help="Leave this indicator out (repeatable).")] = None,
    confidence: Annotated[str, typer.Option("--confidence", "-c", help="Which proposal the targets start at: safe, stretch or ambitious.")] = "stretch",
    levels: LevelsOption = None,
    data: DataOption = None,
    lang: Annotated[str | None, typer.Option(help="Language: en or zh.")] = None,
) -> None:
    """Draft the next plan from the last one: carry its indicators, take its final values as the baseline, propose targets."""
    from scicity.cli.context import settings
    from scicity.cli.plan_values import plan_values
    from scicity.service.next_plan import MARK_LABELS, DraftError, draft_next_plan
    from scicity.service.wording import target_words

    if not period:
        fail("--period is required, e.g. --period 2026-2030")
    lang = lang or settings().lang
    _ = _t(lang)
    span = parse_period(period)
    chosen = _levels(levels)
    with plan_values(from_plan, data) as ctx:
        last, table = ctx.loaded.plan, ctx.values.table
    try:
        result = draft_next_plan(last, table, span, baseline_year=baseline_year, plan_id=plan_id, drop=drop or (),
                                 confidence=confidence, levels=chosen, peers=_peers(last.id, data))
    except DraftError as exc:
        fail(reason(exc))
    output.write_text(result.text, encoding="utf-8")
    table_out = Table(header_style="bold", title=_("Draft {id}: {start}–{end}, baseline {base}").format(
        id=result.plan.id, start=span[0], end=span[1], base=result.plan.baseline_year))
    for col in (_("Indicator"), _("carried, changed or dropped"), _("baseline value"), _("proposed target"), "p_meet", _("proposal note")):
        table_out.add_column(col)
    by_id = {p.indicator.id: p for p in result.proposals}
    for mark in result.marks:
        ind = last.indicator(mark.indicator)
        prop = by_id.get(ind.id)
        base = prop.history.baseline_value if prop else None
        lp = prop.level(confidence) if prop else None
        target = next((t for i in result.plan.indicators if i.id == ind.id for t in i.targets[:1]), None)
        table_out.add_row(
            ind.name.get(lang), _(MARK_LABELS[mark.mark]),
            _num(base, ind.decimals, lang),
            target_words(target, ind, lang) if target else "—",
            _pct(lp.odds.p_meet if lp else None), mark.text(_) if mark.reason else (_note(prop, lang) or "" if prop else ""),
        )
    out.print(table_out)
    out.print(_("wrote {file}: plan {id}, {n} indicators; check it with 'scicity plan validate {file}'").format(
        file=output, id=result.plan.id, n=len(result.plan.indicators)))


def propose_cmd(
    period: PeriodOption = "",
    from_plan: FromOption = None,
    baseline_year: BaselineOption = None,
    levels: LevelsOption = None,
    indicator: Annotated[list[str] | None, typer.Option("--indicator", "-i", help="Only this indicator (repeatable).")] = None,
    draft_file: Annotated[Path | None, typer.Option("--draft", help="Check this draft's targets across indicators (ratios, tiers, flows).")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
    data: DataOption = None,
    lang: Annotated[str | None, typer.Option(help="Language: en or zh.")] = None,
) -> None:
    """Propose the next plan's targets: at each confidence level and by scenario, with p_meet and the yearly change needed."""
    from scicity.cli.context import settings
    from scicity.cli.plan_values import plan_values
    from scicity.ingest.plan_file import PlanInvalid, load_plan_file
    from scicity.service.next_plan import DraftError, check_period, years_with_data
    from scicity.service.plan_checks import KIND_TEXT, LEVEL_TEXT, check_targets
    from scicity.service.proposals import propose

    if not period:
        fail("--period is required, e.g. --period 2026-2030")
    if fmt not in ("table", "json"):
        fail(Msg('unknown format {fmt}', fmt=repr(fmt)), hint="use table or json")
    lang = lang or settings().lang
    span = parse_period(period)
    chosen = _levels(levels)
    with plan_values(from_plan, data) as ctx:
        last, table = ctx.loaded.plan, ctx.values.table
    if indicator:
        unknown = [i for i in indicator if i not in {x.id for x in last.indicators}]
        if unknown:
            fail(Msg('unknown indicator(s): {unknown}', unknown=', '.join(unknown)), hint="see 'scicity plan show'")
    try:
        base = check_period(last, span, baseline_year, years_with_data(last, table))
    except DraftError as exc:
        fail(reason(exc))
    peers = _peers(last.id, data)
    proposals = propose(last, table, base, span[1], levels=chosen, peers=peers, indicators=set(indicator or ()))
    checks = []
    if draft_file is not None:
        try:
            draft_plan = load_plan_file(draft_file).plan
        except PlanInvalid as exc:
            err.print(say(exc.said()), markup=False)
            fail(Msg('{draft_file} is not a valid plan file', draft_file=draft_file))
        targets = {i.id: i.targets[0].value for i in draft_plan.indicators if i.targets}
        checks = check_targets(draft_plan, targets, last, table, base)
    if fmt == "json":
        payload = {"plan": last.id, "period": list(span), "baseline_year": base,
                   "proposals": [proposal_json(p, lang) for p in proposals],
                   "checks": [check_json(check, lang) for check in checks]}
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    from scicity.service.peers import peer_label

    names = {pt.peer: peer_label(pt.peer_name, lang) for points in peers.values() for pt in points}
    print_proposals(proposals, chosen, lang, names)
    _ = _t(lang)
    for check in checks:
        style = {"error": "bold red", "warning": "yellow"}.get(check.level, "green")
        out.print(f"[{style}]{_(LEVEL_TEXT[check.level])}[/] {_(KIND_TEXT[check.kind])}: {check.text(_, lang)}", highlight=False)


def print_proposals(proposals: list[Proposal], levels: tuple[Confidence, ...], lang: str,
                    peer_names: dict[str, str] | None = None) -> None:
    """The proposals as a table; peers by their names (``peer_names``: id -> name), their ids otherwise."""
    from scicity.i18n import SYMBOLS

    _ = _t(lang)
    names = peer_names or {}
    yr = "/yr" if lang == "en" else _("per year: /yr")
    table = Table(header_style="bold", show_lines=True)
    table.add_column(_("Indicator"))
    table.add_column(_("baseline value"), justify="right")
    table.add_column(_("achieved/yr"), justify="right")
    for level in levels:
        table.add_column(f"{_(level.name)} ({100 * level.p:.0f} %)", justify="right")
    table.add_column(_("scenarios: target · p_meet · need/yr"))
    for p in proposals:
        ind, h = p.indicator, p.history
        comparator = h.comparator.value if lang == "en" else SYMBOLS.get(h.comparator.value, h.comparator.value)
        cells = [f"{ind.name.get(lang)}\n[dim]{ind.id} · {_(h.kind.value)} {comparator}[/]",
                 _num(h.baseline_value, ind.decimals, lang), _num(p.achieved_yearly_change, ind.decimals + 1, lang)]
        if p.note:
            cells += ["—"] * len(levels) + [_note(p, lang) or ""]
            table.add_row(*cells)
            continue
        for lp in p.levels:
            o = lp.odds
            cells.append(f"{_num(o.value, ind.decimals, lang)}\n[dim]{_pct(o.p_meet)} · {_num(o.required_yearly_change, ind.decimals + 1, lang)}{yr}[/]")
        lines = [
            f"{_(SCENARIO_TEXT[s.key])}{' ' + names.get(s.peer, s.peer) if s.peer else ''}: {_num(s.odds.value, ind.decimals, lang)} · "
            f"{_pct(s.odds.p_meet)} · {_num(s.odds.required_yearly_change, ind.decimals + 1, lang)}{yr}"
            for s in p.scenarios
        ]
        cells.append("\n".join(lines))
        table.add_row(*cells)
    out.print(table)


def proposal_json(p: Proposal, lang: str) -> dict[str, Any]:
    h = p.history
    return {
        "indicator": p.indicator.id,
        "name": p.indicator.name.get(lang),
        "measure": p.indicator.measure,
        "kind": h.kind.value,
        "comparator": h.comparator.value,
        "baseline_year": h.baseline_year,
        "baseline_value": h.baseline_value,
        "target_year": h.target_year,
        "last_target": h.target.value,
        "achieved_yearly_change": p.achieved_yearly_change,
        "note": _note(p, lang),
        "levels": [{"name": lp.confidence.name, "confidence": lp.confidence.p, **lp.odds.__dict__} for lp in p.levels],
        "scenarios": [{"key": s.key, "peer": s.peer, "note": s.note, **s.odds.__dict__} for s in p.scenarios],
    }


def check_json(check: Any, lang: str) -> dict[str, Any]:
    return {"kind": check.kind, "level": check.level, "indicators": list(check.indicators),
            "message": check.text(_t(lang), lang), "numbers": check.numbers}


def _note(p: Proposal, lang: str) -> str | None:
    if p.note_template is None:
        return None
    return _t(lang)(p.note_template).format(**p.note_params)


def _num(value: float | None, decimals: int, lang: str) -> str:
    from scicity.i18n import fmt_number

    return fmt_number(value, min(decimals, 6), lang if lang in ("en", "zh") else "en")


def _pct(p: float | None) -> str:
    return "—" if p is None else f"{100 * p:.0f} %"


def register(app: typer.Typer) -> None:
    """Add the commands to the `scicity plan` group."""
    from scicity.cli.plan_lifecycle_cmd import next_app, peers_app

    app.command("draft")(draft)
    app.command("propose")(propose_cmd)
    app.add_typer(peers_app, name="peers")
    app.add_typer(next_app, name="next")
