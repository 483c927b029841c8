"""`scicity plan peers …` and `scicity plan next …`: peer benchmarks, and a draft plan's life to adoption."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from scicity.cli.console import err, fail, out, reason, say
from scicity.domain.message import Msg

if TYPE_CHECKING:
    from scicity.domain.plan import Plan
    from scicity.store.db import Database

peers_app = typer.Typer(help="Peer zones' values, to benchmark the next plan's targets.", no_args_is_help=True)
next_app = typer.Typer(help="A draft of the next plan: targets, comments, consultation, adoption.", no_args_is_help=True)

ActorOption = Annotated[str, typer.Option("--as", help="Who is doing this (recorded in the versions and the audit log).")]
LangOption = Annotated[str | None, typer.Option(help="Language: en or zh.")]
DEMO_PEERS = Path(__file__).resolve().parents[1] / "demo" / "peers.csv"


def _t(lang: str):
    from scicity.i18n import translations

    return translations(lang).gettext


def load_demo_peers(db: Database, plan: Plan) -> None:
    """The demo's synthetic peer zones (labelled synthetic), for the seed plan."""
    from scicity.service.peers import PeerFileRejected, import_peers

    try:
        counts = import_peers(db, DEMO_PEERS, plan, actor="demo-generator")
    except PeerFileRejected:
        return  # another plan than the seed plan: its indicators are not the demo peers'
    if counts["new"]:
        out.print(say(Msg("demo peers loaded: {n} values of 3 synthetic peer zones (synthetic)", n=counts["new"])))


@peers_app.command("import")
def peers_import(
    file: Annotated[Path, typer.Argument(help="CSV: peer, peer_name, indicator, year, value, unit[, synthetic, source].", show_default=False)],
    plan: Annotated[str | None, typer.Option("--plan", "-p", help="The plan whose indicators the values are of.")] = None,
    actor: ActorOption = "cli",
) -> None:
    """Import peer zones' values; unknown indicators or units are refused naming the row, nothing is stored then."""
    from scicity.cli.context import open_database, open_plan
    from scicity.service.peers import PeerFileRejected, import_peers

    if not file.exists():
        fail(Msg('peer file {file} does not exist', file=file))
    loaded = open_plan(plan)
    db = open_database()
    try:
        counts = import_peers(db, file, loaded.plan, actor=actor)
    except PeerFileRejected as exc:
        err.print(str(exc), markup=False)
        fail(Msg('{file} was not imported: {n_problems} problem(s)', file=file, n_problems=len(exc.problems)))
    finally:
        db.dispose()
    out.print(say(Msg("peer values: {new} new, {changed} changed, {unchanged} unchanged", new=counts["new"], changed=counts["changed"], unchanged=counts["unchanged"])))


@peers_app.command("show")
def peers_show(
    indicator: Annotated[str, typer.Argument(help="Indicator id.", show_default=False)],
    plan: Annotated[str | None, typer.Option("--plan", "-p", help="Plan id or file; default: the default plan.")] = None,
    horizon: Annotated[int, typer.Option("--years", help="Years to reach a peer in (the next plan's length).")] = 5,
    lang: LangOption = None,
) -> None:
    """Where the zone stands against each peer, and the yearly change it would take to reach the peer."""
    from scicity.cli.context import open_database, settings
    from scicity.cli.plan_values import plan_values
    from scicity.service.peers import peer_label, peer_points, standing

    lang = lang or settings().lang
    _ = _t(lang)
    with plan_values(plan, None) as ctx:
        p, table = ctx.loaded.plan, ctx.values.table
    if indicator not in {i.id for i in p.indicators}:
        fail(Msg('unknown indicator {indicator}', indicator=repr(indicator)), hint="see 'scicity plan show'")
    ind = p.indicator(indicator)
    pts = table.points(indicator, p.geography.id)
    own = pts[-1][1] if pts else None
    db = open_database()
    try:
        peers = peer_points(db).get(indicator, [])
    finally:
        db.dispose()
    if not peers:
        fail(Msg('no peer values for {indicator}', indicator=indicator), hint="import some with 'scicity plan peers import FILE'")
    t = Table(header_style="bold", title=f"{ind.name.get(lang)} — {_('own value')} {own:,g} ({pts[-1][0]})" if pts else ind.name.get(lang))
    for col in (_("peer zone"), _("Year"), _("peer value"), _("ratio to own"), _("needed per year"), _("growth per year")):
        t.add_column(col)
    for s in standing(peers, own, horizon):
        name = peer_label(str(s["peer_name"]), lang) + (f" [dim]({_('synthetic values')})[/]" if s["synthetic"] else "")
        t.add_row(name, str(s["year"]), f"{s['value']:,g}", "—" if s["ratio"] is None else f"{s['ratio']:.2f}×",
                  "—" if s["yearly_change"] is None else f"{s['yearly_change']:+,.4g}",
                  "—" if s["yearly_growth"] is None else f"{100 * s['yearly_growth']:+.1f} %")
    out.print(t)


