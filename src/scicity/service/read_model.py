"""The read model behind the pages: a plan's values and verdicts, fresh after every write, cheap to serve.

Inputs are explicit. A plan's status depends on the plan text, the approved
observations of the ids it reports *at its target units* (narrow read: not
every unit, not every indicator of the database), and the registry counts.
Each is versioned on its own from the audit log (every write through the
repositories records an event in its own transaction):

- ``observations`` — events on ``observation``; the event's ``after`` names
  the indicator, so a change is attributed to the ids it touches (and only
  when it approves a value or changes an approved one: a draft or a
  submitted value leaves the verdicts alone);
- ``registries`` — events on a registry table (every entity not listed below);
  each names the table and the units it touched, and the registry counts are
  counted again at those units only (:mod:`scicity.service.registry_tally`);
  the observations already read are kept, and only the indicators whose
  values came out different are judged again;
- ``plans`` — events on ``plan``; ``users`` — ``user``, ``department``,
  ``api_token``; ``goals`` — ``goal_status``; ``other`` — plan drafts, report
  drafts, peers and public-field choices (no registry count or verdict
  follows from them).

The log is read incrementally (``id > last seen``, on the primary key) at
most every ``poll`` seconds, and at once after a write of this process
(:meth:`ReadModel.touch`), so writes by other processes (the CLI, a second
server) are picked up within ``poll``. A login or a language switch moves
``users`` only and recomputes nothing.

A plan's state is named by its **stamp**: the newest audit id among the
changes that affect it (an observation of one of its ids — found through a
reverse index of its formulas — or a registry event); the plan text itself is
part of every key. Any affecting change has a larger id than all before, so the stamp
names the state exactly; an approval of an id the plan does not use moves
nothing and re-judges nothing.

Single flight: per (plan, method, as-of) one thread computes at a time; the
others are served the previous state meanwhile (the first computation of a
key is waited for). The thread that sees the change first computes it
synchronously, so a request made after a write of the same client sees it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, Generic, TypeVar

from sqlalchemy import func, select

from scicity.domain.formula import Formula
from scicity.domain.observation import Observation, ObservationKey
from scicity.domain.plan import Plan
from scicity.engine.indicator_values import ValueTable, compute_values
from scicity.ingest.plan_file import LoadedPlan
from scicity.service.reconciled_values import PlanValues, Tolerance, build_values, count_registries, counted_years
from scicity.service.registry_tally import RegistryChange, RegistryTally, change_of
from scicity.service.status import StatusRow, build_status
from scicity.store.db import Database
from scicity.store.tables import AuditEventRow

T = TypeVar("T")
#: audit entities per version; any other entity is a registry table (registry kinds added later count there)
CATEGORIES = {"observation": "observations", "plan": "plans", "user": "users", "department": "users",
              "api_token": "users", "goal_status": "goals", "plan_draft": "other", "report_draft": "other",
              "peer": "other", "public_field": "other"}
#: more new events than this in one look: treat every id as changed instead of reading each event's row
MAX_EVENTS_READ = 5_000
#: observation change batches remembered to decide whether a cached state is still current
CHANGE_LOG = 4_096


@dataclass(frozen=True)
class Versions:
    """The newest audit id per kind of stored data (0: nothing yet)."""

    observations: int = 0
    registries: int = 0
    plans: int = 0
    users: int = 0
    goals: int = 0
    other: int = 0

    @property
    def data(self) -> int:
        """What computed pages depend on: everything but users."""
        return max(self.observations, self.registries, self.plans, self.goals, self.other)


@dataclass(frozen=True)
class StatusView:
    """A plan judged on the approved data at its target units: the value table and one row per target."""

    loaded: LoadedPlan
    table: ValueTable
    rows: list[StatusRow]
    method: str
    as_of: int | None
    version: int  # the plan's stamp: changes exactly when an input of this view changed
    values: PlanValues | None = None


def plan_ids_using(plan: Plan) -> dict[str, set[str]]:
    """Reverse index of the formulas: each reported id with every indicator of the plan computed from it."""
    out: dict[str, set[str]] = {}
    for ind in plan.indicators:
        out.setdefault(ind.id, set()).add(ind.id)
        if ind.formula:
            for name in Formula.parse(ind.formula).names:
                out.setdefault(name, set()).add(ind.id)
    for ident in plan.reported_ids():
        out.setdefault(ident, set()).add(ident)
    return out


def affected_indicators(plan: Plan, changed: Iterable[str]) -> frozenset[str]:
    """The plan's indicators whose values follow from ``changed`` ids, through formulas (transitively)."""
    index = plan_ids_using(plan)
    indicator_ids = {i.id for i in plan.indicators}
    out: set[str] = set()
    todo = list(changed)
    while todo:
        ident = todo.pop()
        for user in index.get(ident, ()):
            if user in indicator_ids and user not in out:
                out.add(user)
                todo.append(user)
    return frozenset(out)


