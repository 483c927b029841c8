"""`scicity report draft …`: report drafts from the command line, versioned and audited as the web app does them.

create → edit the office's sections (both languages, from a file or --text) →
freeze (the numbers and the data version are stored) → publish (immutable) →
reissue (a new version). ``render`` writes a draft's files: frozen numbers
once frozen, live numbers before.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from scicity.cli.console import err, fail, out, reason, say
from scicity.domain.message import Msg

app = typer.Typer(
    help="Report drafts: create, edit the office's sections, freeze the numbers, publish, re-issue, render.",
    no_args_is_help=True,
)

DraftId = Annotated[int, typer.Argument(help="The draft's number (see 'scicity report draft list').", show_default=False)]
Actor = Annotated[str | None, typer.Option("--actor", help="Who is doing this (kept in the audit log). Default: cli:<user>.")]
LangOpt = Annotated[str | None, typer.Option("--lang", help="Language of the listing: zh or en. Default: SCICITY_LANG.")]
FIELDS = ("key", "title_zh", "title_en", "text_zh", "text_en")


def _gettext(lang: str | None) -> tuple[str, Callable[[str], str]]:
    from scicity.cli.report_cmd import check_lang
    from scicity.i18n import translations

    lang = check_lang(lang)
    return lang, translations(lang).gettext


def _actor(actor: str | None) -> str:
    from scicity.cli.data_cmd import default_actor

    return actor or default_actor()


def _repo() -> Any:
    from scicity.cli.context import open_database
    from scicity.store.report_drafts import ReportDraftRepository

    return ReportDraftRepository(open_database())


def _get(repo: Any, draft_id: int) -> Any:
    from scicity.store.errors import NotFound

    try:
        return repo.get(draft_id)
    except NotFound as exc:
        fail(reason(exc), hint="list the drafts with 'scicity report draft list'")


def _refused(exc: Exception, draft_id: int | None = None) -> None:
    hint = None
    if draft_id is not None and "published" in str(exc):
        hint = f"re-issue it: 'scicity report draft reissue {draft_id}'"
    fail(reason(exc), hint=hint)


def read_sections(path: Path) -> list[dict[str, str]]:
    """Sections from a YAML or JSON file: a list of {key, title_zh, title_en, text_zh, text_en} (or {sections: [...]})."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        text = sys.stdin.read() if str(path) == "-" else path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        fail(Msg('cannot read {path}: {exc}', path=path, exc=reason(exc)))
    try:
        data = YAML(typ="safe").load(text)
    except YAMLError as exc:
        fail(Msg('{path}: not YAML or JSON: {value}', path=path, value=str(exc).splitlines()[0]), hint="see docs/cli.md, 'scicity report draft edit'")
    if isinstance(data, dict) and "sections" in data:
        data = data["sections"]
    if not isinstance(data, list):
        fail(Msg("{path}: expected a list of sections (or 'sections:' with a list), found {name}", path=path, name=type(data).__name__))
    sections = []
    for i, item in enumerate(data, 1):
        if not isinstance(item, dict):
            fail(Msg('{path}: section {i}: expected a mapping with {FIELDS}, found {name}', path=path, i=i, FIELDS=', '.join(FIELDS), name=type(item).__name__))
        unknown = sorted(set(map(str, item)) - set(FIELDS))
        if unknown:
            fail(Msg('{path}: section {i}: unknown field(s) {unknown}', path=path, i=i, unknown=', '.join(unknown)), hint=Msg('the fields are {FIELDS}', FIELDS=', '.join(FIELDS)))
        sections.append({k: "" if item.get(k) is None else str(item[k]) for k in FIELDS})
    return sections


def _check_plan_and_year(plan: Any, kind: str, as_of: int, unit: str | None) -> None:
    from scicity.service.report_model import ReportError, report_year

    try:
        report_year(plan, kind, as_of, as_of)
    except ReportError as exc:
        fail(reason(exc))
    if unit is not None:
        units = plan.geo_units()
        if unit not in units:
            fail(Msg('plan {id} has no geography unit {unit}; its units: {units}', id=repr(plan.id), unit=repr(unit), units=', '.join(units)))
        if not any((t.unit or plan.geography.id) == unit for _, t in plan.targets()):
            fail(Msg('geography unit {unit} has no targets in plan {id}: choose another --unit', unit=repr(unit), id=repr(plan.id)))


