"""Read a plan file (YAML) and report every problem at once, with file:line.

Validation runs in stages, as a reviewer would read the file:

1. text: tabs used for indentation, YAML syntax, duplicate keys;
2. schema: the pydantic models (unknown keys, missing fields, wrong types,
   bad comparators);
3. rules: duplicate ids, unknown areas and geography units, formulas naming
   unknown ids, formula cycles, units of measure that do not combine.

Stages 2 and 3 both run on a file whose text is readable, so a user sees all
problems of a file in one go.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from typing import TYPE_CHECKING

from pydantic import ValidationError

from scicity.domain.message import Msg
from scicity.domain.plan import Plan
from scicity.ingest.schema_words import schema_message

if TYPE_CHECKING:
    from ruamel.yaml.comments import CommentedMap

# ruamel.yaml and the rule checks are imported when a text is parsed: a command that reads a validated plan
# from the cache (:func:`scicity.service.plans.parse_stored`) starts without them.


@dataclass(frozen=True, order=True)
class PlanIssue:
    """One problem in a plan file."""

    file: str
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.place()}: {self.message}"

    def place(self) -> str:
        """file:line (path in the file): the same in every language."""
        where = f"{self.file}:{self.line}" if self.line else self.file
        return where + (f" ({self.path})" if self.path else "")

    def said(self) -> Msg:
        """The issue as a message: its place, then the message (translated where it is shown)."""
        return Msg("{place}: {message}", place=Msg.literal(self.place()), message=self.message)


class PlanInvalid(ValueError):
    """A plan file has problems; ``issues`` lists every one of them."""

    def __init__(self, file: str, issues: list[PlanIssue]) -> None:
        self.file = file
        self.issues = sorted(issues, key=lambda i: (i.line or 0, i.path, i.message))
        lines = "\n".join(f"  {i}" for i in self.issues)
        n = len(self.issues)
        super().__init__(f"{file}: {n} problem{'s' if n != 1 else ''} in the plan file:\n{lines}")

    def said(self) -> Msg:
        """Every issue as one message: a heading line, then one issue a line (translated where it is shown)."""
        head = Msg("{file}: {n} problem(s) in the plan file:", file=self.file, n=len(self.issues))
        return Msg("{head}\n{issues}", head=head,
                   issues=Msg("\n".join("  {p%d}" % i for i in range(len(self.issues))),
                              **{f"p{i}": issue.said() for i, issue in enumerate(self.issues)}))


@dataclass(frozen=True)
class LoadedPlan:
    plan: Plan
    path: Path
    text: str
    #: things that are allowed but probably not meant (the plan is valid), with file:line
    warnings: tuple[PlanIssue, ...] = ()

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def load_plan_file(path: Path | str) -> LoadedPlan:
    """Load and validate a plan file; raise :class:`PlanInvalid` listing every problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PlanInvalid(str(path), [PlanIssue(str(path), None, "", Msg("file not found"))]) from None
    except UnicodeDecodeError as exc:
        msg = Msg("not UTF-8 text (byte {byte}); save the plan file as UTF-8", byte=exc.start)
        raise PlanInvalid(str(path), [PlanIssue(str(path), None, "", msg)]) from None
    plan, warnings = parse_plan_text_with_warnings(text, str(path))
    return LoadedPlan(plan, path, text, warnings)


def parse_plan_text(text: str, file: str = "<plan>") -> Plan:
    """Validate plan text; raise :class:`PlanInvalid` listing every problem."""
    return parse_plan_text_with_warnings(text, file)[0]


def parse_plan_text_with_warnings(text: str, file: str = "<plan>") -> tuple[Plan, tuple[PlanIssue, ...]]:
    """Validate plan text: the plan and its warnings; raise :class:`PlanInvalid` listing every problem."""
    issues = list(_tab_issues(text, file))
    if not text.strip():
        issues.append(PlanIssue(file, None, "", Msg("the plan file is empty")))
    if issues:
        raise PlanInvalid(file, issues)
    from ruamel.yaml.comments import CommentedMap

    from scicity.ingest.plan_rules import check_rules

    tree = _parse_yaml(text, file)
    if not isinstance(tree, CommentedMap):
        raise PlanInvalid(file, [PlanIssue(file, 1, "", Msg("a plan file must be a mapping of keys (id:, name:, …)"))])
    data = _plain(tree)
    plan: Plan | None = None
    try:
        plan = Plan.model_validate(data)
    except ValidationError as exc:
        issues.extend(_schema_issues(exc, tree, file))
    for path, message in check_rules(data):
        issues.append(PlanIssue(file, _line_of(tree, path), _dotted(path), message))
    if issues or plan is None:
        raise PlanInvalid(file, issues)
    from scicity.ingest.plan_warnings import plan_warnings

    found = [PlanIssue(file, _line_of(tree, path), _dotted(path), message) for path, message in plan_warnings(plan)]
    return plan, tuple(sorted(found, key=lambda i: (i.line or 0, i.path, i.message)))


