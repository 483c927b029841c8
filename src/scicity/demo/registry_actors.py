"""The actors of the demo registries: institutions, enterprises with their certificates, talent, patents.

Synthetic names ("（示例）", "(synthetic)"), random but valid credit codes,
plausible figures. Counts come from :mod:`scicity.demo.registries`.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date

from scicity.demo.generator import SUB_UNITS, YEARS
from scicity.demo.registry_figures import FigureStream
from scicity.demo.registry_runs import day_in, runs_for, start_and_end
from scicity.domain.credit_code import make_credit_code
from scicity.domain.registries import (
    Certification,
    CertificationKind,
    Enterprise,
    Financials,
    Institution,
    InstitutionLevel,
    InstitutionType,
    Patent,
    PatentType,
    Talent,
    TalentTier,
)

#: district administrative division codes standing for the sub-units (Chongqing districts)
DIVISIONS = {"science_avenue": "500106", "power_reserve_centre": "500109", "vitality_centre": "500107",
             "efficiency_centre": "500120"}
SYLLABLES = (("渝", "Yu"), ("缙", "Jin"), ("歌", "Ge"), ("蓝", "Lan"), ("锐", "Rui"), ("瀚", "Han"), ("启", "Qi"),
             ("云", "Yun"), ("创", "Chuang"), ("华", "Hua"), ("宏", "Hong"), ("远", "Yuan"), ("驰", "Chi"),
             ("恒", "Heng"), ("博", "Bo"), ("达", "Da"), ("明", "Ming"), ("科", "Ke"))
FIELDS = (("智能", "Intelligent", "electronic information"), ("芯片", "Semiconductor", "integrated circuits"),
          ("生物", "Biotech", "biomedicine"), ("新材料", "New Materials", "new materials"),
          ("软件", "Software", "software and information services"), ("光电", "Optoelectronics", "optoelectronics"),
          ("汽车电子", "Automotive Electronics", "intelligent connected vehicles"),
          ("医疗器械", "Medical Devices", "medical devices"), ("新能源", "New Energy", "new energy"),
          ("数据", "Data", "big data"))
TOPICS = (("量子信息", "Quantum Information"), ("脑科学", "Brain Science"), ("先进材料", "Advanced Materials"),
          ("集成电路", "Integrated Circuits"), ("生物医药", "Biomedicine"), ("人工智能", "Artificial Intelligence"),
          ("智能网联汽车", "Connected Vehicles"), ("精密仪器", "Precision Instruments"), ("能源存储", "Energy Storage"),
          ("超瞬态物质", "Ultrafast Matter"), ("山地城市", "Mountain Cities"), ("光电子", "Optoelectronics"))
HOSTS = ("示例大学甲 (Synthetic University A)", "示例大学乙 (Synthetic University B)",
         "示例研究院 (Synthetic Academy)", "示例医院 (Synthetic Hospital)")
INSTITUTION_NAMES = {
    InstitutionType.MAJOR_FACILITY: ("{t}大科学装置", "{t} Facility"),
    InstitutionType.NATIONAL_INDUSTRY_PLATFORM: ("国家{t}产业创新中心", "National {t} Industrial Innovation Centre"),
    InstitutionType.RD_INSTITUTION: ("{t}研究院", "{t} Research Institute"),
    InstitutionType.KEY_LAB: ("{t}重点实验室", "Key Laboratory of {t}"),
    InstitutionType.PILOT_PLATFORM: ("{t}中试熟化平台", "{t} Pilot-scale Platform"),
    InstitutionType.OTHER: ("{t}创新服务中心", "{t} Innovation Service Centre"),
}
CODE_PREFIX = {InstitutionType.MAJOR_FACILITY: "MF", InstitutionType.NATIONAL_INDUSTRY_PLATFORM: "NP",
               InstitutionType.RD_INSTITUTION: "RD", InstitutionType.KEY_LAB: "KL", InstitutionType.PILOT_PLATFORM: "PP",
               InstitutionType.OTHER: "OT"}
N, M, D = InstitutionLevel.NATIONAL, InstitutionLevel.MUNICIPAL, InstitutionLevel.DISTRICT
#: indicator -> (type, levels to draw from, turnover per year)
INSTITUTION_SERIES = {
    "major_facilities": (InstitutionType.MAJOR_FACILITY, (N,), 0.0),
    "national_industry_platforms": (InstitutionType.NATIONAL_INDUSTRY_PLATFORM, (N,), 0.0),
    "rd_institutions": (InstitutionType.RD_INSTITUTION, (M, M, M, N), 0.02),
    "key_labs": (InstitutionType.KEY_LAB, (M, M, M, N), 0.02),
    "pilot_platforms": (InstitutionType.PILOT_PLATFORM, (M,), 0.0),
}
#: decoys per sub-unit that no indicator counts: (type, level, how many)
INSTITUTION_DECOYS = ((InstitutionType.KEY_LAB, D, 8), (InstitutionType.RD_INSTITUTION, D, 12),
                      (InstitutionType.OTHER, M, 3))
TIERS = {"top_talent": TalentTier.TOP, "outstanding_talent": TalentTier.OUTSTANDING,
         "leading_talent": TalentTier.LEADING, "young_talent": TalentTier.YOUNG}
PROGRAMMES = ("重庆英才计划（示例） Chongqing Talents (synthetic)", "科学城引才计划（示例） Science City Talent (synthetic)",
              "博士后计划（示例） Postdoctoral (synthetic)")
BEFORE_PLAN = {TalentTier.TOP: 3, TalentTier.OUTSTANDING: 12, TalentTier.LEADING: 30, TalentTier.YOUNG: 80}
RANK = {None: 0, CertificationKind.TECH_SME: 1, CertificationKind.HIGH_TECH: 2, CertificationKind.GAZELLE: 3,
        CertificationKind.POTENTIAL_UNICORN: 4, CertificationKind.UNICORN: 5}
#: revenue range (CNY 10,000) and valuation range by the highest recognition an enterprise holds
SCALE = {0: ((300, 3000), None), 1: ((500, 8000), None), 2: ((5000, 60000), None),
         3: ((20000, 150000), (50000, 300000)), 4: ((30000, 200000), (150000, 700000)),
         5: ((50000, 400000), (700000, 2500000))}
UNCERTIFIED_PER_UNIT = 40


def make_institutions(rng: random.Random, counts: dict[str, dict[str, list[int]]]) -> list[Institution]:
    out: list[Institution] = []
    for indicator, (type_, levels, churn) in INSTITUTION_SERIES.items():
        for unit, per_year in counts[indicator].items():
            for run in runs_for(per_year, YEARS, rng, churn=churn, earliest=2008):
                start, end = start_and_end(run, rng)
                out.append(_institution(rng, len(out), type_, rng.choice(levels), unit, start, end))
    for unit in SUB_UNITS:
        for type_, level, n in INSTITUTION_DECOYS:
            for _ in range(n):
                start = day_in(rng.randint(2010, 2025), rng)
                end = day_in(rng.randint(start.year + 1, 2027), rng) if rng.random() < 0.2 else None
                out.append(_institution(rng, len(out), type_, level, unit, start, end))
    return out


def _institution(rng: random.Random, n: int, type_: InstitutionType, level: InstitutionLevel, unit: str,
                 start: date, end: date | None) -> Institution:
    zh, en = INSTITUTION_NAMES[type_]
    topic_zh, topic_en = rng.choice(TOPICS)
    prefix_zh, prefix_en = {N: ("国家", "National "), M: ("重庆市", "Chongqing "), D: ("区级", "District ")}[level]
    if type_ is InstitutionType.NATIONAL_INDUSTRY_PLATFORM:
        prefix_zh, prefix_en = "", ""
    return Institution(
        code=f"{CODE_PREFIX[type_]}-{n + 1:05d}",
        name_zh=f"{prefix_zh}{zh.format(t=topic_zh)}（示例 {n + 1}）",
        name_en=f"{prefix_en}{en.format(t=topic_en)} (synthetic {n + 1})",
        type=type_, level=level, host=rng.choice(HOSTS), unit=unit, recognised_on=start, closed_on=end,
    )


class EnterpriseBook:
    """Enterprises by sub-unit, created on demand and shared by the recognitions they hold."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.pools: dict[str, list[str]] = {u: [] for u in SUB_UNITS}
        self.units: dict[str, str] = {}
        self.names: dict[str, tuple[str, str, str]] = {}
        self.rank: dict[str, int] = {}
        self.first: dict[str, date] = {}
        self.certifications: list[Certification] = []
        self._seen_numbers: set[str] = set()

    def enterprise(self, unit: str, index: int, kind: CertificationKind) -> str:
        pool = self.pools[unit]
        while len(pool) <= index:
            pool.append(self._new(unit))
        code = pool[index]
        self.rank[code] = max(self.rank[code], RANK[kind])
        return code

    def _new(self, unit: str) -> str:
        code = make_credit_code(self.rng, division=DIVISIONS[unit])
        while code in self.units:
            code = make_credit_code(self.rng, division=DIVISIONS[unit])
        (a_zh, a_en), (b_zh, b_en) = self.rng.sample(SYLLABLES, 2)
        f_zh, f_en, industry = self.rng.choice(FIELDS)
        self.names[code] = (f"重庆{a_zh}{b_zh}{f_zh}科技有限公司（示例）",
                            f"Chongqing {a_en}{b_en.lower()} {f_en} Technology Co., Ltd. (synthetic)", industry)
        self.units[code] = unit
        self.rank[code] = 0
        return code

    def certify(self, code: str, kind: CertificationKind, start: date, end: date | None) -> None:
        self.certifications.append(Certification(credit_code=code, kind=kind, valid_from=start, valid_to=end,
                                                 certificate_no=f"DEMO-{kind.value.upper()}-{len(self.certifications) + 1:06d}"))
        if code not in self.first or start < self.first[code]:
            self.first[code] = start

    def holder(self, unit: str) -> str | None:
        pool = self.pools[unit]
        return self.names[self.rng.choice(pool)][0] if pool else None

    def finish(self) -> tuple[list[Enterprise], list[Financials]]:
        for unit in SUB_UNITS:
            for _ in range(UNCERTIFIED_PER_UNIT):
                self.pools[unit].append(self._new(unit))
        enterprises: list[Enterprise] = []
        financials: list[Financials] = []
        for code, unit in self.units.items():
            first = self.first.get(code, day_in(self.rng.randint(2015, 2024), self.rng))
            founded = day_in(first.year - self.rng.randint(1, 8), self.rng)
            name_zh, name_en, industry = self.names[code]
            enterprises.append(Enterprise(credit_code=code, name_zh=name_zh, name_en=name_en, founded_on=founded,
                                          unit=unit, industry=industry,
                                          strategic_emerging=self.rank[code] >= 2 or self.rng.random() < 0.3))
            financials.extend(self._financials(code, founded))
        return enterprises, financials

    def _financials(self, code: str, founded: date) -> list[Financials]:
        (low, high), valuation = SCALE[self.rank[code]]
        revenue = self.rng.uniform(low, high)
        out = []
        figures = FigureStream(code, self.rank[code])
        for year in range(max(YEARS[0], founded.year + 1), YEARS[-1] + 1):
            revenue *= 1 + self.rng.uniform(-0.05, 0.25)
            worth = round(self.rng.uniform(*valuation), -2) if valuation else None
            rd = round(revenue * self.rng.uniform(0.04, 0.15), 1)
            employees = max(5, int(revenue / self.rng.uniform(50, 120)))
            out.append(Financials(credit_code=code, year=year, revenue=round(revenue, 1), rd_expenditure=rd,
                                  employees=employees, valuation=worth,
                                  **figures.year(year, round(revenue, 1), employees, worth)))
        return out


