"""Registry counts of the store, cached on disk per data version: `scicity status` stays fast.

Counting the registries needs Ibis and a few queries (about a second for the
seed plan); their result changes only when stored data change. Every write
through the repositories records an audit event, so the newest audit event's
id (:func:`scicity.store.data_version.data_version`) names the state of the
data; a cache file keyed by it, the database, the plan's definitions, the
years and the geography is valid until the next write. A change made
behind the application's back (raw SQL) is not seen: delete the cache
directory (``<data_dir>/cache``) then.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from scicity.domain.observation import Observation
from scicity.domain.plan import Plan
from scicity.service.reconciled_values import (
    PlanValues,
    RegistryCounts,
    Tolerance,
    build_values,
    count_registries,
    counted_years,
    current_date,
)
from scicity.store.data_version import data_version
from scicity.store.db import Database

PREFIX = "registry-counts-"
KEEP = 8  # cache files kept per directory


def cache_key(plan: Plan, database_url: str, version: int, years: Sequence[int]) -> str:
    from scicity.engine.registry.layout import rollup_pairs

    payload = {
        "url": database_url,
        "version": version,
        "years": list(years),
        "definitions": {k: d.model_dump(mode="json") for k, d in plan.registry_definitions().items()},
        "geography": rollup_pairs(plan.geography),
        "monitored_through": current_date().year if plan.monitored() else None,
        "format": 2,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:32]


def store_counts(plan: Plan, db: Database, years: Sequence[int], cache_dir: Path | None = None, *,
                 version: int | None = None) -> RegistryCounts:
    """The registry counts of the store's own database, from the cache when the data have not changed.

    ``version`` names the state of the registries (default: the newest audit event of any kind; the
    read model passes the newest registry event, so writes of other data do not make it count again).
    """
    url = db.url_text(hide_password=False)
    file = None
    if cache_dir is not None:
        state = data_version(db) if version is None else version
        file = cache_dir / f"{PREFIX}{cache_key(plan, url, state, years)}.json"
        hit = _read(file)
        if hit is not None:
            return hit
    from scicity.engine.registry.connect import connect_store

    engine = connect_store(url)
    engine.sql_cache = cache_dir  # the compiled count SQL, for the next process
    try:
        counts = count_registries(plan, engine, years)
    finally:
        engine.close()
    if file is not None:
        _write(file, counts)
    return counts


def _read(file: Path) -> RegistryCounts | None:
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
        observations = tuple(Observation(i, u, int(p), float(v), source=s) for i, u, p, v, s in data["observations"])
        return RegistryCounts(str(data["engine"]), observations, tuple(data["missing"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write(file: Path, counts: RegistryCounts) -> None:
    data = {
        "engine": counts.engine,
        "missing": list(counts.missing),
        "observations": [[o.indicator, o.unit, o.period, o.value, o.source] for o in counts.observations],
    }
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        tmp = file.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        tmp.replace(file)
        old = sorted(file.parent.glob(f"{PREFIX}*.json"), key=lambda p: p.stat().st_mtime, reverse=True)[KEEP:]
        for stale in old:
            stale.unlink(missing_ok=True)
    except OSError:
        pass  # a cache that cannot be written only costs time


def store_values(
    plan: Plan, db: Database, cache_dir: Path | None, tolerance: Tolerance = Tolerance(), *, today: date | None = None
) -> PlanValues:
    """The plan's values from the store: approved observations and the registry counts (cached per data version).

    What ``scicity status`` (store engine) and the web application both show.
    ``today`` decides which years have ended and are counted (see
    :func:`~scicity.service.reconciled_values.counted_years`); pass it to get results that do not
    depend on the day the code runs.
    """
    from scicity.store.current_reads import approved_values

    observations = approved_values(db, set(plan.reported_ids()))
    counts = store_counts(plan, db, counted_years(plan, today), cache_dir) if plan.registry_definitions() else None
    return build_values(plan, observations, counts=counts, tolerance=tolerance)
