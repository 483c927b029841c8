"""`scicity exchange …`: the school–locality exchange platform — import records, match, statistics."""

from __future__ import annotations

import hashlib
import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from scicity.cli.console import err, fail, out, reason, use_lang
from scicity.domain.message import Msg
from scicity.cli.context import open_database, settings
from scicity.cli.data_cmd import default_actor

app = typer.Typer(help="The school–locality exchange platform: achievements, needs, experts, facilities, deals, "
                  "technology contracts and talent exchanges — import, match, statistics.", no_args_is_help=True)


class Kind(StrEnum):
    achievements = "achievements"
    needs = "needs"
    experts = "experts"
    facilities = "facilities"
    bookings = "bookings"
    deals = "deals"
    contracts = "contracts"
    talent_exchanges = "talent_exchanges"


class MatchFormat(StrEnum):
    table = "table"
    json = "json"


class StatsFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


LangOpt = Annotated[str | None, typer.Option("--lang", help="Language of the output: en or zh (default: the "
                                             "SCICITY_LANG setting).")]


def _gettext(lang: str | None):  # noqa: ANN202
    from scicity.i18n import translations

    return translations(lang or settings().lang).gettext


@app.command("import")
def import_(
    kind: Annotated[Kind, typer.Argument(help="Which records.", show_default=False)],
    file: Annotated[Path, typer.Argument(help="CSV or XLSX file, headers in English or Chinese.", show_default=False)],
    dry_run: Annotated[bool, typer.Option("--dry-run", "-n", help="Check and count; write nothing.")] = False,
    actor: Annotated[str | None, typer.Option(help="Who is importing (audit log). Default: cli:<user>.")] = None,
    lang: LangOpt = None,
) -> None:
    """Import exchange records, all or nothing: new codes are added, known ones updated."""
    from scicity.ingest.exchange_reader import read_exchange
    from scicity.ingest.problems import ImportRejected
    from scicity.matching.text import normalise
    from scicity.store.errors import StoreError
    from scicity.store.exchange import ExchangeRepository

    _ = _gettext(lang)
    if not file.exists():
        fail(_("{file} does not exist").format(file=file))
    repo = ExchangeRepository(open_database(settings()))
    try:
        data = read_exchange(file, kind.value, known=repo.known, known_patents=repo.known_patents, fold_text=normalise)
    except ImportRejected as exc:
        err.print(exc.text(lang=lang or settings().lang), markup=False)
        fail(_("nothing was imported from {file}").format(file=file),
             hint=_("fix the listed cells and import again (use --dry-run to check)"), code=1)
    try:
        if dry_run:
            changes = repo.preview(kind.value, data.records)
            header = _("dry run: {kind} from {file} (nothing written)").format(kind=kind.value, file=file)
        else:
            changes = repo.apply(kind.value, data.records, actor=actor or default_actor(), file_name=file.name,
                                 sha256=hashlib.sha256(file.read_bytes()).hexdigest())
            header = _("imported {kind} from {file} (import batch {batch})").format(
                kind=kind.value, file=file, batch=changes.batch_id)
    except StoreError as exc:
        fail(_("nothing was imported from {file}").format(file=file) + f": {exc}", code=1)
    out.print(header, markup=False)
    out.print(_("{new} new · {changed} changed · {unchanged} unchanged").format(**changes.counts()), markup=False)


@app.command("template")
def template(
    kind: Annotated[Kind, typer.Argument(help="Which records.", show_default=False)],
    file: Annotated[Path, typer.Argument(help="The XLSX file to write.", show_default=False)],
    lang: Annotated[str, typer.Option("--lang", help="Language of the headers: en or zh.")] = "en",
) -> None:
    """Write a blank XLSX import template with English or Chinese headers (required ones in bold)."""
    from scicity.ingest.exchange_template import write_template

    if lang not in ("en", "zh"):
        fail(Msg('--lang must be en or zh, not {lang}', lang=repr(lang)))
    use_lang(lang)
    write_template(kind.value, file, lang)
    out.print(_gettext(lang)("wrote {file}").format(file=file), markup=False)


def signal_text(signal: Any, _: Any) -> str:
    from scicity.service.exchange_match import signal_text as worded

    return worded(signal, _)


