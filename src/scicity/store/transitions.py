"""The review workflow of an observation: draft → submitted → approved | returned; returned → submitted.

This is a domain rule that lives here until :mod:`scicity.domain.observation`
carries it; the store is where it is enforced.
"""

from __future__ import annotations

from scicity.domain.observation import ObservationStatus
from scicity.store.errors import InvalidTransition

S = ObservationStatus

ALLOWED: dict[ObservationStatus, frozenset[ObservationStatus]] = {
    S.DRAFT: frozenset({S.SUBMITTED}),
    S.SUBMITTED: frozenset({S.APPROVED, S.RETURNED}),
    S.RETURNED: frozenset({S.SUBMITTED}),
    S.APPROVED: frozenset(),
}

# The audit action recorded for each target status.
ACTIONS: dict[ObservationStatus, str] = {
    S.SUBMITTED: "observation.submit",
    S.APPROVED: "observation.approve",
    S.RETURNED: "observation.return",
    S.DRAFT: "observation.draft",
}


def check_transition(current: ObservationStatus, target: ObservationStatus, what: str) -> None:
    """Raise :class:`InvalidTransition` unless ``current`` may become ``target``."""
    if target in ALLOWED[current]:
        return
    allowed = sorted(s.value for s in ALLOWED[current])
    if current is S.APPROVED:
        hint = "An approved value is final: to correct it, import or enter a new revision."
    else:
        hint = f"From {current.value!r} it can only become: {', '.join(allowed)}."
    raise InvalidTransition(f"{what} is {current.value!r} and cannot become {target.value!r}. {hint}")
