"""Who may do what: one table of roles and permissions, used by the pages and the API alike.

- ``admin``: everything, including users, departments and roles.
- ``analyst``: read everything (drafts too), enter data for any indicator,
  approve or return values entered by someone else, record goal status, read the audit log,
  import registry files.
- ``provider`` (data provider): read, and enter data only for the ids their
  department reports; sees their own drafts.
- ``viewer``: read approved data.
- exchange platform: every signed-in user may use it (``exchange``) for the organisation
  ``exchange_members`` gives them — a transfer office (its achievements, experts, instruments)
  or an enterprise (its needs and deals); ``admin`` and ``analyst`` are platform operators
  (``exchange_operate``: every record and deal, publishing), as is a member of kind ``operator``.
- anonymous: nothing, unless the public view is on (``SCICITY_PUBLIC_VIEW``):
  then read approved data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from scicity.store.users import User


class Role(StrEnum):
    ADMIN = "admin"
    ANALYST = "analyst"
    PROVIDER = "provider"
    VIEWER = "viewer"
    ANONYMOUS = "anonymous"


class Perm(StrEnum):
    READ = "read"  # approved data: overview, indicators, geography, goals, registry counts
    READ_RECORDS = "read_records"  # registry records (persons, enterprises with their financials): never public
    READ_DRAFTS = "read_drafts"  # values not yet approved (providers: their own)
    ENTER_DATA = "enter_data"  # upload, enter and correct values (providers: their department's ids)
    APPROVE = "approve"  # approve or return submitted values
    GOALS = "goals"  # record the status of qualitative goals
    AUDIT = "audit"  # read the audit log
    REGISTRIES = "registries"  # import registry files (institutions, enterprises, talent, patents, …)
    PLAN_DRAFTS = "plan_drafts"  # draft the next plan: edit its targets, comment, consult, adopt
    EXCHANGE = "exchange"  # exchange platform: match, express interest, own records and deals (for one's organisation)
    EXCHANGE_OPERATE = "exchange_operate"  # exchange platform operator: every record and deal; publishes
    ADMIN = "admin"  # users, roles, departments
    REPORTS = "reports"  # report drafts: preview, edit the office's sections, freeze, publish


GRANTS: dict[Role, frozenset[Perm]] = {
    Role.ADMIN: frozenset(Perm),
    Role.ANALYST: frozenset({Perm.READ, Perm.READ_RECORDS, Perm.READ_DRAFTS, Perm.ENTER_DATA, Perm.APPROVE, Perm.GOALS,
                             Perm.AUDIT, Perm.REGISTRIES, Perm.PLAN_DRAFTS, Perm.EXCHANGE, Perm.EXCHANGE_OPERATE,
                             Perm.REPORTS}),
    Role.PROVIDER: frozenset({Perm.READ, Perm.READ_RECORDS, Perm.READ_DRAFTS, Perm.ENTER_DATA, Perm.EXCHANGE}),
    Role.VIEWER: frozenset({Perm.READ, Perm.READ_RECORDS, Perm.EXCHANGE}),
    Role.ANONYMOUS: frozenset(),
}
#: the public view: approved plan-level figures only (registries as counts, no person or enterprise records)
PUBLIC_GRANTS = frozenset({Perm.READ})


@dataclass(frozen=True)
class Principal:
    """The person (or nobody) behind a request, with what they may report."""

    user: User | None
    role: Role
    reports: frozenset[str] = field(default_factory=frozenset)  # ids a provider's department reports
    via: str = "anonymous"  # "session", "token" or "anonymous"
    public_view: bool = False

    @property
    def name(self) -> str:
        return self.user.username if self.user else "anonymous"

    @property
    def signed_in(self) -> bool:
        return self.user is not None

    def can(self, perm: Perm) -> bool:
        if self.role is Role.ANONYMOUS:
            return self.public_view and perm in PUBLIC_GRANTS
        return perm in GRANTS[self.role]

    def can_report(self, indicator: str) -> bool:
        """May enter or correct values of this id (indicator or series)?"""
        if not self.can(Perm.ENTER_DATA):
            return False
        return self.role is not Role.PROVIDER or indicator in self.reports

    def sees_all_drafts(self) -> bool:
        return self.role in (Role.ADMIN, Role.ANALYST)

    def may_review(self, created_by: str | None) -> bool:
        """Approve or return a value: needs APPROVE and must not be one's own entry (four eyes)."""
        return self.can(Perm.APPROVE) and created_by != self.name


def anonymous(public_view: bool) -> Principal:
    return Principal(None, Role.ANONYMOUS, public_view=public_view)