def _last_values(base_plan_id: str):
    from scicity.cli.plan_values import plan_values

    with plan_values(base_plan_id, None) as ctx:
        return ctx.loaded.plan, ctx.values.table


def _store_error(exc: Exception) -> None:
    fail(reason(exc))


@next_app.command("start")
def next_start(
    file: Annotated[Path, typer.Argument(help="A draft plan file (from 'scicity plan draft').", show_default=False)],
    from_plan: Annotated[str | None, typer.Option("--from", help="The last plan it follows; default: the default plan.")] = None,
    actor: ActorOption = "cli",
) -> None:
    """Store a draft plan file as a draft (state 'draft', version 1), ready to be edited."""
    from scicity.cli.context import open_database, open_plan
    from scicity.ingest.plan_file import PlanInvalid
    from scicity.service.plan_lifecycle import start_draft
    from scicity.store.errors import StoreError

    if not file.exists():
        fail(Msg('draft file {file} does not exist', file=file))
    last = open_plan(from_plan).plan
    db = open_database()
    try:
        draft = start_draft(db, file.read_text(encoding="utf-8"), last.id, actor=actor)
    except PlanInvalid as exc:
        err.print(say(exc.said()), markup=False)
        fail(Msg('{file} is not a valid plan file', file=file))
    except StoreError as exc:
        _store_error(exc)
    finally:
        db.dispose()
    out.print(f"draft [bold]{draft.id}[/] stored (state {draft.state}, version {draft.version}, {len(draft.targets)} targets)")


@next_app.command("show")
def next_show(
    draft_id: Annotated[str, typer.Argument(help="Draft id.", show_default=False)],
    lang: LangOption = None,
) -> None:
    """The draft's targets with p_meet, the yearly change needed and achieved, revisions, comments and the checks."""
    from scicity.cli.context import open_database, settings
    from scicity.service.plan_checks import KIND_TEXT, LEVEL_TEXT
    from scicity.i18n import fmt_number
    from scicity.service.plan_lifecycle import workspace
    from scicity.store.errors import StoreError
    from scicity.store.plan_drafts import PlanDraftRepository

    lang = lang or settings().lang
    _ = _t(lang)
    db = open_database()
    try:
        base = PlanDraftRepository(db).get(draft_id).base_plan_id
        last, table = _last_values(base)
        ws = workspace(db, draft_id, last, table)
    except StoreError as exc:
        _store_error(exc)
    finally:
        db.dispose()
    d = ws.draft
    out.print(f"[bold]{ws.plan.name.get(lang)}[/] ({d.id}) — {_('draft state')}: {_(d.state)}, {_('draft version')} {d.version}")
    t = Table(header_style="bold")
    for col in (_("Indicator"), _("Target"), "p_meet", _("needed per year"), _("achieved/yr"), _("target revision"), _("comment count")):
        t.add_column(col)
    for row in ws.rows:
        ind = ws.plan.indicator(row.indicator_id)
        o = row.odds
        t.add_row(f"{ind.name.get(lang)}\n[dim]{ind.id}[/]", f"{ind.targets[0].comparator.value} {row.value:,g} {ind.measure}",
                  "—" if o is None or o.p_meet is None else f"{100 * o.p_meet:.0f} %",
                  fmt_number(None if o is None else o.required_yearly_change, ind.decimals + 1, lang),
                  fmt_number(None if row.history is None else row.history.achieved_yearly_change(), ind.decimals + 1, lang),
                  f"{row.revision} ({row.updated_by})", str(row.comments))
    out.print(t)
    for c in ws.checks:
        if c.level != "ok":
            out.print(f"{_(LEVEL_TEXT[c.level])} {_(KIND_TEXT[c.kind])}: {c.text(_, lang)}", highlight=False)