@app.command("create")
def create(
    kind: Annotated[str, typer.Argument(help="final, midterm or annual.", show_default=False)],
    as_of: Annotated[int, typer.Option("--as-of", help="The year the report is as of.", show_default=False)],
    title: Annotated[str, typer.Option("--title", "-t", help="The draft's title.", show_default=False)],
    plan: Annotated[str | None, typer.Option("--plan", "-p", help="Plan id. Default: the default plan.")] = None,
    unit: Annotated[str | None, typer.Option("--unit", "-u", help="Only the targets of this geography unit.")] = None,
    sections: Annotated[Path | None, typer.Option("--sections", help="YAML/JSON file with the office's sections (default: empty 'problems' and 'recommendations').")] = None,
    actor: Actor = None,
) -> None:
    """Create a report draft (version 1 of a new report); its numbers follow the data until it is frozen."""
    from scicity.cli.context import open_plan
    from scicity.store.errors import InvalidInput
    from scicity.store.report_drafts import DEFAULT_SECTIONS
    from scicity.store.report_tables import REPORT_KINDS

    if kind not in REPORT_KINDS:
        fail(Msg('unknown report kind {kind}', kind=repr(kind)), hint=Msg('use one of: {REPORT_KINDS}', REPORT_KINDS=', '.join(REPORT_KINDS)))
    loaded = open_plan(plan)
    _check_plan_and_year(loaded.plan, kind, as_of, unit)
    given = read_sections(sections) if sections is not None else DEFAULT_SECTIONS
    repo = _repo()
    try:
        draft = repo.create(loaded.plan.id, kind, as_of, actor=_actor(actor), title=title, unit=unit, sections=given)
    except InvalidInput as exc:
        fail(reason(exc))
    out.print(f"created report draft {draft.id}: {draft.title} ({draft.kind}, as of {draft.as_of}, plan {draft.plan_id}, version 1)")


