"""Tier results as the outer layers show them: JSON for the API and the CLI, flat rows for CSV and XLSX."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from scicity.domain.tier_eval import CriterionResult, ScoreResult, Status, TierResult
from scicity.domain.tier_metrics import missing_said
from scicity.domain.message import Msg, Words
from scicity.domain.tier_rules import RuleBook, RuleVersion

OUTCOME = {
    "en": {Status.MET: "qualifies", Status.NOT_MET: "does not qualify", Status.UNKNOWN: "unknown (figures missing)",
           Status.MANUAL: "needs an expert"},
    "zh": {Status.MET: "符合", Status.NOT_MET: "不符合", Status.UNKNOWN: "无法判断（缺数据）", Status.MANUAL: "需专家评审"},
}
CRITERION = {
    "en": {Status.MET: "met", Status.NOT_MET: "not met", Status.UNKNOWN: "unknown", Status.MANUAL: "manual review"},
    "zh": {Status.MET: "满足", Status.NOT_MET: "未满足", Status.UNKNOWN: "缺数据", Status.MANUAL: "人工评审"},
}


#: a threshold's unit as a Chinese reader writes it (the rule files use the English unit names of docs/cultivation.md)
UNIT_ZH = {"CNY": "元", "CNY 10k": "万元", "CNY m": "百万元", "CNY bn": "十亿元", "USD": "美元", "USD 10k": "万美元",
           "USD m": "百万美元", "USD bn": "十亿美元", "person": "人", "year": "年", "count": "项", "point": "分"}
#: a yes/no threshold in words, per language
FLAG_WORDS = {"en": {"true": "yes", "false": "no"}, "zh": {"true": "是", "false": "否"}}
#: comparators as people write them
SYMBOL = {"<=": "≤", ">=": "≥"}


#: money units of the rule files -> (currency, the unit's amount in the currency)
MONEY = {"CNY": ("CNY", 1.0), "CNY 10k": ("CNY", 1e4), "CNY m": ("CNY", 1e6), "CNY bn": ("CNY", 1e9),
         "USD": ("USD", 1.0), "USD 10k": ("USD", 1e4), "USD m": ("USD", 1e6), "USD bn": ("USD", 1e9)}


def money_text(amount: float, currency: str, lang: str) -> str:
    """An amount of money in the units its readers use: 2亿元, 5000万元, 10亿美元; CNY 200 m, USD 1 bn."""
    if lang == "zh":
        suffix = "元" if currency == "CNY" else "美元"
        if abs(amount) >= 1e8:
            return f"{amount / 1e8:.4g}亿{suffix}"
        if abs(amount) >= 1e4:
            return f"{amount / 1e4:.6g}万{suffix}"
        return f"{amount:.0f}{suffix}"
    if abs(amount) >= 1e9:
        return f"{currency} {amount / 1e9:,.4g} bn"
    if abs(amount) >= 1e6:
        return f"{currency} {amount / 1e6:,.4g} m"
    return f"{currency} {amount:,.0f}"


def threshold_text(comparator: str | None, threshold: str | None, lang: str) -> str:
    """A criterion's threshold as a person reads it: '≤ 500 人', '≥ 10 %', '否', '≤ 2亿元' (or '≤ 500 person',
    '≤ CNY 200 m' in English) — money in the units its readers use, not the rule file's."""
    text = (threshold or "").strip()
    number, _, unit = text.partition(" ")
    if text in FLAG_WORDS["en"]:
        text = FLAG_WORDS.get(lang, FLAG_WORDS["en"])[text]
    elif unit in MONEY and _number(number) is not None:
        currency, factor = MONEY[unit]
        text = money_text(_number(number) * factor, currency, lang)  # type: ignore[operator]
    elif lang == "zh" and unit in UNIT_ZH:
        text = f"{number} {UNIT_ZH[unit]}"
    return f"{SYMBOL.get(comparator or '', comparator or '')} {text}".strip()


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def show_value(value: float | None, dimension: str | None, lang: str) -> str:
    """An actual value in the unit a person reads: 2.6 %, CNY 1.20 m (120.0万元), 35 persons, …"""
    if value is None:
        return "—"
    zh = lang == "zh"
    if dimension == "ratio":
        return f"{value:.1f} %"
    if dimension == "cny":
        return f"{value:,.1f}万元" if zh else f"CNY {value / 100:,.2f} m"
    if dimension == "usd":
        return f"{value:,.0f}万美元" if zh else f"USD {value / 100:,.1f} m"
    if dimension == "persons":
        return f"{value:.0f}人" if zh else f"{value:.0f} persons"
    if dimension == "years":
        return f"{value:.1f}年" if zh else f"{value:.1f} years"
    if dimension == "flag":
        return ("是" if value else "否") if zh else ("yes" if value else "no")
    if dimension == "points":
        return f"{value:g}分" if zh else f"{value:g} points"
    return f"{value:g}"


def unknown_tier(book: RuleBook, tier: str) -> Msg | None:
    """What to say when ``tier`` is not a tier of the rule book (None: it is one): the id, and every tier with its
    name in the reader's language. The CLI, the pages and the API all say it so."""
    known = book.tiers()
    if tier in known:
        return None
    latest = [book.of(t)[-1] for t in known]
    names = Words(", ".join(f"{v.tier} ({v.name_en})" for v in latest), "、".join(f"{v.tier}（{v.name_zh}）" for v in latest))
    return Msg("unknown cultivation tier {tier}; the tiers are {known}", tier=repr(tier), known=names)


