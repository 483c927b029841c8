"""The batch function of the default ``projection``: :func:`.calibrated.calibrated` for many series, as codes.

The formulas live once, vectorised, in :mod:`.calibrated` (:func:`~.calibrated.drifts`,
:func:`~.calibrated.calibrated`); the one-series path explains the same numbers
for a batch of one, so both agree bit for bit.
"""

from __future__ import annotations

from scicity.assess.batch import BatchCase, MethodArrays
from scicity.assess.builtin.calibrated import CalibratedOptions, calibrated
from scicity.assess.builtin.projection_batch import BAND_NATIVE, BAND_STATUS


def judge_batch(bc: BatchCase, o: CalibratedOptions) -> MethodArrays:
    nums = calibrated(bc, o)
    return MethodArrays(status=BAND_STATUS[nums.band], native=BAND_NATIVE[nums.band], projection=nums.point, p_meet=nums.p)
