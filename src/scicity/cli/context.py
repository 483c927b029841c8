"""What the commands share: settings, the database, the plan, loading data."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from rich.markup import escape

from scicity.cli.console import err, fail, reason, say
from scicity.domain.message import Msg
from scicity.domain.observation import Observation, ObservationKey, latest_revisions
from scicity.ingest.plan_file import LoadedPlan, PlanInvalid
from scicity.service.plans import PlanNotFound, resolve_plan
from scicity.settings import Settings, get_settings
from scicity.store.db import Database, display_url
from scicity.store.errors import DatabaseUnavailable
from scicity.store.schema import SCHEMA_HEAD, schema_revision


def settings() -> Settings:
    try:
        return get_settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        fail(Msg('bad setting {setting}: {first}', setting='.'.join(map(str, first['loc'])), first=first['msg']), hint="see docs/settings.md")


def database_exists(s: Settings) -> bool:
    """True when the configured database has been created (an SQLite file exists; PostgreSQL: always try)."""
    if s.database_url.startswith("sqlite:///"):
        return Path(s.database_url.removeprefix("sqlite:///")).exists()
    return True


def open_database(s: Settings | None = None, *, must_be_current: bool = True) -> Database:
    """The configured database, migrated to the current schema; a clear error when it is not there."""
    s = s or settings()
    if not database_exists(s):
        fail(
            Msg('no database at {database_url}', database_url=display_url(s.database_url)),
            hint="run 'scicity init' (or 'scicity init --demo' for demo data), or pass --plan FILE --data FILE",
        )
    db = Database(s.database_url)
    try:
        rev = schema_revision(db)
    except DatabaseUnavailable as exc:
        fail(reason(exc))
    if must_be_current and rev != SCHEMA_HEAD:
        fail(
            Msg('the database {database_url} is at schema revision {value}, this scicity needs {SCHEMA_HEAD}', database_url=display_url(s.database_url), value=rev or Msg('none'), SCHEMA_HEAD=SCHEMA_HEAD),
            hint="run 'scicity db upgrade'",
        )
    return db


def stored_plans(s: Settings) -> tuple[str | None, dict[str, str]]:
    """The default plan id and the plan texts kept in the database, if there is one."""
    if not database_exists(s):
        return None, {}
    from scicity.store.current_reads import stored_plans as read

    db = Database(s.database_url)
    try:
        if schema_revision(db) is None:
            return None, {}
        return read(db)
    except DatabaseUnavailable:
        return None, {}
    finally:
        db.dispose()


def _is_plan_file(ref: str) -> bool:
    path = Path(ref)
    return path.suffix.lower() in (".yaml", ".yml") or path.exists()


def open_plan(ref: str | None, s: Settings | None = None, *, use_db: bool = True) -> LoadedPlan:
    """A plan by id or file, with a clear error listing every problem of a bad file.

    No reference: the setting SCICITY_PLAN, else the database's default plan
    (``scicity plan load --default``), else the packaged seed plan.
    """
    s = s or settings()
    ref = ref or s.plan
    stored: dict[str, str] = {}
    if use_db and not (ref and _is_plan_file(ref)):
        default_id, stored = stored_plans(s)
        ref = ref or default_id
    try:
        return resolve_plan(ref, stored, cache_dir=s.data_dir / "cache")
    except PlanNotFound as exc:
        fail(reason(exc))
    except PlanInvalid as exc:
        err.print(say(exc.said()), markup=False)
        fail(Msg('the plan {ref} has {n_issues} problem(s)', ref=ref, n_issues=len(exc.issues)), hint=Msg("run 'scicity plan validate {ref}'", ref=ref))


def observations_from_file(path: Path, loaded: LoadedPlan, *, strict: bool = False) -> dict[ObservationKey, Observation]:
    """Observations of a CSV/XLSX file (stateless mode, read-only), latest revision per key.

    Rows for indicators, series or units the plan does not have are left out with one
    summary warning; ``strict`` refuses them as problems instead (exit code 1). The file
    is read in a limited worker process, as every upload and import is.
    """
    from scicity.ingest.isolated import limits_from
    from scicity.ingest.problems import ImportRejected
    from scicity.service.file_reads import read_data_file

    if not path.exists():
        fail(Msg('data file {path} does not exist', path=path))
    notes: list[str] = []
    try:
        rows, read_notes = read_data_file(path, loaded.plan, limits=limits_from(settings()), skip_foreign=not strict)
        notes.extend(read_notes)
    except ImportRejected as exc:
        err.print(exc.text("read", settings().lang), markup=False)
        hint = "fix the listed cells, or leave out --strict to skip rows the plan does not have" if strict else None
        fail(Msg('{path} was not read: {total} problem(s)', path=path, total=exc.total), hint=hint, code=1)
    for note in notes:
        err.print(f"[yellow]{escape(say('warning:'))}[/] {escape(say(Msg('{file}: {note}', file=path.name, note=note)))}",
                  highlight=False)
    return latest_revisions(rows)
