"""The columns of each exchange-platform file: field, accepted headers (English and Chinese), parser, required.

Templates in both languages use these headers (the English field name first,
then the Chinese ones). Choice columns take the id or a Chinese name; list
columns (IPC codes, patents, terms) take items separated by ``;``, ``；``,
``、`` or ``,``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from scicity.domain.exchange import (
    MAX_DESCRIPTION,
    MAX_TITLE,
    ContractType,
    DealStage,
    ExchangeKind,
    FacilityKind,
    Maturity,
    Publication,
    SellerType,
    TalentDirection,
    Terms,
)
from scicity.ingest.registry_cells import choice, parse_code, parse_flag, parse_text
from scicity.ingest.registry_columns import DATE, Column, fold
from scicity.ingest.cells import CellRejected, CellValue, is_blank, narrow, parse_value

ALIASES: dict[str, dict[str, str]] = {
    "maturity": {"实验室": "lab", "实验室阶段": "lab", "小试": "bench", "中试": "pilot", "产业化": "industrial"},
    "terms": {"转让": "transfer", "技术转让": "transfer", "许可": "licence", "license": "licence",
              "合作开发": "joint_development", "联合开发": "joint_development", "作价入股": "equity", "入股": "equity"},
    "seller_type": {"高校": "university", "高等院校": "university", "科研院所": "institute", "研究院所": "institute",
                    "企业": "enterprise", "其他": "other"},
    "publication": {"草稿": "draft", "待审核": "pending", "已发布": "published", "已撤回": "withdrawn"},
    "facility": {"仪器": "instrument", "大型仪器": "instrument", "实验室": "lab", "中试线": "pilot_line"},
    "stage": {"已匹配": "matched", "已联系": "contacted", "洽谈中": "negotiating", "已签约": "signed",
              "已登记": "registered", "已交付": "delivered", "已终止": "dropped"},
    "contract": {"技术开发": "development", "技术转让": "transfer", "技术许可": "transfer", "技术咨询": "consulting",
                 "技术服务": "service"},
    "direction": {"高校到企业": "to_enterprise", "科技副总": "to_enterprise", "产业教授": "to_university",
                  "企业到高校": "to_university"},
}
_SPLIT = re.compile(r"[;；、,，\n]+")


def _text(limit: int) -> Callable[[CellValue], str | None]:
    return lambda raw: parse_text(raw, max_length=limit)


def _code(raw: CellValue) -> str | None:
    return parse_code(raw, max_length=64)


def _list(item: Callable[[str], Any] | None = None) -> Callable[[CellValue], tuple[Any, ...] | None]:
    def parse(raw: CellValue) -> tuple[Any, ...] | None:
        if is_blank(raw):
            return None
        items = [narrow(p).strip() for p in _SPLIT.split(str(raw)) if p.strip()]
        return tuple(item(p) if item else p.upper() for p in items)
    return parse


def _terms(text: str) -> Terms:
    parsed = choice(Terms, ALIASES["terms"])(text)
    assert parsed is not None
    return Terms(parsed)


def _trl(raw: CellValue) -> int | None:
    if is_blank(raw):
        return None
    text = narrow(str(raw)).strip().upper().removeprefix("TRL").strip()
    number = parse_value(text if isinstance(raw, str) else raw)
    if not float(number).is_integer():
        raise CellRejected("a TRL is a whole number from 1 to 9")
    return int(number)


def _number(raw: CellValue) -> float | None:
    """A signed number: the record says whether it is plausible (negative amounts are reported there)."""
    return None if is_blank(raw) else parse_value(raw)


def _c(field: str, zh: str | tuple[str, ...], parse: Callable[[CellValue], Any] | str, required: bool = False,
       en: tuple[str, ...] = ()) -> Column:
    zh_names = (zh,) if isinstance(zh, str) else zh
    return Column(field, (field, *en, *zh_names), parse, required)


TITLE, LONG, SHORT = _text(MAX_TITLE * 4), _text(MAX_DESCRIPTION * 50), _text(1_000)
_FIELD = _c("field", ("领域", "技术领域"), _text(100))
_UNIT = _c("unit", ("地区", "所在地", "区域"), _text(64), en=("location",))

COLUMNS: dict[ExchangeKind, tuple[Column, ...]] = {
    ExchangeKind.ACHIEVEMENTS: (
        _c("code", ("成果编号", "编号"), _code, True),
        _c("title_zh", ("成果名称", "中文名称"), TITLE), _c("title_en", "英文名称", TITLE, en=("title",)),
        _c("abstract_zh", ("成果简介", "简介"), LONG), _c("abstract_en", "英文简介", LONG, en=("abstract",)),
        _FIELD, _c("ipc", ("IPC分类号", "分类号"), _list(), en=("ipc_codes", "cpc")),
        _c("patents", ("关联专利", "专利号"), _list()),
        _c("trl", "技术成熟度", _trl), _c("maturity", "成熟度阶段", choice(Maturity, ALIASES["maturity"])),
        _c("owner", ("所属单位编号", "单位编号"), _code, True), _c("owner_name", ("所属单位", "单位名称"), SHORT),
        _c("owner_type", "单位类型", choice(SellerType, ALIASES["seller_type"])),
        _c("contact", "联系人", SHORT), _c("terms", ("合作方式", "转化方式"), _list(_terms)), _UNIT,
        _c("status", "发布状态", choice(Publication, ALIASES["publication"])),
        _c("published_on", "发布日期", DATE),
    ),
    ExchangeKind.NEEDS: (
        _c("code", ("需求编号", "编号"), _code, True),
        _c("title_zh", ("需求名称", "中文名称"), TITLE), _c("title_en", "英文名称", TITLE, en=("title",)),
        _c("problem_zh", ("需求描述", "问题描述"), LONG), _c("problem_en", "英文描述", LONG, en=("problem",)),
        _FIELD, _c("ipc", ("IPC分类号", "分类号"), _list()), _c("industry", "行业", _text(100)),
        _c("enterprise", ("统一社会信用代码", "企业编号"), _code, True),
        _c("enterprise_name", "企业名称", SHORT), _c("budget", ("预算", "预算（万元）"), _number),
        _c("deadline", "截止日期", DATE), _UNIT, _c("open_call", ("揭榜挂帅", "是否揭榜挂帅"), parse_flag),
        _c("min_trl", "最低成熟度", _trl), _c("terms", ("合作方式",), _list(_terms)),
        _c("status", "发布状态", choice(Publication, ALIASES["publication"])),
        _c("published_on", "发布日期", DATE),
    ),
    ExchangeKind.EXPERTS: (
        _c("code", ("专家编号", "编号"), _code, True), _c("name", ("姓名",), SHORT, True),
        _c("name_en", "英文姓名", SHORT), _c("institution", ("所属单位编号", "单位编号"), _code, True), _FIELD,
        _c("keywords", ("研究方向", "关键词"), LONG), _c("bio_zh", ("简介", "个人简介"), LONG),
        _c("bio_en", "英文简介", LONG), _UNIT, _c("contact", "联系方式", SHORT),
    ),
    ExchangeKind.FACILITIES: (
        _c("code", ("仪器编号", "设施编号", "编号"), _code, True), _c("name_zh", ("仪器名称", "名称"), TITLE),
        _c("name_en", "英文名称", TITLE), _c("kind", "类型", choice(FacilityKind, ALIASES["facility"])),
        _c("owner", ("所属单位编号", "单位编号"), _code, True), _FIELD,
        _c("description", ("功能描述", "简介"), LONG), _UNIT, _c("hourly_rate", ("收费标准", "每小时收费"), _number),
    ),
    ExchangeKind.BOOKINGS: (
        _c("code", ("预约编号", "编号"), _code, True), _c("facility", ("仪器编号", "设施编号"), _code, True),
        _c("user_org", ("使用单位编号", "使用单位"), _code, True), _c("starts_on", ("使用日期", "开始日期"), DATE, True),
        _c("hours", ("机时", "使用机时"), _number, True),
    ),
    ExchangeKind.DEALS: (
        _c("code", ("对接编号", "编号"), _code, True), _c("need", "需求编号", _code),
        _c("achievement", "成果编号", _code), _c("stage", "阶段", choice(DealStage, ALIASES["stage"])),
        _c("owner", "负责人", SHORT), _c("opened_on", "开始日期", DATE), _c("contract", "合同登记号", _code),
    ),
    ExchangeKind.CONTRACTS: (
        _c("code", ("合同登记号", "登记号", "编号"), _code, True),
        _c("type", ("合同类型", "类型"), choice(ContractType, ALIASES["contract"]), True),
        _c("amount", ("成交金额", "合同金额", "金额（万元）"), _number, True),
        _c("seller", ("卖方", "卖方名称"), SHORT, True),
        _c("seller_type", "卖方类型", choice(SellerType, ALIASES["seller_type"]), True),
        _c("buyer", ("买方", "买方名称"), SHORT, True), _FIELD,
        _c("ip", ("涉及知识产权", "知识产权"), parse_flag), _c("government_funded", "财政资助", parse_flag),
        _c("signed_on", "签订日期", DATE, True), _c("registered_on", "登记日期", DATE), _UNIT,
        _c("deal", "对接编号", _code),
    ),
    ExchangeKind.TALENT_EXCHANGES: (
        _c("code", ("编号",), _code, True), _c("person", ("姓名", "人员"), SHORT, True),
        _c("direction", "方向", choice(TalentDirection, ALIASES["direction"]), True),
        _c("title", ("职务", "岗位"), SHORT), _c("from_org", ("派出单位", "来源单位"), _code, True),
        _c("to_org", ("接收单位", "服务单位"), _code, True), _c("starts_on", "开始日期", DATE, True),
        _c("ends_on", "结束日期", DATE), _c("hours", ("服务时长", "工时"), _number), _UNIT,
    ),
}
CHINESE_HEADER = {kind: {c.field: c.headers[-1] if len(c.headers) > 1 else c.field for c in cols}
                  for kind, cols in COLUMNS.items()}


def header_index(kind: ExchangeKind) -> dict[str, Column]:
    return {fold(h): col for col in COLUMNS[kind] for h in col.headers}


def required_fields(kind: ExchangeKind) -> list[str]:
    return [c.field for c in COLUMNS[kind] if c.required]

