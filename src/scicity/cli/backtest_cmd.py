"""`scicity backtest`: judge as of an earlier year and compare with what happened."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from scicity.assess import BacktestReport, methods
from scicity.assess import backtest as run_backtest
from scicity.cli.console import STATUS_STYLE, STATUS_TEXT, fail, out
from scicity.domain.message import Msg
from scicity.cli.plan_values import EngineOption, ParquetOption, StrictOption, plan_values
from scicity.cli.table_words import word
from scicity.i18n import tr
from scicity.service.status import target_spec
from scicity.service.wording import method_title, status_label

def backtest(
    as_of: Annotated[int, typer.Option("--as-of", help="Judge as of this year (e.g. the mid-term year).")],
    plan: Annotated[str | None, typer.Option("--plan", "-p", help="Plan id or plan YAML file.")] = None,
    data: Annotated[Path | None, typer.Option("--data", "-d", help="CSV/XLSX with the full series (default: the database).")] = None,
    method: Annotated[str, typer.Option("--method", "-m", help="Assessment method, or 'all' to score every method.")] = "projection",
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
    engine: EngineOption = "store",
    parquet: ParquetOption = None,
    strict: StrictOption = False,
    lang: Annotated[str | None, typer.Option(help="Language of the tables: en or zh (default SCICITY_LANG).")] = None,
) -> None:
    """Judge every target as of --as-of, compare with the final outcome; report hit rate and Brier score of p_meet."""
    from scicity.cli.report_cmd import check_lang

    lang = check_lang(lang)
    names = methods() if method == "all" else [method]
    if method != "all" and method not in methods():
        fail(Msg('unknown method {method}', method=repr(method)), hint=Msg('choose one of: all, {value}', value=', '.join(methods())))
    if fmt not in ("table", "json"):
        fail(Msg('unknown format {fmt}', fmt=repr(fmt)), hint="use table or json")
    with plan_values(plan, data, engine, parquet, strict=strict) as ctx:
        p, table = ctx.loaded.plan, ctx.values.table
    units = p.geo_units()
    cases = []
    meta: dict[str, dict[str, Any]] = {}
    for indicator, target in p.targets():
        spec = target_spec(p, indicator, target)
        unit = p.unit_of(target)
        key = f"{indicator.id}/{unit}/{spec.target_year}"
        meta[key] = {"indicator": indicator.id, "unit": unit, "unit_name": units[unit].name.en if unit in units else unit,
                     "target_year": spec.target_year}
        if lang != "en":  # names for the tables (the JSON keeps its English names)
            meta[key] |= {"indicator_name": indicator.name.get(lang),
                          "unit_name_shown": units[unit].name.get(lang) if unit in units else unit}
        cases.append((key, table.points(indicator.id, unit), spec))
    reports = [run_backtest(cases, as_of, method=name) for name in names]
    if not any(r.n for r in reports):
        reasons = reports[0].skipped_reasons
        for s in reasons:
            m = meta[s.key]
            what = s.key if lang == "en" else f"{m['indicator_name']}（{m['unit_name_shown']}）"
            out.print(f"[dim]{_skipped(what, s.reason, lang)}[/]")
        fail(Msg('no target can be backtested as of {as_of}', as_of=as_of), hint="backtest needs targets after --as-of whose target-year data exist")
    if fmt == "json":
        body = [_json(r, meta) for r in reports]
        typer.echo(json.dumps(body[0] | {"plan": p.id} if method != "all" else {"plan": p.id, "as_of": as_of, "methods": body},
                              indent=2, ensure_ascii=False))
        return
    if method == "all":
        _summary_table(reports, p.id, as_of, lang)
    else:
        _rows_table(reports[0], meta, p.id, lang)
    for s in reports[0].skipped_reasons:
        m = meta[s.key]
        what = f"{m['indicator']} ({m['unit']})" if lang == "en" else f"{m['indicator_name']}（{m['unit_name_shown']}）"
        out.print(f"[dim]{_skipped(what, s.reason, lang)}[/]")


def _skipped(what: str, reason: str, lang: str) -> str:
    return tr(Msg("skipped {what}: {reason}", what=what, reason=reason), lang)


def _method(name: str, lang: str) -> str:
    """A method as the tables name it: its id in English (as it always was), its title in other languages."""
    return name if lang == "en" else method_title(name, lang)


def _json(r: BacktestReport, meta: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return {
        "method": r.method,
        "as_of": r.as_of,
        "n": r.n,
        "no_verdict": r.no_verdict,
        "hit_rate": r.hit_rate,
        "brier": r.brier,
        "coverage_80": r.coverage,
        "confusion": r.confusion(),
        "rows": [
            meta[row.key] | {
                "status_then": row.status_then.value,
                "p_meet": row.p_meet,
                "predicted_meet": row.predicted_meet if row.has_verdict else None,
                "final_met": row.final_met,
                "hit": row.hit,
            }
            for row in r.rows
        ],
        "skipped": [meta[s.key] | {"reason": s.reason} for s in r.skipped_reasons],
    }


def _rows_table(report: BacktestReport, meta: dict[str, dict[str, Any]], plan_id: str, lang: str = "en") -> None:
    as_of = report.as_of
    title = tr(Msg("backtest of {plan}: judged as of {as_of} with {method}", plan=plan_id, as_of=as_of,
                   method=_method(report.method, lang)), lang)
    t = Table(header_style="bold", title=title)
    for col in (word("indicator", lang), word("unit", lang), word("year", lang),
                tr(Msg("status in {as_of}", as_of=as_of), lang), word("p_meet", lang), word("predicted", lang),
                word("outcome", lang), word("hit", lang, "backtest column")):
        t.add_column(col)
    for r in report.rows:
        st = r.status_then.value
        m = meta[r.key]
        t.add_row(
            m["indicator"] if lang == "en" else m["indicator_name"],
            f"{m['unit_name']} ({m['unit']})" if lang == "en" else m["unit_name_shown"],
            str(m["target_year"]),
            f"[{STATUS_STYLE.get(st, '')}]{STATUS_TEXT.get(st, st) if lang == 'en' else status_label(st, lang)}[/]",
            f"{r.p_meet:.2f}" if r.p_meet is not None else "—",
            word("meet" if r.predicted_meet else "miss", lang, "backtest value") if r.has_verdict
            else word("no verdict", lang),
            word("met" if r.final_met else "missed", lang, "backtest value"),
            {True: "✓", False: "✗", None: "—"}[r.hit],
        )
    out.print(t)
    hit = f"{report.hit_rate:.0%}" if report.hit_rate is not None else "—"
    brier = f"{report.brier:.3f}" if report.brier is not None else Msg("— (no p_meet from this method)")
    out.print(tr(Msg("{n} targets, {judged} with a verdict, {without} without · hit rate {hit} · Brier score of "
                     "p_meet {brier} (0 is perfect, 0.25 is a coin toss)", n=report.n,
                     judged=report.n - report.no_verdict, without=report.no_verdict, hit=hit, brier=brier), lang))


def _summary_table(reports: list[BacktestReport], plan_id: str, as_of: int, lang: str = "en") -> None:
    title = tr(Msg("backtest of {plan}: every method, judged as of {as_of}", plan=plan_id, as_of=as_of), lang)
    t = Table(header_style="bold", title=title)
    for col in ("method", "targets", "no verdict", "hit rate", "meet→met", "meet→missed", "miss→met",
                "miss→missed", "Brier", "80 % coverage"):
        t.add_column(word(col, lang, "backtest column" if col == "targets" else None),
                     justify="right" if col != "method" else "left")
    for r in reports:
        c = r.confusion()
        t.add_row(
            _method(r.method, lang), str(r.n), str(r.no_verdict),
            f"{r.hit_rate:.0%}" if r.hit_rate is not None else "—",
            str(c["meet_met"]), str(c["meet_missed"]), str(c["miss_met"]), str(c["miss_missed"]),
            f"{r.brier:.3f}" if r.brier is not None else "—",
            f"{r.coverage:.0%}" if r.coverage is not None else "—",
        )
    out.print(t)
