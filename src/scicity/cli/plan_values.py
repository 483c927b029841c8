"""What status, backtest, explain and reconcile share: the plan's values from data and registries."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from scicity.domain.message import Msg
from scicity.cli.console import fail, reason
from scicity.cli.context import observations_from_file, open_database, open_plan, settings
from scicity.ingest.plan_file import LoadedPlan
from scicity.service.reconciled_values import PlanValues, Tolerance, build_values

if TYPE_CHECKING:
    from scicity.engine.registry.engine import RegistryEngine

EngineOption = Annotated[
    str,
    typer.Option(
        "--engine",
        "-e",
        help="Engine that counts the registries: store (the database itself), duckdb or spark (over Parquet).",
    ),
]
StrictOption = Annotated[
    bool,
    typer.Option("--strict", help="With --data: refuse rows for indicators or units the plan does not have (default: leave them out with a warning)."),
]
ParquetOption = Annotated[
    Path | None,
    typer.Option("--parquet", help="Parquet directory for --engine duckdb|spark (default: export the database's registries to a temporary directory)."),
]


@dataclass
class ValuesContext:
    loaded: LoadedPlan
    values: PlanValues
    engine: RegistryEngine | None
    origin: str


@contextmanager
def plan_values(
    plan: str | None,
    data: Path | None,
    engine: str = "store",
    parquet: Path | None = None,
    tolerance: Tolerance = Tolerance(),
    *,
    need_engine: bool = False,
    strict: bool = False,
) -> Iterator[ValuesContext]:
    """The plan and its values (observations + registry counts); the registry engine stays open inside the block.

    With the store engine and no need for the engine itself (drill-through
    needs it), the counts come from the on-disk cache while the data are
    unchanged, and no engine is opened.
    """
    from scicity.service.registry_engines import ENGINES, EngineUnavailable, open_registry_engine

    if engine not in ENGINES:
        fail(Msg('unknown engine {engine}', engine=repr(engine)), hint=Msg('use one of {ENGINES}', ENGINES=', '.join(ENGINES)))
    s = settings()
    database_url: str | None
    if data is not None:
        loaded = open_plan(plan, s, use_db=False)
        observations = observations_from_file(data, loaded, strict=strict)
        origin: str = Msg.literal(str(data))
        database_url = None
    else:
        loaded = open_plan(plan, s)
        db = open_database(s)
        origin = Msg("database (approved values)")
        database_url = s.database_url
        if engine == "store" and not need_engine:
            from scicity.service.registry_cache import store_values

            try:
                values = store_values(loaded.plan, db, s.data_dir / "cache", tolerance)
            finally:
                db.dispose()
            if values.from_registry:
                origin = Msg("{origin} + registries ({engine})", origin=origin, engine=values.engine)
            yield ValuesContext(loaded, values, None, origin)
            return
        from scicity.store.observations import ObservationRepository

        observations = ObservationRepository(db).latest(set(loaded.plan.reported_ids()))
        db.dispose()
    try:
        with open_registry_engine(engine, database_url, parquet, s.data_dir / "cache") as eng:
            values = build_values(loaded.plan, observations, eng, tolerance=tolerance)
            if values.from_registry:
                origin = Msg("{origin} + registries ({engine})", origin=origin, engine=eng.name if eng else engine)
            yield ValuesContext(loaded, values, eng, origin)
    except EngineUnavailable as exc:
        fail(reason(exc))
