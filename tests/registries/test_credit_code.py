"""The unified social credit code check of GB 32100-2015."""

from __future__ import annotations

import random

import pytest

from scicity.domain.credit_code import (
    CHARSET,
    check_character,
    credit_code_problem,
    is_valid_credit_code,
    make_credit_code,
    normalise,
)

# Codes of the published form (they appear as examples in open-source validators); all pass the check.
VALID = [
    "91350100M000100Y43",
    "91370100780603055K",
    "91310110666007217T",
    "91350500676532779B",
    "91510100350611266D",
    "91330101589882738D",
    "91510100MA6BKY6U36",
]


@pytest.mark.parametrize("code", VALID)
def test_valid_codes(code):
    assert credit_code_problem(code) is None
    assert is_valid_credit_code(code)


def test_charset_has_31_characters_without_i_o_z_s_v():
    assert len(CHARSET) == 31
    assert not set("IOZSV") & set(CHARSET)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("91350100M000100Y44", "check character should be '3', found '4'"),
        ("91350100M000100Y4", "has 18 characters; found 17"),
        ("91350100M000100Y433", "has 18 characters; found 19"),
        ("91350100M000100I43", "character 16 is 'I', which cannot occur"),
        ("91350100M000100O43", "did you mean '0'?"),
        ("91350100m000100Y43", "write capital letters"),
        ("B1350100M000100Y43", "registration authority) 'B' is not a code"),
        ("94350100M000100Y43", "organisation category) '4' does not exist for registration authority '9'"),
        ("9135A100M000100Y43", "administrative division) must be digits"),
        ("91990100M000100Y43", "no province 99"),
    ],
)
def test_bad_codes_say_why(code, expected):
    problem = credit_code_problem(code)
    assert problem is not None and expected in problem, problem


def test_every_single_character_typo_is_caught():
    code = VALID[1]
    for pos in range(18):
        for char in CHARSET:
            if char == code[pos]:
                continue
            typo = code[:pos] + char + code[pos + 1 :]
            assert credit_code_problem(typo) is not None, typo


def test_generated_codes_are_valid_and_deterministic():
    a = [make_credit_code(random.Random(1)) for _ in range(3)]
    assert a == [make_credit_code(random.Random(1)) for _ in range(3)]
    rng = random.Random(2)
    for _ in range(500):
        code = make_credit_code(rng, authority="1", category="2", division="500106")
        assert is_valid_credit_code(code), code
        assert code.startswith("12500106")


def test_check_character_and_normalise():
    assert check_character(VALID[0][:17]) == VALID[0][17]
    assert normalise(" 9135 0100m000100y43 ") == "91350100M000100Y43"
