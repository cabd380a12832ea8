"""BotApiSandbox: a local aiohttp stand-in for Telegram's Bot API, for end-to-end tests."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from aiohttp import web

from sandbox.core import ApiError, CallRecord, ChatState, Core, UserRecord
from sandbox.flood import FloodControl
from sandbox.methods import BotMethods, Params, Upload
from sandbox.users import SimUser

logger = logging.getLogger(__name__)

_TOKEN = re.compile(r"^(\d+):[A-Za-z0-9_-]+$")


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)


class BotApiSandbox:
    """Serves /bot<token>/<method> and /file/bot<token>/<path> like api.telegram.org."""

    def __init__(
        self,
        bot_username: str = "envoy_test_bot",
        *,
        flood_control: bool = True,
        flood_limit: int = 30,
        flood_window: float = 1.0,
        per_chat_limit: int | None = None,
        per_chat_window: float = 1.0,
        strict_html: bool = True,
        token: str | None = None,
        clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.core = Core(bot_username, strict_html=strict_html, clock=clock)
        self.flood = FloodControl(
            enabled=flood_control,
            limit=flood_limit,
            window=flood_window,
            per_chat_limit=per_chat_limit,
            per_chat_window=per_chat_window,
            monotonic=monotonic,
        )
        self.methods = BotMethods(self.core, self.flood)
        self.token = token
        self.host = "127.0.0.1"
        self.port = 0
        self._failures: dict[str, deque[ApiError]] = {}
        self._delays: dict[str, float] = {}
        self._users: dict[int, SimUser] = {}
        self._runner: web.AppRunner | None = None
        self.app = self._build_app()

    # ---- lifecycle -----------------------------------------------------------------------

    def _build_app(self) -> web.Application:
        from sandbox.control import add_control_routes

        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{file_path:.+}", self._handle_file)
        add_control_routes(app, self)
        return app

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> BotApiSandbox:
        """Listen on host:port (0 picks a free port); returns self."""
        self.methods.closing = False
        self._runner = web.AppRunner(self.app, handle_signals=False, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        server = site._server
        sockets = getattr(server, "sockets", None) or []
        self.host = host
        self.port = sockets[0].getsockname()[1] if sockets else port
        logger.info("Bot API sandbox listening on %s", self.root_url)
        return self

    async def stop(self) -> None:
        """Wake long polls and shut the server down."""
        self.methods.closing = True
        self.core.changed.notify()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> BotApiSandbox:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def root_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def base_url(self) -> str:
        """For PTB base_url: PTB appends token + "/" + method."""
        return f"{self.root_url}/bot"

    @property
    def base_file_url(self) -> str:
        """For PTB base_file_url: PTB appends token + "/" + file_path."""
        return f"{self.root_url}/file/bot"

    @property
    def bot_username(self) -> str:
        return self.core.bot_username

    # ---- test controls -------------------------------------------------------------------

    def user(
        self,
        user_id: int,
        first_name: str = "User",
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "zh-hans",
    ) -> SimUser:
        """The simulated user with this id (created on first call; later calls return it)."""
        existing = self._users.get(user_id)
        if existing is not None:
            return existing
        record = UserRecord(
            id=user_id,
            first_name=first_name,
            last_name=last_name,
            username=username,
            language_code=language_code,
        )
        self.core.users[user_id] = record
        chat = ChatState(user=record)
        self.core.chats[user_id] = chat
        sim = SimUser(self.core, chat)
        self._users[user_id] = sim
        self.core.changed.notify()
        return sim

    @property
    def users(self) -> dict[int, SimUser]:
        return dict(self._users)

    def inject_failure(
        self,
        method: str,
        status: int,
        description: str,
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        """Make the next `times` calls of `method` fail with this status and description."""
        queue = self._failures.setdefault(method.lower(), deque())
        for _ in range(times):
            queue.append(ApiError(status, description, retry_after))

    def set_delay(self, method: str, seconds: float) -> None:
        """Answer `method` only after `seconds` (0 removes the delay), e.g. to provoke timeouts."""
        if seconds > 0:
            self._delays[method.lower()] = seconds
        else:
            self._delays.pop(method.lower(), None)

    @property
    def calls(self) -> list[CallRecord]:
        """Every Bot API call so far: method, decoded params, ok, error, status."""
        return self.core.calls

    def calls_of(self, method: str) -> list[CallRecord]:
        return [c for c in self.core.calls if c.method.lower() == method.lower()]

    @property
    def errors(self) -> list[CallRecord]:
        """The calls that got an error answer."""
        return [c for c in self.core.calls if not c.ok]

    @property
    def pending_updates(self) -> int:
        """Updates not yet confirmed by a getUpdates offset."""
        return len(self.core.updates)

    async def wait_updates_consumed(self, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Wait until the bot has confirmed every queued update."""
        if await self.core.changed.wait_until(lambda: not self.core.updates, timeout) is None:
            raise TimeoutError(f"{len(self.core.updates)} updates still pending")

    def file_bytes(self, file_id: str) -> bytes:
        return self.core.files.by_id[file_id].data

    # ---- HTTP ----------------------------------------------------------------------------

    @staticmethod
    def _error(error: ApiError) -> web.Response:
        return web.Response(
            status=error.status, text=_dumps(error.payload()), content_type="application/json"
        )

    def _check_token(self, token: str) -> ApiError | None:
        match = _TOKEN.match(token)
        if match is None or (self.token is not None and token != self.token):
            return ApiError(401, "Unauthorized")
        if not self.core.bot_id:
            self.core.bot_id = int(match.group(1))
        return None

    async def _read_params(self, request: web.Request) -> Params:
        raw: dict[str, Any] = dict(request.query)
        uploads: dict[str, Upload] = {}
        if request.body_exists:
            if request.content_type == "application/json":
                try:
                    body = await request.json()
                except ValueError:
                    raise ApiError(400, "Bad Request: can't parse JSON object") from None
                if isinstance(body, dict):
                    raw.update(body)
            else:
                form = await request.post()
                for key, value in form.items():
                    if isinstance(value, web.FileField):
                        uploads[key] = Upload(value.filename, value.content_type, value.file.read())
                    else:
                        raw[key] = value
        return Params(raw, uploads)

    async def _handle_api(self, request: web.Request) -> web.Response:
        token_error = self._check_token(request.match_info["token"])
        if token_error is not None:
            return self._error(token_error)
        found = self.methods.lookup(request.match_info["method"])
        if found is None:
            return self._error(ApiError(404, "Not Found: method not found"))
        name, handler = found
        try:
            params = await self._read_params(request)
        except ApiError as exc:
            return self._error(exc)
        delay = self._delays.get(name.lower())
        if delay:
            await asyncio.sleep(delay)
        failures = self._failures.get(name.lower())
        try:
            if failures:
                raise failures.popleft()
            result = await handler(params)
        except ApiError as exc:
            if self._abandoned(request):
                # e.g. a long poll PTB cancelled on stop, superseded by its cleanup call
                logger.debug("sandbox %s abandoned by client: %s", name, exc.description)
                return self._error(exc)
            self.core.calls.append(
                CallRecord(name, params.readable(), False, exc.description, exc.status)
            )
            if exc.status != 409:
                logger.debug("sandbox %s -> %s %s", name, exc.status, exc.description)
            return self._error(exc)
        self.core.calls.append(CallRecord(name, params.readable(), True))
        return web.Response(
            text=_dumps({"ok": True, "result": result}), content_type="application/json"
        )

    @staticmethod
    def _abandoned(request: web.Request) -> bool:
        transport = request.transport
        return transport is None or transport.is_closing()

    async def _handle_file(self, request: web.Request) -> web.Response:
        if self._check_token(request.match_info["token"]) is not None:
            return self._error(ApiError(401, "Unauthorized"))
        record = self.core.files.by_path.get(request.match_info["file_path"])
        if record is None:
            return self._error(ApiError(404, "Not Found"))
        return web.Response(
            body=record.data, content_type=record.mime_type or "application/octet-stream"
        )
