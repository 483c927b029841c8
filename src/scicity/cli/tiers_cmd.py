"""`scicity tiers …`: the cultivation tiers — rules, evaluation, gaps, the pipeline (docs/cultivation.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from scicity.cli.console import err, fail, out, reason, say, use_lang
from scicity.domain.message import Msg

app = typer.Typer(
    help="Tiered enterprise cultivation: who qualifies for each tier (technology-based SME, high-tech, 专精特新, "
    "little giant, gazelle, unicorn), who is close, what it takes, and what the pipeline means for the targets.",
    no_args_is_help=True,
)

LangOpt = Annotated[str | None, typer.Option("--lang", help="Language: zh or en (default: the setting SCICITY_LANG).")]
RulesOpt = Annotated[list[Path] | None, typer.Option("--rules", help="An office's own rule file or folder (repeatable); "
                                                    "a file with a packaged tier and version replaces it.")]
YearOpt = Annotated[int | None, typer.Option("--year", "-y", help="Data year (default: the latest in the registry).")]
TierOpt = Annotated[str | None, typer.Option("--tier", "-t", help="One tier id (see 'scicity tiers list').")]


def _lang(lang: str | None) -> str:
    from scicity.cli.context import settings

    lang = lang or settings().lang
    if lang not in ("zh", "en"):
        fail(Msg('unknown language {lang}', lang=repr(lang)), hint="use --lang zh or --lang en")
    use_lang(lang)
    return lang


def _book(rules: list[Path] | None) -> Any:
    from scicity.ingest.tier_rules_file import RulesInvalid, load_rule_book

    try:
        return load_rule_book(rules or ())
    except RulesInvalid as exc:
        err.print(say(exc.said()), markup=False)
        fail("the tier rules have problems", hint="fix the listed lines; check one file with 'scicity tiers validate FILE'")


def _evaluation(year: int | None, rules: list[Path] | None, history: bool = False) -> tuple[Any, int]:
    from scicity.cli.context import open_database, settings
    from scicity.service.cultivation import data_years, evaluate_database, registry_facts

    _book(rules)  # report rule problems before reading the registries
    db = open_database()
    years = data_years(registry_facts(db)) if history or year is None else [year]
    if not years:
        fail("the enterprise registry holds no yearly figures", hint="import them with 'scicity registry import "
             "financials FILE' (template: 'scicity tiers template FILE')")
    year = year or max(years)
    if history:
        years = [y for y in years if y <= year]
    return evaluate_database(db, years, extra_rules=rules or (), cache_dir=settings().data_dir / "cache"), year


def _tier_known(book: Any, tier: str | None) -> None:
    from scicity.service.cultivation_views import unknown_tier

    problem = None if tier is None else unknown_tier(book, tier)
    if problem is not None:
        fail(problem, hint="list them with 'scicity tiers list'")


@app.command("list")
def list_(lang: LangOpt = None, rules: RulesOpt = None,
          fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table") -> None:
    """The tiers and every version of their rules: period in force, source, criteria."""
    from rich.table import Table

    from scicity.service.cultivation_views import rule_json

    lang = _lang(lang)
    book = _book(rules)
    versions = [v for t in book.tiers() for v in book.of(t)]
    if fmt == "json":
        typer.echo(json.dumps([rule_json(v, lang) for v in versions], ensure_ascii=False, indent=2))
        return
    zh = lang == "zh"
    table = Table(*(["梯度", "版本", "名称", "施行期间", "条件数", "依据"] if zh else
                    ["tier", "version", "name", "in force", "criteria", "source"]))
    for v in versions:
        table.add_row(v.tier, v.version, v.name_zh if zh else v.name_en, v.period(), str(len(v.criteria)), v.source)
    out.print(table)


@app.command("validate")
def validate(file: Annotated[Path, typer.Argument(help="A tier rule file (YAML).", show_default=False)],
             lang: LangOpt = None) -> None:
    """Check a rule file: every problem with file:line, and its fit with the packaged rules (overlaps)."""
    from scicity.ingest.tier_rules_file import RulesInvalid, validate_rule_file

    _lang(lang)
    try:
        rule = validate_rule_file(file)
    except RulesInvalid as exc:
        err.print(say(exc.said()), markup=False)
        raise typer.Exit(1) from None
    out.print(say(Msg("{file}: {tier} version {version} ({period}), {n} criteria — OK", file=str(file), tier=rule.tier,
                      version=rule.version, period=rule.period(), n=len(rule.criteria))), markup=False, soft_wrap=True)


@app.command("evaluate")
def evaluate(
    year: YearOpt = None, tier: TierOpt = None, lang: LangOpt = None, rules: RulesOpt = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, json, csv or xlsx.")] = "table",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File for csv or xlsx (default: "
                                                "cultivation-YEAR.csv / .xlsx).")] = None,
    unit: Annotated[str | None, typer.Option("--unit", help="Only enterprises of this geography unit.")] = None,
) -> None:
    """Every enterprise against every tier in force in the year: outcome, gaps, missing figures."""
    from collections import Counter

    from rich.table import Table

    from scicity.service.cultivation_views import flat_row, result_json

    lang = _lang(lang)
    if fmt not in ("table", "json", "csv", "xlsx"):
        fail(Msg('unknown format {fmt}', fmt=repr(fmt)), hint="use table, json, csv or xlsx")
    _tier_known(_book(rules), tier)
    evaluation, year = _evaluation(year, rules)
    tiers = [tier] if tier else evaluation.book.tiers()
    if not any(evaluation.book.for_year(t, year) for t in tiers):  # else an empty table, as if no one was judged
        versions = [v for t in tiers for v in evaluation.book.of(t)]
        first = min(v.effective_from for v in versions).year
        ends = [v.effective_to for v in versions]
        last = None if None in ends else max(e.year for e in ends if e is not None)
        fail(Msg('no tier rules are in force in {year}', year=year),
             hint=Msg('the rules cover {first} to {last}: give --year in that span', first=first,
                      last=last or "…"))
    outcomes = [o for t in tiers for o in evaluation.of(t, year) if unit is None or o.unit == unit]
    if fmt != "table":  # every criterion of every row: the Python evaluation of each
        results = [r for o in outcomes if (r := evaluation.full(o.credit_code, o.tier, year)) is not None]
    if fmt == "json":
        typer.echo(json.dumps([result_json(r, lang) for r in results], ensure_ascii=False, indent=2))
        return
    if fmt in ("csv", "xlsx"):
        from scicity.reports.cultivation_tables import write_table

        path = output or Path(f"cultivation-{year}.{fmt}")
        n = write_table(path, [flat_row(r, lang) for r in results])
        out.print(f"{n} rows written to {path}")
        return
    zh = lang == "zh"
    table = Table(*(["梯度", "符合", "已认定", "不符合", "缺数据", "需专家评审"] if zh else
                    ["tier", "qualifies", "certified", "does not", "unknown", "needs an expert"]),
                  title=f"{year}")
    for t in tiers:
        rs = [o for o in outcomes if o.tier == t]
        rule = evaluation.book.for_year(t, year)
        if not rs or rule is None:
            continue
        c = Counter(r.outcome.value for r in rs)
        table.add_row(rule.name_zh if zh else rule.name_en, str(c["met"]), str(sum(r.certified for r in rs)),
                      str(c["not_met"]), str(c["unknown"]), str(c["manual_review"]))
    out.print(table)


@app.command("gap")
def gap(
    credit_code: Annotated[str, typer.Argument(help="The enterprise's unified social credit code.", show_default=False)],
    year: YearOpt = None, tier: TierOpt = None, lang: LangOpt = None, rules: RulesOpt = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
) -> None:
    """An enterprise's tier card: every criterion with actual, threshold and article, and the gap to qualify."""
    from rich.table import Table

    from scicity.cli.context import open_database
    from scicity.domain.credit_code import normalise
    from scicity.domain.tier_eval import evaluate_year
    from scicity.service.cultivation import load_facts
    from scicity.service.cultivation_views import (
        CRITERION,
        OUTCOME,
        missing_text,
        result_json,
        route_name,
        score_text,
        show_value,
        threshold_text,
    )

    lang = _lang(lang)
    book = _book(rules)
    _tier_known(book, tier)
    code = normalise(credit_code.strip().upper())
    facts = {f.credit_code: f for f in load_facts(open_database())}.get(code)
    if facts is None:
        fail(Msg('no enterprise with credit code {code} in the registry', code=code), hint="check the code, or import the enterprise")
    if not facts.years:
        fail(Msg('{code} has no yearly figures', code=code), hint="import them with 'scicity registry import financials FILE'")
    year = year or max(facts.years)
    results = evaluate_year(book, facts, year, [tier] if tier else None)
    if fmt == "json":
        typer.echo(json.dumps([result_json(r, lang) for r in results], ensure_ascii=False, indent=2))
        return
    zh = lang == "zh"
    out.print(f"[bold]{facts.name or code}[/] {code} — {year}")
    for r in results:
        certified = (" · 已认定" if zh else " · certified") if r.certified else ""
        if r.route_used:
            certified += f" · {'直接认定' if zh else 'direct route'}: {route_name(r, lang)}"
        out.print(f"\n[bold]{r.name_zh if zh else r.name_en}[/] ({r.version}): {OUTCOME[lang][r.outcome]}{certified}")
        table = Table(*(["条件", "结果", "实际", "门槛", "条款", "差距"] if zh else
                        ["criterion", "status", "actual", "threshold", "article", "gap"]))
        for c in [*r.criteria, *r.routes]:
            gap_text = (c.gap.zh if zh else c.gap.en) if c.gap else ", ".join(missing_text(c.missing, lang))
            actual = show_value(c.actual, c.dimension, lang)
            if c.score is not None:
                actual = score_text(c.score)
            table.add_row(c.name_zh if zh else c.name_en, CRITERION[lang][c.status], actual,
                          threshold_text(c.comparator, c.threshold, lang), c.article, gap_text)
        out.print(table)


