"""Administration: users, roles, departments, and which indicators each department reports."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from scicity.domain.message import Msg
from scicity.domain.registries import RegistryKind
from scicity.ingest.registry_columns import COLUMN_LABELS
from scicity.service.public_view import NotOptable, optable, public_fields, set_public_fields
from scicity.store.user_tables import ROLES
from scicity.web.errors import BadRequest
from scicity.web.routes.registries import TITLES
from scicity.web.contexts import AdminPage
from scicity.web.deps import Admin, Lang, SignedIn, State
from scicity.web.errors import Forbidden
from scicity.web.permissions import Perm
from scicity.web.flash import redirect_with
from scicity.web.render import render

router = APIRouter(tags=["pages"], include_in_schema=False)


@router.get("/admin")
def admin_page(request: Request, principal: Admin, state: State, lang: Lang) -> Response:
    plan = state.plan().plan
    ids = [(i.id, i.name.get(lang)) for i in plan.indicators if not i.formula] + [(s.id, s.name.get(lang)) for s in plan.series]
    shown = public_fields(state.db)
    public = [(k.value, TITLES[k], [(f, COLUMN_LABELS.get(f, f), f in shown.get(k, ())) for f in optable(k)])
              for k in RegistryKind if optable(k)]
    page = AdminPage(state.users.list(), state.users.departments(), list(ROLES), ids,
                     tokens=list(reversed(state.users.tokens(principal.name))), public_fields=public,
                     public_view=state.settings.public_view)
    return render(request, "admin.html", page)


@router.post("/admin/public-fields")
def save_public_fields(
    request: Request,
    principal: Admin,
    state: State,
    kind: Annotated[str, Form(max_length=32)],
    field: Annotated[list[str] | None, Form(max_length=64)] = None,
) -> Response:
    """Opt exactly the ticked fields of a registry into the public view (audited: one event per field changed)."""
    try:
        registry = RegistryKind(kind)
    except ValueError:
        raise BadRequest(Msg("unknown registry {kind}; the registries are {known}", kind=repr(kind),
                             known=", ".join(k.value for k in RegistryKind))) from None
    try:
        set_public_fields(state.db, registry, set(field or ()), actor=principal.name)
    except NotOptable as exc:
        raise BadRequest(Msg("these fields may not be public (person records and enterprise financials never are): "
                             "{fields}", fields=str(exc))) from None
    return redirect_with(request, "/admin", "public fields saved")


@router.post("/admin/users")
def create_user(
    request: Request,
    principal: Admin,
    state: State,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=1000)],
    role: Annotated[str, Form(max_length=16)],
    display_name: Annotated[str, Form(max_length=128)] = "",
    department: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    state.users.create(username, password, role, actor=principal.name, display_name=display_name or None,
                       department_id=department or None)
    return redirect_with(request, "/admin", "user created")


@router.post("/admin/users/{username}")
def update_user(
    request: Request,
    username: str,
    principal: Admin,
    state: State,
    role: Annotated[str, Form(max_length=16)],
    department: Annotated[str, Form(max_length=64)] = "",
    active: Annotated[str, Form(max_length=8)] = "on",
) -> Response:
    state.users.update(username, actor=principal.name, role=role, department_id=department or None,
                       clear_department=not department, active=active == "on")
    return redirect_with(request, "/admin", "user updated")


@router.post("/admin/departments")
def save_department(
    request: Request,
    principal: Admin,
    state: State,
    department_id: Annotated[str, Form(max_length=64)],
    name: Annotated[str, Form(max_length=256)],
    indicators: Annotated[list[str], Form()] = [],  # noqa: B006 - FastAPI form default
) -> Response:
    state.users.save_department(department_id.strip(), name, indicators, actor=principal.name)
    return redirect_with(request, "/admin", "department saved")
