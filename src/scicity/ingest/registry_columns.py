"""The columns of each registry file: field, accepted headers (English and Chinese), parser, required.

Headers are matched case-insensitively after trimming; full-width letters
count as ASCII. Choice columns (type, level, kind, tier) take the id or the
Chinese name listed in :data:`CHOICE_ALIASES`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from scicity.domain.field_labels import FIELD_LABELS
from scicity.domain.registries import (
    CertificationKind,
    InstitutionLevel,
    InstitutionType,
    PatentType,
    RegistryKind,
    TalentTier,
)
from scicity.ingest.registry_cells import (
    choice,
    parse_amount,
    parse_code,
    parse_count,
    parse_credit_code,
    parse_flag,
    parse_text,
    parse_usd,
)
from scicity.ingest.cells import CellRejected, CellValue, is_blank, narrow, parse_period

CHOICE_ALIASES: dict[str, dict[str, str]] = {
    "type": {
        "重大科技基础设施": "major_facility", "国家产业创新平台": "national_industry_platform",
        "国家级产业创新平台": "national_industry_platform", "研发机构": "rd_institution",
        "新型研发机构": "rd_institution", "重点实验室": "key_lab", "中试熟化平台": "pilot_platform",
        "其他": "other",
    },
    "level": {"区级": "district", "区县级": "district", "市级": "municipal", "国家级": "national"},
    "kind": {
        "科技型中小企业": "tech_sme", "高新技术企业": "high_tech", "瞪羚企业": "gazelle",
        "专精特新中小企业": "specialised", "专精特新企业": "specialised", "专精特新“小巨人”企业": "little_giant",
        '专精特新"小巨人"企业': "little_giant", "专精特新小巨人企业": "little_giant", "小巨人企业": "little_giant",
        "潜在独角兽企业": "potential_unicorn", "独角兽企业": "unicorn",
    },
    "tier": {"顶尖人才": "top", "杰出人才": "outstanding", "领军人才": "leading", "青年人才": "young"},
    "patent_type": {"发明": "invention", "发明专利": "invention", "实用新型": "utility_model",
                    "外观设计": "design"},
}
#: column headings (translated in messages.po): the domain's label table
COLUMN_LABELS = FIELD_LABELS
DATE = "date"  # parsed by the reader (it knows whether numbers are typed Excel cells)


def _year(raw: CellValue) -> int | None:
    return None if is_blank(raw) else parse_period(raw)


def _code(max_length: int) -> Callable[[CellValue], str | None]:
    return lambda raw: parse_code(raw, max_length=max_length)


def _unit(raw: CellValue) -> str | None:  # checked against the plan by the reader
    return None if is_blank(raw) else parse_text(raw, max_length=64)


def _industry(raw: CellValue) -> str | None:
    return parse_text(raw, max_length=100)


@dataclass(frozen=True)
class Column:
    field: str
    headers: tuple[str, ...]  # the first is the English header written by exports
    parse: Callable[[CellValue], Any] | str
    required: bool = False

    @property
    def header(self) -> str:
        return self.headers[0]


def _c(field: str, zh: str | tuple[str, ...], parse: Callable[[CellValue], Any] | str, required: bool = False) -> Column:
    zh_names = (zh,) if isinstance(zh, str) else zh
    return Column(field, (field, *zh_names), parse, required)


COLUMNS: dict[RegistryKind, tuple[Column, ...]] = {
    RegistryKind.INSTITUTIONS: (
        _c("code", ("编号", "代码"), _code(64), True),
        _c("name_en", "英文名称", parse_text),
        _c("name_zh", ("名称", "中文名称"), parse_text),
        _c("type", "类型", choice(InstitutionType, CHOICE_ALIASES["type"]), True),
        _c("level", "级别", choice(InstitutionLevel, CHOICE_ALIASES["level"]), True),
        _c("host", "依托单位", parse_text),
        _c("unit", ("地区", "区域"), _unit, True),
        _c("recognised_on", ("认定日期", "recognized_on"), DATE, True),
        _c("closed_on", ("撤销日期", "关闭日期", "revoked_on"), DATE),
    ),
    RegistryKind.ENTERPRISES: (
        _c("credit_code", "统一社会信用代码", parse_credit_code, True),
        _c("name_zh", ("企业名称", "中文名称"), parse_text),
        _c("name_en", "英文名称", parse_text),
        _c("founded_on", "成立日期", DATE),
        _c("unit", ("地区", "区域"), _unit, True),
        _c("industry", "行业", _industry),
        _c("strategic_emerging", "战略性新兴产业", parse_flag),
    ),
    RegistryKind.CERTIFICATIONS: (
        _c("credit_code", "统一社会信用代码", parse_credit_code, True),
        _c("kind", "认定类型", choice(CertificationKind, CHOICE_ALIASES["kind"]), True),
        _c("valid_from", ("有效期起", "生效日期"), DATE, True),
        _c("valid_to", ("有效期止", "失效日期"), DATE),
        _c("certificate_no", "证书编号", _code(64)),
    ),
    RegistryKind.FINANCIALS: (
        _c("credit_code", "统一社会信用代码", parse_credit_code, True),
        _c("year", "年份", _year, True),
        _c("revenue", "营业收入", parse_amount),
        _c("rd_expenditure", ("研发投入", "研发费用"), parse_amount),
        _c("employees", "从业人员", parse_count),
        _c("valuation", "估值", parse_amount),
        _c("st_staff", ("科技人员", "科技人员数"), parse_count),
        _c("total_costs", "成本费用总额", parse_amount),
        _c("total_assets", "资产总额", parse_amount),
        _c("net_assets", "净资产", parse_amount),
        _c("rd_domestic_share", ("境内研发费用占比", "境内研发占比"), parse_amount),
        _c("hightech_revenue", ("高新技术产品收入", "高新技术产品(服务)收入"), parse_amount),
        _c("main_revenue", "主营业务收入", parse_amount),
        _c("debt_ratio", "资产负债率", parse_amount),
        _c("new_equity", ("新增股权融资", "股权融资"), parse_amount),
        _c("conversions", "科技成果转化数", parse_count),
        _c("ip_class1", ("Ⅰ类知识产权", "I类知识产权", "一类知识产权"), parse_count),
        _c("ip_class2", ("Ⅱ类知识产权", "II类知识产权", "二类知识产权"), parse_count),
        _c("valuation_usd", ("估值(万美元)", "估值（万美元）", "美元估值"), parse_usd),
        _c("financing_usd", ("累计融资(万美元)", "累计融资（万美元）", "累计融资"), parse_usd),
        _c("listed", "已上市", parse_flag),
        _c("major_incident", ("重大安全质量环境事故", "重大事故"), parse_flag),
        _c("dishonest", ("异常经营或严重失信", "失信"), parse_flag),
        _c("restricted_industry", ("限制淘汰类行业", "限制类行业"), parse_flag),
        _c("national_award", ("国家科技奖", "国家级科技奖励"), parse_flag),
        _c("provincial_rd_institution", ("省部级以上研发机构", "省级研发机构"), parse_flag),
        _c("led_standard", ("主导制定标准", "牵头制定标准"), parse_flag),
    ),
    RegistryKind.TALENT: (
        _c("person_id", "人员编号", _code(64), True),
        _c("tier", "层次", choice(TalentTier, CHOICE_ALIASES["tier"]), True),
        _c("programme", ("人才计划", "program"), parse_text),
        _c("introduced_on", ("引进日期", "认定日期"), DATE, True),
        _c("departed_on", "离开日期", DATE),
        _c("unit", ("地区", "区域"), _unit, True),
    ),
    RegistryKind.PATENTS: (
        _c("number", "专利号", _code(40), True),
        _c("type", "专利类型", choice(PatentType, CHOICE_ALIASES["patent_type"]), True),
        _c("granted_on", "授权日期", DATE, True),
        _c("lapsed_on", "失效日期", DATE),
        _c("holder", "专利权人", parse_text),
        _c("unit", ("地区", "区域"), _unit, True),
    ),
}


def header_index(kind: RegistryKind) -> dict[str, Column]:
    """Folded header text -> column, for one registry."""
    return {fold(h): col for col in COLUMNS[kind] for h in col.headers}


def fold(header: object) -> str:
    return narrow(str(header)).strip().lower()


def required_missing(kind: RegistryKind, value: object, column: Column) -> None:
    if value is None and column.required:
        raise CellRejected(f"{column.field} is required and empty")