@next_app.command("set")
def next_set(
    draft_id: Annotated[str, typer.Argument(help="Draft id.", show_default=False)],
    indicator: Annotated[str, typer.Argument(help="Indicator id.", show_default=False)],
    value: Annotated[float, typer.Argument(help="The new target value (on the target's own scale).", show_default=False)],
    revision: Annotated[int, typer.Option("--revision", help="The target's revision you last saw ('plan next show'); refused if it changed since.")],
    actor: ActorOption = "cli",
) -> None:
    """Set one target of a draft; if someone changed it after the revision you saw, you get a conflict, not a lost update."""
    from scicity.cli.context import open_database
    from scicity.store.errors import StoreError
    from scicity.store.plan_drafts import EditConflict, PlanDraftRepository

    db = open_database()
    try:
        target = PlanDraftRepository(db).edit_target(draft_id, indicator, value, expected_revision=revision, actor=actor)
    except EditConflict as exc:
        fail(Msg('conflict: {exc}', exc=reason(exc)))
    except StoreError as exc:
        _store_error(exc)
    finally:
        db.dispose()
    out.print(f"{draft_id} {indicator}: {target.value:g} (revision {target.revision}, by {target.updated_by})")


@next_app.command("comment")
def next_comment(
    draft_id: Annotated[str, typer.Argument(help="Draft id.", show_default=False)],
    indicator: Annotated[str, typer.Argument(help="Indicator id.", show_default=False)],
    text: Annotated[str, typer.Argument(help="The comment.", show_default=False)],
    actor: ActorOption = "cli",
) -> None:
    """Comment on one target of a draft."""
    from scicity.cli.context import open_database
    from scicity.store.errors import StoreError
    from scicity.store.plan_drafts import PlanDraftRepository

    db = open_database()
    try:
        c = PlanDraftRepository(db).comment(draft_id, indicator, text, author=actor)
    except StoreError as exc:
        _store_error(exc)
    finally:
        db.dispose()
    out.print(f"comment {c.id} on {draft_id} {indicator} by {c.author}")


def _move(draft_id: str, state: str, actor: str) -> None:
    from scicity.cli.context import open_database
    from scicity.ingest.plan_file import PlanInvalid
    from scicity.service.plan_lifecycle import adopt
    from scicity.store.errors import StoreError
    from scicity.store.plan_drafts import PlanDraftRepository

    db = open_database()
    try:
        if state == "adopted":
            draft = adopt(db, draft_id, actor=actor)
        else:
            draft = PlanDraftRepository(db).set_state(draft_id, state, actor=actor)
    except PlanInvalid as exc:
        err.print(say(exc.said()), markup=False)
        fail(Msg('draft {draft_id} is not a valid plan and was not adopted', draft_id=draft_id))
    except StoreError as exc:
        _store_error(exc)
    finally:
        db.dispose()
    extra = "; it is now the default plan" if state == "adopted" else ""
    out.print(f"draft [bold]{draft.id}[/]: {draft.state} (version {draft.version}){extra}")


@next_app.command("consult")
def next_consult(draft_id: Annotated[str, typer.Argument(help="Draft id.", show_default=False)], actor: ActorOption = "cli") -> None:
    """Put a draft to consultation (its targets can still be edited)."""
    _move(draft_id, "consultation", actor)


@next_app.command("reopen")
def next_reopen(draft_id: Annotated[str, typer.Argument(help="Draft id.", show_default=False)], actor: ActorOption = "cli") -> None:
    """Take a draft back from consultation to drafting."""
    _move(draft_id, "draft", actor)


@next_app.command("adopt")
def next_adopt(draft_id: Annotated[str, typer.Argument(help="Draft id.", show_default=False)], actor: ActorOption = "cli") -> None:
    """Adopt a draft in consultation: it is stored as a plan and becomes the default; the last plan stays stored."""
    _move(draft_id, "adopted", actor)


@next_app.command("history")
def next_history(
    draft_id: Annotated[str, typer.Argument(help="Draft id.", show_default=False)],
    since: Annotated[int, typer.Option("--since", help="Show which targets changed after this version.")] = 1,
) -> None:
    """The draft's versions (who changed what, when) and the targets changed since a version."""
    from scicity.cli.context import open_database
    from scicity.store.errors import StoreError
    from scicity.store.plan_drafts import PlanDraftRepository

    db = open_database()
    try:
        repo = PlanDraftRepository(db)
        versions, diff = repo.versions(draft_id), repo.diff(draft_id, since)
    except StoreError as exc:
        _store_error(exc)
    finally:
        db.dispose()
    for v in versions:
        if v.action == "edit":
            what = f"{v.changes['indicator']}: {v.changes['before']:g} → {v.changes['after']:g}"
        elif v.action == "state":
            what = f"{v.changes['before']} → {v.changes['after']}"
        else:
            what = f"created from {v.changes.get('from')} with {len(v.changes.get('targets', {}))} targets"
        out.print(f"v{v.version}  {v.at:%Y-%m-%d %H:%M} UTC  {v.actor}  {v.action}  {what}", highlight=False)
    out.print(f"[bold]targets changed since version {since}[/]: {len(diff)}")
    for c in diff:
        out.print(f"  {c.indicator}: {c.before:g} → {c.after:g} (by {', '.join(c.by)})", highlight=False)


