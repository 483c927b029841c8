"""The unified social credit code (统一社会信用代码) of GB 32100-2015.

Eighteen characters from a 31-character set (the digits and the capital
letters without I, O, Z, S and V):

======== =========================================== ==================
position part                                        characters
======== =========================================== ==================
1        registration authority (登记管理部门代码)    one of REGISTRATION
2        organisation category (机构类别代码)          per authority
3–8      administrative division (行政区划码)          six digits
9–17     subject identifier (主体标识码)               charset
18       check character (校验码)                      charset
======== =========================================== ==================

The check character: with the weights 1, 3, 9, 27, 19, 26, 16, 17, 20, 29,
25, 13, 8, 24, 10, 30, 28 (3^i mod 31) over the values of the first 17
characters, it is ``(31 - sum mod 31) mod 31`` mapped back through the
character set. The subject identifier's own GB 11714 check digit is not
checked: the standard makes the 18th character the code's check.
"""

from __future__ import annotations

import random

from scicity.domain.message import Msg

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUE = {c: i for i, c in enumerate(CHARSET)}
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
LENGTH = 18
#: registration authority -> (its name, organisation categories it issues)
REGISTRATION: dict[str, tuple[str, str]] = {
    "1": ("institutional staffing (机构编制)", "1239"),
    "2": ("foreign affairs (外交)", "19"),
    "3": ("justice (司法行政)", "123459"),
    "4": ("culture (文化)", "19"),
    "5": ("civil affairs (民政)", "1239"),
    "6": ("tourism (旅游)", "129"),
    "7": ("religious affairs (宗教)", "129"),
    "8": ("trade unions (工会)", "19"),
    "9": ("market regulation (工商/市场监管)", "123"),
    "A": ("Central Military Commission (中央军委改革和编制办公室)", "19"),
    "N": ("agriculture (农业)", "1239"),
    "Y": ("other authorities (其他)", "1"),
}
#: first two digits of administrative division codes (GB/T 2260 provinces; 10 for central bodies)
PROVINCES = frozenset(
    "10 11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82".split()
)
_SWAPS = {"I": "1", "O": "0", "Z": "2", "S": "5", "V": "U"}


def check_character(first17: str) -> str:
    """The check character of the first 17 characters (all from :data:`CHARSET`)."""
    total = sum(VALUE[c] * w for c, w in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def normalise(text: str) -> str:
    """Trimmed, upper-cased, inner spaces removed (as codes are often copied)."""
    return "".join(text.split()).upper()


def credit_code_problem(code: str) -> str | None:
    """Why ``code`` is not a valid unified social credit code, or None when it is.

    ``code`` is taken as given (see :func:`normalise` for copied text).
    """
    if len(code) != LENGTH:
        return Msg("a unified social credit code has 18 characters; found {n}", n=len(code))
    for pos, char in enumerate(code, start=1):
        if char not in VALUE:
            hint = Msg(" (did you mean {swap}?)", swap=repr(_SWAPS[char])) if char in _SWAPS else ""
            lower = Msg(" (write capital letters)") if char.upper() in VALUE and char != char.upper() else ""
            return Msg("character {pos} is {char}, which cannot occur: the code uses digits and capital letters "
                       "except I, O, Z, S and V{hint}{lower}", pos=pos, char=repr(char), hint=hint, lower=lower)
    authority, category = code[0], code[1]
    if authority not in REGISTRATION:
        return Msg("the first character (registration authority) {authority} is not a code of GB 32100-2015; "
                   "expected one of {known}", authority=repr(authority), known=", ".join(REGISTRATION))
    name, categories = REGISTRATION[authority]
    if category not in categories:
        return Msg("the second character (organisation category) {category} does not exist for registration "
                   "authority {authority} ({name}); expected one of {known}", category=repr(category),
                   authority=repr(authority), name=name, known=", ".join(categories))
    division = code[2:8]
    if not division.isdigit():
        return Msg("characters 3–8 (administrative division) must be digits; found {division}", division=repr(division))
    if division[:2] not in PROVINCES:
        return Msg("characters 3–8 {division} are not an administrative division code (no province {province})",
                   division=repr(division), province=division[:2])
    expected = check_character(code[:17])
    if code[17] != expected:
        return Msg("check character should be {expected}, found {found}; check the code for a typing error",
                   expected=repr(expected), found=repr(code[17]))
    return None


def is_valid_credit_code(code: str) -> bool:
    return credit_code_problem(code) is None


def make_credit_code(
    rng: random.Random,
    *,
    authority: str = "9",
    category: str = "1",
    division: str = "500000",
) -> str:
    """A valid code with a random subject identifier (for tests and demo data; it names no real body)."""
    body = "".join(rng.choice(CHARSET) for _ in range(9))
    first17 = f"{authority}{category}{division}{body}"
    return first17 + check_character(first17)
