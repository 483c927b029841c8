"""The vectorised path: many series (rows) judged against one target at once.

:func:`prepare_batch` does for a whole matrix what :func:`scicity.assess.case.prepare`
does for one series (as-of cut, baseline or its substitute, running sums,
target on the judged scale, guards); each method's ``batch_fn`` then computes
its numbers column by column, in the same order of floating-point operations as
the one-series path, so both agree exactly. ``assess()`` is the oracle that
tests hold this path to.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from scicity.assess.case import Guard
from scicity.assess.catalogue import MethodInfo, get_method, resolve_options
from scicity.assess.types import STATUS_CODE, BatchResult, Status, TargetSpec
from scicity.domain.plan import Comparator, TargetKind

GUARD_CODE: dict[Guard | None, int] = {None: 0, Guard.INSUFFICIENT: 1, Guard.FINAL: 2, Guard.ACHIEVED: 3, Guard.HOLD: 4}


class Workspace:
    """Scratch matrices reused from one slice of rows to the next (fresh large arrays cost page faults)."""

    def __init__(self) -> None:
        self._arrays: dict[tuple[str, tuple[int, ...]], np.ndarray] = {}

    def get(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        """An uninitialised float array named ``name`` of ``shape``, the same one on every call."""
        key = (name, shape)
        arr = self._arrays.get(key)
        if arr is None:
            arr = self._arrays[key] = np.empty(shape)
        return arr


@dataclass
class BatchCase:
    """The judged series of n series, one *row per year* (shape ``(k, n)``), and per-series vectors.

    ``Y`` holds the judged values (anything where ``ok`` is False is missing);
    ``Yz`` is the same with 0 where missing, computed on first use. The
    year-major layout makes every per-year slice contiguous, and sums over axis 0
    run in year order, exactly like the one-series path.
    """

    spec: TargetSpec
    Y: np.ndarray  # (k, n) judged series; only entries where ``ok`` is True count
    ok: np.ndarray  # (k, n) True where a value exists
    years: np.ndarray  # (k,) float years of the judged rows
    npts: np.ndarray  # (n,) number of judged points
    t0: np.ndarray
    y0: np.ndarray
    tc: np.ndarray
    yc: np.ndarray
    low: np.ndarray  # target on the judged scale (NaN when unknown)
    high: np.ndarray  # upper bound for 'between' (NaN otherwise)
    aim: np.ndarray
    d: np.ndarray  # +1 / -1 as float
    final: np.ndarray
    met_now: np.ndarray
    hold: np.ndarray
    guard: np.ndarray  # GUARD_CODE values
    active: np.ndarray  # at least two points and not final: the method computes
    workspace: Workspace = field(default_factory=Workspace)

    @cached_property
    def Yz(self) -> np.ndarray:
        """``Y`` with 0.0 where missing."""
        out = self.scratch("Yz")
        np.copyto(out, self.Y)
        out[~self.ok] = 0.0
        return out

    def scratch(self, name: str) -> np.ndarray:
        """A ``(k, n)`` float matrix for intermediate results, reused across slices of rows."""
        return self.workspace.get(name, self.Y.shape)

    @property
    def tT(self) -> float:
        return float(self.spec.target_year)

    @property
    def n(self) -> int:
        return int(self.Y.shape[1])


@dataclass
class MethodArrays:
    """What a method's batch function returns: trend status and native codes, and its numbers (NaN = none)."""

    status: np.ndarray
    native: np.ndarray
    projection: np.ndarray | None = None
    p_meet: np.ndarray | None = None
    score: np.ndarray | None = None


