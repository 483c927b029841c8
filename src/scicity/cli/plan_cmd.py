"""`scicity plan …`: validate, show and describe plan files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.markup import escape
from rich.tree import Tree

from scicity.cli.console import err, fail, out, say, use_lang
from scicity.domain.message import Msg
from scicity.cli.context import database_exists, open_database, open_plan, settings
from scicity.domain.plan import GeoUnit, Plan
from scicity.ingest.plan_file import PlanInvalid, load_plan_file
from scicity.plans import packaged_plans

app = typer.Typer(help="Validate, show and describe plan files.", no_args_is_help=True)


@app.command("validate")
def validate(
    files: Annotated[list[Path], typer.Argument(help="Plan file(s) (YAML) to check.", show_default=False)],
    lang: Annotated[str | None, typer.Option(help="Language of the problems: en or zh (default: SCICITY_LANG).")] = None,
) -> None:
    """Check plan files and list every problem with file:line. Exit code 1 if any file has problems."""
    from rich.markup import escape

    if lang is not None:
        if lang not in ("en", "zh"):
            fail(Msg("unknown language {lang}", lang=repr(lang)), hint="use --lang zh or --lang en")
        use_lang(lang)
    bad = 0
    for file in files:
        try:
            loaded = load_plan_file(file)
        except PlanInvalid as exc:
            bad += 1
            err.print(f"[bold red]✗[/] {escape(say(Msg('{file}: {n} problem(s)', file=str(file), n=len(exc.issues))))}")
            for issue in exc.issues:
                err.print(f"  {say(issue.said())}", markup=False)
            continue
        plan = loaded.plan
        counts = Msg("{file}: plan {plan} — {areas} areas, {series} series, {indicators} indicators, {targets} targets, "
                     "{goals} goals, {units} geography units", file=str(file), plan=plan.id, areas=len(plan.areas),
                     series=len(plan.series), indicators=len(plan.indicators), targets=len(plan.targets()),
                     goals=len(plan.goals), units=len(plan.geo_units()))
        out.print(f"[green]✓[/] {escape(say(counts))}")
        for warning in loaded.warnings:
            err.print(f"  [yellow]{escape(say('warning:'))}[/] {escape(say(warning.said()))}", highlight=False)
    if bad:
        raise typer.Exit(1)


@app.command("show")
def show(
    plan: Annotated[str | None, typer.Option("--plan", "-p", help="Plan id or plan file; default: the default plan.")] = None,
    lang: Annotated[str | None, typer.Option(help="Language of names and the table: en or zh (default SCICITY_LANG).")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
) -> None:
    """Show a plan: its targets by area, qualitative goals and geography."""
    from scicity.cli.report_cmd import check_lang
    from scicity.cli.table_words import word
    from scicity.i18n import tr
    from scicity.service.wording import target_words

    lang = check_lang(lang)
    loaded = open_plan(plan)
    p = loaded.plan
    if fmt == "json":
        out.print_json(json.dumps(p.model_dump(mode="json"), ensure_ascii=False))
        return
    if fmt != "table":
        fail(Msg('unknown format {fmt}', fmt=repr(fmt)), hint="use --format table or --format json")
    out.print(f"[bold]{escape(p.name.get(lang))}[/]  " + escape(tr(Msg(
        "({plan}, {first}–{last}, baseline {baseline})", plan=p.id, first=p.period[0], last=p.period[1],
        baseline=p.baseline_year), lang)))
    out.print(f"[dim]{escape(tr(Msg('file: {path}', path=str(loaded.path)), lang))}[/]")
    table = Table(show_lines=False, header_style="bold")
    for col in ("area", "indicator", "target", "kind", "year", "definition"):
        table.add_column(word(col, lang, "plan column"))
    for ind, target in p.targets():
        how = f"= {ind.formula}" if ind.formula else word("reported", lang)
        table.add_row(
            p.area(ind.area).name.get(lang),
            f"{ind.name.get(lang)}\n[dim]{ind.id}[/]",
            target_words(target, ind, lang),
            word(target.kind.value, lang, "target kind"),
            str(p.target_year_of(target)),
            how,
        )
    out.print(table)
    if p.goals:
        out.print(f"[bold]{escape(word('Qualitative goals', lang))}[/]")
        for goal in p.goals:
            out.print(f"  • {goal.name.get(lang)} [dim]({goal.id})[/]")
    out.print(f"[bold]{escape(word('Geography', lang))}[/]")
    out.print(_geo_tree(p.geography, lang))


@app.command("list")
def list_plans() -> None:
    """List the plans stored in the database and the plan files shipped with scicity."""
    s = settings()
    stored = []
    if database_exists(s):
        from scicity.store.plans import PlanRepository

        stored = PlanRepository(open_database(s)).list()
    for p in stored:
        default = f" [bold]{escape(say('(default)'))}[/]" if p.is_default else ""
        when = escape(say(Msg("stored {at} UTC", at=f"{p.loaded_at:%Y-%m-%d %H:%M}")))
        out.print(f"{escape(p.id)}\t{when}\t{escape(p.name)}{default}")
    for plan_id, path in packaged_plans().items():
        out.print(f"{plan_id}\t{say('packaged')}\t{path}", markup=False)


@app.command("load")
def load(
    file: Annotated[Path, typer.Argument(help="Plan file (YAML) to store.", show_default=False)],
    default: Annotated[bool, typer.Option("--default", help="Make it the default plan.")] = False,
) -> None:
    """Store a plan file in the database, beside the plans already there (e.g. the next five-year plan)."""
    from scicity.store.plans import PlanRepository

    try:
        loaded = load_plan_file(file)
    except PlanInvalid as exc:
        err.print(say(exc.said()), markup=False)
        fail(Msg('{file} was not loaded', file=file))
    repo = PlanRepository(open_database())
    stored = repo.save(loaded.plan.id, loaded.plan.name.en, loaded.text, actor="cli", make_default=True if default else None)
    out.print(f"stored plan [bold]{stored.id}[/]{' (default)' if stored.is_default else ''} from {file}")


@app.command("schema")
def schema(
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file instead of standard output.")] = None,
) -> None:
    """Print the JSON Schema of plan files (generated from the models)."""
    text = json.dumps(Plan.model_json_schema(), indent=2, ensure_ascii=False) + "\n"
    if output:
        output.write_text(text, encoding="utf-8")
        out.print(say(Msg("wrote {file}", file=str(output))), markup=False)
    else:
        typer.echo(text, nl=False)


def _geo_tree(unit: GeoUnit, lang: str, tree: Tree | None = None) -> Tree:
    from scicity.cli.table_words import word

    label = f"{unit.name.get(lang)} [dim]({unit.id}, {word(unit.kind, lang, 'geography kind')})[/]"
    node = Tree(label) if tree is None else tree.add(label)
    for child in unit.children:
        _geo_tree(child, lang, node)
    return node


# The next-plan commands (draft, propose, peers, next …) live in their own module.
from scicity.cli import nextplan_cmd  # noqa: E402

nextplan_cmd.register(app)
