"""What the application keeps while it runs: settings, database, repositories, caches, the login limiter."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict

from scicity.domain.tier_rules import RuleBook
from scicity.engine.indicator_values import ValueTable
from scicity.ingest.plan_file import LoadedPlan
from scicity.service.plans import PlanNotFound, resolve_plan
from scicity.service.read_model import ReadModel, SingleFlight, StatusView
from scicity.service.reconciled_values import PlanValues
from scicity.settings import Settings
from scicity.store.audit import AuditRepository
from scicity.store.db import Database
from scicity.store.goals import GoalStatusRepository
from scicity.store.observations import ObservationRepository
from scicity.store.plans import PlanRepository
from scicity.store.users import UserRepository
from scicity.store.web_sessions import SessionRepository
from scicity.web.login_limits import LoginLimiter
from scicity.web.overview_rows import OverviewRows
from scicity.web.sessions import SessionCodec

#: seconds between two looks at the audit log for writes of other processes (this process's writes count at once)
VERSION_POLL = 0.25
#: seconds after a write of this process during which pages wait for their new state
FRESH_AFTER_WRITE = 5.0


class WebState:
    def __init__(self, settings: Settings, db: Database, codec: SessionCodec) -> None:
        self.settings = settings
        self.db = db
        self.codec = codec
        self.users = UserRepository(db)
        self.sessions = SessionRepository(db)
        self.observations = ObservationRepository(db)
        self.audit = AuditRepository(db)
        self.goals = GoalStatusRepository(db)
        self.plans = PlanRepository(db)
        self.limiter = LoginLimiter(settings.login_max_failures)
        self._lock = threading.Lock()
        self._plans: dict[tuple[str, str], LoadedPlan] = {}
        self._plan_refs: dict[tuple[str | None, int], LoadedPlan] = {}
        #: values and verdicts of plans, versioned by kind of data from the audit log (service/read_model.py)
        self.read_model = ReadModel(db, settings.data_dir / "cache", poll=VERSION_POLL)
        self._waiting: dict[tuple[object, ...], list[tuple[str, str | None]]] = {}
        #: the overview's rendered rows, each kept with the judged row it was made from
        self.overview_rows = OverviewRows()
        #: whole rendered pages per (page, parameters): one rendering at a time, the previous one served meanwhile
        self.pages: SingleFlight[object] = SingleFlight()
        self._fresh_until = float("-inf")
        self._memo: OrderedDict[tuple[object, ...], object] = OrderedDict()

    def version(self) -> int:
        """The data version: the newest audit id of anything pages show (users excluded: a login moves nothing)."""
        return self.read_model.versions().data

    def wrote(self) -> None:
        """A request that may have written finished: look at the audit log now.

        For a few seconds after a write of this process, pages wait for their new state (the writer's next
        page shows the write); otherwise the previous page is served while the new one is made.
        """
        before = self.read_model.known().data  # as the pages last saw it, not read again
        self.read_model.touch()
        moved = self.read_model.versions().data != before  # a login or a language switch moves no page data
        with self._lock:
            if moved:
                self._fresh_until = time.monotonic() + FRESH_AFTER_WRITE

    def must_wait(self) -> bool:
        """Whether a page should wait for its new state instead of serving the previous one."""
        return time.monotonic() < self._fresh_until

    def memo(self, key: tuple[object, ...], compute):  # noqa: ANN001, ANN201
        """``compute()`` once per key (keys carry the data version, so any write invalidates them)."""
        with self._lock:
            if key in self._memo:
                self._memo.move_to_end(key)
                return self._memo[key]
        value = compute()
        with self._lock:
            self._memo[key] = value
            while len(self._memo) > 1024:
                self._memo.popitem(last=False)
        return value

    def waiting(self, loaded: LoadedPlan, version: int) -> list[tuple[str, str | None]]:
        """(id, author) of every value waiting for approval (latest draft or submitted revision) at the plan's
        target units — the units of the overview's rows (a narrow read, per data version)."""
        key = (loaded.plan.id, hash(loaded.text), version)
        hit = self._waiting.get(key)
        if hit is None:
            from scicity.domain.observation import ObservationStatus

            from scicity.service.read_model import target_units

            rows = self.observations.latest(set(loaded.plan.reported_ids()), target_units(loaded.plan),
                                            statuses=(ObservationStatus.SUBMITTED, ObservationStatus.DRAFT))
            hit = [(o.indicator, o.created_by) for o in rows.values()]
            with self._lock:
                self._waiting.clear()
                self._waiting[key] = hit
        return hit

    def rule_book(self) -> RuleBook:
        """The cultivation tiers' rule book, kept as checked JSON in the data directory's cache (reading the
        packaged YAML with its line numbers takes a second the first time a process asks)."""
        from scicity.service.cultivation import rule_book

        return rule_book(cache_dir=self.settings.data_dir / "cache")

    def unit_names(self, lang: str) -> dict[str, str]:
        """Geography unit id -> its name in ``lang``, from the default plan."""
        return {u.id: u.name.get(lang) for u in self.plan().plan.geography.walk()}

    # -- plans -----------------------------------------------------------------
    def plan_ids(self) -> list[str]:
        return [p.id for p in self.plans.list()]

    def plan(self, plan_id: str | None = None) -> LoadedPlan:
        """A stored plan (default: the default plan, else the settings' plan), parsed once per text.

        Plans are saved with an audit event, so the data version tells when to look again.
        """
        version = self.version()
        key = (plan_id, version)
        hit = self._plan_refs.get(key)
        if hit is not None:
            return hit
        loaded = self._load_plan(plan_id)
        with self._lock:
            if len(self._plan_refs) > 64:
                self._plan_refs.clear()
            self._plan_refs[key] = loaded
        return loaded

    def _load_plan(self, plan_id: str | None) -> LoadedPlan:
        stored = {p.id: p for p in self.plans.list()}
        ref = plan_id or self.settings.plan or self.plans.default_id()  # same order as the CLI
        if ref in stored:
            key = (ref, stored[ref].sha256)
            with self._lock:
                hit = self._plans.get(key)
            if hit is not None:
                return hit
            loaded = resolve_plan(ref, {ref: self.plans.get_text(ref)})
            with self._lock:
                self._plans[key] = loaded
            return loaded
        if plan_id is not None:
            raise PlanNotFound(f"no plan {plan_id!r}; stored plans: {', '.join(stored) or 'none'}")
        return resolve_plan(ref)

    # -- judged status: the read model --------------------------------------------
    def value_table(self, loaded: LoadedPlan, version: int | None = None) -> ValueTable:
        return self.plan_values(loaded, version).table

    def plan_values(self, loaded: LoadedPlan, version: int | None = None) -> PlanValues:
        """Approved observations and registry counts at every unit (drill-through, geography)."""
        return self.read_model.all_units(loaded)

    def status(self, loaded: LoadedPlan, method: str, as_of: int | None) -> StatusView:
        """Every target judged at its unit (narrow read), fresh after every write that affects the plan."""
        return self.read_model.status(loaded, method, as_of)
