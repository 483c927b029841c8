"""Exchange records check themselves; deals move one stage at a time."""

from datetime import date

import pytest

from scicity.domain.exchange import (
    MAX_AMOUNT,
    Achievement,
    ContractType,
    DealStage,
    Need,
    SellerType,
    TechContract,
    maturity_of_trl,
    transition_problem,
)


def contract(amount: float) -> TechContract:
    return TechContract(code="C1", type=ContractType.TRANSFER, amount=amount, seller="CQU", buyer="ACME",
                        seller_type=SellerType.UNIVERSITY, signed_on=date(2025, 3, 1))


@pytest.mark.parametrize("amount,field", [(-1, "amount"), (MAX_AMOUNT * 10, "amount")])
def test_negative_or_absurd_amounts_are_problems(amount, field):
    assert [f for f, _ in contract(amount).problems()] == [field]


def test_plausible_amount_is_fine():
    assert contract(120.5).problems() == []


def test_one_stage_at_a_time_never_back():
    assert transition_problem(DealStage.MATCHED, DealStage.CONTACTED) is None
    assert "one stage at a time" in transition_problem(DealStage.MATCHED, DealStage.SIGNED)
    assert "does not go back" in transition_problem(DealStage.NEGOTIATING, DealStage.CONTACTED)
    assert transition_problem(DealStage.NEGOTIATING, DealStage.DROPPED) is None
    assert "closed" in transition_problem(DealStage.DROPPED, DealStage.CONTACTED)
    assert "closed" in transition_problem(DealStage.DELIVERED, DealStage.DROPPED)


def test_titles_and_descriptions():
    empty = Achievement(code="A", owner="U1")
    assert [f for f, _ in empty.problems()] == ["title_zh"]
    huge = Achievement(code="A", owner="U1", title_zh="电池", abstract_zh="字" * 1_000_000)
    assert [f for f, _ in huge.problems()] == ["abstract_zh"]
    html = Achievement(code="A", owner="U1", title_en="<script>alert(1)</script>")
    assert html.problems() == [] and html.title_en == "<script>alert(1)</script>"  # kept as text


def test_trl_and_maturity_agree():
    assert maturity_of_trl(6).value == "pilot"
    bad = Achievement(code="A", owner="U", title_zh="x", trl=2, maturity="industrial")
    assert [f for f, _ in bad.problems()] == ["maturity"]


def test_open_call_needs_budget_and_deadline():
    need = Need(code="N", enterprise="E", title_zh="揭榜", open_call=True)
    assert [f for f, _ in need.problems()] == ["open_call"]
    assert Need(code="N", enterprise="E", title_zh="揭榜", open_call=True, budget=500,
                deadline=date(2026, 6, 30)).problems() == []
