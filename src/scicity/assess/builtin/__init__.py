"""The built-in assessment methods, registered through the same :func:`register_method` a third party uses."""

from __future__ import annotations

from scicity.assess.builtin import (
    calibrated,
    calibrated_batch,
    escap,
    eurostat,
    opensdg,
    projection,
    projection_batch,
    ratio_labels,
    schedule,
    unsd,
)
from scicity.assess.builtin.calibrated import CalibratedOptions
from scicity.assess.builtin.eurostat import EurostatThresholds
from scicity.assess.builtin.opensdg import OpenSdgThresholds
from scicity.assess.builtin.projection import ProjectionOptions
from scicity.assess.builtin.ratio_labels import ProgressRatioThresholds
from scicity.assess.builtin.schedule import ScheduleThresholds

__all__ = [
    "CalibratedOptions",
    "EurostatThresholds",
    "OpenSdgThresholds",
    "ProgressRatioThresholds",
    "ProjectionOptions",
    "ScheduleThresholds",
    "register_builtins",
]


def register_builtins() -> None:
    """Register projection, projection_ols, schedule, eurostat, opensdg, unsd and escap (in that order)."""
    from scicity.assess.catalogue import register_method

    register_method(
        "projection", calibrated.judge, batch_fn=calibrated_batch.judge_batch,
        title="Trend projection",
        description="Default: damped random walk with drift, its 80 % interval and p_meet calibrated on real series.",
        native_labels=projection.NATIVE_LABELS, default_options=CalibratedOptions(), replace=True,
    )
    register_method(
        "projection_ols", projection.judge, batch_fn=projection_batch.judge_batch,
        title="Least-squares trend projection",
        description="Least-squares trend (linear or log-linear) with a textbook 80 % interval (the former default).",
        native_labels=projection.NATIVE_LABELS, default_options=ProjectionOptions(), replace=True,
    )
    register_method(
        "schedule", schedule.judge, batch_fn=schedule.judge_batch,
        title="Time schedule",
        description="Completion against time elapsed (or the milestone schedule).",
        native_labels=schedule.NATIVE_LABELS, guard_labels=schedule.GUARD_LABELS,
        default_options=ScheduleThresholds(), replace=True,
    )
    register_method(
        "eurostat", eurostat.judge, batch_fn=eurostat.judge_batch,
        title="Eurostat growth ratio",
        description="Eurostat: ratio of actual to required compound growth.",
        native_labels=eurostat.NATIVE_LABELS, guard_labels=eurostat.GUARD_LABELS,
        default_options=EurostatThresholds(), replace=True,
    )
    register_method(
        "opensdg", opensdg.judge, batch_fn=opensdg.judge_batch,
        title="Open SDG progress measure",
        description="open-sdg / sdg-build progress measure (Statistics Canada), with its -5..5 score.",
        native_labels=opensdg.NATIVE_LABELS, guard_labels=opensdg.GUARD_LABELS,
        default_options=OpenSdgThresholds(), achieved_score=5.0, replace=True,
    )
    register_method(
        "unsd", unsd.judge, batch_fn=unsd.judge_batch,
        title="UN SDG progress chart",
        description="UN SDG progress chart: projected share of the way to the target.",
        native_labels=ratio_labels.NATIVE_LABELS, guard_labels=ratio_labels.GUARD_LABELS,
        default_options=ProgressRatioThresholds(), replace=True,
    )
    register_method(
        "escap", escap.judge, batch_fn=escap.judge_batch,
        title="ESCAP anticipated progress",
        description="ESCAP anticipated progress: recency-weighted growth, classified like unsd.",
        native_labels=ratio_labels.NATIVE_LABELS, guard_labels=ratio_labels.GUARD_LABELS,
        default_options=ProgressRatioThresholds(), replace=True,
    )
