"""Enterprise facts for the cultivation tests: one enterprise, figures per year, built by keyword."""

from __future__ import annotations

from datetime import date

from scicity.domain.registries import Certification, Financials
from scicity.domain.tier_metrics import EnterpriseFacts

CODE = "91500000MA5U000001"
#: a small technology enterprise that clears the basic conditions (money in CNY 10,000)
BASE = dict(employees=100, st_staff=20, revenue=5000.0, rd_expenditure=150.0, total_costs=4500.0,
            total_assets=6000.0, net_assets=3000.0, rd_domestic_share=90.0, hightech_revenue=3500.0,
            main_revenue=4800.0, debt_ratio=40.0, ip_class1=0, ip_class2=2, conversions=2, major_incident=False,
            dishonest=False, restricted_industry=False, listed=False)


def facts(years: dict[int, dict] | None = None, *, founded: date | None = date(2018, 6, 1), certs=(),
          **same) -> EnterpriseFacts:
    """``same`` overrides BASE in every year 2022–2025; ``years`` overrides single years (None drops a year)."""
    out = {}
    for y in (2022, 2023, 2024, 2025):
        values = {**BASE, **same, **((years or {}).get(y) or {})}
        if years and y in years and years[y] is None:
            continue
        out[y] = Financials(credit_code=CODE, year=y, **values)
    certificates = tuple(Certification(credit_code=CODE, kind=k, valid_from=f, valid_to=t) for k, f, t in certs)
    return EnterpriseFacts(CODE, founded, out, certificates, name="测试企业")