def changed_indicators(before: ValueTable, after: ValueTable) -> frozenset[str]:
    """The indicators whose values differ between two tables of one plan (every unit and period compared)."""
    return frozenset(i for i in before.values.keys() | after.values.keys() if before.values.get(i) != after.values.get(i))


def closure(plan: Plan, indicators: Iterable[str]) -> set[str]:
    """The indicators and every indicator their formulas refer to (transitively): what computing them needs."""
    by_id = {i.id: i for i in plan.indicators}
    out: set[str] = set()
    todo = list(indicators)
    while todo:
        ident = todo.pop()
        if ident in out or ident not in by_id:
            continue
        out.add(ident)
        formula = by_id[ident].formula
        if formula:
            todo.extend(Formula.parse(formula).names)
    return out


def target_units(plan: Plan) -> set[str]:
    """The units at which the plan has targets: all the overview and status need."""
    return {plan.unit_of(target) for _, target in plan.targets()}


@dataclass
class _Slot(Generic[T]):
    """The newest state of one key, and whether a thread is computing the next one."""

    stamp: int = -1
    value: T | None = None
    computing: bool = False
    done: threading.Condition = field(default_factory=threading.Condition)


class SingleFlight(Generic[T]):
    """One computation per key at a time; the previous value is served while the next is made."""

    def __init__(self, size: int = 256) -> None:
        from cachetools import LRUCache

        self._slots: LRUCache[Hashable, _Slot[T]] = LRUCache(maxsize=size)
        self._lock = threading.Lock()
        self.computations = 0

    def get(self, key: Hashable, stamp: int, compute: Callable[[], T], *, wait: bool = True) -> T:
        """The value for ``stamp``: computed here (``wait``), or, when a previous value exists and ``wait`` is
        false, computed in a background thread while the previous value is returned at once."""
        with self._lock:
            slot = self._slots.get(key)
            if slot is None:
                slot = self._slots[key] = _Slot()
        with slot.done:
            while True:
                if slot.stamp >= stamp and slot.value is not None:
                    return slot.value
                if not slot.computing:
                    slot.computing = True
                    break
                if slot.value is not None:
                    return slot.value  # another thread makes the new state: serve the previous one
                slot.done.wait()
            previous = slot.value
        if previous is not None and not wait:
            threading.Thread(target=self._make, args=(slot, stamp, compute), daemon=True).start()
            return previous
        return self._make(slot, stamp, compute)

    def _make(self, slot: _Slot[T], stamp: int, compute: Callable[[], T]) -> T:
        try:
            value = compute()
        except BaseException:
            with slot.done:
                slot.computing = False
                slot.done.notify_all()
            raise
        with slot.done:
            self.computations += 1
            if stamp >= slot.stamp:
                slot.stamp, slot.value = stamp, value
            slot.computing = False
            slot.done.notify_all()
        return value

    def peek(self, key: Hashable, stamp: int) -> T | None:
        """Without waiting or computing: the value if current, or the previous one while another thread computes."""
        with self._lock:
            slot = self._slots.get(key)
        if slot is None:
            return None
        with slot.done:
            if slot.value is not None and (slot.stamp >= stamp or slot.computing):
                return slot.value
        return None

    def clear(self) -> None:
        with self._lock:
            self._slots.clear()


def _touches_approved(action: str, before: Any, after: Any) -> bool:
    """Whether an observation event can change an approved value: it approves one, or moves an approved row.

    A new draft or submitted revision leaves the latest approved value as it
    was (its ``before`` is the previous revision, which stays); a status change
    matters when the row was or becomes approved.
    """
    if not isinstance(after, dict) or not after.get("indicator") or "status" not in after:
        return True  # not a row snapshot: assume the worst
    if after["status"] == "approved":
        return True
    if action in ("observation.create", "observation.revise"):
        return False
    return isinstance(before, dict) and before.get("status") == "approved"


def _registry_written(conn: Any, since: int) -> bool:
    """Whether a registry write (an audit event of a registry entity) came after audit id ``since``."""
    a = AuditEventRow
    found = conn.execute(select(a.id).where(a.id > since, a.entity.not_in(list(CATEGORIES))).limit(1)).first()
    return found is not None


