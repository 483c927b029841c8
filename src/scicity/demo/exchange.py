"""Synthetic exchange-platform records for the demo (labelled synthetic / 示例), in Chinese and English.

Deterministic. Owners are three synthetic universities and institutes;
needs come from demo enterprises (their credit codes are passed in, so that
the enterprise registry and the platform agree); achievements link demo
patents. Contracts span 2021–2025 so that the turnover has a series.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from scicity.domain.exchange import (
    Achievement,
    Booking,
    ContractType,
    Expert,
    Facility,
    FacilityKind,
    Need,
    Publication,
    SellerType,
    TalentDirection,
    TalentExchange,
    TechContract,
    Terms,
)

ORGS = {
    "DEMO-UNI-A": ("科学城示例大学（示例）", "Science City Demo University (synthetic)", SellerType.UNIVERSITY),
    "DEMO-UNI-B": ("西部示例理工大学（示例）", "Western Demo University of Technology (synthetic)", SellerType.UNIVERSITY),
    "DEMO-INST-C": ("示例先进材料研究院（示例）", "Demo Institute of Advanced Materials (synthetic)", SellerType.INSTITUTE),
}
UNITS = ("science_avenue", "power_reserve_centre", "vitality_centre", "efficiency_centre")
# (field, title_zh, title_en, abstract_zh, abstract_en, ipc, trl, terms)
ACHIEVEMENTS = [
    ("new energy", "高镍单晶正极材料制备技术", "Single-crystal high-nickel cathode",
     "熔盐辅助烧结获得单晶NCM811颗粒，抑制循环中的微裂纹，提升动力电池能量密度和寿命。",
     "Molten-salt sintering gives single-crystal NCM811 particles that resist micro-cracking in EV cells.", "H01M4", 6,
     (Terms.LICENCE, Terms.TRANSFER)),
    ("new energy", "退役动力电池湿法回收", "Hydrometallurgical recycling of spent EV batteries",
     "酸浸-萃取回收锂钴镍，金属回收率大于98%。", "Acid leaching and solvent extraction recover Li, Co and Ni above 98%.",
     "C22B7", 7, (Terms.TRANSFER,)),
    ("integrated circuits", "碳化硅MOSFET功率芯片工艺", "SiC MOSFET power chip process",
     "沟槽栅设计与高温离子注入，用于1200V新能源汽车逆变器。",
     "Trench-gate design and hot ion implantation for 1200 V devices in EV inverters.", "H01L21", 6,
     (Terms.JOINT_DEVELOPMENT,)),
    ("integrated circuits", "硅光集成芯片", "Silicon photonics chip",
     "硅光调制器与锗探测器单片集成，用于400G光模块。", "Monolithic silicon modulators and Ge detectors for 400G optics.",
     "H01S5", 5, (Terms.JOINT_DEVELOPMENT, Terms.EQUITY)),
    ("intelligent connected vehicles", "山地城市自动驾驶决策规划", "Autonomous driving planning for hilly cities",
     "面向坡道、急弯和立交的轨迹规划，已在复杂道路测试。",
     "Trajectory planning for slopes, sharp bends and interchanges, tested on complex roads.", "B60W30", 6,
     (Terms.LICENCE,)),
    ("intelligent connected vehicles", "电池管理系统健康状态估计", "Battery state-of-health estimation",
     "电化学模型观测器预测容量衰减并预警热失控。",
     "An electrochemical-model observer predicts capacity fade and warns of thermal runaway.", "B60L58", 7,
     (Terms.LICENCE, Terms.TRANSFER)),
    ("new materials", "免热处理高强压铸铝合金", "Heat-treatment-free die-casting aluminium alloy",
     "用于一体化压铸车身，屈服强度大于130MPa。", "For mega-casting car bodies; yield strength above 130 MPa.",
     "C22C21", 7, (Terms.TRANSFER,)),
    ("new materials", "石墨烯导热膜规模化制备", "Graphene thermal film at scale",
     "氧化石墨烯涂布与高温石墨化，面内导热1500W/mK。", "Coated graphene oxide, graphitised: 1500 W/mK in plane.",
     "C01B32", 6, (Terms.EQUITY,)),
    ("biomedicine", "CAR-T细胞自动化封闭制备系统", "Closed automated CAR-T manufacturing",
     "细胞分离、激活、转导到扩增全流程自动化，降低生产成本。",
     "Separation, activation, transduction and expansion automated in one closed system.", "C12N5", 5,
     (Terms.JOINT_DEVELOPMENT,)),
    ("medical devices", "可穿戴心电贴房颤检测", "Wearable ECG patch detecting atrial fibrillation",
     "柔性电极与端侧分类器，14天连续监测。", "Flexible electrodes and an on-device classifier, 14-day monitoring.",
     "A61B5", 6, (Terms.LICENCE,)),
    ("medical devices", "3D打印多孔钛合金骨植入物", "3D-printed porous titanium bone implants",
     "仿生多孔结构促进骨长入，用于脊柱融合。", "Bionic porous structure promotes bone ingrowth for spinal fusion.",
     "A61F2", 6, (Terms.TRANSFER,)),
    ("big data", "主数据治理与数据清洗平台", "Master data governance and data cleaning",
     "规则与机器学习结合的客户、物料主数据去重。", "Rule and ML based deduplication of customer and product records.",
     "G06F16", 7, (Terms.LICENCE,)),
    ("software and information services", "方言语音识别引擎", "Dialect speech recognition",
     "支持重庆话、四川话语音转写，用于政务热线。", "Transcribes Chongqing and Sichuan dialects for public hotlines.",
     "G10L15", 7, (Terms.LICENCE,)),
    ("electronic information", "钢板表面缺陷视觉检测", "Visual inspection of steel surface defects",
     "深度学习实时识别划痕、凹坑和裂纹，检出率99.2%。", "Deep learning finds scratches, pits and cracks at 99.2% recall.",
     "G01N21", 7, (Terms.LICENCE, Terms.JOINT_DEVELOPMENT)),
    ("optoelectronics", "钙钛矿-硅叠层太阳能电池", "Perovskite–silicon tandem solar cell",
     "28%转换效率，低温制备钙钛矿顶电池。", "28% efficiency, low-temperature perovskite top cell.", "H01L31", 5,
     (Terms.JOINT_DEVELOPMENT,)),
    ("electronic information", "柔性压力传感器电子皮肤", "Flexible pressure sensor e-skin",
     "微结构离子凝胶，高灵敏度，用于机器人夹爪。", "Microstructured ionic gel with high sensitivity for grippers.",
     "G01L1", 6, (Terms.LICENCE,)),
]
# (industry, title, problem, language, min_trl, open call)
NEEDS = [
    ("new energy", "动力电池正极颗粒开裂", "长循环后高镍正极颗粒开裂，希望提升能量密度与寿命。", "zh", 5, True),
    ("integrated circuits", "1200V power devices for inverters", "We need SiC MOSFETs for an 800 V EV platform.", "en", 5,
     False),
    ("intelligent connected vehicles", "Battery health warning for buses",
     "Estimate battery state of health and warn of thermal runaway in electric buses.", "en", 6, True),
    ("new materials", "一体化压铸铝合金", "计划一体化压铸后地板，需要免热处理高强铝合金。", "zh", 6, False),
    ("biomedicine", "CAR-T manufacturing automation", "Open manual CAR-T production is costly; we want a closed "
     "automated system.", "en", 4, False),
    ("medical devices", "长程心电监测", "心内科需要可穿戴长程心电监测并提示房颤。", "zh", 5, False),
    ("big data", "ERP主数据重复", "集团多个ERP系统客户和物料主数据重复，需要数据清洗平台。", "zh", 6, True),
    ("software and information services", "Hotline in Chongqing dialect", "Speech recognition for calls in "
     "Chongqing dialect.", "en", 6, False),
    ("electronic information", "冷轧板表面缺陷检测", "人工目检漏检多，想用机器视觉自动检测划痕和凹坑。", "zh", 6, False),
    ("optoelectronics", "Higher-efficiency PV cells", "Module maker seeks tandem cell technology beyond PERC.", "en",
     4, False),
]


@dataclass
class DemoExchange:
    achievements: list[Achievement] = field(default_factory=list)
    needs: list[Need] = field(default_factory=list)
    experts: list[Expert] = field(default_factory=list)
    facilities: list[Facility] = field(default_factory=list)
    bookings: list[Booking] = field(default_factory=list)
    contracts: list[TechContract] = field(default_factory=list)
    talent: list[TalentExchange] = field(default_factory=list)
    #: (achievement code, need code, stages to walk, first date)
    deals: list[tuple[str, str, tuple[str, ...], date]] = field(default_factory=list)


def generate_exchange(enterprises: dict[str, list[str]], patents: list[str]) -> DemoExchange:
    """``enterprises``: industry -> credit codes of demo enterprises; ``patents``: demo patent numbers."""
    rng = random.Random(20261201)
    out = DemoExchange()
    owners = list(ORGS)
    for i, (fld, tzh, ten, azh, aen, ipc, trl, terms) in enumerate(ACHIEVEMENTS, 1):
        owner = owners[i % len(owners)]
        status = Publication.PENDING if i in (15, 16) else Publication.PUBLISHED
        out.achievements.append(Achievement(
            code=f"DEMO-ACH-{i:03d}", title_zh=f"{tzh}（示例）", title_en=f"{ten} (synthetic)", abstract_zh=azh,
            abstract_en=aen, field=fld, ipc=(ipc,), patents=(patents[i],) if i % 3 == 0 and patents else (), trl=trl,
            owner=owner, owner_name=ORGS[owner][0], owner_type=ORGS[owner][2], contact=f"tto{i % 3 + 1}@demo.invalid",
            terms=terms, unit=UNITS[i % len(UNITS)], status=status,
            published_on=date(2024, 1, 1) + timedelta(days=17 * i) if status is Publication.PUBLISHED else None))
    for i, (industry, title, problem, lang, min_trl, open_call) in enumerate(NEEDS, 1):
        codes = enterprises.get(industry) or [c for cs in enterprises.values() for c in cs]
        ent = codes[i % len(codes)]
        text = {"title_zh": f"{title}（示例）", "problem_zh": problem} if lang == "zh" else {
            "title_en": f"{title} (synthetic)", "problem_en": problem}
        out.needs.append(Need(code=f"DEMO-NEED-{i:03d}", **text, field=industry, industry=industry, enterprise=ent,
                              budget=float(rng.choice((50, 120, 300, 800))) if open_call or i % 2 else None,
                              deadline=date(2026, 6, 30) if open_call else None, open_call=open_call, min_trl=min_trl,
                              unit=UNITS[i % len(UNITS)], status=Publication.PUBLISHED,
                              published_on=date(2024, 3, 1) + timedelta(days=23 * i)))
    fields = sorted({a[0] for a in ACHIEVEMENTS})
    for i in range(1, 9):
        owner = owners[i % 3]
        fld = fields[i % len(fields)]
        out.experts.append(Expert(code=f"DEMO-EXP-{i:03d}", name=f"示例专家{i}", name_en=f"Demo Expert {i} (synthetic)",
                                  institution=owner, field=fld, keywords=f"{fld}; " + ACHIEVEMENTS[i][1],
                                  bio_zh=f"长期从事{ACHIEVEMENTS[i][1]}研究（示例）。",
                                  bio_en=f"Works on {ACHIEVEMENTS[i][2].lower()} (synthetic).", unit=UNITS[i % 4]))
    instruments = [("场发射扫描电子显微镜", "Field-emission SEM", "new materials"),
                   ("电池充放电测试系统", "Battery cycler", "new energy"),
                   ("半导体参数分析仪", "Semiconductor parameter analyser", "integrated circuits"),
                   ("流式细胞仪", "Flow cytometer", "biomedicine"),
                   ("汽车电驱动中试线", "EV drive pilot line", "intelligent connected vehicles")]
    for i, (zh, en, fld) in enumerate(instruments, 1):
        out.facilities.append(Facility(code=f"DEMO-FAC-{i:03d}", name_zh=f"{zh}（示例）", name_en=f"{en} (synthetic)",
                                       kind=FacilityKind.PILOT_LINE if i == 5 else FacilityKind.INSTRUMENT,
                                       owner=owners[i % 3], field=fld, description=f"{zh}，对外开放共享。",
                                       unit=UNITS[i % 4], hourly_rate=float(200 * i)))
    all_ents = [c for cs in enterprises.values() for c in cs]
    for i in range(1, 41):
        day = date(2021, 1, 1) + timedelta(days=rng.randrange(5 * 365))
        out.bookings.append(Booking(code=f"DEMO-BKG-{i:03d}", facility=f"DEMO-FAC-{rng.randrange(1, 6):03d}",
                                    user_org=rng.choice(all_ents) if all_ents else "DEMO", starts_on=day,
                                    hours=float(rng.choice((2, 4, 8, 16, 24)))))
    types = list(ContractType)
    for i in range(1, 61):
        year = 2021 + (i - 1) % 5
        signed = date(year, rng.randrange(1, 12), rng.randrange(1, 28))
        owner = owners[i % 3]
        out.contracts.append(TechContract(
            code=f"DEMO-TC-{year}-{i:04d}", type=types[i % 4], amount=round(rng.uniform(20, 900) * (1 + (year - 2021) / 4), 1),
            seller=ORGS[owner][0], seller_type=ORGS[owner][2], buyer=rng.choice(all_ents) if all_ents else "DEMO",
            field=fields[i % len(fields)], ip=i % 3 != 0, government_funded=i % 5 == 0, signed_on=signed,
            registered_on=signed + timedelta(days=rng.randrange(5, 40)), unit=UNITS[i % 4]))
    for i in range(1, 21):
        direction = TalentDirection.TO_ENTERPRISE if i % 3 else TalentDirection.TO_UNIVERSITY
        org, ent = owners[i % 3], rng.choice(all_ents) if all_ents else "DEMO"
        start = date(2021 + i % 5, 1 + i % 12, 1)
        out.talent.append(TalentExchange(
            code=f"DEMO-TE-{i:03d}", person=f"示例人员{i}（示例）", direction=direction,
            title="科技副总" if direction is TalentDirection.TO_ENTERPRISE else "产业教授",
            from_org=org if direction is TalentDirection.TO_ENTERPRISE else ent,
            to_org=ent if direction is TalentDirection.TO_ENTERPRISE else org, starts_on=start,
            ends_on=start + timedelta(days=365), hours=float(rng.choice((120, 240, 480))), unit=UNITS[i % 4]))
    full = ("contacted", "negotiating", "signed", "registered", "delivered")
    out.deals = [("DEMO-ACH-001", "DEMO-NEED-001", full, date(2024, 5, 6)),
                 ("DEMO-ACH-003", "DEMO-NEED-002", full[:3], date(2025, 2, 10)),
                 ("DEMO-ACH-006", "DEMO-NEED-003", full[:2], date(2025, 6, 1)),
                 ("DEMO-ACH-012", "DEMO-NEED-007", full[:1], date(2025, 9, 15)),
                 ("DEMO-ACH-014", "DEMO-NEED-009", ("contacted", "dropped"), date(2025, 3, 3)),
                 ("DEMO-ACH-007", "DEMO-NEED-004", (), date(2025, 10, 20))]
    return out
