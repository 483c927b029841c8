"""`scicity init` and `scicity db …`: create, migrate and fill the database."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from scicity.cli.console import cli_lang, fail, out, reason, say
from scicity.domain.message import Msg
from scicity.cli.context import open_plan, settings
from scicity.store.db import Database, display_url
from scicity.store.errors import DatabaseUnavailable

app = typer.Typer(help="Database schema: migrate to the current version.", no_args_is_help=True)

DEMO_ACTOR = "demo-generator"


@app.command("upgrade")
def upgrade() -> None:
    """Create or migrate the database schema to the current version (safe to run again)."""
    from scicity.store.migrate import upgrade as migrate_upgrade

    s = settings()
    try:
        rev = migrate_upgrade(s.database_url)
    except DatabaseUnavailable as exc:
        fail(reason(exc))
    out.print(say(Msg("database {url} is at schema revision {rev}", url=display_url(s.database_url), rev=rev)), markup=False)


def init(
    demo: Annotated[bool, typer.Option("--demo", help="Load the synthetic demo data set for the seed plan.")] = False,
    reset: Annotated[bool, typer.Option("--reset", help="Delete the SQLite database first (refused for other databases).")] = False,
    plan: Annotated[str | None, typer.Option("--plan", "-p", help="Plan file or id to load as the default plan.")] = None,
) -> None:
    """Create the database, load the plan, and optionally the demo data."""
    from scicity.store.migrate import upgrade as migrate_upgrade
    from scicity.store.observations import ObservationRepository
    from scicity.store.plans import PlanRepository
    from scicity.cli.exchange_cmd import load_demo as exchange_demo

    s = settings()
    if reset:
        if not s.database_url.startswith("sqlite:///"):
            fail("--reset only deletes SQLite files", hint="drop and re-create a PostgreSQL database yourself")
        file = Path(s.database_url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{file}{suffix}").unlink(missing_ok=True)
    try:
        rev = migrate_upgrade(s.database_url)
    except DatabaseUnavailable as exc:
        fail(reason(exc))
    db = Database(s.database_url)
    loaded = open_plan(plan, s, use_db=False)
    PlanRepository(db).save(loaded.plan.id, loaded.plan.name.en, loaded.text, actor="cli:init", make_default=True)
    out.print(say(Msg("database {url} (schema {rev}); plan {plan} loaded", url=display_url(s.database_url), rev=rev, plan=loaded.plan.id)), markup=False)
    if not demo:
        return
    _load_demo_registries(db)
    _prepare_tier_query(s.data_dir / "cache")
    from scicity.cli.plan_lifecycle_cmd import load_demo_peers  # the next plan's synthetic peer zones

    load_demo_peers(db, loaded.plan)
    out.print(say(exchange_demo(db)), markup=False)
    repo = ObservationRepository(db)
    if repo.latest(statuses=None):
        out.print(say("the database already holds observations: demo data not loaded again (use --reset to start over)"),
                  style="yellow", markup=False)
        return
    from scicity.demo.generator import generate

    data = generate()
    first = repo.apply(list(data.first_release), actor=DEMO_ACTOR, file_name="demo: first release")
    revised = repo.apply(list(data.revisions), actor=DEMO_ACTOR, file_name="demo: revisions")
    out.print(say(Msg("demo data loaded: {new} observations, {revised} revised (synthetic — not real statistics)",
                      new=first.counts()["new"], revised=revised.counts()["changed"])), markup=False)


def _prepare_tier_query(cache: Path) -> None:
    """Compile the tier engine's query once into the cache (as the first cultivation page or ``status`` would:
    a few seconds), so that the demo's first page does not wait for it."""
    from scicity.engine.registry.tier_duckdb import tier_sql
    from scicity.service.cultivation import rule_book

    tier_sql(rule_book(cache_dir=cache), cache_dir=cache)


def _load_demo_registries(db: Database) -> None:
    """The demo registries (from which the demo counts follow), unless registries are already there."""
    from scicity.demo.registries import generate_registries
    from scicity.store.registries import RegistryRepository

    repo = RegistryRepository(db)
    if repo.count("enterprises") or repo.count("institutions"):
        out.print(say("the database already holds registries: demo registries not loaded again"), style="yellow")
        return
    parts = [(kind, records, None) for kind, records in generate_registries().parts()]
    done = repo.apply_many(parts, actor=DEMO_ACTOR, file_name="demo: registries")
    counts = ("、" if cli_lang() == "zh" else ", ").join(say(Msg("{n} {kind}", n=c.new, kind=Msg(c.kind.value))) for c in done)
    out.print(say(Msg("demo registries loaded: {counts} (synthetic)", counts=counts)), markup=False)


# `scicity db verify` lives in its own module.
from scicity.cli import verify_cmd  # noqa: E402

app.command("verify")(verify_cmd.verify)
