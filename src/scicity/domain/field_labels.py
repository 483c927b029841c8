"""The names a person reads for the fields of registry records (message ids, translated in messages.po).

Column headings, record pages and the cross-field rules of the records all name a field by
this label, never by its code (``rd_expenditure`` reads "R&D expenditure", 研发费用).
"""

from __future__ import annotations

from scicity.domain.message import Msg

#: field code -> English label (message id)
FIELD_LABELS: dict[str, str] = {
    "code": "Code", "name_en": "English name", "name_zh": "Chinese name", "type": "Type", "level": "Level",
    "host": "Host", "unit": "Geographic unit", "recognised_on": "Recognised on", "closed_on": "Closed on",
    "credit_code": "Credit code", "founded_on": "Founded on", "industry": "Industry",
    "strategic_emerging": "Strategic emerging", "kind": "Certificate", "valid_from": "Valid from",
    "valid_to": "Valid to", "certificate_no": "Certificate number", "year": "Year", "revenue": "Revenue",
    "rd_expenditure": "R&D expenditure", "employees": "Employees", "valuation": "Valuation",
    "person_id": "Person id", "tier": "Tier", "programme": "Programme", "introduced_on": "Introduced on",
    "departed_on": "Departed on", "number": "Patent number", "granted_on": "Granted on", "lapsed_on": "Lapsed on",
    "holder": "Holder",
    # the figures the cultivation tiers need (docs/cultivation.md)
    "st_staff": "S&T staff",
    "total_costs": "Total costs",
    "total_assets": "Total assets",
    "net_assets": "Net assets",
    "rd_domestic_share": "Domestic share of R&D (%)",
    "hightech_revenue": "High-tech product revenue",
    "main_revenue": "Main-business revenue",
    "debt_ratio": "Debt ratio (%)",
    "new_equity": "New equity financing",
    "conversions": "Achievements converted",
    "ip_class1": "Class I IP",
    "ip_class2": "Class II IP",
    "valuation_usd": "Valuation (USD 10,000)",
    "financing_usd": "Cumulative financing (USD 10,000)",
    "listed": "Listed",
    "major_incident": "Major safety, quality or environmental incident",
    "dishonest": "Abnormal operation or serious dishonesty",
    "restricted_industry": "Restricted or phase-out industry",
    "national_award": "National S&T award",
    "provincial_rd_institution": "Provincial-level or higher R&D institution",
    "led_standard": "Led a standard",
}


def field_label(name: str) -> str:
    """The label of a field as a translatable message; a field without a label keeps its code."""
    label = FIELD_LABELS.get(name)
    return Msg(label) if label is not None else name
