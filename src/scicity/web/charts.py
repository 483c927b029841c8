"""The Vega-Lite chart of an indicator: observed values, target, straight path, projection with its band.

The spec is plain JSON, drawn in the browser by the vendored Vega bundles
(``static/app.js``). The font is set explicitly (a missing font would drop
every text silently), to one that has Chinese glyphs.
"""

from __future__ import annotations

import json
from itertools import accumulate

from scicity.domain.plan import TargetKind
from scicity.service.indicator_chart import FONT, chart_spec
from scicity.service.status import StatusRow, row_json

__all__ = ["FONT", "indicator_chart", "judged_series"]


def judged_series(row: StatusRow) -> list[tuple[int, float]]:
    """The series as judged: levels, or running sums of the yearly flows after the baseline (cumulative)."""
    if row.target.kind is not TargetKind.CUMULATIVE:
        return list(row.points)
    after = [(p, v) for p, v in row.points if p > row.spec.baseline_year]
    sums = list(accumulate(v for _, v in after))
    return [(row.spec.baseline_year, 0.0)] + [(p, s) for (p, _), s in zip(after, sums, strict=True)]


def indicator_chart(row: StatusRow, labels: dict[str, str], *, own_target: bool = True) -> str:
    """The Vega-Lite spec (JSON text) for one target's chart; ``labels`` are the translated legend texts.

    The spec is built in :mod:`scicity.service.indicator_chart` from the row's status JSON, so that the
    reports render the same chart. ``own_target=False`` (a unit without a target of its own): the unit's
    values only, on the scale of the plan's target, without a target line, path or projection.
    """
    data = row_json(row)
    if not own_target:
        data = {**data, "target": {**data["target"], "judged_target": None}, "projection": None}
    return json.dumps(chart_spec(data, labels, measure=labels.get("measure")), ensure_ascii=False)
