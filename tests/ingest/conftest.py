"""A small plan built directly from the domain models."""

from __future__ import annotations

import pytest

from scicity.domain import Area, GeoUnit, Indicator, Plan, Series, Target, Text
from scicity.domain.plan import Comparator, Direction


@pytest.fixture(scope="session")
def plan() -> Plan:
    """Two areas, two series, three indicators (one computed), geography wcsc > science_avenue."""
    return Plan(
        id="test-plan",
        name=Text(en="Test plan", zh="测试规划"),
        period=(2021, 2025),
        baseline_year=2020,
        target_year=2025,
        areas=(
            Area(id="innovation", name=Text(en="Innovation input", zh="创新投入")),
            Area(id="talent", name=Text(en="Sci-tech talent", zh="科技人才")),
        ),
        series=(
            Series(id="rd_expenditure", name=Text(en="R&D expenditure", zh="R&D经费支出"), measure="CNY 100 million"),
            Series(id="grp", name=Text(en="Gross regional product", zh="地区生产总值"), measure="CNY 100 million"),
        ),
        indicators=(
            Indicator(
                id="rd_intensity",
                area="innovation",
                name=Text(en="R&D intensity", zh="研发投入强度"),
                measure="%",
                formula="rd_expenditure / grp * 100",
                targets=(Target(comparator=Comparator.GT, value=5.5),),
            ),
            Indicator(
                id="high_tech_enterprises",
                area="innovation",
                name=Text(en="High-tech enterprises", zh="高新技术企业"),
                measure="enterprises",
                decimals=0,
                targets=(Target(comparator=Comparator.GE, value=1000),),
            ),
            Indicator(
                id="talent_change",
                area="talent",
                name=Text(en="Change in researchers", zh="研究人员增量"),
                measure="persons",
                direction=Direction.HIGHER,
                non_negative=False,
            ),
        ),
        geography=GeoUnit(
            id="wcsc",
            name=Text(en="Western (Chongqing) Science City", zh="西部（重庆）科学城"),
            kind="city",
            children=(GeoUnit(id="science_avenue", name=Text(en="Science Avenue", zh="科学大道"), kind="axis"),),
        ),
    )
