"""`scicity status --format json`: the registry-based projection beside each tier target (``--no-pipeline``: not)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from scicity.engine.cache_file import keep_text
from scicity.service.status import StatusRow


def add_pipelines(objects: list[dict[str, Any]], rows: list[StatusRow]) -> None:
    """Give each JSON row of a tier indicator a ``pipeline`` field (the others get ``null``)."""
    from scicity.cli.context import database_exists, open_database, settings
    from scicity.ingest.tier_rule_sources import rules_fingerprint
    from scicity.service.tier_indicators import TIER_INDICATORS, registry_version

    for obj in objects:
        obj["pipeline"] = None
    wanted = [(o, r) for o, r in zip(objects, rows, strict=True) if r.indicator.id in TIER_INDICATORS
              and r.unit == r.plan.geography.id]
    if not wanted or not database_exists(settings()):
        return
    db = open_database()
    cache = settings().data_dir / "cache"
    asked = [(row.indicator.id, row.spec.target_year) for _o, row in wanted]
    key = hashlib.sha256(json.dumps([db.url_text(), registry_version(db), asked,
                                     sorted(TIER_INDICATORS.items()), rules_fingerprint()]).encode()
                         ).hexdigest()[:32]
    file = cache / f"tier-pipeline-{key}.json"
    try:
        kept = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        kept = None
    if not isinstance(kept, list) or len(kept) != len(wanted):
        from scicity.service.cultivation import evaluate_database  # the tier engine: only when nothing is kept
        from scicity.service.cultivation_projection import project

        evaluation = evaluate_database(db, cache_dir=cache)
        if not evaluation.years:
            return
        kept = [project(evaluation, TIER_INDICATORS[i], max(target, evaluation.years[-1])).json() for i, target in asked]
        keep_text(file, json.dumps(kept))  # the next status of the same registries reads it (a registry write moves the version)
    for (obj, _row), projection in zip(wanted, kept, strict=True):
        obj["pipeline"] = projection
