"""`scicity db verify`: check the observations against the audit log and report any tampering."""

from __future__ import annotations

from scicity.cli.console import err, fail, out
from scicity.cli.context import open_database, settings


def verify() -> None:
    """Check every observation against its audit events; exit code 1 and each difference when tampered with."""
    from scicity.store.verify import verify as run

    report = run(open_database(settings()))
    if report.ok:
        out.print(f"ok: {report.observations} observations match their {report.events} audit events")
        return
    for line in report.problems:
        err.print(f"  - {line}", markup=False)
    if report.total_problems > len(report.problems):
        err.print(f"  … and {report.total_problems - len(report.problems)} more", markup=False)
    fail(f"{report.total_problems} difference(s) between the observations and the audit log: the store was changed "
         "outside scicity", hint="compare with a backup; see docs/store.md (what a database owner can still do)", code=1)