def match_json(match: Any, _: Any) -> dict[str, Any]:
    return {"id": match.id, "kind": match.kind, "title": match.title, "org": match.org,
            "score": round(match.score, 4), "parts": {k: round(v, 4) for k, v in match.parts.items()},
            "bm25": round(match.bm25, 4), "cosine": None if match.cosine is None else round(match.cosine, 4),
            "shared_terms": list(match.shared_terms),
            "matched": [signal_text(s, _) for s in match.matched], "unmet": [signal_text(s, _) for s in match.unmet]}


@app.command("match")
def match(
    need: Annotated[str | None, typer.Option("--need", help="Code of a need: find achievements, experts, facilities.")] = None,
    achievement: Annotated[str | None, typer.Option("--achievement", help="Code of an achievement: find needs and enterprises.")] = None,
    text: Annotated[str | None, typer.Option("--text", help="Free text (Chinese, English or both): find achievements, experts, facilities.")] = None,
    top: Annotated[int, typer.Option("--top", help="How many results per kind.")] = 10,
    fmt: Annotated[MatchFormat, typer.Option("--format", help="table or json.")] = MatchFormat.table,
    no_embeddings: Annotated[bool, typer.Option("--no-embeddings", help="BM25 and structured signals only (no model).")] = False,
    lang: LangOpt = None,
) -> None:
    """Rank matches, each with its score and explanation (shared terms, matched fields, unmet constraints)."""
    from scicity.service.exchange_match import ExchangeMatcher
    from scicity.store.errors import NotFound

    _ = _gettext(lang)
    if sum(x is not None for x in (need, achievement, text)) != 1:
        fail(_("give exactly one of --need, --achievement or --text"))
    s = settings()
    matcher = ExchangeMatcher(open_database(s), data_dir=s.data_dir, use_embeddings=not no_embeddings)
    try:
        if need is not None:
            results = matcher.for_need(need, k=top)
        elif achievement is not None:
            results = matcher.for_achievement(achievement, k=top)
        else:
            results = matcher.for_text(text or "", k=top)
    except NotFound as exc:
        fail(reason(exc), hint=_("list the codes with 'scicity exchange stats' or import the records first"))
    if fmt is MatchFormat.json:
        out.print_json(json.dumps({kind: [match_json(m, _) for m in ms] for kind, ms in results.by_kind.items()},
                                  ensure_ascii=False))
        return
    from rich.markup import escape
    from rich.table import Table

    for kind, matches in results.by_kind.items():
        table = Table(title=_(kind), header_style="bold", show_lines=True)
        for col in (_("rank"), _("code"), _("title"), _("score"), _("why")):
            table.add_column(col)
        for i, m in enumerate(matches, 1):
            why = []
            if m.shared_terms:
                why.append(_("shared terms") + ": " + ", ".join(m.shared_terms))
            if m.cosine is not None:
                why.append(_("semantic similarity") + f" {m.cosine:.3f}")
            why += [signal_text(sig, _) for sig in m.matched]
            why += [_("unmet") + ": " + signal_text(sig, _) for sig in m.unmet]
            parts = " + ".join(f"{_(k)} {v:.2f}" for k, v in m.parts.items() if v)
            table.add_row(str(i), escape(m.id), escape(m.title[:60]), f"{m.score:.3f}\n[dim]{escape(parts)}[/]",
                          escape("\n".join(why)))
        out.print(table)


@app.command("stats")
def stats(
    year: Annotated[int | None, typer.Option("--year", help="One year (of registration for contracts).")] = None,
    fmt: Annotated[StatsFormat, typer.Option("--format", help="table, json or csv.")] = StatsFormat.table,
    lang: LangOpt = None,
) -> None:
    """Contract turnover by type, field, seller type, IP and unit; transfers, deals, talent, hours, match metrics."""
    from scicity.service.exchange_stats import exchange_stats

    _ = _gettext(lang)
    result = exchange_stats(open_database(settings()), year)
    rows = result.rows()
    if fmt is StatsFormat.json:
        out.print_json(json.dumps(rows, ensure_ascii=False))
        return
    if fmt is StatsFormat.csv:
        import csv
        import sys

        writer = csv.DictWriter(sys.stdout, fieldnames=["measure", "by", "key", "value"])
        writer.writeheader()
        writer.writerows(rows)
        return
    from rich.markup import escape
    from rich.table import Table

    from scicity.cli.context import open_plan

    units = {u.id: u.name.get(lang or settings().lang) for u in open_plan(None).plan.geography.walk()}
    table = Table(title=_("Exchange platform") + (f" {year}" if year else ""), header_style="bold")
    for col in (_("measure"), _("breakdown"), _("key"), _("value")):
        table.add_column(col)
    for r in rows:
        value = r["value"]
        shown = f"{value:,.1f}" if isinstance(value, float) else f"{value:,}"
        table.add_row(_(r["measure"]), _(r["by"]) if r["by"] else "", escape(_stats_key(r["by"], str(r["key"]), _, units)),
                      shown)
    out.print(table)