def missing_text(items: Iterable[str], lang: str) -> list[str]:
    """Missing figures by their names in ``lang`` ('境内研发费用占比（%） 2025年', not 'rd_domestic_share 2025')."""
    from scicity.i18n import tr

    return [tr(missing_said(m), lang) for m in items]


def name(obj: Any, lang: str) -> str:
    return str(obj.name_zh if lang == "zh" else obj.name_en)


def score_text(s: ScoreResult) -> str:
    """A score's range as read: '62–90', or '90' when the experts' parts cannot move it."""
    return f"{s.low:g}" if s.low == s.high else f"{s.low:g}–{s.high:g}"


def score_json(s: ScoreResult, lang: str) -> dict[str, Any]:
    return {"id": s.id, "name": name(s, lang), "low": s.low, "high": s.high, "computed": s.computed,
            "expert_max": s.expert_max, "total": s.total,
            "parts": [{"id": p.id, "name": name(p, lang), "max": p.max, "low": p.low, "high": p.high,
                       "expert": p.expert, "missing": list(p.missing), "missing_text": missing_text(p.missing, lang)}
                      for p in s.parts]}


def criterion_json(c: CriterionResult, lang: str) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": c.id, "name": name(c, lang), "article": c.article, "kind": c.kind, "role": c.role,
        "status": c.status.value, "status_text": CRITERION[lang][c.status], "actual": c.actual,
        "actual_text": show_value(c.actual, "flag" if c.kind == "tier_held" else c.dimension, lang),
        "comparator": c.comparator,
        "threshold": c.threshold,
        "threshold_text": threshold_text(c.comparator, "true" if c.kind == "tier_held" else c.threshold, lang),
        "missing": list(c.missing), "missing_text": missing_text(c.missing, lang),
        "gap": None if c.gap is None else {"amount": c.gap.amount, "unit": c.gap.unit,
                                           "text": c.gap.zh if lang == "zh" else c.gap.en,
                                           "reachable": c.gap.reachable},
    }
    if c.score is not None:
        out["score"] = score_json(c.score, lang)
    if c.parts:
        out["parts"] = [criterion_json(p, lang) for p in c.parts]
    return out


def result_json(r: TierResult, lang: str) -> dict[str, Any]:
    return {
        "credit_code": r.credit_code, "enterprise": r.enterprise, "unit": r.unit, "tier": r.tier,
        "tier_name": r.name_zh if lang == "zh" else r.name_en, "version": r.version, "year": r.year,
        "outcome": r.outcome.value, "outcome_text": OUTCOME[lang][r.outcome], "certified": r.certified,
        "route_used": r.route_used, "route_used_name": route_name(r, lang), "source": r.source,
        "criteria": [criterion_json(c, lang) for c in r.criteria],
        "routes": [criterion_json(c, lang) for c in r.routes],
        "gaps": [g.zh if lang == "zh" else g.en for g in r.gaps()],
    }


def route_name(r: TierResult, lang: str) -> str | None:
    """The name of the direct-qualification route the result used (None: none)."""
    if r.route_used is None:
        return None
    route = next((c for c in r.routes if c.id == r.route_used), None)
    return name(route, lang) if route is not None else r.route_used


def flat_row(r: TierResult, lang: str) -> dict[str, Any]:
    zh = lang == "zh"
    failing = "; ".join(f"{name(c, lang)}: {(c.gap.zh if zh else c.gap.en) if c.gap else ''}" for c in r.failing())
    unknown = "; ".join(f"{name(c, lang)}: {(', ' if lang != 'zh' else '、').join(missing_text(c.missing, lang))}"
                        for c in r.criteria if c.status is Status.UNKNOWN)
    manual = "; ".join(name(c, lang) for c in r.criteria if c.status is Status.MANUAL)
    return {
        HEAD[lang]["credit_code"]: r.credit_code, HEAD[lang]["enterprise"]: r.enterprise or "",
        HEAD[lang]["unit"]: r.unit or "", HEAD[lang]["tier"]: r.name_zh if zh else r.name_en,
        HEAD[lang]["version"]: r.version, HEAD[lang]["year"]: r.year,
        HEAD[lang]["outcome"]: OUTCOME[lang][r.outcome], HEAD[lang]["certified"]: ("是" if zh else "yes") if r.certified else "",
        HEAD[lang]["failing"]: failing, HEAD[lang]["unknown"]: unknown, HEAD[lang]["manual"]: manual,
    }


HEAD = {
    "en": {"credit_code": "credit_code", "enterprise": "enterprise", "unit": "unit", "tier": "tier",
           "version": "rules", "year": "year", "outcome": "outcome", "certified": "certified",
           "failing": "gap to qualify", "unknown": "figures missing", "manual": "needs an expert"},
    "zh": {"credit_code": "统一社会信用代码", "enterprise": "企业名称", "unit": "地区", "tier": "梯度",
           "version": "规则版本", "year": "年份", "outcome": "评价结果", "certified": "已认定",
           "failing": "达标差距", "unknown": "缺少数据", "manual": "需专家评审"},
}


def rule_json(v: RuleVersion, lang: str) -> dict[str, Any]:
    return {"tier": v.tier, "version": v.version, "rank": v.rank, "name": name(v, lang),
            "effective_from": v.effective_from.isoformat(),
            "effective_to": v.effective_to.isoformat() if v.effective_to else None, "source": v.source,
            "url": v.url, "note": v.note, "certificate_years": v.certificate_years,
            "criteria": [{"id": c.id, "name": name(c, lang), "article": c.article, "kind": c.kind} for c in v.criteria],
            "routes": [{"id": c.id, "name": name(c, lang), "article": c.article} for c in v.routes]}
