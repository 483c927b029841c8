"""`scicity status --format json --pipeline`: the registry-based projection beside each tier target."""

from __future__ import annotations

from typing import Any

from scicity.service.status import StatusRow


def add_pipelines(objects: list[dict[str, Any]], rows: list[StatusRow]) -> None:
    """Give each JSON row of a tier indicator a ``pipeline`` field (the others get ``null``)."""
    from scicity.cli.context import database_exists, open_database, settings
    from scicity.service.cultivation import TIER_INDICATORS, evaluate_database
    from scicity.service.cultivation_projection import project

    for obj in objects:
        obj["pipeline"] = None
    wanted = [(o, r) for o, r in zip(objects, rows, strict=True) if r.indicator.id in TIER_INDICATORS
              and r.unit == r.plan.geography.id]
    if not wanted or not database_exists(settings()):
        return
    evaluation = evaluate_database(open_database())
    if not evaluation.years:
        return
    for obj, row in wanted:
        target = row.spec.target_year
        obj["pipeline"] = project(evaluation, TIER_INDICATORS[row.indicator.id], max(target, evaluation.years[-1])).json()
