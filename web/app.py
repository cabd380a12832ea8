"""The web platform's aiohttp application and the server that runs it beside the bot."""

from __future__ import annotations

import logging
from importlib import resources
from pathlib import Path

import aiohttp_jinja2
import jinja2
from aiohttp import web

from usecases.services import Services
from web import figures, problems, signin
from web.context import CONTEXT_KEY, WebContext
from web.files import FileSource, NoFiles
from web.security import headers_middleware, session_middleware

logger = logging.getLogger(__name__)


def package_dir(name: str) -> Path:
    return Path(str(resources.files("web") / name))


def make_app(
    services: Services, files: FileSource | None = None, *, poll_seconds: float = 4.0
) -> web.Application:
    """Routes, templates (autoescaped) and static files over the given services."""
    app = web.Application(middlewares=[headers_middleware, session_middleware])
    app[CONTEXT_KEY] = WebContext(services, files or NoFiles(), poll_seconds=poll_seconds)
    aiohttp_jinja2.setup(
        app,
        loader=jinja2.FileSystemLoader(str(package_dir("templates"))),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    signin.add_routes(app)
    problems.add_routes(app)
    figures.add_routes(app)
    app.router.add_static("/static/", package_dir("static"))
    return app


class WebServer:
    """Listen on host:port and serve the platform until stopped; owns nothing else."""

    def __init__(
        self,
        services: Services,
        files: FileSource | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        poll_seconds: float = 4.0,
    ) -> None:
        self.app = make_app(services, files, poll_seconds=poll_seconds)
        self.host = host
        self.port = port
        self._runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    async def start(self) -> WebServer:
        # no access log: a sign-in link's token is in its path
        runner = web.AppRunner(self.app, handle_signals=False, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port)
        try:
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        sockets = getattr(site._server, "sockets", None) or []
        if sockets:
            self.port = sockets[0].getsockname()[1]
        logger.info("web platform listening on %s", self.url)
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
            logger.info("web platform stopped")
