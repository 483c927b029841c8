"""`scicity serve` and `scicity user …`: run the web application, manage its users and API tokens."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Annotated

import typer
from rich.cells import cell_len

from scicity.cli.console import fail, out, reason, say
from scicity.domain.message import Msg
from scicity.cli.context import open_database, settings
from scicity.store.errors import StoreError

app = typer.Typer(help="Users of the web application: add, list, set passwords, API tokens.", no_args_is_help=True)

ADMIN_ACTOR = "cli:user-admin"
#: the demo accounts made by `scicity user demo`: (user name, role, department)
DEMO_ACCOUNTS = (
    ("admin", "admin", None),
    ("analyst", "analyst", None),
    ("provider", "provider", "statistics"),
    ("viewer", "viewer", None),
)
DEMO_DEPARTMENT = ("statistics", "Statistics bureau (demo)")
#: demo accounts of the exchange platform: (user name, role, organisation kind); the organisation is a demo one
#: (the transfer office of the first demo university; the enterprise of the first demo need, else the first enterprise)
DEMO_EXCHANGE_ACCOUNTS = (
    ("tto", "viewer", "institution"),
    ("enterprise", "viewer", "enterprise"),
)


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on (127.0.0.1: this machine only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes (login rate limits and caches are per process).")] = 1,
) -> None:
    """Serve the web application and the API (migrates the database first)."""
    import uvicorn

    from scicity.web.app import WeakSecret, create_app

    s = settings()
    try:
        application = create_app(s)
    except WeakSecret as exc:
        fail(reason(exc))
    except StoreError as exc:
        fail(reason(exc))
    out.print(say(Msg("scicity is serving on {url} (API docs: {url}api/docs) — Ctrl+C stops it",
                      url=f"http://{host}:{port}/")), markup=False)
    if workers != 1:
        out.print(say("--workers is ignored with an app object; run several 'scicity serve' behind a proxy instead"),
                  style="yellow", markup=False)
    uvicorn.run(application, host=host, port=port, log_level="warning", proxy_headers=False)


def _repo():  # noqa: ANN202
    from scicity.store.users import UserRepository

    return UserRepository(open_database(settings()))


def _password(given: str | None) -> tuple[str, bool]:
    if given:
        return given, False
    return secrets.token_urlsafe(12), True


@app.command("add")
def add(
    username: Annotated[str, typer.Argument(help="User name to sign in with.", show_default=False)],
    role: Annotated[str, typer.Option(help="admin, analyst, provider or viewer.")] = "viewer",
    department: Annotated[str | None, typer.Option(help="Department id (data providers report its indicators).")] = None,
    name: Annotated[str | None, typer.Option(help="Display name.")] = None,
    password: Annotated[str | None, typer.Option(help="Password (default: a generated one, printed once). Prefer the prompt-free default.")] = None,
) -> None:
    """Add a user; prints a generated password once unless --password is given."""
    clear, generated = _password(password)
    try:
        user = _repo().create(username, clear, role, actor=ADMIN_ACTOR, display_name=name, department_id=department)
    except StoreError as exc:
        fail(reason(exc))
    out.print(say(Msg("user {name} ({role}) added", name=user.username, role=Msg(user.role))), markup=False)
    if generated:
        out.print(say(Msg("password: {password}", password=clear)), markup=False)


@app.command("list")
def list_users() -> None:
    """List the users with role, department and whether they may sign in."""
    repo = _repo()
    for u in repo.list():
        out.print(f"{u.username:<24} {_pad(say(u.role), 11)}{u.department_id or '-':<16} "
                  f"{say('active' if u.active else 'blocked')}", markup=False)


@app.command("set-password")
def set_password(
    username: Annotated[str, typer.Argument(help="User whose password to set.", show_default=False)],
    password: Annotated[str | None, typer.Option(help="New password (default: a generated one, printed once).")] = None,
) -> None:
    """Set a new password (ends the user's sessions)."""
    clear, generated = _password(password)
    try:
        _repo().set_password(username, clear, actor=ADMIN_ACTOR)
    except StoreError as exc:
        fail(reason(exc))
    out.print(say(Msg("password of {name} changed", name=username)), markup=False)
    if generated:
        out.print(say(Msg("password: {password}", password=clear)), markup=False)


@app.command("token")
def token(
    username: Annotated[str, typer.Argument(help="User the token acts as.", show_default=False)],
    name: Annotated[str, typer.Option(help="A name to recognise the token by.")] = "api",
    expires_in_days: Annotated[int | None, typer.Option("--expires-in-days", min=1, max=3650,
                                                        help="Refuse the token after this many days (default: never).")] = None,
) -> None:
    """Create a personal API token (printed once; only its hash is stored)."""
    from datetime import timedelta

    from scicity.store.types import utcnow

    expires = utcnow() + timedelta(days=expires_in_days) if expires_in_days else None
    try:
        _info, clear = _repo().create_token(username, name, actor=ADMIN_ACTOR, expires_at=expires)
    except StoreError as exc:
        fail(reason(exc))
    if expires:
        said = Msg("API token for {name} (shown once, valid until {until} UTC): {token}", name=username,
                   until=f"{expires:%Y-%m-%d %H:%M}", token=clear)
    else:
        said = Msg("API token for {name} (shown once): {token}", name=username, token=clear)
    out.print(say(said), markup=False)


@app.command("tokens")
def tokens(username: Annotated[str, typer.Argument(help="User whose API tokens to list.", show_default=False)]) -> None:
    """List a user's API tokens: id, name, first characters, created, last used, expiry, revoked."""
    try:
        found = _repo().tokens(username)
    except StoreError as exc:
        fail(reason(exc))
    if not found:
        out.print(say(Msg("{name} has no API tokens", name=username)), markup=False)
        return

    def when(t: object) -> str:
        return f"{t:%Y-%m-%d %H:%M}" if t is not None else "-"

    for t in found:
        state = say(Msg("revoked {when}", when=when(t.revoked_at)) if t.revoked_at else "active")
        out.print(f"{t.id:>5}  {t.name:<20} {t.prefix}…  " + say(Msg(
            "created {created}  last used {used}  expires {expires}  {state}", created=when(t.created_at),
            used=when(t.last_used_at), expires=when(t.expires_at), state=state)), markup=False)


@app.command("revoke-token")
def revoke_token(token_id: Annotated[int, typer.Argument(help="Token id (see 'scicity user tokens NAME').",
                                                         show_default=False)]) -> None:
    """Revoke an API token: it stops working at once, on every server process."""
    try:
        _repo().revoke_token(token_id, actor=ADMIN_ACTOR)
    except StoreError as exc:
        fail(reason(exc))
    out.print(say(Msg("API token {token} revoked", token=token_id)), markup=False)


@app.command("demo")
def demo(
    write: Annotated[Path | None, typer.Option(help="Also write the accounts to this file (mode 600).")] = None,
) -> None:
    """Create (or reset) one demo account per role with generated passwords, and print them."""
    from scicity.store.exchange_deals import DealRepository

    repo = _repo()
    try:
        ids = [i for i in _seed_ids()]
        repo.save_department(*DEMO_DEPARTMENT, indicators=ids, actor=ADMIN_ACTOR)
        lines = []
        width = max(9, *(cell_len(say(role)) + 1 for _, role, _ in DEMO_ACCOUNTS))  # the role column
        for username, role, department in DEMO_ACCOUNTS:
            clear = _demo_account(repo, username, role, f"Demo {role}", department)
            lines.append(say(Msg("  {role} user {user} password {password}", role=_pad(say(role), width),
                                 user=_pad(username, 9), password=clear)))
        orgs = demo_organisations(repo.db)
        deals = DealRepository(repo.db)
        for username, role, kind in DEMO_EXCHANGE_ACCOUNTS:
            org, name = orgs[kind]
            clear = _demo_account(repo, username, role, f"Demo {kind}: {name}", None)
            user = repo.by_username(username)
            assert user is not None
            deals.set_member(user.id, org, kind, email=f"{username}@demo.invalid")
            lines.append(say(Msg("  {role} user {user} password {password}  acts for {org} ({name})",
                                 role=_pad(say(role), width), user=_pad(username, 10), password=clear, org=org, name=name)))
    except StoreError as exc:
        fail(reason(exc))
    out.print(say("demo accounts (one per role):"))
    for text in lines:
        out.print(text, markup=False)
    if write is not None:
        write.parent.mkdir(parents=True, exist_ok=True)
        write.write_text("\n".join(lines) + "\n", encoding="utf-8")
        write.chmod(0o600)


def _pad(text: str, width: int) -> str:
    """``text`` filled with spaces to ``width`` terminal cells (a Chinese character takes two)."""
    return text + " " * max(0, width - cell_len(text))


def _demo_account(repo, username: str, role: str, display: str, department: str | None) -> str:  # noqa: ANN001
    """Create the account, or reset its password; the new password."""
    clear = secrets.token_urlsafe(9)
    if repo.by_username(username) is None:
        repo.create(username, clear, role, actor=ADMIN_ACTOR, display_name=display, department_id=department)
    else:
        repo.set_password(username, clear, actor=ADMIN_ACTOR)
    return clear


def demo_organisations(db) -> dict[str, tuple[str, str]]:  # noqa: ANN001
    """The demo organisations the exchange demo accounts act for: kind -> (code, name)."""
    from sqlalchemy import select

    from scicity.demo.exchange import ORGS
    from scicity.store.exchange_tables import NeedRow
    from scicity.store.registry_tables import EnterpriseRow

    university = next(code for code, (_, _, kind) in ORGS.items() if kind.value == "university")
    with db.session() as session:
        need = session.execute(select(NeedRow.enterprise, NeedRow.enterprise_name).where(NeedRow.code.like("DEMO-%"))
                               .order_by(NeedRow.code).limit(1)).first()
        first = session.execute(select(EnterpriseRow.credit_code, EnterpriseRow.name_zh).order_by(EnterpriseRow.id)
                                .limit(1)).first()
        names = dict(session.execute(select(EnterpriseRow.credit_code, EnterpriseRow.name_zh)
                                     .where(EnterpriseRow.credit_code == need[0])).all()) if need else {}
    if need is not None:
        enterprise = (need[0], need[1] or names.get(need[0]) or need[0])
    elif first is not None:
        enterprise = (first[0], first[1] or first[0])
    else:
        enterprise = ("DEMO-ENT", "Demo enterprise (synthetic)")
    return {"institution": (university, ORGS[university][0]), "enterprise": enterprise}


def _seed_ids() -> list[str]:
    """What the demo statistics bureau reports: the talent and enterprise counts of the seed plan."""
    from scicity.cli.context import open_plan

    plan = open_plan(None).plan
    return [i.id for i in plan.indicators if i.area in ("entrepreneurship", "talent") and not i.formula]
