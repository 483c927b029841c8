"""Indicator formulas: small arithmetic over series and indicator ids.

A formula such as ``rd_expenditure / grp * 100`` is parsed once into a tree of
numbers, names and the four operations. Nothing else is allowed (no calls, no
attributes, no powers), so a plan file can never run code. Evaluation returns
``None`` when an input is missing or a division by zero occurs, never raises.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Union

from scicity.domain.message import Msg

_OPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}


class FormulaError(ValueError):
    """The formula text is not valid formula syntax."""

    def __init__(self, message: str, column: int | None = None) -> None:
        super().__init__(message)
        self.column = column


@dataclass(frozen=True, slots=True)
class Num:
    value: float


@dataclass(frozen=True, slots=True)
class Name:
    id: str


@dataclass(frozen=True, slots=True)
class Neg:
    operand: Node


@dataclass(frozen=True, slots=True)
class BinOp:
    op: str
    left: Node
    right: Node


Node = Union[Num, Name, Neg, BinOp]


@dataclass(frozen=True)
class Formula:
    """A parsed formula. ``names`` are the ids it reads, in order of first use."""

    text: str
    tree: Node

    @classmethod
    def parse(cls, text: str) -> Formula:
        try:
            expr = ast.parse(text.strip(), mode="eval")
        except SyntaxError as exc:
            raise FormulaError(Msg("not a valid formula: {reason}", reason=exc.msg), exc.offset) from None
        return cls(text.strip(), _convert(expr.body))

    @property
    def names(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        _collect(self.tree, seen)
        return tuple(seen)

    def evaluate(self, env: Mapping[str, float]) -> float | None:
        """The value, or None when an input is missing, a division is by zero or the result is not finite."""
        try:
            out = _eval(self.tree, env)
        except (KeyError, ZeroDivisionError):
            return None
        return out if math.isfinite(out) else None

    def substitute(self, env: Mapping[str, float]) -> str:
        """The formula with numbers in place of names, for explanations."""
        return _render(self.tree, env)

    def spelled(self, labels: Mapping[str, str]) -> str:
        """The formula for a reader: each id replaced by its label (an indicator's or series' name where known),
        × and ÷ for * and /, and brackets only where the order of operations needs them."""
        return _spell(self.tree, labels, 0)

    def __str__(self) -> str:
        return self.text


def _convert(node: ast.AST) -> Node:
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return Num(float(node.value))
    if isinstance(node, ast.Name):
        return Name(node.id)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        inner = _convert(node.operand)
        return Neg(inner) if isinstance(node.op, ast.USub) else inner
    if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
        return BinOp(_OPS[type(node.op)], _convert(node.left), _convert(node.right))
    what = type(node).__name__
    if isinstance(node, ast.BinOp):
        what = f"operator {type(node.op).__name__}"
    raise FormulaError(
        Msg("only numbers, ids and + - * / ( ) are allowed in a formula; found {what}", what=what),
        getattr(node, "col_offset", None),
    )


def _collect(node: Node, seen: dict[str, None]) -> None:
    if isinstance(node, Name):
        seen.setdefault(node.id, None)
    elif isinstance(node, Neg):
        _collect(node.operand, seen)
    elif isinstance(node, BinOp):
        _collect(node.left, seen)
        _collect(node.right, seen)


def _eval(node: Node, env: Mapping[str, float]) -> float:
    if isinstance(node, Num):
        return node.value
    if isinstance(node, Name):
        return float(env[node.id])
    if isinstance(node, Neg):
        return -_eval(node.operand, env)
    left, right = _eval(node.left, env), _eval(node.right, env)
    if node.op == "+":
        return left + right
    if node.op == "-":
        return left - right
    if node.op == "*":
        return left * right
    return left / right


def _render(node: Node, env: Mapping[str, float]) -> str:
    if isinstance(node, Num):
        return f"{node.value:g}"
    if isinstance(node, Name):
        return f"{env[node.id]:,.6g}" if node.id in env else node.id
    if isinstance(node, Neg):
        return f"-{_render(node.operand, env)}"
    return f"({_render(node.left, env)} {node.op} {_render(node.right, env)})"


_SPELL_OP = {"+": "+", "-": "−", "*": "×", "/": "÷"}
_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2}


def _spell(node: Node, labels: Mapping[str, str], outer: int, right_side: bool = False) -> str:
    if isinstance(node, Num):
        return f"{node.value:g}"
    if isinstance(node, Name):
        return labels.get(node.id, node.id)
    if isinstance(node, Neg):
        return f"−{_spell(node.operand, labels, 3)}"
    mine = _PRECEDENCE[node.op]
    text = f"{_spell(node.left, labels, mine)} {_SPELL_OP[node.op]} {_spell(node.right, labels, mine, right_side=True)}"
    # a - (b - c) and a / (b * c) keep their brackets: the right operand of - and / binds tighter than its level
    return f"({text})" if mine < outer or (right_side and mine == outer) else text


# -- units of measure ---------------------------------------------------------

DIMENSIONLESS = ""
#: measures that are pure numbers (a share in per cent is a ratio times 100)
DIMENSIONLESS_MEASURES = frozenset({"%", "‰", "ratio", "index", "1"})


def measure_problems(formula: Formula, measures: Mapping[str, str]) -> list[str]:
    """Problems with the units of measure a formula combines.

    Rules (deliberately few, so that they hold for free-text measures):
    adding or subtracting needs the same measure on both sides; the result
    of a ratio of two equal measures is dimensionless.
    """
    problems: list[str] = []
    _measure(formula.tree, measures, problems)
    return problems


def result_is_dimensionless(formula: Formula, measures: Mapping[str, str]) -> bool:
    """True when the formula's result has no unit (e.g. a ratio of two CNY amounts times 100)."""
    return _measure(formula.tree, measures, []) == DIMENSIONLESS


def _measure(node: Node, measures: Mapping[str, str], problems: list[str]) -> str | None:
    if isinstance(node, Num):
        return DIMENSIONLESS
    if isinstance(node, Name):
        measure = measures.get(node.id)
        return DIMENSIONLESS if measure in DIMENSIONLESS_MEASURES else measure
    if isinstance(node, Neg):
        return _measure(node.operand, measures, problems)
    left = _measure(node.left, measures, problems)
    right = _measure(node.right, measures, problems)
    if left is None or right is None:
        return None
    if node.op in "+-":
        if left != right:
            problems.append(Msg(
                "'{left}' ({left_unit}) and '{right}' ({right_unit}) have different units of measure and cannot be added"
                if node.op == "+" else
                "'{left}' ({left_unit}) and '{right}' ({right_unit}) have different units of measure and cannot be subtracted",
                left=_render(node.left, {}), left_unit=left or Msg("no unit"), right=_render(node.right, {}),
                right_unit=right or Msg("no unit")))
            return None
        return left
    if node.op == "*":
        if left == DIMENSIONLESS:
            return right
        if right == DIMENSIONLESS:
            return left
        return f"{left}·{right}"
    if left == right:
        return DIMENSIONLESS
    if right == DIMENSIONLESS:
        return left
    return f"{left}/{right}"
