import pytest

from scicity.domain.formula import Formula, FormulaError, measure_problems, result_is_dimensionless


def test_parse_and_evaluate_ratio_with_factor():
    f = Formula.parse("rd_expenditure / grp * 100")
    assert f.names == ("rd_expenditure", "grp")
    assert f.evaluate({"rd_expenditure": 93.0, "grp": 2000.0}) == pytest.approx(4.65)


def test_missing_input_and_division_by_zero_give_none():
    f = Formula.parse("a / b")
    assert f.evaluate({"a": 1.0}) is None
    assert f.evaluate({"a": 1.0, "b": 0.0}) is None


def test_unary_minus_and_parentheses():
    assert Formula.parse("-(a - b) * 2").evaluate({"a": 1, "b": 4}) == 6


@pytest.mark.parametrize(
    "text",
    ["__import__('os').system('x')", "a ** 2", "a.b", "open('x')", "a if b else c", "'text'", "a +", "[a]"],
)
def test_anything_but_arithmetic_is_refused(text):
    with pytest.raises(FormulaError):
        Formula.parse(text)


def test_substitute_shows_numbers_for_explanations():
    assert Formula.parse("a / b * 100").substitute({"a": 93.0, "b": 2000.0}) == "((93 / 2,000) * 100)"


def test_measures_adding_different_units_is_a_problem():
    f = Formula.parse("a + b")
    problems = measure_problems(f, {"a": "CNY", "b": "persons"})
    assert len(problems) == 1 and "cannot be added" in problems[0]


def test_ratio_of_same_units_is_dimensionless():
    assert result_is_dimensionless(Formula.parse("a / b * 100"), {"a": "CNY", "b": "CNY"})
    assert not result_is_dimensionless(Formula.parse("a / b * 10000"), {"a": "patents", "b": "persons"})


@pytest.mark.parametrize(("text", "spelled"), [
    ("a / b * 100", "A ÷ B × 100"),
    ("(a + b) * 2", "(A + B) × 2"),
    ("a - (b - 1)", "A − (B − 1)"),
    ("a / (b * 2)", "A ÷ (B × 2)"),
    ("a * b / 2", "A × B ÷ 2"),
    ("-(a + b)", "−(A + B)"),
    ("a + c", "A + c"),  # an id without a label stays the id
])
def test_spelled_names_the_inputs_with_only_the_brackets_needed(text, spelled):
    assert Formula.parse(text).spelled({"a": "A", "b": "B"}) == spelled
