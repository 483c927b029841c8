"""Administration: users, roles, departments, and which indicators each department reports."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from scicity.store.user_tables import ROLES
from scicity.web.contexts import AdminPage
from scicity.web.deps import Admin, Lang, SignedIn, State
from scicity.web.errors import Forbidden
from scicity.web.permissions import Perm
from scicity.web.render import render

router = APIRouter(tags=["pages"], include_in_schema=False)


@router.get("/admin")
def admin_page(request: Request, principal: Admin, state: State, lang: Lang,
               message: Annotated[str | None, Query(max_length=200)] = None) -> Response:
    plan = state.plan().plan
    ids = [(i.id, i.name.get(lang)) for i in plan.indicators if not i.formula] + [(s.id, s.name.get(lang)) for s in plan.series]
    page = AdminPage(state.users.list(), state.users.departments(), list(ROLES), ids, message,
                     tokens=list(reversed(state.users.tokens(principal.name))))
    return render(request, "admin.html", page)


@router.post("/admin/users")
def create_user(
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
    return RedirectResponse("/admin?message=user+created", status_code=303)


@router.post("/admin/users/{username}")
def update_user(
    username: str,
    principal: Admin,
    state: State,
    role: Annotated[str, Form(max_length=16)],
    department: Annotated[str, Form(max_length=64)] = "",
    active: Annotated[str, Form(max_length=8)] = "on",
) -> Response:
    state.users.update(username, actor=principal.name, role=role, department_id=department or None,
                       clear_department=not department, active=active == "on")
    return RedirectResponse("/admin?message=user+updated", status_code=303)


@router.post("/admin/departments")
def save_department(
    principal: Admin,
    state: State,
    department_id: Annotated[str, Form(max_length=64)],
    name: Annotated[str, Form(max_length=256)],
    indicators: Annotated[list[str], Form()] = [],  # noqa: B006 - FastAPI form default
) -> Response:
    state.users.save_department(department_id.strip(), name, indicators, actor=principal.name)
    return RedirectResponse("/admin?message=department+saved", status_code=303)


@router.post("/account/token")
def create_own_token(request: Request, principal: SignedIn, state: State, lang: Lang,
                     name: Annotated[str, Form(max_length=128)] = "api") -> Response:
    """A personal API token for the signed-in user, shown once."""
    _token, clear = state.users.create_token(principal.name, name, actor=principal.name)
    return render(request, "token.html", {"token": clear, "name": name})


@router.post("/account/token/{token_id}/revoke")
def revoke_own_token(token_id: int, principal: SignedIn, state: State) -> Response:
    """Revoke one of one's own API tokens (an administrator may revoke anyone's); it stops working at once."""
    own = {t.id for t in state.users.tokens(principal.name)}
    if token_id not in own and not principal.can(Perm.ADMIN):
        raise Forbidden("this token is not yours; an administrator can revoke it")
    state.users.revoke_token(token_id, actor=principal.name)
    return RedirectResponse("/admin?message=token+revoked" if principal.can(Perm.ADMIN) else "/", status_code=303)
