"""A small registry for the web tests: three enterprises with three years of figures and one certificate."""

from __future__ import annotations

from datetime import date

from scicity.domain.registries import Certification, Enterprise, Financials, RegistryKind
from scicity.store import Database
from scicity.store.registries import RegistryRepository

A, B, C = "91500107MA5U00001A", "91500107MA5U00002D", "91500107MA5U00003G"


def figures(code: str, year: int, **over) -> Financials:
    base = dict(revenue=5000.0, rd_expenditure=400.0, employees=100, st_staff=30, total_costs=4500.0,
                total_assets=6000.0, net_assets=3000.0, rd_domestic_share=90.0, hightech_revenue=4000.0,
                main_revenue=4800.0, debt_ratio=40.0, conversions=5, ip_class1=1, ip_class2=3,
                major_incident=False, dishonest=False, restricted_industry=False, listed=False,
                valuation_usd=1000.0, financing_usd=100.0)
    return Financials(credit_code=code, year=year, **{**base, **over})


def load_small_registry(url: str) -> None:
    db = Database(url)
    repo = RegistryRepository(db)
    enterprises = [Enterprise(credit_code=A, name_zh="甲科技有限公司（示例）", name_en="Jia Tech (synthetic)", unit="wcsc",
                              founded_on=date(2015, 3, 1)),
                   Enterprise(credit_code=B, name_zh="乙科技有限公司（示例）", name_en="Yi Tech (synthetic)", unit="wcsc",
                              founded_on=date(2016, 5, 1)),
                   Enterprise(credit_code=C, name_zh="丙科技有限公司（示例）", name_en="Bing Tech (synthetic)", unit="wcsc",
                              founded_on=date(2019, 1, 1))]
    fin = []
    for y in (2023, 2024, 2025):
        fin.append(figures(A, y, revenue=30000.0, rd_expenditure=780.0, main_revenue=29000.0, hightech_revenue=22000.0))
        fin.append(figures(B, y))
        fin.append(figures(C, y, st_staff=3, rd_domestic_share=None if y == 2025 else 80.0, ip_class1=0))
    certs = [Certification(credit_code=B, kind="high_tech", valid_from=date(2023, 11, 1), valid_to=date(2026, 10, 31))]
    repo.apply_many([(RegistryKind.ENTERPRISES, enterprises, None), (RegistryKind.FINANCIALS, fin, None),
                     (RegistryKind.CERTIFICATIONS, certs, None)], actor="test", file_name="cultivation test")
    db.dispose()
