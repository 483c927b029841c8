"""Finding a plan by id or file: a file path, a packaged plan, or one stored in the database."""

from __future__ import annotations

import hashlib
from pathlib import Path

from scicity.engine.cache_file import keep_text
from scicity.ingest.plan_file import LoadedPlan, load_plan_file, parse_plan_text
from scicity.plans import DEFAULT_PLAN_ID, packaged_plans

#: the code that turns plan text into a :class:`Plan` (a change to any of it makes every cached plan stale)
_PARSER_CODE = ("domain", "ingest/plan_file.py", "ingest/plan_rules.py", "ingest/plan_warnings.py")


class PlanNotFound(LookupError):
    pass


def _parser_fingerprint() -> str:
    """Version, size and modification time of every module of the parser and the plan model."""
    import scicity

    root = Path(scicity.__file__).parent
    parts = [scicity.__version__]
    for name in _PARSER_CODE:
        path = root / name
        files = sorted(path.glob("*.py")) if path.is_dir() else [path]
        for f in files:
            st = f.stat()
            parts.append(f"{f.name}:{st.st_size}:{st.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def parse_stored(ref: str, text: str, cache_dir: Path | None = None) -> LoadedPlan:
    """A stored plan's text, validated; with ``cache_dir``, the validated plan is kept as JSON per text and parser.

    Parsing the YAML with line numbers and checking every rule takes about 0.15 s for the seed plan; reading
    the validated model back takes 1 ms. Only a plan that passed every check is kept, so an invalid text is
    always parsed and reported with its lines. A cache file that cannot be read is parsed again and replaced.
    """
    from pydantic import ValidationError

    from scicity.domain.plan import Plan

    where = Path(f"<database>/{ref}")
    if cache_dir is None:
        return LoadedPlan(parse_plan_text(text, f"<stored plan {ref}>"), where, text)
    key = hashlib.sha256(text.encode("utf-8")).hexdigest()
    file = cache_dir / "plans" / f"{key}-{_parser_fingerprint()}.json"
    try:
        return LoadedPlan(Plan.model_validate_json(file.read_bytes()), where, text)
    except (OSError, ValueError, ValidationError):
        pass
    plan = parse_plan_text(text, f"<stored plan {ref}>")
    keep_text(file, plan.model_dump_json())  # a read-only data folder: parse every time
    return LoadedPlan(plan, where, text)


def resolve_plan(ref: str | None, stored: dict[str, str] | None = None, *, cache_dir: Path | None = None) -> LoadedPlan:
    """A plan from a reference: a YAML path, a stored plan id, a packaged plan id, or the default.

    ``stored`` maps plan ids to their YAML text as kept in the database (a
    stored plan wins over a packaged one of the same id: it is what the
    office loaded). With ``cache_dir``, a stored plan is parsed once per text (:func:`parse_stored`).
    """
    stored = stored or {}
    if ref is None:
        ref = DEFAULT_PLAN_ID
    path = Path(ref)
    if path.suffix.lower() in (".yaml", ".yml") or path.exists():
        if not path.exists():
            raise PlanNotFound(f"plan file {ref} does not exist")
        return load_plan_file(path)
    if ref in stored:
        return parse_stored(ref, stored[ref], cache_dir)
    packaged = packaged_plans()
    if ref in packaged:
        return load_plan_file(packaged[ref])
    known = sorted(set(packaged) | set(stored))
    raise PlanNotFound(f"no plan {ref!r}; known plans: {', '.join(known)} (or give a path to a .yaml file)")