@app.command("list")
def list_(
    plan: Annotated[str | None, typer.Option("--plan", "-p", help="Plan id. Default: the default plan.")] = None,
    state: Annotated[list[str] | None, typer.Option("--state", help="Only drafts in this state: draft, frozen or published (repeatable).")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
    lang: LangOpt = None,
) -> None:
    """List the report drafts of a plan, newest report and version first."""
    from rich.table import Table

    from scicity.cli.context import open_plan
    from scicity.i18n import fmt_datetime
    from scicity.store.report_tables import DRAFT_STATES

    for s in state or ():
        if s not in DRAFT_STATES:
            fail(Msg('unknown state {s}', s=repr(s)), hint=Msg('use one of: {DRAFT_STATES}', DRAFT_STATES=', '.join(DRAFT_STATES)))
    if fmt not in ("table", "json"):
        fail(Msg('unknown format {fmt}', fmt=repr(fmt)), hint="use --format table or --format json")
    lang, _ = _gettext(lang)
    loaded = open_plan(plan)
    drafts = _repo().list(loaded.plan.id, states=state or None)
    if fmt == "json":
        out.print_json(json.dumps([d.summary() | {"updated_at": d.updated_at.isoformat()} for d in drafts], ensure_ascii=False))
        return
    if not drafts:
        out.print(_("No reports yet."))
        return
    table = Table(show_edge=False, pad_edge=False)
    for col in (_("Id"), _("Title"), _("Kind"), _("As of"), _("Version"), _("State"), _("revision"), _("data version"), _("Updated")):
        table.add_column(col)
    for d in drafts:
        table.add_row(str(d.id), d.title, _(KIND_TEXT[d.kind]), str(d.as_of), f"v{d.version}", _(d.state), str(d.revision),
                      "—" if d.data_version is None else str(d.data_version), fmt_datetime(d.updated_at, lang))
    out.print(table)


KIND_TEXT = {"final": "Final evaluation", "midterm": "Mid-term review", "annual": "Annual report"}


@app.command("show")
def show(
    draft_id: DraftId,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json (the draft with its sections and audit trail).")] = "text",
    lang: LangOpt = None,
) -> None:
    """Show a draft: its state, versions, data version, the office's sections in both languages and its audit trail."""
    from scicity.i18n import fmt_datetime
    from scicity.store.audit import AuditRepository
    from scicity.store.data_version import data_version

    if fmt not in ("text", "json"):
        fail(Msg('unknown format {fmt}', fmt=repr(fmt)), hint="use --format text or --format json")
    lang, _ = _gettext(lang)
    repo = _repo()
    d = _get(repo, draft_id)
    audit = AuditRepository(repo.db).list(entity="report_draft", entity_id=d.id, limit=None)
    now = data_version(repo.db)
    if fmt == "json":
        doc = d.summary() | {
            "plan_id": d.plan_id, "unit": d.unit, "supersedes": d.supersedes, "created_by": d.created_by,
            "created_at": d.created_at.isoformat(), "frozen_by": d.frozen_by,
            "frozen_at": d.frozen_at.isoformat() if d.frozen_at else None, "published_by": d.published_by,
            "published_at": d.published_at.isoformat() if d.published_at else None, "data_version_now": now,
            "sections": [s.as_dict() for s in d.sections],
            "audit": [{"at": e.at.isoformat(), "actor": e.actor, "action": e.action} for e in audit],
        }
        out.print_json(json.dumps(doc, ensure_ascii=False))
        return
    out.print(f"[bold]{d.title}[/] · {_(KIND_TEXT[d.kind])} · {_('As of')} {d.as_of} · v{d.version} · {_(d.state)} · {_('revision')} {d.revision}")
    out.print(f"{_('Plan')} {d.plan_id}" + (f" · {_('Unit')} {d.unit}" if d.unit else "")
              + (f" · {_('supersedes')} {d.supersedes}" if d.supersedes else ""), markup=False)
    if d.data_version is not None:
        line = f"{_('data version')} {d.data_version}"
        if now != d.data_version:
            line += " · " + _("the data have changed since it was frozen (now {now}): it keeps the frozen numbers; "
                              "re-issue it for the new ones").format(now=now)
        out.print(line, markup=False)
    for i, s in enumerate(d.sections, 1):
        out.print(f"\n[bold]{i}. {s.key}[/] — {s.title_zh or '—'} / {s.title_en or '—'}")
        for code, text in (("zh", s.text_zh), ("en", s.text_en)):
            preview = " ".join(text.split())
            preview = preview[:80] + ("…" if len(preview) > 80 else "")
            count = _("{n} characters").format(n=f"{len(text):,}")
            out.print(f"   {code}: {count}" + (f": {preview}" if preview else ""), markup=False, highlight=False)
    out.print(f"\n[bold]{_('History')}[/]")
    for e in reversed(audit):
        out.print(f"   {fmt_datetime(e.at, lang)}  {e.actor}  {e.action}", markup=False)


@app.command("edit")
def edit(
    draft_id: DraftId,
    sections: Annotated[Path | None, typer.Option("--sections", help="Replace all sections by those of this YAML/JSON file ('-': standard input).")] = None,
    section: Annotated[str | None, typer.Option("--section", "-s", help="The one section to change: its number (as 'show' lists them) or key (problems, recommendations, free; a new one is added).")] = None,
    lang: Annotated[str | None, typer.Option("--lang", help="With --section: the language of --text and --title, zh or en.")] = None,
    text: Annotated[str | None, typer.Option("--text", help="With --section: the section's new text.")] = None,
    text_file: Annotated[Path | None, typer.Option("--text-file", help="With --section: read the new text from this file ('-': standard input).")] = None,
    title: Annotated[str | None, typer.Option("--title", help="With --section: the section's new title.")] = None,
    delete: Annotated[bool, typer.Option("--delete", help="With --section: remove that section.")] = False,
    revision: Annotated[int | None, typer.Option("--revision", help="Refuse if the draft is no longer at this revision (someone edited it meanwhile).")] = None,
    actor: Actor = None,
) -> None:
    """Change the office's sections of a draft (a new revision, audited); refused once published."""
    from scicity.store.errors import InvalidInput, InvalidTransition

    repo = _repo()
    d = _get(repo, draft_id)
    if sections is not None:
        if section is not None or text is not None or text_file is not None or title is not None or delete:
            fail("give either --sections FILE (all sections) or --section with --text/--text-file/--title/--delete, not both")
        new = read_sections(sections)
    elif section is not None:
        new = _edit_one([s.as_dict() for s in d.sections], section, lang, text, text_file, title, delete)
    else:
        fail("nothing to change", hint="give --sections FILE, or --section KEY|N --lang zh|en --text TEXT")
    try:
        d = repo.edit_sections(draft_id, new, actor=_actor(actor), expected_revision=revision)
    except (InvalidInput, InvalidTransition) as exc:
        _refused(exc, draft_id)
    out.print(say(Msg("report draft {id}: revision {revision}, {n} section(s)", id=d.id, revision=d.revision, n=len(d.sections))), markup=False)


def _edit_one(current: list[dict[str, str]], which: str, lang: str | None, text: str | None, text_file: Path | None,
              title: str | None, delete: bool) -> list[dict[str, str]]:
    from scicity.store.report_drafts import DEFAULT_SECTIONS, SECTION_KEYS

    if text is not None and text_file is not None:
        fail("give --text or --text-file, not both")
    if text_file is not None:
        try:
            text = sys.stdin.read() if str(text_file) == "-" else text_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            fail(Msg('cannot read {text_file}: {exc}', text_file=text_file, exc=reason(exc)))
    if (text is not None or title is not None) and lang not in ("zh", "en"):
        fail("say which language --text/--title is in", hint="add --lang zh or --lang en")
    if which.isdigit():
        index = int(which) - 1
        if not 0 <= index < len(current):
            fail(Msg('the draft has no section {which} (it has {n_current})', which=which, n_current=len(current)), hint="see the numbers in 'scicity report draft show ID'")
    elif which in SECTION_KEYS:
        found = [i for i, s in enumerate(current) if s["key"] == which]
        if len(found) > 1:
            fail(Msg('the draft has {n_found} sections with key {which}', n_found=len(found), which=repr(which)), hint="name the section by its number (see 'show')")
        if found:
            index = found[0]
        else:
            if delete:
                fail(Msg('the draft has no {which} section to delete', which=repr(which)))
            default = next((s.as_dict() for s in DEFAULT_SECTIONS if s.key == which), None)
            current = [*current, default or {"key": which, "title_zh": "", "title_en": "", "text_zh": "", "text_en": ""}]
            index = len(current) - 1
    else:
        fail(Msg('--section {which} is neither a number nor one of {SECTION_KEYS}', which=repr(which), SECTION_KEYS=', '.join(SECTION_KEYS)))
    if delete:
        return current[:index] + current[index + 1:]
    changed = dict(current[index])
    if text is not None:
        changed[f"text_{lang}"] = text
    if title is not None:
        changed[f"title_{lang}"] = title
    return current[:index] + [changed] + current[index + 1:]


def _transition(draft_id: int, actor: str | None, action: Callable[[Any, str], Any]) -> Any:
    from scicity.service.report_model import ReportError
    from scicity.store.errors import InvalidTransition, NotFound

    repo = _repo()
    _get(repo, draft_id)
    try:
        return action(repo, _actor(actor))
    except (InvalidTransition, ReportError, NotFound) as exc:
        _refused(exc, draft_id)


@app.command("freeze")
def freeze(draft_id: DraftId, actor: Actor = None) -> None:
    """Freeze a draft's numbers: the report model in both languages is stored with the data version and as-of."""
    from scicity.cli.context import open_plan, settings
    from scicity.cli.report_cmd import use_caches
    from scicity.service.report_service import freeze_draft

    use_caches()

    def act(repo: Any, who: str) -> Any:
        d = repo.get(draft_id)
        if d.state != "draft":  # said before the numbers of both languages are computed for nothing
            fail(Msg('report {draft_id} is {state}; only a draft can be frozen', draft_id=draft_id, state=d.state),
                 hint=Msg("re-issue it for new numbers: 'scicity report draft reissue {draft_id}'", draft_id=draft_id) if d.state == "published" else None)
        return freeze_draft(repo.db, open_plan(d.plan_id).plan, settings().data_dir / "cache", draft_id, actor=who)

    d = _transition(draft_id, actor, act)
    out.print(say(Msg("report draft {id} frozen: as of {as_of}, data version {version}", id=d.id, as_of=d.as_of, version=d.data_version)), markup=False)


@app.command("publish")
def publish(draft_id: DraftId, actor: Actor = None) -> None:
    """Publish a frozen draft: it can no longer change (a re-issue is a new version) and every reader may see it."""
    d = _transition(draft_id, actor, lambda repo, who: repo.publish(draft_id, actor=who))
    out.print(say(Msg("report draft {id} published (version {version}, revision {revision})", id=d.id, version=d.version, revision=d.revision)), markup=False)


@app.command("reissue")
def reissue(draft_id: DraftId, actor: Actor = None) -> None:
    """Re-issue a published report: a new draft, the next version, with the same sections and live numbers."""
    d = _transition(draft_id, actor, lambda repo, who: repo.reissue(draft_id, actor=who))
    out.print(f"created report draft {d.id}: version {d.version} of report {d.series_id} (supersedes {d.supersedes})")


@app.command("render")
def render(
    draft_id: DraftId,
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write (its suffix gives the format), or with --format all a directory.", show_default=False)],
    fmt: Annotated[str | None, typer.Option("--format", "-f", help="pdf, docx, xlsx, html or all. Default: from the file's suffix.")] = None,
    lang: Annotated[str | None, typer.Option("--lang", help="Language of the report: zh or en. Default: SCICITY_LANG.")] = None,
) -> None:
    """Write a draft as PDF, DOCX, XLSX or HTML: its frozen numbers once frozen, the live ones before; its sections."""
    from scicity.cli.context import open_plan, settings
    from scicity.cli.report_cmd import check_format, check_lang, output_targets, use_caches, write_files
    from scicity.service.report_model import ReportError
    from scicity.service.report_service import draft_model

    fmt = check_format(output, fmt)
    lang = check_lang(lang)
    use_caches()
    repo = _repo()
    d = _get(repo, draft_id)
    try:
        model = draft_model(repo.db, open_plan(d.plan_id).plan, settings().data_dir / "cache", d, lang)
    except ReportError as exc:
        fail(reason(exc))
    write_files(model, output_targets(output, fmt, f"{d.plan_id}-{d.kind}-{d.as_of}-v{d.version}-{lang}"))
    err.print(f"{d.title}: version {d.version}, {d.state}" + (f", data version {d.data_version}" if d.data_version is not None else ""))