def make_talent(rng: random.Random, flows: dict[str, dict[str, list[int]]]) -> list[Talent]:
    out: list[Talent] = []
    ids: set[str] = set()
    for indicator, tier in TIERS.items():
        for unit, per_year in flows[indicator].items():
            for year, n in zip(YEARS, per_year, strict=True):
                out.extend(_person(rng, ids, tier, unit, year) for _ in range(n))
        for _ in range(BEFORE_PLAN[tier]):
            out.append(_person(rng, ids, tier, rng.choice(SUB_UNITS), rng.randint(2016, YEARS[0] - 1)))
    young_2020 = [t for t in out if t.tier is TalentTier.YOUNG and t.introduced_on.year == YEARS[0]]
    late_leading = [i for i, t in enumerate(out) if t.tier is TalentTier.LEADING and t.introduced_on.year >= 2024]
    for (i, young) in zip(late_leading[:3], young_2020[:3], strict=False):  # promoted: young, later leading
        out[i] = replace(out[i], person_id=young.person_id, unit=young.unit)
    return out


def _person(rng: random.Random, ids: set[str], tier: TalentTier, unit: str, year: int) -> Talent:
    person = f"P{rng.getrandbits(40):010X}"
    while person in ids:
        person = f"P{rng.getrandbits(40):010X}"
    ids.add(person)
    introduced = day_in(year, rng)
    departed = None
    if year < YEARS[-1] and rng.random() < 0.08:
        departed = day_in(rng.randint(year + 1, YEARS[-1]), rng)
    return Talent(person_id=person, tier=tier, programme=rng.choice(PROGRAMMES), introduced_on=introduced,
                  departed_on=departed, unit=unit)