# -- stage 1: text --------------------------------------------------------------


def _tab_issues(text: str, file: str) -> Iterator[PlanIssue]:
    for number, line in enumerate(text.splitlines(), start=1):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent:
            yield PlanIssue(file, number, "", Msg("a tab is used for indentation; YAML needs spaces"))


def _parse_yaml(text: str, file: str) -> Any:
    from ruamel.yaml import YAML
    from ruamel.yaml.constructor import DuplicateKeyError
    from ruamel.yaml.error import MarkedYAMLError

    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    try:
        return yaml.load(text)
    except DuplicateKeyError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        key = (exc.problem or "").split('"')[1] if '"' in (exc.problem or "") else ""
        first = _first_key_line(text, key, line)
        msg = (Msg("duplicate key {key} (first given on line {first})", key=repr(key), first=first) if first
               else Msg("duplicate key {key}", key=repr(key)))
        raise PlanInvalid(file, [PlanIssue(file, line, "", msg)]) from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        hint: str = ""
        if "'>'" in str(exc) or "block scalar" in str(exc):
            hint = Msg(' — comparators must be quoted, e.g. comparator: ">"')
        elif "'%'" in str(exc):
            hint = Msg(' — a value that starts with % must be quoted, e.g. source_quote: "%5 more"')
        elif "mapping values are not allowed" in str(exc):
            hint = Msg(' — a value that contains ": " (a colon and a space) must be quoted, '
                       'e.g. source_quote: "Target: 5.5% of GRP"')
        raise PlanInvalid(file, [PlanIssue(file, line, "", Msg("YAML syntax: {problem}{hint}", problem=problem,
                                                                hint=hint))]) from None


def _first_key_line(text: str, key: str, duplicate_line: int | None) -> int | None:
    """The line where a duplicated key was first given (same indentation, before the duplicate)."""
    if not key or duplicate_line is None:
        return None
    lines = text.splitlines()
    dup = lines[duplicate_line - 1]
    indent = dup[: len(dup) - len(dup.lstrip())]
    for number in range(duplicate_line - 1, 0, -1):
        line = lines[number - 1]
        if line.startswith(indent) and line[len(indent) :].lstrip("- ").startswith(f"{key}:"):
            return number
        if line.strip() and len(line) - len(line.lstrip()) < len(indent):
            break
    return None


def _plain(node: Any) -> Any:
    """Round-trip YAML nodes as plain dicts, lists and scalars."""
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    if isinstance(node, str):
        return str(node)
    return node


# -- stage 2: schema --------------------------------------------------------------


def _schema_issues(exc: ValidationError, tree: CommentedMap, file: str) -> Iterator[PlanIssue]:
    for err in exc.errors(include_url=False):
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        kind = err["type"]
        message: str
        if kind == "extra_forbidden":
            message = Msg("unknown key {key}", key=repr(loc[-1]))
        elif kind == "missing":
            message = Msg("missing required key {key}", key=repr(loc[-1]))
        elif kind == "enum" and loc and loc[-1] == "comparator":
            message = Msg("comparator {found} is not one of >, >=, <, <=, ==, between (quote it in YAML)",
                          found=Msg.literal(repr(err.get("input"))))
        else:
            message = schema_message(err)
        yield PlanIssue(file, _line_of(tree, loc), _dotted(loc), message)


# -- line look-up ---------------------------------------------------------------


def _line_of(tree: Any, loc: tuple[Any, ...]) -> int | None:
    """The 1-based line of the deepest node of ``loc`` that exists in the YAML tree."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    node, line = tree, 1
    for part in loc:
        if isinstance(node, CommentedMap) and part in node:
            line = node.lc.key(part)[0] + 1
            node = node[part]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
            line = node.lc.item(part)[0] + 1
            node = node[part]
        else:
            break
    return line


def _dotted(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
