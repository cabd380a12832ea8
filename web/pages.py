"""The pages behind sign-in: the problem list, a problem, figures, files and the export."""

from __future__ import annotations

import logging

from aiohttp import web

from web.context import render

logger = logging.getLogger(__name__)


async def problems(request: web.Request) -> web.StreamResponse:
    return render(request, "problems.html")


async def stamp(request: web.Request) -> web.StreamResponse:
    return web.json_response({"stamp": ""})


def add_routes(app: web.Application) -> None:
    app.router.add_get("/problems", problems)
    app.router.add_get("/problems/stamp", stamp)