def holds(comparator: Comparator, x: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Vectorised :meth:`Comparator.holds` (False where anything is NaN)."""
    if comparator is Comparator.GT:
        return x > low
    if comparator is Comparator.GE:
        return x >= low
    if comparator is Comparator.LT:
        return x < low
    if comparator is Comparator.LE:
        return x <= low
    if comparator is Comparator.EQ:
        return x == low
    return (low <= x) & (x <= high)


def aim_and_side(comparator: Comparator, ref: np.ndarray, low: np.ndarray, high: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised :func:`scicity.assess.case.aim_and_side`."""
    ones = np.ones_like(ref)
    if comparator in (Comparator.GT, Comparator.GE):
        return low.copy(), ones
    if comparator in (Comparator.LT, Comparator.LE):
        return low.copy(), -ones
    if comparator is Comparator.EQ:
        return low.copy(), np.where(ref <= low, 1.0, -1.0)
    inside_low = (ref - low) <= (high - ref)
    aim = np.where(ref < low, low, np.where(ref > high, high, np.where(inside_low, low, high)))
    d = np.where(ref < low, 1.0, np.where(ref > high, -1.0, np.where(inside_low, -1.0, 1.0)))
    return aim, d


def _years_array(years: Any, k: int) -> np.ndarray:
    yrs = np.asarray(years)
    if yrs.ndim != 1 or yrs.shape[0] != k:
        raise ValueError(f"years must be a 1-D array with one year per column ({k}), got shape {yrs.shape}")
    if yrs.size and not np.all(np.equal(np.mod(yrs, 1), 0)):
        raise ValueError("years must be whole numbers")
    yrs = yrs.astype(np.int64)
    if np.unique(yrs).size != yrs.size:
        raise ValueError("years must not repeat: pass one column per year")
    return yrs


def _matrix(values: Any) -> np.ndarray:
    V = np.asarray(values, dtype=float)
    if V.ndim == 1:
        V = V.reshape(1, -1)
    if V.ndim != 2:
        raise ValueError(f"values must be a 2-D array (series x years), got {V.ndim} dimensions")
    return V


def prepare_batch(values: Any, years: Any, spec: TargetSpec, as_of: int | None = None) -> BatchCase:
    """Build the :class:`BatchCase` for a ``(n_series, n_years)`` matrix (NaN or inf = missing)."""
    V = _matrix(values)
    yrs = _years_array(years, V.shape[1])
    return _prepare(V, yrs, spec, as_of)


def _prepare(V: np.ndarray, yrs: np.ndarray, spec: TargetSpec, as_of: int | None, ws: Workspace | None = None) -> BatchCase:
    ws = ws if ws is not None else Workspace()
    n = V.shape[0]
    tT = spec.target_year
    seen = np.ones(yrs.shape, dtype=bool) if as_of is None else yrs <= as_of
    if as_of is not None:
        final = np.full(n, as_of >= tT)
    else:
        late = np.flatnonzero(seen & (yrs >= tT))
        final = np.isfinite(V[:, late]).any(axis=1) if late.size else np.zeros(n, dtype=bool)
    base = spec.baseline_year
    order = np.argsort(yrs, kind="stable")
    inside = seen[order] & (yrs[order] <= tT)
    if spec.kind is TargetKind.CUMULATIVE:
        cols = order[inside & (yrs[order] > base)]
        F = np.ascontiguousarray(V[:, cols].T)
        okf = np.isfinite(F)
        F[~okf] = 0.0
        ok = np.concatenate([np.ones((1, n), dtype=bool), okf])
        Y = np.concatenate([np.zeros((1, n)), np.cumsum(F, axis=0)])
        jy = np.concatenate([[base], yrs[cols]]).astype(float)
    else:
        cols = order[inside & (yrs[order] >= base)]
        Y = ws.get("Y", (cols.size, n))
        if cols.size and np.array_equal(cols, np.arange(cols[0], cols[0] + cols.size)):
            np.copyto(Y, V[:, cols[0] : cols[0] + cols.size].T)  # a plain slice: no temporary copy
        else:
            np.copyto(Y, V[:, cols].T)
        ok = np.isfinite(Y)
        jy = yrs[cols].astype(float)
    k = Y.shape[0]
    npts = np.add.reduce(ok.view(np.uint8), axis=0, dtype=np.int64)
    nan = np.full(n, np.nan)
    if k:
        t0, y0 = np.full(n, jy[0]), Y[0].copy()
        tc, yc = np.full(n, jy[k - 1]), Y[k - 1].copy()
        late_start = np.flatnonzero(~ok[0])  # series without a value in the first judged year
        if late_start.size:
            i0 = ok[:, late_start].argmax(axis=0)
            t0[late_start], y0[late_start] = jy[i0], Y[i0, late_start]
        early_end = np.flatnonzero(~ok[k - 1])  # series without a value in the last judged year
        if early_end.size:
            ic = k - 1 - ok[::-1, early_end].argmax(axis=0)
            tc[early_end], yc[early_end] = jy[ic], Y[ic, early_end]
        none = npts == 0
        if none.any():
            t0[none] = y0[none] = tc[none] = yc[none] = np.nan
    else:
        t0, y0, tc, yc = nan.copy(), nan.copy(), nan.copy(), nan.copy()

    has = npts > 0
    y_base = np.where(has, y0, np.nan)
    span = float(tT) - t0
    low = spec.kind.implied_level(spec.value, y_base, span)
    high = spec.kind.implied_level(spec.high, y_base, span) if spec.high is not None else nan.copy()
    if spec.high is not None:
        low, high = np.minimum(low, high), np.maximum(low, high)
    cmp = spec.comparator
    # a known outcome (see case.prepare): final, a level target, and the target year's own value exists
    known = final & (tc == float(tT)) & (npts >= 1) & (spec.kind is TargetKind.LEVEL) & np.isfinite(low)
    enough = (npts >= 2) | known
    aim, d = aim_and_side(cmp, y0, low, high)
    met_now = holds(cmp, yc, low, high) & enough
    hold = holds(cmp, y0, low, high) & (npts >= 2)
    if cmp in (Comparator.EQ, Comparator.BETWEEN):
        aim_h, d_h = aim_and_side(cmp, yc, low, high)
        aim = np.where(hold, aim_h, aim)
        d = np.where(hold, d_h, d)
    guard = np.where(
        ~enough,
        GUARD_CODE[Guard.INSUFFICIENT],
        np.where(
            final,
            GUARD_CODE[Guard.FINAL],
            np.where(met_now, GUARD_CODE[Guard.ACHIEVED], np.where(hold, GUARD_CODE[Guard.HOLD], 0)),
        ),
    )
    return BatchCase(
        spec=spec, Y=Y, ok=ok, years=jy, npts=npts, t0=t0, y0=y0, tc=tc, yc=yc,
        low=low, high=high, aim=aim, d=d, final=final & enough, met_now=met_now, hold=hold,
        guard=guard, active=enough & ~final, workspace=ws,
    )


#: rows judged per slice: keeps the temporaries of a slice in the CPU cache
CHUNK = 16384


def assess_batch(
    values: Any,
    years: Any,
    spec: TargetSpec,
    method: str = "projection",
    as_of: int | None = None,
    *,
    options: Any = None,
) -> BatchResult:
    """Judge every row of ``values`` (shape ``(n_series, n_years)``, NaN = missing) with ``method``.

    Gives the same statuses, native labels, projections, ``p_meet`` and scores
    as :func:`scicity.assess.assess` on each row.
    """
    info = get_method(method)
    opts = resolve_options(info, options)
    if info.batch_fn is None:
        return _fallback(info, values, years, spec, as_of, opts)
    V = _matrix(values)
    yrs = _years_array(years, V.shape[1])
    parts = []
    ws = Workspace()
    with np.errstate(all="ignore"):
        for lo in range(0, max(V.shape[0], 1), CHUNK):
            bc = _prepare(V[lo : lo + CHUNK], yrs, spec, as_of, ws)
            parts.append(merge_guards(info, bc, info.batch_fn(bc, opts)))
    if len(parts) == 1:
        return parts[0]

    def cat(name: str) -> np.ndarray | None:
        arrays = [getattr(p, name) for p in parts]
        return None if arrays[0] is None else np.concatenate(arrays)

    return BatchResult(
        status=np.concatenate([p.status for p in parts]),
        native=np.concatenate([p.native for p in parts]),
        native_labels=parts[0].native_labels,
        projection=cat("projection"),
        p_meet=cat("p_meet"),
        score=cat("score"),
        final=cat("final"),
    )


def merge_guards(info: MethodInfo, bc: BatchCase, arrays: MethodArrays) -> BatchResult:
    """Put the guard verdicts (the same for every method) over the method's trend verdicts."""
    g = bc.guard
    code = STATUS_CODE
    status = np.asarray(arrays.status, dtype=np.int64).copy()
    native = np.asarray(arrays.native, dtype=np.int64).copy()
    labels = info.guard_labels

    def put(mask: np.ndarray, st: Status, label_key: str) -> None:
        status[mask] = code[st]
        native[mask] = info.label_code(labels[label_key])

    achieved = (g == GUARD_CODE[Guard.ACHIEVED]) | ((g == GUARD_CODE[Guard.FINAL]) & bc.met_now)
    put(g == GUARD_CODE[Guard.INSUFFICIENT], Status.INSUFFICIENT_DATA, "insufficient_data")
    put(achieved, Status.ACHIEVED, "achieved")
    put((g == GUARD_CODE[Guard.FINAL]) & ~bc.met_now, Status.MISSED, "missed")
    put(g == GUARD_CODE[Guard.HOLD], Status.REGRESSING, "hold")

    def numbers(arr: np.ndarray | None) -> np.ndarray | None:
        if arr is None:
            return None
        out = np.asarray(arr, dtype=float).copy()
        out[~bc.active] = np.nan
        return out

    score = numbers(arrays.score)
    if info.achieved_score is not None:
        if score is None:
            score = np.full(bc.n, np.nan)
        score[achieved] = info.achieved_score
    return BatchResult(
        status=status,
        native=native,
        native_labels=info.native_labels,
        projection=numbers(arrays.projection),
        p_meet=numbers(arrays.p_meet),
        score=score,
        final=bc.final,
    )


def _fallback(info: MethodInfo, values: Any, years: Any, spec: TargetSpec, as_of: int | None, opts: Any) -> BatchResult:
    """For methods without a batch function: judge row by row with the one-series path."""
    from scicity.assess.api import assess_case
    from scicity.assess.case import prepare

    V = _matrix(values)
    yrs = _years_array(years, V.shape[1])
    labels = list(info.native_labels)
    n = V.shape[0]
    status = np.zeros(n, dtype=np.int64)
    native = np.zeros(n, dtype=np.int64)
    proj = np.full(n, np.nan)
    pm = np.full(n, np.nan)
    score = np.full(n, np.nan)
    final = np.zeros(n, dtype=bool)
    for i in range(n):
        pts = [(int(t), float(v)) for t, v in zip(yrs, V[i]) if np.isfinite(v)]
        a = assess_case(info, prepare(pts, spec, as_of), opts)
        status[i] = STATUS_CODE[a.status]
        if a.native_label not in labels:
            labels.append(a.native_label)
        native[i] = labels.index(a.native_label)
        proj[i] = np.nan if a.projection is None else a.projection.value
        pm[i] = np.nan if a.p_meet is None else a.p_meet
        score[i] = np.nan if a.score is None else a.score
        final[i] = a.final
    return BatchResult(status, native, tuple(labels), proj, pm, score, final)