@next_app.command("export")
def next_export(
    draft_id: Annotated[str, typer.Argument(help="Draft id.", show_default=False)],
    output: Annotated[Path, typer.Option("--output", "-o", help="A .yaml file (the plan file) or a .xlsx workbook for consultation.")],
    lang: LangOption = None,
) -> None:
    """Export a draft as its plan file (YAML) or as a workbook for consultation (XLSX, with odds, effort, comments)."""
    from scicity.cli.context import open_database, settings
    from scicity.service.plan_lifecycle import render_text, workspace
    from scicity.store.errors import StoreError
    from scicity.store.plan_drafts import PlanDraftRepository

    suffix = output.suffix.lower()
    if suffix not in (".yaml", ".yml", ".xlsx"):
        fail(Msg('cannot export to {name}', name=output.name), hint="use a .yaml or .xlsx file name")
    lang = lang or settings().lang
    db = open_database()
    try:
        repo = PlanDraftRepository(db)
        draft = repo.get(draft_id)
        if suffix == ".xlsx":
            from scicity.reports.next_plan_xlsx import workspace_xlsx

            last, table = _last_values(draft.base_plan_id)
            ws = workspace(db, draft_id, last, table)
            notes: dict[str, list[str]] = {}
            for c in repo.comments(draft_id):
                notes.setdefault(c.indicator, []).append(f"{c.author}: {c.body}")
            output.write_bytes(workspace_xlsx(ws, lang, _t(lang), notes))
        else:
            output.write_text(render_text(draft), encoding="utf-8")
    except StoreError as exc:
        _store_error(exc)
    finally:
        db.dispose()
    out.print(say(Msg("wrote {file}", file=str(output))), markup=False)


@next_app.command("compare")
def next_compare(
    last_plan: Annotated[str, typer.Option("--last", help="The last plan's id (e.g. wcsc-14fyp-sti).")],
    plan: Annotated[str | None, typer.Option("--plan", "-p", help="The new plan; default: the default plan.")] = None,
    lang: LangOption = None,
) -> None:
    """For indicators that continue, both plans' targets and verdicts side by side (the last one's final state)."""
    from scicity.cli.console import STATUS_TEXT
    from scicity.cli.context import settings
    from scicity.cli.plan_values import plan_values
    from scicity.service.plan_lifecycle import continuing
    from scicity.service.proposals import evaluate, history_of
    from scicity.service.status import build_status

    lang = lang or settings().lang
    _ = _t(lang)
    with plan_values(last_plan, None) as a:
        old_rows = build_status(a.loaded.plan, a.values.table)
        old_plan, old_table = a.loaded.plan, a.values.table
    with plan_values(plan, None) as b:
        new_rows = build_status(b.loaded.plan, b.values.table)
        new_plan = b.loaded.plan
    if old_rows and new_plan.id == old_rows[0].plan.id:
        fail("the new plan is the last plan", hint="adopt the next plan first, or pass --plan")
    t = Table(header_style="bold", title=f"{old_rows[0].plan.id if old_rows else last_plan} → {new_plan.id}")
    for col in (_("Indicator"), _("last target"), _("last verdict"), _("new target"), _("new verdict"), "p_meet",
                _("p_meet on the trend since {year}").format(year=old_plan.baseline_year)):
        t.add_column(col)
    for c in continuing(old_rows, new_rows):
        o, n = c.last, c.new
        t.add_row(n.indicator.name.get(lang), f"{o.target.describe()} ({o.spec.target_year})",
                  STATUS_TEXT.get(o.assessment.status.value, o.assessment.status.value),
                  f"{n.target.describe()} ({n.spec.target_year})",
                  STATUS_TEXT.get(n.assessment.status.value, n.assessment.status.value),
                  "—" if n.assessment.p_meet is None else f"{100 * n.assessment.p_meet:.0f} %",
                  _trend_odds(old_plan, old_table, new_plan, n, history_of, evaluate))
    out.print(t)


def _trend_odds(old_plan, old_table, new_plan, row, history_of, evaluate) -> str:
    """The new target's odds on the whole history (what the proposals showed), while the new plan has few points."""
    h = history_of(old_plan, old_table, old_plan.indicator(row.indicator.id), new_plan.baseline_year, new_plan.target_year)
    if h is None or h.kind is not row.target.kind:
        return "—"
    odds = evaluate(h, row.target.value)
    return "—" if odds.p_meet is None else f"{100 * odds.p_meet:.0f} %"
