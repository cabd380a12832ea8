"""A stand-in for the reverse proxy in front of several instances: each webhook POST goes to
the next instance in turn, and to another when one refuses the connection."""

from __future__ import annotations

import itertools
import logging
from collections.abc import Sequence

import aiohttp
from aiohttp import web

logger = logging.getLogger(__name__)

PASSED_HEADERS = ("Content-Type", "X-Telegram-Bot-Api-Secret-Token")


class Balancer:
    """Round robin over backend URLs; a backend that cannot be reached is skipped."""

    def __init__(self, backends: Sequence[str], timeout: float = 60.0) -> None:
        self.backends = list(backends)
        self.timeout = timeout
        self.forwarded: dict[str, int] = {b: 0 for b in self.backends}
        self.unreachable = 0
        self._turn = itertools.count()
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None
        self.url = ""

    async def start(self, path: str = "/hook", host: str = "127.0.0.1", port: int = 0) -> Balancer:
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_post(path, self._forward)
        self._runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        sockets = getattr(site._server, "sockets", None) or []
        bound = sockets[0].getsockname()[1] if sockets else port
        self.url = f"http://{host}:{bound}{path}"
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.timeout))
        return self

    async def stop(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _forward(self, request: web.Request) -> web.Response:
        assert self._session is not None
        body = await request.read()
        headers = {h: request.headers[h] for h in PASSED_HEADERS if h in request.headers}
        start = next(self._turn)
        for i in range(len(self.backends)):
            backend = self.backends[(start + i) % len(self.backends)]
            try:
                async with self._session.post(backend, data=body, headers=headers) as answer:
                    payload = await answer.read()
                    self.forwarded[backend] = self.forwarded.get(backend, 0) + 1
                    return web.Response(status=answer.status, body=payload)
            except aiohttp.ClientConnectorError:
                self.unreachable += 1  # refused: that one is down, the next one answers
                continue
            except (aiohttp.ClientError, TimeoutError):
                # dropped mid-request: it may have been handled; Telegram's retry decides
                self.unreachable += 1
                return web.Response(status=502)
        return web.Response(status=502)