class ReadModel:
    """Values and verdicts of plans, recomputed only when one of their inputs changed."""

    def __init__(self, db: Database, cache_dir: Path | None = None, *, poll: float = 0.25,
                 tolerance: Tolerance = Tolerance(), today: Callable[[], date] | None = None) -> None:
        self.db = db
        self.cache_dir = cache_dir
        self.poll = poll
        self.tolerance = tolerance
        self.today = today
        self._lock = threading.Lock()
        self._last_id = -1
        self._versions = Versions()
        self._looked_at = float("-inf")
        #: (audit id, indicators changed or None for "any") of observation changes, oldest first
        self._changes: list[tuple[int, frozenset[str] | None]] = []
        self._floor = 0  # changes at or below this id are no longer in _changes (treated as "any")
        self._values: SingleFlight[PlanValues] = SingleFlight()
        self._status: SingleFlight[StatusView] = SingleFlight()
        self._reverse: dict[tuple[str, int], dict[str, set[str]]] = {}
        #: per values key: the stamp, observations and values last computed (the basis of an incremental update)
        self._basis: dict[Hashable, tuple[int, dict[ObservationKey, Observation], PlanValues]] = {}
        #: per (values key, stamp): (stamp updated from, indicators recomputed), or None when all were computed
        self._affected: dict[tuple[Hashable, int], tuple[int, frozenset[str]] | None] = {}
        self.rejudged = 0  # targets judged, over the model's life (what an incremental update saves shows here)
        #: registry writes (table, units touched), oldest first; those at or below the floor are forgotten
        self._registry_changes: list[RegistryChange] = []
        self._registry_floor = 0
        self.tally = RegistryTally(db.url.render_as_string(hide_password=False), self.registry_changes_since,
                                   cache_dir)

    # -- versions ------------------------------------------------------------
    def touch(self) -> None:
        """This process wrote: look at the audit log at the next read instead of waiting for ``poll``."""
        with self._lock:
            self._looked_at = float("-inf")

    def known(self) -> Versions:
        """The versions as last read, without looking at the audit log."""
        with self._lock:
            return self._versions

    def versions(self) -> Versions:
        now = time.monotonic()
        with self._lock:
            if now - self._looked_at < self.poll:
                return self._versions
            self._looked_at = now
            self._read_log()
            return self._versions

    def _read_log(self) -> None:
        a = AuditEventRow
        with self.db.connect() as conn:
            if self._last_id < 0:  # first look: everything so far is the starting state
                newest = int(conn.execute(select(func.max(a.id))).scalar() or 0)
                self._last_id = self._floor = self._registry_floor = newest
                self._versions = Versions(newest, newest, newest, newest, newest, newest)
                self.tally.restore(newest, lambda saved: _registry_written(conn, saved))
                return
            rows = conn.execute(
                select(a.id, a.entity).where(a.id > self._last_id).order_by(a.id).limit(MAX_EVENTS_READ + 1)
            ).all()
            if not rows:
                return
            if len(rows) > MAX_EVENTS_READ:  # a big import: every kind may have moved, every id changed
                newest = int(conn.execute(select(func.max(a.id))).scalar() or 0)
                self._last_id = newest
                self._versions = Versions(newest, newest, newest, newest, newest, newest)
                self._changes.append((newest, None))
                self._registry_changes.append(RegistryChange(newest, "*", None))
                self._trim()
                return
            moved: dict[str, int] = {}
            observation_ids = [r.id for r in rows if r.entity == "observation"]
            registry_ids = [r.id for r in rows if CATEGORIES.get(r.entity, "registries") == "registries"]
            for r in rows:
                moved[CATEGORIES.get(r.entity, "registries")] = r.id
            if registry_ids:  # the table and the units each registry write touched
                events = select(a.id, a.entity, a.after).where(a.id.in_(registry_ids)).order_by(a.id)
                self._registry_changes.extend(change_of(i, e, after) for i, e, after in conn.execute(events))
                self._trim()
            changed: set[str] = set()
            if observation_ids:
                events = select(a.action, a.before, a.after).where(a.id.in_(observation_ids))
                for action, before, after in conn.execute(events):
                    if _touches_approved(action, before, after):
                        changed.add(str(after["indicator"]) if isinstance(after, dict) and after.get("indicator")
                                    else "*")
                self._changes.append((observation_ids[-1], frozenset(changed)))
                self._trim()
            self._last_id = rows[-1].id
            v = self._versions
            self._versions = Versions(moved.get("observations", v.observations), moved.get("registries", v.registries),
                                      moved.get("plans", v.plans), moved.get("users", v.users),
                                      moved.get("goals", v.goals), moved.get("other", v.other))

    def _trim(self) -> None:
        if len(self._changes) > CHANGE_LOG:
            drop = len(self._changes) - CHANGE_LOG
            self._floor = self._changes[drop - 1][0]
            del self._changes[:drop]
        if len(self._registry_changes) > CHANGE_LOG:
            drop = len(self._registry_changes) - CHANGE_LOG
            self._registry_floor = self._registry_changes[drop - 1].event_id
            del self._registry_changes[:drop]

    def registry_changes_since(self, version: int) -> list[RegistryChange] | None:
        """The registry writes after audit id ``version`` (None: no longer all known, count everything again)."""
        with self._lock:
            if version < self._registry_floor:
                return None
            return [c for c in self._registry_changes if c.event_id > version]

    # -- stamps --------------------------------------------------------------
    def stamp(self, loaded: LoadedPlan) -> int:
        """The newest audit id among the changes that affect this plan's values."""
        v = self.versions()
        ids = self._ids_of(loaded)
        with self._lock:
            observed = self._floor
            for event_id, changed in reversed(self._changes):
                if changed is None or "*" in changed or not changed.isdisjoint(ids):
                    observed = event_id
                    break
        registries = v.registries if loaded.plan.registry_definitions() else 0
        return max(observed, registries)

    def _ids_of(self, loaded: LoadedPlan) -> dict[str, set[str]]:
        key = (loaded.plan.id, hash(loaded.text))
        found = self._reverse.get(key)
        if found is None:
            found = self._reverse[key] = plan_ids_using(loaded.plan)
        return found

    # -- reads ---------------------------------------------------------------
    def values(self, loaded: LoadedPlan, units: Iterable[str] | None = None) -> PlanValues:
        """Approved observations (narrow: the target units, or ``units``) and registry counts, as values."""
        wanted = frozenset(target_units(loaded.plan) if units is None else units)
        stamp = self.stamp(loaded)
        key = (loaded.plan.id, hash(loaded.text), wanted)
        return self._values.get(key, stamp, lambda: self._compute_values(loaded, wanted, key, stamp))

    def status(self, loaded: LoadedPlan, method: str = "projection", as_of: int | None = None) -> StatusView:
        """Every target judged (one computation per plan, method, as-of and stamp).

        After an incremental update of the values only the targets of the affected indicators are judged
        again; the other rows are those of the previous view.
        """
        stamp = self.stamp(loaded)
        key = (loaded.plan.id, hash(loaded.text), method, as_of)
        previous = self._status.peek(key, -1)

        def compute() -> StatusView:
            values = self.values(loaded)
            values_key = (loaded.plan.id, hash(loaded.text), frozenset(target_units(loaded.plan)))
            basis = self._basis.get(values_key)
            built_at = basis[0] if basis is not None else stamp  # the stamp the values were computed for
            update = self._affected.get((values_key, built_at), None)
            affected = update[1] if update is not None else frozenset()
            if previous is not None and update is not None and previous.version == update[0]:
                fresh = (build_status(loaded.plan, values.table, method=method, as_of=as_of, indicators=set(affected))
                         if affected else [])  # an empty set would mean every indicator
                self.rejudged += len(fresh)
                by_indicator: dict[str, list[StatusRow]] = {}
                for row in fresh:
                    by_indicator.setdefault(row.indicator.id, []).append(row)
                rows = []
                for row in previous.rows:
                    if row.indicator.id in affected:
                        rows.extend(by_indicator.pop(row.indicator.id, []))
                    else:
                        rows.append(row)
                for extra in by_indicator.values():
                    rows.extend(extra)
            else:
                rows = build_status(loaded.plan, values.table, method=method, as_of=as_of)
                self.rejudged += len(rows)
            return StatusView(loaded, values.table, rows, method, as_of, built_at, values)

        return self._status.get(key, stamp, compute)

    def all_units(self, loaded: LoadedPlan) -> PlanValues:
        """Values at every unit of the geography (the geography page), computed when asked."""
        return self.values(loaded, loaded.plan.geo_units())

    def _compute_values(self, loaded: LoadedPlan, units: frozenset[str], key: Hashable, stamp: int) -> PlanValues:
        plan = loaded.plan
        basis = self._basis.get(key)
        changed = self._changed_since(basis[0], plan) if basis is not None else None
        if basis is not None and changed is not None:
            ids, registries = changed
            if registries or ids & set(plan.registry_definitions()):
                # counts moved (or a value reconciled with them): count again where the writes touched, keep the
                # observations read before, and judge again only the indicators whose values came out different
                values = self._recount(loaded, units, basis, ids)
                self._affected[(key, stamp)] = (basis[0], changed_indicators(basis[2].table, values.table))
            else:
                values = self._update(loaded, units, basis, ids)
                self._affected[(key, stamp)] = (basis[0], affected_indicators(plan, ids))
            self._basis[key] = (stamp, basis[1], values)
        else:
            observations, values = self._full(loaded, units)
            self._basis[key] = (stamp, observations, values)
            self._affected[(key, stamp)] = None
        if len(self._affected) > 1024:
            self._affected.clear()
        return values

    def _changed_since(self, since: int, plan: Plan) -> tuple[set[str], bool] | None:
        """The plan's reported ids whose approved values changed after audit id ``since``, and whether a registry
        was written since (for a plan that counts registries); None: recompute all."""
        with self._lock:
            if since < self._floor:
                return None
            registries = self._versions.registries > since and bool(plan.registry_definitions())
            changed: set[str] = set()
            for event_id, ids in self._changes:
                if event_id <= since:
                    continue
                if ids is None or "*" in ids:
                    return None
                changed |= ids
        return changed & set(plan.reported_ids()), registries

    def _counts(self, plan: Plan, units: frozenset[str]) -> Any:
        """The registry counts at ``units`` (None for a plan without registries), re-counted by the tally only
        at the units registry writes touched."""
        if not plan.registry_definitions():
            return None
        today = self.today() if self.today else None
        engine = self.tally.engine(self.versions().registries)
        try:
            counts = count_registries(plan, engine, counted_years(plan, today), today=today)  # type: ignore[arg-type]
        finally:
            engine.close()
        return type(counts)(counts.engine, tuple(o for o in counts.observations if o.unit in units), counts.missing)

    def _full(self, loaded: LoadedPlan, units: frozenset[str]) -> tuple[dict[ObservationKey, Observation], PlanValues]:
        from scicity.store.observations import ObservationRepository

        plan = loaded.plan
        observations = ObservationRepository(self.db).latest(set(plan.reported_ids()), units)
        return observations, build_values(plan, observations, counts=self._counts(plan, units),
                                          tolerance=self.tolerance)

    def _recount(self, loaded: LoadedPlan, units: frozenset[str],
                 basis: tuple[int, dict[ObservationKey, Observation], PlanValues], changed: set[str]) -> PlanValues:
        """The values built again from the observations kept (the changed ids read again) and fresh counts."""
        from scicity.store.observations import ObservationRepository

        observations = basis[1]
        if changed:
            fresh = ObservationRepository(self.db).latest(changed, units)
            for k in [k for k in observations if k.indicator in changed]:
                del observations[k]
            observations.update(fresh)
        return build_values(loaded.plan, observations, counts=self._counts(loaded.plan, units),
                            tolerance=self.tolerance)

    def _update(self, loaded: LoadedPlan, units: frozenset[str],
                basis: tuple[int, dict[ObservationKey, Observation], PlanValues], changed: set[str]) -> PlanValues:
        """The previous values with the changed ids read again and only the indicators computed from them redone."""
        from scicity.store.observations import ObservationRepository

        _, observations, previous = basis
        if not changed:
            return previous
        plan = loaded.plan
        fresh = ObservationRepository(self.db).latest(changed, units)
        for k in [k for k in observations if k.indicator in changed]:
            del observations[k]
        observations.update(fresh)
        affected = affected_indicators(plan, changed)
        needed = closure(plan, affected)
        part_plan = plan.model_copy(update={"indicators": [i for i in plan.indicators if i.id in needed]})
        names = needed | {n for i in part_plan.indicators if i.formula for n in Formula.parse(i.formula).names}
        part = compute_values(part_plan, [o for o in previous.inputs.values() if o.indicator in names
                                          and o.indicator not in changed] + [o for o in fresh.values()])
        table = ValueTable(plan)
        table.values = {**previous.table.values}
        for ident in affected:
            if ident in part.values:
                table.values[ident] = part.values[ident]
            else:
                table.values.pop(ident, None)
        inputs = {k: o for k, o in previous.inputs.items() if o.indicator not in changed}
        inputs.update(fresh)
        return replace(previous, table=table, inputs=inputs)

    def stats(self) -> dict[str, Any]:
        return {"value_computations": self._values.computations, "status_computations": self._status.computations,
                "rejudged": self.rejudged, "versions": self.versions()}
