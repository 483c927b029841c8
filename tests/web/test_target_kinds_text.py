"""Targets worded relative to the baseline read naturally on the pages, in English and Chinese."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from scicity.domain.plan import Target
from scicity.web.presenters import target_text


@pytest.mark.parametrize("target, en, zh", [
    (Target(comparator=">", value=7, kind="average_growth"), "> 7 % a year on average", "年均增长 > 7%"),
    (Target(comparator=">=", value=2, kind="points_change"), ">= +2 percentage points", ">= +2 个百分点"),
    (Target(comparator="<=", value=13.5, kind="reduction"), "down by 13.5 % from the baseline", "比基期下降 13.5%"),
    (Target(comparator=">=", value=0, kind="not_below_baseline"), "not below the baseline level", "不低于基期水平"),
])
def test_relative_targets_in_both_languages(target, en, zh):
    row = SimpleNamespace(target=target)  # target_text reads only the target for these kinds
    assert target_text(row, "en") == en
    assert target_text(row, "zh") == zh
