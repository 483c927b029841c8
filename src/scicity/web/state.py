"""What the application keeps while it runs: settings, database, repositories, caches, the login limiter."""

from __future__ import annotations

import gc
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from scicity.engine.values import ValueTable
from scicity.ingest.plan_file import LoadedPlan
from scicity.service.plans import PlanNotFound, resolve_plan
from scicity.service.registry_cache import store_values
from scicity.service.status import StatusRow, build_status
from scicity.service.values import PlanValues
from scicity.settings import Settings
from scicity.store.audit import AuditRepository
from scicity.store.data_version import data_version
from scicity.store.db import Database
from scicity.store.goals import GoalStatusRepository
from scicity.store.observations import ObservationRepository
from scicity.store.plans import PlanRepository
from scicity.store.users import UserRepository
from scicity.store.web_sessions import SessionRepository
from scicity.web.login_limits import LoginLimiter
from scicity.web.sessions import SessionCodec

STATUS_CACHE_SIZE = 64
#: seconds between two looks at the database's data version (writes made through this process count at once)
VERSION_POLL = 1.0


@dataclass(frozen=True)
class StatusView:
    """A plan judged on the approved data: the value table and one row per target."""

    loaded: LoadedPlan
    table: ValueTable
    rows: list[StatusRow]
    method: str
    as_of: int | None
    version: int


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
        self._tables: OrderedDict[tuple[object, ...], PlanValues] = OrderedDict()
        self._status: OrderedDict[tuple[object, ...], StatusView] = OrderedDict()
        self._waiting: dict[tuple[object, ...], list[tuple[str, str | None]]] = {}
        #: rendered page parts, keyed by everything they depend on (data version included)
        self.fragments: OrderedDict[tuple[object, ...], str] = OrderedDict()
        self._memo: OrderedDict[tuple[object, ...], object] = OrderedDict()
        self._db_version = -1
        self._version_at = float("-inf")
        self.local_writes = 0

    def version(self) -> int:
        """The data version: the database's (looked up at most every VERSION_POLL s) plus this process's writes."""
        now = time.monotonic()
        if now - self._version_at > VERSION_POLL:
            self._db_version = data_version(self.db)
            self._version_at = now
        return self._db_version * 1_000_003 + self.local_writes

    def wrote(self) -> None:
        """A request that may have written finished: caches keyed by the version go stale."""
        with self._lock:
            self.local_writes += 1

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

    def remember_fragment(self, key: tuple[object, ...], html: str) -> None:
        with self._lock:
            self.fragments[key] = html
            while len(self.fragments) > 256:
                self.fragments.popitem(last=False)

    def waiting(self, loaded: LoadedPlan, version: int) -> list[tuple[str, str | None]]:
        """(id, author) of every value waiting for approval (latest draft or submitted revision), per data version."""
        key = (loaded.plan.id, hash(loaded.text), version)
        hit = self._waiting.get(key)
        if hit is None:
            from scicity.domain.observation import ObservationStatus

            rows = self.observations.latest(set(loaded.plan.reported_ids()),
                                            statuses=(ObservationStatus.SUBMITTED, ObservationStatus.DRAFT))
            hit = [(o.indicator, o.created_by) for o in rows.values()]
            with self._lock:
                self._waiting.clear()
                self._waiting[key] = hit
        return hit

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

    # -- judged status (cached per plan, as-of, method and data version) --------
    def value_table(self, loaded: LoadedPlan, version: int | None = None) -> ValueTable:
        return self.plan_values(loaded, version).table

    def plan_values(self, loaded: LoadedPlan, version: int | None = None) -> PlanValues:
        """Approved observations and registry counts, as ``scicity status`` computes them (one per data version)."""
        version = self.version() if version is None else version
        key = (loaded.plan.id, hash(loaded.text), version)
        with self._lock:
            hit = self._tables.get(key)
        if hit is not None:
            return hit
        values = store_values(loaded.plan, self.db, self.settings.data_dir / "cache")
        # A big table is a million long-lived objects: keep the cyclic garbage collector from walking
        # them again and again (each full pass would stall every request for a moment).
        gc.collect()
        gc.freeze()
        with self._lock:
            self._tables[key] = values
            while len(self._tables) > 4:
                self._tables.popitem(last=False)
        return values

    def status(self, loaded: LoadedPlan, method: str, as_of: int | None) -> StatusView:
        version = self.version()
        key = (loaded.plan.id, hash(loaded.text), method, as_of, version)
        with self._lock:
            hit = self._status.get(key)
            if hit is not None:
                self._status.move_to_end(key)
                return hit
        table = self.value_table(loaded, version)
        view = StatusView(loaded, table, build_status(loaded.plan, table, method=method, as_of=as_of),
                          method, as_of, version)
        with self._lock:
            self._status[key] = view
            while len(self._status) > STATUS_CACHE_SIZE:
                self._status.popitem(last=False)
        return view