def make_patents(rng: random.Random, counts: dict[str, list[int]], book: EnterpriseBook) -> list[Patent]:
    out: list[Patent] = []
    for unit, per_year in counts.items():
        for run in runs_for(per_year, YEARS, rng, churn=0.03, earliest=2008):
            start, end = start_and_end(run, rng)
            out.append(_patent(rng, len(out), PatentType.INVENTION, start, end, unit, book))
    for type_, n in ((PatentType.UTILITY_MODEL, 600), (PatentType.DESIGN, 150)):
        for unit in SUB_UNITS:
            for _ in range(n):
                start = day_in(rng.randint(2012, YEARS[-1]), rng)
                end = day_in(rng.randint(start.year + 1, 2030), rng) if rng.random() < 0.3 else None
                out.append(_patent(rng, len(out), type_, start, end, unit, book))
    return out


def _patent(rng: random.Random, n: int, type_: PatentType, granted: date, lapsed: date | None, unit: str,
            book: EnterpriseBook) -> Patent:
    applied = granted.year - (rng.randint(1, 3) if type_ is PatentType.INVENTION else rng.randint(0, 1))
    digits = f"{applied}{'123'[list(PatentType).index(type_)]}{n + 1:07d}"
    check = sum(int(d) * w for d, w in zip(digits, (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5), strict=True)) % 11
    number = f"ZL{digits}.{'X' if check == 10 else check}"
    return Patent(number=number, type=type_, granted_on=granted, lapsed_on=lapsed,
                  holder=book.holder(unit) or rng.choice(HOSTS), unit=unit)
