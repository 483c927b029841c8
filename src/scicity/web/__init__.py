"""The web application: server-rendered pages (Jinja2 + htmx) and the JSON API under /api/v1.

Build it with :func:`scicity.web.app.create_app` from a :class:`scicity.settings.Settings`;
``scicity serve`` runs it with Uvicorn. See docs/web.md.
"""
