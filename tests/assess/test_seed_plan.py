"""Every target of the packaged seed plan can be judged by every method, one by one and in batch."""

from __future__ import annotations

import numpy as np

from scicity.assess import Status, TargetSpec, assess_all, assess_batch, methods
from scicity.ingest.plan_file import load_plan_file
from scicity.plans import default_plan_path


def test_seed_plan_targets_are_assessable():
    plan = load_plan_file(default_plan_path()).plan
    pairs = plan.targets()
    assert pairs
    years = list(range(plan.baseline_year, plan.baseline_year + 4))
    for indicator, target in pairs:
        spec = TargetSpec.of(plan, indicator, target)
        assert spec.baseline_year == plan.baseline_year_of(target)
        level = max(abs(spec.value), 1.0)
        growing = [(y, level * (0.5 + 0.1 * i)) for i, y in enumerate(years)]
        results = assess_all(growing, spec)
        assert list(results) == methods()
        for name, a in results.items():
            assert a.status in Status, (indicator.id, name)
            assert a.explanation.summary, (indicator.id, name)
        values = np.array([[v for _, v in growing], [v * 2 for _, v in growing]])
        for name in methods():
            assert assess_batch(values, years, spec, name).status.shape == (2,)
