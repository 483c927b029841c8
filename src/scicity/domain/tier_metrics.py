"""Metrics of an enterprise's yearly figures that tier criteria compare with thresholds, and their gaps.

A metric reads an enterprise's facts for a year (and the years before, for
windows) and gives a :class:`Reading`: the value in the base unit of its
dimension, or the figures that are missing. For each metric a *lever* says
what the smallest change that would pass a threshold is, in money or people
where it can be: ``R&D 2.6 % of sales against 3 %: CNY 1.2 m more R&D``.
Money is held in CNY 10,000 (and USD 10,000), shares in percent.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date

from scicity.domain.field_labels import field_label
from scicity.domain.message import Msg
from scicity.domain.registries import Certification, Financials, certificate_valid_at
from scicity.domain.tier_rules import Dimension


@dataclass(frozen=True)
class EnterpriseFacts:
    """What the rules read of one enterprise: founding date, figures per year, certificates."""

    credit_code: str
    founded_on: date | None
    years: Mapping[int, Financials]
    certificates: tuple[Certification, ...] = ()
    name: str | None = None
    unit: str | None = None
    readings: dict[tuple[str, int], Reading] = field(default_factory=dict, compare=False, repr=False)

    def read(self, metric: str, year: int) -> Reading:
        """A metric's reading for a year, computed once."""
        key = (metric, year)
        found = self.readings.get(key)
        if found is None:
            found = self.readings[key] = METRICS[metric].read(self, year)
        return found

    def holds(self, kind: str, at: date) -> bool:
        return any(c.kind == kind and certificate_valid_at(c.valid_from, c.valid_to, at) for c in self.certificates)


