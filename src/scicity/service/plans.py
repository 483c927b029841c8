"""Finding a plan by id or file: a file path, a packaged plan, or one stored in the database."""

from __future__ import annotations

from pathlib import Path

from scicity.ingest.plan_file import LoadedPlan, load_plan_file, parse_plan_text
from scicity.plans import DEFAULT_PLAN_ID, packaged_plans


class PlanNotFound(LookupError):
    pass


def resolve_plan(ref: str | None, stored: dict[str, str] | None = None) -> LoadedPlan:
    """A plan from a reference: a YAML path, a stored plan id, a packaged plan id, or the default.

    ``stored`` maps plan ids to their YAML text as kept in the database (a
    stored plan wins over a packaged one of the same id: it is what the
    office loaded).
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
        text = stored[ref]
        return LoadedPlan(parse_plan_text(text, f"<stored plan {ref}>"), Path(f"<database>/{ref}"), text)
    packaged = packaged_plans()
    if ref in packaged:
        return load_plan_file(packaged[ref])
    known = sorted(set(packaged) | set(stored))
    raise PlanNotFound(f"no plan {ref!r}; known plans: {', '.join(known)} (or give a path to a .yaml file)")
