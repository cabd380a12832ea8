"""BotApiSandbox: a local aiohttp stand-in for Telegram's Bot API, for end-to-end tests."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from collections import deque
from collections.abc import Callable, Iterable
from typing import Any

from aiohttp import web

from sandbox.core import ApiError, CallRecord, ChatState, Core, UserRecord
from sandbox.faults import (
    BAD_GATEWAY_HTML,
    DEFAULT_TIMEOUT_SECONDS,
    FAULT_KINDS,
    DropAfterExecution,
    FaultInjector,
)
from sandbox.flood import FloodControl
from sandbox.methods import BotMethods, Handler, Params, Upload
from sandbox.users import SimUser

logger = logging.getLogger(__name__)

_TOKEN = re.compile(r"^(\d+):[A-Za-z0-9_-]+$")


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)


def _chat_id(params: Params) -> int | None:
    try:
        return params.integer("chat_id")
    except ApiError:
        return None


def _text(params: Params) -> str | None:
    return params.string("text") or params.string("caption")


def call_stats(calls: Iterable[CallRecord]) -> dict[str, Any]:
    """Calls by method: executed ok, error answers by status, and calls left unanswered."""
    by_method: dict[str, dict[str, Any]] = {}
    totals = {"calls": 0, "ok": 0, "errors": 0, "unanswered": 0}
    for call in calls:
        entry = by_method.setdefault(
            call.method, {"total": 0, "ok": 0, "errors": {}, "unanswered": 0}
        )
        entry["total"] += 1
        totals["calls"] += 1
        if call.ok:
            entry["ok"] += 1
            totals["ok"] += 1
        elif call.status:
            key = str(call.status)
            entry["errors"][key] = entry["errors"].get(key, 0) + 1
            totals["errors"] += 1
        if call.status == 0 or call.fault == "drop_after":
            entry["unanswered"] += 1
            totals["unanswered"] += 1
    return {"calls": by_method, "totals": totals}


class BotApiSandbox:
    """Serves /bot<token>/<method> and /file/bot<token>/<path> like api.telegram.org."""

    def __init__(
        self,
        bot_username: str = "envoy_test_bot",
        *,
        flood_control: bool = True,
        flood_limit: int = 30,
        flood_window: float = 1.0,
        per_chat_burst: int | None = 3,
        per_chat_rate: float = 1.0,
        fault_timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
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
            per_chat_burst=per_chat_burst,
            per_chat_rate=per_chat_rate,
            monotonic=monotonic,
        )
        self.faults = FaultInjector(fault_timeout_seconds)
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
        await self.methods.webhook.stop()
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

    def set_faults(
        self,
        rate: float = 0.1,
        kinds: Iterable[str] = FAULT_KINDS,
        methods: Iterable[str] | None = None,
        seed: int | None = None,
        timeout_seconds: float | None = None,
    ) -> None:
        """Fail `rate` of the calls (default: all but getUpdates, getMe, setMyCommands)."""
        names = None if methods is None else [self._method_name(m) for m in methods]
        self.faults.configure(rate, kinds, names, seed, timeout_seconds)

    def clear_faults(self) -> None:
        """Answer every call normally again; the fault counters stay."""
        self.faults.clear()

    def set_flood(
        self,
        *,
        enabled: bool | None = None,
        overall_limit: int | None = None,
        window: float | None = None,
        per_chat_burst: int | None = None,
        per_chat_rate: float | None = None,
    ) -> dict[str, Any]:
        """Change flood limits at run time (None keeps a value, per_chat_burst=0 is off)."""
        self.flood.configure(
            enabled=enabled,
            limit=overall_limit,
            window=window,
            per_chat_burst=per_chat_burst,
            per_chat_rate=per_chat_rate,
        )
        return self.flood.config()

    def _method_name(self, method: str) -> str:
        found = self.methods.lookup(method)
        if found is None:
            raise ValueError(f"unknown Bot API method {method!r}")
        return found[0]

    @property
    def drop_after_executions(self) -> list[DropAfterExecution]:
        """Calls executed although the client got no answer: the source of retry duplicates."""
        return list(self.faults.drop_after)

    def stats(self) -> dict[str, Any]:
        """Calls, flood rejections, faults and pending updates, as GET /sandbox/api/stats."""
        return {
            **call_stats(self.core.calls),
            "flood": self.flood.stats(),
            "faults": self.faults.stats(),
            "drop_after": {
                "count": len(self.faults.drop_after),
                "executions": [d.to_json() for d in self.faults.drop_after],
            },
            "pending_updates": self.pending_updates,
        }

    def reset_stats(self) -> None:
        """Forget the call log and every counter, e.g. between benchmark phases."""
        self.core.calls.clear()
        self.flood.reset_stats()
        self.faults.reset_stats()

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

    async def _handle_api(self, request: web.Request) -> web.StreamResponse:
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
        if failures:
            return self._failed(request, name, params, failures.popleft())
        fault = self.faults.draw(name)
        if fault is not None:
            return await self._inject(fault, request, name, params, handler)
        return await self._execute(request, name, params, handler)

    async def _execute(
        self,
        request: web.Request,
        name: str,
        params: Params,
        handler: Handler,
        fault: str | None = None,
    ) -> web.Response:
        """Run the method and log the call; the answer is Telegram's JSON either way."""
        try:
            result = await handler(params)
        except ApiError as exc:
            return self._failed(request, name, params, exc, fault)
        self.core.calls.append(CallRecord(name, params.readable(), True, fault=fault))
        return web.Response(
            text=_dumps({"ok": True, "result": result}), content_type="application/json"
        )

    def _failed(
        self,
        request: web.Request,
        name: str,
        params: Params,
        exc: ApiError,
        fault: str | None = None,
    ) -> web.Response:
        if self._abandoned(request):
            # e.g. a long poll PTB cancelled on stop, superseded by its cleanup call
            logger.debug("sandbox %s abandoned by client: %s", name, exc.description)
            return self._error(exc)
        self.core.calls.append(
            CallRecord(name, params.readable(), False, exc.description, exc.status, fault)
        )
        if exc.status != 409:
            logger.debug("sandbox %s -> %s %s", name, exc.status, exc.description)
        return self._error(exc)

    async def _inject(
        self, fault: str, request: web.Request, name: str, params: Params, handler: Handler
    ) -> web.StreamResponse:
        """Answer, hold or drop the call as the fault kind says."""
        if fault == "500":
            error = ApiError(500, "Internal Server Error")
            return self._failed(request, name, params, error, fault)
        if fault == "429":
            wait = self.faults.retry_after()
            error = ApiError(429, f"Too Many Requests: retry after {wait}", retry_after=wait)
            return self._failed(request, name, params, error, fault)
        if fault == "502":
            self._log_fault(name, params, "Bad Gateway", 502, fault)
            return web.Response(status=502, text=BAD_GATEWAY_HTML, content_type="text/html")
        if fault == "drop_after":
            response = await self._execute(request, name, params, handler, fault)
            if response.status == 200:
                self.faults.record_drop_after(name, _chat_id(params), _text(params))
            return self._hang_up(request, response)
        if fault == "timeout":
            await asyncio.sleep(self.faults.timeout_seconds)
        self._log_fault(name, params, f"no answer ({fault})", 0, fault)
        return self._hang_up(request, web.Response(status=204))

    def _log_fault(self, name: str, params: Params, error: str, status: int, fault: str) -> None:
        self.core.calls.append(CallRecord(name, params.readable(), False, error, status, fault))

    @staticmethod
    def _hang_up(request: web.Request, response: web.Response) -> web.Response:
        """Close the connection unanswered; aiohttp takes the failed write as a quiet disconnect."""
        response.force_close()
        transport = request.transport
        if transport is not None:
            transport.close()
        return response

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
