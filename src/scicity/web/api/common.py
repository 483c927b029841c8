"""What the API routers share: documented error responses."""

from __future__ import annotations

from typing import Any

from scicity.web.api.schemas import Problem

ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": Problem, "description": "The request cannot be carried out as given."},
    401: {"model": Problem, "description": "Not signed in, or the API token is unknown or revoked."},
    403: {"model": Problem, "description": "The role may not do this."},
    404: {"model": Problem, "description": "No such plan, indicator, method, tier or record."},
    409: {"model": Problem, "description": "The request conflicts with what is stored (a value not waiting for "
                                           "review, a report the plan's period does not allow yet, another write "
                                           "at the same moment)."},
}