@dataclass(frozen=True)
class Reading:
    value: float | None
    missing: tuple[str, ...] = ()

    @property
    def known(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class Gap:
    """The smallest change that passes: ``amount`` in ``unit`` (CNY 10k, USD 10k, person, …) and a sentence."""

    amount: float
    unit: str
    en: str
    zh: str
    relative: float = 0.0  # the shortfall as a share of the threshold (ranks the pool)
    reachable: bool = True


class _Values:
    """Figures of several years, noting each missing one ('revenue 2023')."""

    def __init__(self, facts: EnterpriseFacts) -> None:
        self.facts = facts
        self.missing: list[str] = []

    def get(self, year: int, name: str) -> float | None:
        record = self.facts.years.get(year)
        value = None if record is None else getattr(record, name)
        if value is None:
            self.missing.append(f"{name} {year}" if record is not None else f"figures of {year}")
            return None
        return float(value)

    def reading(self, value: float | None) -> Reading:
        if not self.missing:
            return Reading(value)
        return Reading(None, tuple(dict.fromkeys(self.missing)))


def missing_said(item: str) -> Msg:
    """A missing figure as a person reads it: 'rd_domestic_share 2025' -> 'Domestic share of R&D (%) 2025',
    'figures of 2023' (no record of the year) and 'founded_on' as sentences, translatable. The items stay
    codes (the API gives them to programs); this is their wording."""
    head, _, year = item.rpartition(" ")
    if item.startswith("founded after "):
        after, _, day = item.removeprefix("founded after ").partition(": ")
        return Msg("founded on {date}, after {year}: check the founding date or the year of the figures",
                   date=day, year=after)
    if item.startswith("figures of ") and year.isdigit():
        return Msg("figures of {year}", year=year)
    if head and year.isdigit():
        return Msg("{field} {year}", field=field_label(head), year=year)
    return Msg("{field}", field=field_label(item))


Read = Callable[[EnterpriseFacts, int], Reading]


def _field(name: str) -> Read:
    def read(facts: EnterpriseFacts, year: int) -> Reading:
        v = _Values(facts)
        return v.reading(v.get(year, name))
    return read


def _share(part: str, whole: str) -> Read:
    def read(facts: EnterpriseFacts, year: int) -> Reading:
        v = _Values(facts)
        a, b = v.get(year, part), v.get(year, whole)
        return v.reading(None if a is None or not b else 100.0 * a / b)
    return read


def _window_share(part: str, whole: str, n: int) -> Read:
    def read(facts: EnterpriseFacts, year: int) -> Reading:
        v = _Values(facts)
        parts = [v.get(y, part) for y in range(year - n + 1, year + 1)]
        wholes = [v.get(y, whole) for y in range(year - n + 1, year + 1)]
        if v.missing:
            return v.reading(None)
        total = sum(wholes)  # type: ignore[arg-type]
        return v.reading(100.0 * sum(parts) / total if total else None)  # type: ignore[arg-type]
    return read


def _min_share(part: str, whole: str, n: int) -> Read:
    def read(facts: EnterpriseFacts, year: int) -> Reading:
        v = _Values(facts)
        pairs = [(v.get(y, part), v.get(y, whole)) for y in range(year - n + 1, year + 1)]
        if v.missing:
            return v.reading(None)
        return v.reading(min(100.0 * a / b if b else 0.0 for a, b in pairs))  # type: ignore[operator]
    return read


def _window(name: str, n: int, how: Callable[[list[float]], float]) -> Read:
    def read(facts: EnterpriseFacts, year: int) -> Reading:
        v = _Values(facts)
        values = [v.get(y, name) for y in range(year - n + 1, year + 1)]
        return v.reading(None if v.missing else how(values))  # type: ignore[arg-type]
    return read


def _cagr(name: str, n: int) -> Read:
    def read(facts: EnterpriseFacts, year: int) -> Reading:
        v = _Values(facts)
        base, last = v.get(year - n, name), v.get(year, name)
        if v.missing or not base:
            return v.reading(None)
        return v.reading(100.0 * ((last / base) ** (1.0 / n) - 1.0))  # type: ignore[operator]
    return read


def growth_rate(y1: float, y2: float, y3: float) -> float:
    """The high-tech guide's growth: ½ (Y2/Y1 + Y3/Y2) − 1 (Y1 = 0: Y3/Y2 − 1; Y2 = 0: 0), in percent."""
    if y2 == 0:
        return 0.0
    if y1 == 0:
        return 100.0 * (y3 / y2 - 1.0)
    return 100.0 * (0.5 * (y2 / y1 + y3 / y2) - 1.0)


def _growth(name: str) -> Read:
    def read(facts: EnterpriseFacts, year: int) -> Reading:
        v = _Values(facts)
        y1, y2, y3 = (v.get(y, name) for y in (year - 2, year - 1, year))
        return v.reading(None if v.missing else growth_rate(y1, y2, y3))  # type: ignore[arg-type]
    return read


def _age(facts: EnterpriseFacts, year: int) -> Reading:
    if facts.founded_on is None:
        return Reading(None, ("founded_on",))
    if facts.founded_on > date(year, 12, 31):  # figures of a year before the enterprise existed: flagged, not judged
        return Reading(None, (f"founded after {year}: {facts.founded_on.isoformat()}",))
    # whole years from the founding year to ``year``, plus the part of the founding year left (by day of year)
    f = facts.founded_on
    return Reading(float(year - f.year) + (366.0 - f.timetuple().tm_yday) / 366.0)


@dataclass(frozen=True)
class Metric:
    name: str
    dimension: Dimension
    read: Read
    en: str
    zh: str
    lever: str = "plain"  # how the gap is put: see gap()
    parts: tuple[str, ...] = field(default=())


def _m(name: str, dim: Dimension, read: Read, en: str, zh: str, lever: str = "plain",
       parts: tuple[str, ...] = ()) -> Metric:
    return Metric(name, dim, read, en, zh, lever, parts)


R, C, U, P, Y, N, F = (Dimension.RATIO, Dimension.CNY, Dimension.USD, Dimension.PERSONS, Dimension.YEARS,
                       Dimension.COUNT, Dimension.FLAG)
METRICS: dict[str, Metric] = {m.name: m for m in (
    _m("staff", P, _field("employees"), "staff", "从业人员"),
    _m("st_staff", P, _field("st_staff"), "S&T staff", "科技人员"),
    _m("st_staff_share", R, _share("st_staff", "employees"), "S&T staff share of staff", "科技人员占比",
       "hire", ("st_staff", "employees")),
    _m("sales", C, _field("revenue"), "sales", "销售收入"),
    _m("total_assets", C, _field("total_assets"), "total assets", "资产总额"),
    _m("rd_expenditure", C, _field("rd_expenditure"), "R&D expense", "研发费用"),
    _m("rd_sales_ratio", R, _share("rd_expenditure", "revenue"), "R&D as a share of sales", "研发费用占销售收入比例",
       "more_part", ("rd_expenditure", "revenue")),
    _m("rd_cost_ratio", R, _share("rd_expenditure", "total_costs"), "R&D as a share of total costs",
       "研发费用占成本费用比例", "more_part_in_whole", ("rd_expenditure", "total_costs")),
    _m("rd_sales_ratio_3y", R, _window_share("rd_expenditure", "revenue", 3),
       "R&D as a share of sales, last 3 years combined", "近三年研发费用占销售收入比例", "more_part_3y",
       ("rd_expenditure", "revenue")),
    _m("rd_sales_ratio_min_2y", R, _min_share("rd_expenditure", "revenue", 2),
       "R&D as a share of revenue, lower of the last 2 years", "近两年研发费用占营业收入比例（较低年）", "more_part_min_2y",
       ("rd_expenditure", "revenue")),
    _m("rd_min_2y", C, _window("rd_expenditure", 2, min), "R&D expense, lower of the last 2 years",
       "近两年研发费用（较低年）"),
    _m("rd_total_2y", C, _window("rd_expenditure", 2, sum), "R&D expense, last 2 years combined",
       "近两年研发费用总额"),
    _m("rd_domestic_share", R, _field("rd_domestic_share"), "share of R&D spent in mainland China",
       "境内研发费用占比", "domestic"),
    _m("hightech_revenue_share", R, _share("hightech_revenue", "revenue"),
       "high-tech product and service revenue as a share of revenue", "高新技术产品（服务）收入占比", "more_part",
       ("hightech_revenue", "revenue")),
    _m("main_business_share", R, _share("main_revenue", "revenue"), "main-business share of revenue",
       "主营业务收入占比", "more_part", ("main_revenue", "revenue")),
    _m("debt_ratio", R, _field("debt_ratio"), "debt ratio", "资产负债率", "debt"),
    _m("revenue_cagr_2y", R, _cagr("revenue", 2), "revenue growth a year, last 2 years", "近两年营业收入复合增长率",
       "cagr2"),
    _m("revenue_cagr_3y", R, _cagr("revenue", 3), "revenue growth a year, last 3 years", "近三年营业收入复合增长率",
       "cagr3"),
    _m("sales_growth", R, _growth("revenue"), "sales growth (high-tech formula)", "销售收入增长率"),
    _m("net_asset_growth", R, _growth("net_assets"), "net-asset growth (high-tech formula)", "净资产增长率"),
    _m("new_equity_2y", C, _window("new_equity", 2, sum), "new qualified equity financing, last 2 years",
       "近两年新增股权融资"),
    _m("conversions_avg_3y", N, _window("conversions", 3, lambda v: sum(v) / 3.0),
       "S&T results converted a year, 3-year average", "近三年年均科技成果转化数"),
    _m("ip_class1", N, _field("ip_class1"), "class I IP", "Ⅰ类知识产权"),
    _m("ip_class2", N, _field("ip_class2"), "class II IP", "Ⅱ类知识产权"),
    _m("valuation_usd", U, _field("valuation_usd"), "latest valuation", "最近一轮投后估值"),
    _m("financing_usd", U, _field("financing_usd"), "cumulative private financing", "累计私募融资"),
    _m("age_years", Y, _age, "years since founding", "成立年限", "wait"),
    *(_m(flag, F, _field(flag), en, zh) for flag, en, zh in (
        ("listed", "listed on a stock exchange", "已上市"),
        ("major_incident", "major safety, quality or environmental incident or research misconduct",
         "重大安全、质量、环境事故或严重科研失信"),
        ("dishonest", "on the abnormal-operation or serious-dishonesty lists", "列入经营异常名录或严重失信名单"),
        ("restricted_industry", "in a prohibited, restricted or phase-out industry", "属于禁止、限制或淘汰类行业"),
        ("national_award", "national S&T award in the last 5 years", "近五年获国家级科技奖励"),
        ("provincial_rd_institution", "runs a provincial/ministerial or higher R&D institution",
         "拥有省部级以上研发机构"),
        ("led_standard", "led an international, national or industry standard in the last 5 years",
         "近五年主导制定国际、国家或行业标准"),
    )),
)}


def _money(cny10k: float) -> tuple[str, str]:
    """CNY 10,000 as 'CNY 1.20 m' and '120.0万元' (below CNY 10,000 in yuan)."""
    if abs(cny10k) < 1:
        return f"CNY {cny10k * 1e4:,.0f}", f"{cny10k * 1e4:,.0f}元"
    if abs(cny10k) < 100:
        return f"CNY {cny10k * 1e4:,.0f}", f"{cny10k:,.1f}万元"
    return f"CNY {cny10k / 100:,.2f} m", f"{cny10k:,.1f}万元"


def _usd(usd10k: float) -> tuple[str, str]:
    return f"USD {usd10k / 100:,.1f} m", f"{usd10k:,.0f}万美元"


def gap(metric: Metric, facts: EnterpriseFacts, year: int, comparator: str, actual: float, target: float) -> Gap:
    """The smallest change of the enterprise's figures that passes ``actual comparator target``."""
    rel = abs(target - actual) / abs(target) if target else 1.0
    up = comparator in (">=", ">")
    rec = facts.years.get(year)

    def fig(name: str, y: int = year) -> float:
        r = facts.years.get(y)
        value = None if r is None else getattr(r, name)
        return float(value or 0.0)

    t = target / 100.0
    lever = metric.lever
    if lever == "more_part" and up and rec is not None:
        part, whole = metric.parts
        amount = max(t * fig(whole) - fig(part), 0.0)
        return _cny(amount, f"more {METRICS_PART[part][0]} on this year's {METRICS_PART[whole][0]}",
                    f"在本年{METRICS_PART[whole][1]}基础上增加{METRICS_PART[part][1]}", rel)
    if lever == "more_part_in_whole" and up and t < 1:
        part, whole = metric.parts
        amount = max((t * fig(whole) - fig(part)) / (1 - t), 0.0)
        return _cny(amount, "more R&D (total costs grow with it)", "增加研发费用（成本费用随之增加）", rel)
    if lever == "more_part_3y" and up:
        amount = max(sum(t * fig("revenue", y) - fig("rd_expenditure", y) for y in range(year - 2, year + 1)), 0.0)
        return _cny(amount, "more R&D over the 3 years", "三年合计增加研发费用", rel)
    if lever == "more_part_min_2y" and up:
        amount = max(max(t * fig("revenue", y) - fig("rd_expenditure", y) for y in (year - 1, year)), 0.0)
        return _cny(amount, "more R&D in the weaker year", "在较低年份增加研发费用", rel)
    if lever == "hire" and up and t < 1:
        persons = math.ceil(max((t * fig("employees") - fig("st_staff")) / (1 - t), 0.0) - 1e-9)
        return Gap(persons, "person", f"{persons} more S&T staff", f"增加科技人员{persons}人", rel)
    if lever == "domestic" and up and t < 1:
        share = fig("rd_domestic_share") / 100.0
        rd = fig("rd_expenditure")
        amount = max((t * rd - share * rd) / (1 - t), 0.0)
        return _cny(amount, "more R&D spent in mainland China", "增加境内研发费用", rel)
    if lever == "debt" and not up:
        assets = fig("total_assets")
        if assets:
            amount = (actual - target) / 100.0 * assets
            return _cny(amount, "less debt (repaid or turned into equity)", "减少负债（偿还或转为股权）", rel)
    if lever in ("cagr2", "cagr3") and up:
        n = 2 if lever == "cagr2" else 3
        needed = fig("revenue", year - n) * (1 + t) ** n - fig("revenue")
        return _cny(max(needed, 0.0), "more revenue this year", "本年增加营业收入", rel)
    if lever == "wait":
        if up:
            years = max(target - actual, 0.0)
            return Gap(years, "year", f"{years:.1f} more years", f"还需{years:.1f}年", rel)
        return Gap(actual - target, "year", "founded too long ago; cannot be changed", "成立年限已超出，无法改变", rel,
                   reachable=False)
    return _plain_gap(metric, comparator, actual, target, rel)


METRICS_PART = {"rd_expenditure": ("R&D", "研发费用"), "revenue": ("sales", "销售收入"),
                "hightech_revenue": ("high-tech product revenue", "高新技术产品收入"),
                "main_revenue": ("main-business revenue", "主营业务收入")}


def _cny(amount: float, en: str, zh: str, rel: float) -> Gap:
    m_en, m_zh = _money(amount)
    return Gap(amount, "CNY 10k", f"{m_en} {en}", f"{zh}{m_zh}", rel)


def _plain_gap(metric: Metric, comparator: str, actual: float, target: float, rel: float) -> Gap:
    up = comparator in (">=", ">")
    delta = target - actual if up else actual - target
    if metric.dimension in (Dimension.PERSONS, Dimension.COUNT):
        delta = math.floor(delta) + 1 if comparator in (">", "<") else math.ceil(delta - 1e-9)
    word_en, word_zh = ("more", "增加") if up else ("less", "减少")
    if metric.dimension is Dimension.CNY:
        m_en, m_zh = _money(delta)
        return Gap(delta, "CNY 10k", f"{m_en} {word_en} {metric.en}", f"{metric.zh}{word_zh}{m_zh}", rel)
    if metric.dimension is Dimension.USD:
        m_en, m_zh = _usd(delta)
        return Gap(delta, "USD 10k", f"{m_en} {word_en} {metric.en}", f"{metric.zh}{word_zh}{m_zh}", rel)
    unit = {Dimension.RATIO: "percentage point", Dimension.PERSONS: "person", Dimension.COUNT: "count",
            Dimension.YEARS: "year", Dimension.POINTS: "point"}.get(metric.dimension, "")
    zh_unit = {"percentage point": "个百分点", "person": "人", "count": "项", "year": "年", "point": "分"}.get(unit, "")
    if unit == "count":
        return Gap(delta, unit, f"{delta:g} {word_en} {metric.en}", f"{metric.zh}{word_zh}{delta:g}{zh_unit}", rel)
    return Gap(delta, unit, f"{delta:,.3g} {unit}{'s' if delta != 1 and unit else ''} {word_en} {metric.en}",
               f"{metric.zh}{word_zh}{delta:,.3g}{zh_unit}", rel)
