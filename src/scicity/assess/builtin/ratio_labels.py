"""The classification shared by ``unsd`` and ``escap``: the projected share of the way to the target.

``P = (yT_hat - y0) / (yT - y0)``: ``P >= 0.95`` on track; ``0.10 <= P < 0.95``
fair progress, acceleration needed; ``P < 0.10`` stagnation or regression
(``regressing`` on the common scale when ``P < 0``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scicity.assess.growth import band
from scicity.assess.types import STATUS_CODE, Status

ON_TRACK = "on track"
FAIR = "fair progress, acceleration needed"
STAGNATION = "stagnation or regression"
LABELS = (ON_TRACK, FAIR, STAGNATION, STAGNATION)
STATUSES = (Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK, Status.REGRESSING)
NATIVE_LABELS = ("target achieved", ON_TRACK, FAIR, STAGNATION, "target missed", "insufficient data")
GUARD_LABELS = {"hold": STAGNATION}


@dataclass(frozen=True)
class ProgressRatioThresholds:
    """``P`` at or above ``on_track``: on track; at or above ``fair``: fair progress; below: stagnation."""

    on_track: float = 0.95
    fair: float = 0.10

    def __post_init__(self) -> None:
        if not 0.0 <= self.fair <= self.on_track:
            raise ValueError(f"need 0 <= fair <= on_track, got {self.fair}, {self.on_track}")


def classify(p: float, o: ProgressRatioThresholds) -> tuple[Status, str]:
    i = band(p, (o.on_track, o.fair, 0.0))
    return STATUSES[i], LABELS[i]


def classify_batch(p: np.ndarray, o: ProgressRatioThresholds) -> tuple[np.ndarray, np.ndarray]:
    i = band(p, (o.on_track, o.fair, 0.0))
    status = np.array([STATUS_CODE[s] for s in STATUSES])[i]
    native = np.array([NATIVE_LABELS.index(lab) for lab in LABELS])[i]
    return status, native