#: breakdowns whose keys are enumerated values (contract types, seller types, yes/no, directions, deal stages)
_WORDED_KEYS = frozenset({"type", "seller_type", "ip", "direction", "stage_reached"})


def _stats_key(by: str, key: str, _: Any, units: dict[str, str]) -> str:  # noqa: ANN401
    """A key of the statistics as a person reads it: a unit by its name, an enumerated value in words (the JSON and
    CSV keep the ids); a technology field in the catalogue's words where it has them (the demo's and the key
    industries'), else as recorded; organisation codes as recorded."""
    if by == "unit":
        return units.get(key, key)
    return _(key) if (by in _WORDED_KEYS or by == "field") and key != "-" else key


def load_demo(db: Any) -> str:
    """Seed the synthetic exchange records (``scicity init --demo``), unless there are some already."""
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import select

    from scicity.demo.exchange import generate_exchange
    from scicity.domain.exchange import ContractType, TechContract
    from scicity.store.exchange import ExchangeRepository
    from scicity.store.exchange_deals import DealRepository
    from scicity.store.registry_tables import EnterpriseRow, PatentRow

    repo = ExchangeRepository(db)
    if repo.count("achievements"):
        return Msg("the database already holds exchange records: demo exchange records not loaded again")
    with db.session() as session:
        ents: dict[str, list[str]] = {}
        for code, industry in session.execute(select(EnterpriseRow.credit_code, EnterpriseRow.industry)
                                              .order_by(EnterpriseRow.id).limit(400)):
            ents.setdefault(industry or "other", []).append(code)
        patents = list(session.scalars(select(PatentRow.number).order_by(PatentRow.id).limit(40)))
    demo = generate_exchange(ents, patents)
    actor = "demo-generator"
    for kind, records in (("achievements", demo.achievements), ("needs", demo.needs), ("experts", demo.experts),
                          ("facilities", demo.facilities), ("bookings", demo.bookings),
                          ("contracts", demo.contracts), ("talent_exchanges", demo.talent)):
        repo.apply(kind, records, actor=actor, file_name="demo: exchange")
    by_code = {a.code: a for a in demo.achievements}
    for achievement, need, stages, first in demo.deals:
        now = [datetime.combine(first, datetime.min.time(), tzinfo=UTC)]
        deals = DealRepository(db, clock=lambda: now[0])
        deal = deals.express_interest(actor="demo-enterprise", org=None, achievement=achievement, need=need)
        for step, stage in enumerate(stages, 1):
            on = first + timedelta(days=9 * step)
            now[0] = datetime.combine(on, datetime.min.time(), tzinfo=UTC)
            contract = None
            if stage == "registered":
                a = by_code[achievement]
                contract = TechContract(code=f"DEMO-TC-DEAL-{achievement[-3:]}", type=ContractType.TRANSFER,
                                        amount=480.0, seller=a.owner_name or a.owner, seller_type=a.owner_type,
                                        buyer=deal.buyer_org or "-", field=a.field, ip=bool(a.patents) or True,
                                        signed_on=on - timedelta(days=9), unit=a.unit)
            deals.move(deal.code, stage, actor="demo-tto", on=on, contract=contract)
    return Msg("demo exchange records loaded: {achievements} achievements, {needs} needs, {experts} experts, "
               "{facilities} facilities, {contracts} contracts, {deals} deals (synthetic)",
               achievements=len(demo.achievements), needs=len(demo.needs), experts=len(demo.experts),
               facilities=len(demo.facilities), contracts=len(demo.contracts), deals=len(demo.deals))
