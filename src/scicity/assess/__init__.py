"""Judging progress towards targets with published methods, side by side, each explaining itself.

Pure: imports only the standard library, numpy and :mod:`scicity.domain`.

>>> from scicity.assess import assess, TargetSpec
>>> from scicity.domain import Comparator, TargetKind
>>> spec = TargetSpec(Comparator.GT, 5.5, None, TargetKind.LEVEL, 2020, 2025)
>>> assess([(2020, 4.5), (2023, 4.3)], spec, "eurostat").native_label
'movement away'

Methods (see docs/methods.md): ``projection`` (default, calibrated on real series),
``projection_ols`` (the former least-squares default), ``schedule``,
``eurostat``, ``opensdg``, ``unsd``, ``escap``; more can be added with
:func:`register_method`.
"""

from scicity.assess.api import assess, assess_all
from scicity.assess.backtest import BacktestReport, BacktestRow, backtest
from scicity.assess.batch import BatchCase, MethodArrays, assess_batch, prepare_batch
from scicity.assess.builtin import (
    CalibratedOptions,
    EurostatThresholds,
    OpenSdgThresholds,
    ProgressRatioThresholds,
    ProjectionOptions,
    ScheduleThresholds,
)
from scicity.assess.case import Case, Guard, prepare
from scicity.assess.catalogue import MethodInfo, get_method, methods, register_method, unregister_method
from scicity.assess.types import (
    STATUS_RANK,
    Assessment,
    BatchResult,
    Explanation,
    Projection,
    Status,
    TargetSpec,
    Verdict,
)

__all__ = [
    "STATUS_RANK",
    "Assessment",
    "BacktestReport",
    "BacktestRow",
    "BatchCase",
    "BatchResult",
    "CalibratedOptions",
    "Case",
    "EurostatThresholds",
    "Explanation",
    "Guard",
    "MethodArrays",
    "MethodInfo",
    "OpenSdgThresholds",
    "ProgressRatioThresholds",
    "Projection",
    "ProjectionOptions",
    "ScheduleThresholds",
    "Status",
    "TargetSpec",
    "Verdict",
    "assess",
    "assess_all",
    "assess_batch",
    "backtest",
    "get_method",
    "methods",
    "prepare",
    "prepare_batch",
    "register_method",
    "unregister_method",
]
