"""The batch function of ``projection_ols``: :func:`.projection.trend` for many series, as codes.

The formulas live once, vectorised, in :mod:`.projection` (:func:`~.projection.fits`,
:func:`~.projection.trend`); the one-series path explains the same numbers for a
batch of one, so both agree bit for bit.
"""

from __future__ import annotations

import numpy as np

from scicity.assess.batch import BatchCase, MethodArrays
from scicity.assess.builtin.projection import BANDS, NATIVE_LABELS, ProjectionOptions, trend
from scicity.assess.types import STATUS_CODE

#: status and native-label codes of each trend band
BAND_STATUS = np.array([STATUS_CODE[status] for status, _ in BANDS])
BAND_NATIVE = np.array([NATIVE_LABELS.index(label) for _, label in BANDS])


def judge_batch(bc: BatchCase, o: ProjectionOptions) -> MethodArrays:
    tr = trend(bc, o)
    return MethodArrays(status=BAND_STATUS[tr.band], native=BAND_NATIVE[tr.band], projection=tr.point, p_meet=tr.p)