@app.command("pipeline")
def pipeline(
    tier: Annotated[str, typer.Option("--tier", "-t", help="The tier whose pipeline to show.")],
    year: Annotated[int, typer.Option("--year", "-y", help="Target year of the projection.")],
    base: Annotated[int | None, typer.Option("--base", help="Base year (default: the latest data year).")] = None,
    lang: LangOpt = None, rules: RulesOpt = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
    pool_file: Annotated[Path | None, typer.Option("--pool", help="Write the cultivation pool to this XLSX/CSV file.")] = None,
    show: Annotated[int, typer.Option(help="How many of the pool and the expiry watch to list.")] = 15,
) -> None:
    """The pipeline of a tier: projection to the target year, cultivation pool, expiry watch, funnel."""
    from rich.table import Table

    from scicity.service.cultivation import expiry_watch, funnel, pool
    from scicity.service.cultivation_projection import project
    from scicity.service.cultivation_views import flat_row, result_json

    lang = _lang(lang)
    _tier_known(_book(rules), tier)
    evaluation, base_year = _evaluation(base, rules, history=True)
    if year < base_year:
        fail(Msg('target year {year} is before the base year {base_year}', year=year, base_year=base_year), hint="give a later --year")
    projection = project(evaluation, (tier,), year, base_year)
    near = pool(evaluation, tier, base_year)
    watch = expiry_watch(evaluation, base_year, tier)
    steps = funnel(evaluation)
    if pool_file is not None:
        from scicity.reports.cultivation_tables import write_table

        write_table(pool_file, [flat_row(r, lang) for r in near], sheet=f"pool {tier}")
        err.print(f"{len(near)} enterprises of the pool written to {pool_file}")
    if fmt == "json":
        typer.echo(json.dumps({
            "projection": projection.json(), "pool": [result_json(r, lang) for r in near[:show]],
            "pool_size": len(near),
            "expiry_watch": [{"credit_code": e.credit_code, "enterprise": e.name, "valid_to": e.certificate.valid_to.isoformat()
                              if e.certificate.valid_to else None, "risk": e.risk,
                              "reasons": e.reasons_zh if lang == "zh" else e.reasons_en} for e in watch],
            "funnel": [{"year": f.year, "certified": f.certified, "qualifying": f.qualifying,
                        "transitions": [{"from": a, "to": b, "n": n} for (a, b), n in sorted(f.transitions.items())]}
                       for f in steps],
        }, ensure_ascii=False, indent=2))
        return
    zh = lang == "zh"
    p = projection
    out.print(f"[bold]{tier}[/] {base_year} → {year}: "
              + (f"预计 {p.projected:.0f}（区间 {p.low:.0f}–{p.high:.0f}）" if zh else
                 f"projected {p.projected:.0f} (interval {p.low:.0f}–{p.high:.0f})"))
    out.print(("  现有有效 {v} − 到期 {e} × (1 − 续期率 {r:.0%}) + {k} 年 × (培育库 {q} × 转化率 {c:.1%} + 其他新增 {o:.1f})"
               if zh else "  valid now {v} − expiring {e} × (1 − renewal {r:.0%}) + {k} years × (pool {q} × conversion "
               "{c:.1%} + other new {o:.1f})").format(v=p.valid_now, e=p.expiring, r=p.renewal_rate, k=year - base_year,
                                                      q=p.pool, c=p.conversion_rate, o=p.other_new))
    table = Table(*(["企业", "信用代码", "差距"] if zh else ["enterprise", "credit code", "gap to qualify"]),
                  title=(f"培育库（{len(near)}家，按差距排序）" if zh else f"cultivation pool ({len(near)}, closest first)"))
    for r in near[:show]:
        table.add_row(r.enterprise or "", r.credit_code, "; ".join(g.zh if zh else g.en for g in r.gaps()))
    out.print(table)
    if watch:
        table = Table(*(["企业", "到期日", "续期风险", "原因"] if zh else ["enterprise", "expires", "renewal risk", "why"]),
                      title=(f"{base_year + 1}年到期（{len(watch)}）" if zh else f"expiring in {base_year + 1} ({len(watch)})"))
        for e in watch[:show]:
            table.add_row(e.name or e.credit_code, str(e.certificate.valid_to), e.risk,
                          "; ".join((e.reasons_zh if zh else e.reasons_en)[:2]))
        out.print(table)
    last = steps[-1] if steps else None
    if last is not None:
        moves = sorted(last.transitions.items(), key=lambda kv: -kv[1])[:6]
        out.print(("漏斗 " if zh else "funnel ") + f"{last.year}: " + ", ".join(
            f"{t} {last.certified[t]}/{last.qualifying[t]}" for t in evaluation.book.tiers()))
        out.print(("  变动：" if zh else "  moves: ") + ", ".join(f"{a}→{b} {n}" for (a, b), n in moves))


@app.command("template")
def template(
    file: Annotated[Path, typer.Argument(help="CSV or XLSX file to write.", show_default=False)],
    lang: LangOpt = None,
) -> None:
    """An empty file of the enterprise yearly figures the tiers need, with Chinese or English headers."""
    from scicity.domain.registries import RegistryKind
    from scicity.ingest.registry_columns import COLUMNS
    from scicity.reports.cultivation_tables import write_table

    lang = _lang(lang)
    headers = [c.headers[1] if lang == "zh" and len(c.headers) > 1 else c.header for c in COLUMNS[RegistryKind.FINANCIALS]]
    try:
        write_table(file, [dict.fromkeys(headers, None)], sheet="financials")
    except ValueError as exc:
        fail(reason(exc))
    out.print(f"template written to {file}; import it with 'scicity registry import financials {file}'")
