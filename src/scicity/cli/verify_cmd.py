"""`scicity db verify`: check the audit log's hash chain and the observations against it; report any tampering."""

from __future__ import annotations

from typing import Annotated

import typer

from scicity.cli.console import err, fail, out, say
from scicity.domain.message import Msg
from scicity.cli.context import open_database, settings


def _head(text: str | None) -> tuple[int, str] | None:
    if not text:
        return None
    number, sep, digest = text.partition(":")
    if not sep or not number.strip().isdigit() or len(digest.strip()) != 64:
        fail(Msg("--head {text}: write it as ID:HASH, as an earlier 'scicity db verify' printed it (e.g. 1234:9f86d081…, the hash 64 hex digits)", text=repr(text)))
    return int(number), digest.strip().lower()


def verify(
    head: Annotated[str | None, typer.Option(
        "--head", help="ID:HASH of the chain's head printed by an earlier verify: check that it is still there.")] = None,
) -> None:
    """Check the audit log's hash chain and every observation against its audit events; exit code 1 and each
    difference when tampered with."""
    from scicity.store.verify import verify as run

    report = run(open_database(settings()), head=_head(head))
    if report.ok:
        out.print(say(Msg("ok: {observations} observations match their {events} audit events; "
                          "the audit log's hash chain of {audit_events} events is unbroken",
                          observations=report.observations, events=report.events, audit_events=report.audit_events)),
                  markup=False)
        if report.head_id is not None:
            out.print(say(Msg("head: {head} (keep it to check later with --head)",
                              head=f"{report.head_id}:{report.head_hash}")), markup=False)
        return
    for line in report.problems:
        err.print(f"  - {say(line)}", markup=False)
    if report.total_problems > len(report.problems):
        err.print(say(Msg("  … and {n} more", n=report.total_problems - len(report.problems))), markup=False)
    where = (Msg("; the audit log's hash chain breaks first at event {event}", event=report.first_break)
             if report.first_break else "")
    fail(Msg("{total_problems} difference(s) between the observations and the audit log{where}: the store was changed "
             "outside scicity", total_problems=report.total_problems, where=where),
         hint="compare with a backup; see docs/store.md (what a database owner can still do)", code=1)
