"""The benchmark's baseline: the tier rules applied with vectorised pandas/NumPy, column by column.

What an analyst would write without the engine: the registries read into
pandas, the earlier years merged on (enterprise, year + k), certificates held
at a year's end merged in, and each criterion computed over whole columns
(NaN for a missing figure), in the same order of cases as the Ibis query of
:mod:`scicity.engine.registry.tiers`. Used only by ``bench/bench_tiers.py``,
which checks that its outcomes equal the engine's.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from scicity.domain.tier_rules import Band, Criterion, RuleBook, RuleVersion, Score
from scicity.engine.registry.tiers import FIELDS, LAGGED, MANUAL, MET, NOT_MET, UNKNOWN, _metrics_used, years_of

Arr = np.ndarray


def frame(folder: Path, kinds: list[str]) -> dict[str, Arr]:
    fin = pd.read_parquet(folder / "enterprise_financials.parquet")
    for c in FIELDS:
        fin[c] = fin[c].astype("float64")
    t = fin[["credit_code", "year", *FIELDS]]
    for k in (1, 2, 3):
        lag = fin[["credit_code", "year", *LAGGED]].rename(columns={c: f"{c}_{k}" for c in LAGGED})
        lag = lag.assign(year=lag["year"] + k)
        t = t.merge(lag, on=["credit_code", "year"], how="left")
    ent = pd.read_parquet(folder / "enterprises.parquet")
    founded = pd.to_datetime(ent["founded_on"])
    ent = pd.DataFrame({"credit_code": ent["credit_code"], "f_year": founded.dt.year.astype("float64"),
                        "f_doy": founded.dt.dayofyear.astype("float64")})
    t = t.merge(ent, on="credit_code", how="left")
    certs = pd.read_parquet(folder / "certifications.parquet")
    pairs = fin[["credit_code", "year"]]
    for kind in kinds:
        c = certs[certs["kind"] == kind]
        p = pairs.merge(c, on="credit_code")
        vf, vt = pd.to_datetime(p["valid_from"]), pd.to_datetime(p["valid_to"])
        valid = (vf.dt.year <= p["year"]) & (vt.isna() | (vt.dt.year > p["year"]) |
                                              ((vt.dt.year == p["year"]) & (vt.dt.month == 12) & (vt.dt.day == 31)))
        held = p.loc[valid, ["credit_code", "year"]].drop_duplicates().assign(**{f"held_{kind}": 1.0})
        t = t.merge(held, on=["credit_code", "year"], how="left")
        t[f"held_{kind}"] = t[f"held_{kind}"].fillna(0.0)
    out = {name: t[name].to_numpy() for name in t.columns}
    out["year"] = out["year"].astype("float64")
    return out


def _nan(*arrays: Arr) -> Arr:
    out = np.isnan(arrays[0])
    for a in arrays[1:]:
        out = out | np.isnan(a)
    return out


def _share(a: Arr, b: Arr) -> Arr:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(_nan(a, b) | (b == 0), np.nan, 100.0 * a / b)


def _least(a: Arr, b: Arr) -> Arr:
    return np.where(_nan(a, b), np.nan, np.minimum(a, b))


def metrics(t: dict[str, Arr]) -> dict[str, Arr]:
    def col(name: str, lag: int = 0) -> Arr:
        return t[name if lag == 0 else f"{name}_{lag}"]

    def min_share() -> Arr:
        def one(lag: int) -> Arr:
            a, b = col("rd_expenditure", lag), col("revenue", lag)
            with np.errstate(divide="ignore", invalid="ignore"):
                return np.where(_nan(a, b), np.nan, np.where(b == 0, 0.0, 100.0 * a / b))
        return _least(one(1), one(0))

    def cagr(n: int) -> Arr:
        base, last = col("revenue", n), col("revenue")
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(_nan(base, last) | (base == 0), np.nan, 100.0 * ((last / base) ** (1.0 / n) - 1.0))

    def growth(name: str) -> Arr:
        y1, y2, y3 = col(name, 2), col(name, 1), col(name)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(_nan(y1, y2, y3), np.nan, np.where(y2 == 0, 0.0, np.where(
                y1 == 0, 100.0 * (y3 / y2 - 1.0), 100.0 * (0.5 * (y2 / y1 + y3 / y2) - 1.0))))

    def window() -> Arr:
        parts = [col("rd_expenditure", k) for k in range(3)]
        wholes = [col("revenue", k) for k in range(3)]
        total = wholes[0] + wholes[1] + wholes[2]
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(_nan(*parts, *wholes) | (total == 0), np.nan, 100.0 * (parts[0] + parts[1] + parts[2]) / total)

    m = {
        "staff": lambda: col("employees"), "st_staff": lambda: col("st_staff"), "sales": lambda: col("revenue"),
        "total_assets": lambda: col("total_assets"), "rd_expenditure": lambda: col("rd_expenditure"),
        "st_staff_share": lambda: _share(col("st_staff"), col("employees")),
        "rd_sales_ratio": lambda: _share(col("rd_expenditure"), col("revenue")),
        "rd_cost_ratio": lambda: _share(col("rd_expenditure"), col("total_costs")),
        "rd_sales_ratio_3y": window, "rd_sales_ratio_min_2y": min_share,
        "rd_min_2y": lambda: _least(col("rd_expenditure", 1), col("rd_expenditure")),
        "rd_total_2y": lambda: col("rd_expenditure", 1) + col("rd_expenditure"),
        "rd_domestic_share": lambda: col("rd_domestic_share"),
        "hightech_revenue_share": lambda: _share(col("hightech_revenue"), col("revenue")),
        "main_business_share": lambda: _share(col("main_revenue"), col("revenue")),
        "debt_ratio": lambda: col("debt_ratio"),
        "revenue_cagr_2y": lambda: cagr(2), "revenue_cagr_3y": lambda: cagr(3),
        "sales_growth": lambda: growth("revenue"), "net_asset_growth": lambda: growth("net_assets"),
        "new_equity_2y": lambda: col("new_equity", 1) + col("new_equity"),
        "conversions_avg_3y": lambda: (col("conversions") + col("conversions", 1) + col("conversions", 2)) / 3.0,
        "ip_class1": lambda: col("ip_class1"), "ip_class2": lambda: col("ip_class2"),
        "valuation_usd": lambda: col("valuation_usd"), "financing_usd": lambda: col("financing_usd"),
        "age_years": lambda: np.where(np.isnan(t["f_year"]), np.nan,
                                      (t["year"] - t["f_year"]) + (366.0 - t["f_doy"]) / 366.0),
    }
    return {name: (m[name]() if name in m else col(name)) for name in m} | \
        {f: col(f) for f in ("listed", "major_incident", "dishonest", "restricted_industry", "national_award",
                             "provincial_rd_institution", "led_standard")}


def _compare(value: Arr, comparator: str, target: float) -> Arr:
    eps = 1e-9 * max(1.0, abs(target))
    with np.errstate(invalid="ignore"):
        return {">=": value >= target - eps, ">": value > target + eps,
                "<=": value <= target + eps, "<": value < target - eps}[comparator]


def _status(value: Arr, passed: Arr) -> Arr:
    return np.where(np.isnan(value), UNKNOWN, np.where(passed, MET, NOT_MET)).astype("float64")


class Compiler:
    def __init__(self, t: dict[str, Arr], m: dict[str, Arr], held: dict[str, Arr]) -> None:
        self.t, self.m, self.held = t, m, held
        self.n = len(t["year"])

    def full(self, code: int) -> Arr:
        return np.full(self.n, float(code))

    def criterion(self, c: Criterion, rule: RuleVersion) -> Arr:
        if c.kind == "manual":
            return self.full(MANUAL)
        if c.kind == "any_of":
            return np.minimum.reduce([self.criterion(p, rule) for p in c.any_of or ()])
        if c.kind == "all_of":
            return np.maximum.reduce([self.criterion(p, rule) for p in c.all_of or ()])
        if c.kind == "tier_held":
            cert = self.t.get(f"held_{c.tier}", np.zeros(self.n))
            judged = self.held.get(c.tier or "", self.full(NOT_MET))
            return np.where(cert == 1, MET, judged)
        if c.kind == "flag":
            v = self.m[c.metric or ""]
            ok = (v != 0) if c.expect else (v == 0)
            return _status(v, ok)
        if c.kind == "score":
            assert c.threshold is not None and c.comparator is not None
            return self.score(rule.scores[c.score or ""], c.comparator, c.threshold.base)
        value = self.m[c.metric or ""]
        if c.threshold is not None:
            return _status(value, _compare(value, c.comparator or ">=", c.threshold.base))
        on = self.m[c.bracket_on or ""]
        conds = [_nan(value, on)]
        choices = [self.full(UNKNOWN)]
        for b in c.brackets or ():
            passed = _compare(value, c.comparator or ">=", b.threshold.base)
            with np.errstate(invalid="ignore"):
                conds.append(on < b.below.base if b.below is not None else np.ones(self.n, bool))
            choices.append(np.where(passed, MET, NOT_MET).astype("float64"))
        return np.select(conds, choices, default=UNKNOWN)

    def score(self, score: Score, comparator: str, target: float) -> Arr:
        low_total = np.zeros(self.n)
        high_total = np.zeros(self.n)
        any_missing = np.zeros(self.n, bool)
        must_zero = np.zeros(self.n, bool)
        must_low_zero = np.zeros(self.n, bool)
        for p in score.parts:
            if p.expert:
                high_total = high_total + p.max
                continue
            low, high, missing = np.zeros(self.n), np.zeros(self.n), np.zeros(self.n, bool)
            for option in p.best_of:
                v = self.m[option.metric]
                lo, hi = _bands(v, option.bands)
                nan = np.isnan(v)
                low = np.maximum(low, np.where(nan, 0.0, lo))
                high = np.maximum(high, np.where(nan, 0.0, hi))
                missing = missing | nan
            high = np.maximum(high, np.where(missing, float(p.max), 0.0))
            low_total, high_total = low_total + low, high_total + high
            any_missing = any_missing | missing
            if p.must_score:
                must_zero = must_zero | (high == 0)
                must_low_zero = must_low_zero | (low <= 0)
        sure = _compare(low_total, comparator, target) & ~must_low_zero
        return np.select([must_zero, sure, ~_compare(high_total, comparator, target), any_missing],
                         [self.full(NOT_MET), self.full(MET), self.full(NOT_MET), self.full(UNKNOWN)], default=MANUAL)

    def outcome(self, rule: RuleVersion) -> Arr:
        statuses = [self.criterion(c, rule) for c in rule.criteria]
        outcome = np.maximum.reduce(statuses) if len(statuses) > 1 else statuses[0]
        if not rule.routes:
            return outcome
        routes = [self.criterion(c, rule) for c in rule.routes]
        basic = [s for s, c in zip(statuses, rule.criteria, strict=True) if c.role == "basic"]
        basic_status = np.maximum.reduce(basic) if len(basic) > 1 else (basic[0] if basic else self.full(MET))
        route_met = np.zeros(self.n, bool)
        for r in routes:
            route_met = route_met | (r == MET)
        return np.select([outcome == MET, route_met & (basic_status == MET),
                          route_met & ((basic_status == UNKNOWN) | (basic_status == MANUAL))],
                         [outcome, self.full(MET), basic_status], default=outcome)


def _bands(v: Arr, bands: list[Band]) -> tuple[Arr, Arr]:
    conds = []
    for b in bands:
        with np.errstate(invalid="ignore"):
            conds.append(np.ones(len(v), bool) if b.at_least is None else v >= b.at_least.base - 1e-9)
    return (np.select(conds, [np.full(len(v), float(b.low)) for b in bands], default=0.0),
            np.select(conds, [np.full(len(v), float(b.high)) for b in bands], default=0.0))


def tier_outcomes(folder: Path, book: RuleBook) -> dict[str, Arr]:
    """tier -> outcome code per (enterprise, year) row (NaN where no rules are in force)."""
    order = book.tiers()
    t = frame(folder, order)
    every = metrics(t)
    m = {name: every[name] for name in _metrics_used(book)}
    held: dict[str, Arr] = {}
    out: dict[str, Arr] = {}
    for tier in order:
        compiler = Compiler(t, m, dict(held))
        conds, outs = [], []
        for rule in book.of(tier):
            first, last = years_of(rule)
            conds.append((t["year"] >= first) if last is None else (t["year"] >= first) & (t["year"] <= last))
            outs.append(compiler.outcome(rule))
        outcome = np.select(conds, outs, default=np.nan)
        cert = t[f"held_{tier}"]
        held[tier] = np.where(cert == 1, MET, np.where(np.isnan(outcome), NOT_MET, outcome))
        out[tier] = outcome
    return out
