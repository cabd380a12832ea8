"""Webhook delivery as Telegram does it: each update POSTed to the URL setWebhook gave.

An update counts as delivered on a 2XX answer; anything else (another status, a refused or
dropped connection, no answer in time) is tried again after a pause, and getWebhookInfo
reports the last error. Up to max_connections requests are in flight, and one chat's updates
go one at a time in order (the next only after the previous was answered), so a bot behind
the webhook sees each chat's updates in order whichever instance answers them.
"""

from __future__ import annotations

import asyncio
import logging
import re
import ssl
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from sandbox.core import Core, bad_request

logger = logging.getLogger(__name__)

SECRET_RE = re.compile(r"[A-Za-z0-9_-]{1,256}")
URL_RE = re.compile(r"https?://[^\s/?#]+(/[^\s#]*)?")  # the sandbox accepts http:// too
RETRY_FIRST = 0.1
RETRY_MAX = 2.0


def chat_of(update: dict[str, Any]) -> int | None:
    """Whose update this is: the chat of a message, the user of a button press."""
    for kind, payload in update.items():
        if kind == "update_id" or not isinstance(payload, dict):
            continue
        if isinstance(payload.get("chat"), dict):
            return int(payload["chat"]["id"])
        sender = payload.get("from")
        if isinstance(sender, dict):
            return int(sender["id"])
    return None


@dataclass
class WebhookState:
    """What setWebhook set and how delivery goes."""

    url: str = ""
    secret_token: str | None = None
    max_connections: int = 40
    allowed_updates: list[str] | None = None
    last_error_date: int | None = None
    last_error_message: str | None = None
    delivered: int = 0
    attempts: int = 0
    failures: int = 0
    delivered_ids: list[int] = field(default_factory=list)


class WebhookDelivery:
    """POSTs the core's pending updates to the webhook until deleteWebhook."""

    def __init__(self, core: Core, timeout: float = 60.0) -> None:
        self.core = core
        self.timeout = timeout
        self.state = WebhookState()
        self._task: asyncio.Task[None] | None = None
        self._in_flight: dict[int, asyncio.Task[None]] = {}  # update_id → its request
        self._busy_chats: set[int] = set()
        self._waiting: dict[int, float] = {}  # update_id → loop time it may go again
        self._retry: dict[int, float] = {}  # update_id → its next pause
        self._session: aiohttp.ClientSession | None = None
        self._closed = False
        # what https webhooks are checked against: the system's CAs, or a test's own
        # self-signed certificate (as Telegram trusts one uploaded with setWebhook)
        self.ssl: ssl.SSLContext | None = None

    @property
    def active(self) -> bool:
        return bool(self.state.url)

    def configure(self, params: Any) -> None:
        """setWebhook: check the parameters, then deliver to the new address."""
        url = params.string("url") or ""
        if url and not URL_RE.fullmatch(url):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        secret = params.string("secret_token")
        if secret is not None and not SECRET_RE.fullmatch(secret):
            raise bad_request("secret token contains unallowed characters")
        connections = params.integer("max_connections")
        if connections is not None and not 1 <= connections <= 100:
            raise bad_request("bad webhook: max_connections must be between 1 and 100")
        allowed = params.json("allowed_updates")
        if params.flag("drop_pending_updates"):
            self.core.updates.clear()
        self.state.url = url
        self.state.secret_token = secret
        self.state.max_connections = connections or 40
        if allowed is not None:
            self.state.allowed_updates = list(allowed) or None
            self.core.allowed_updates = self.state.allowed_updates
        if url:
            self._ensure_running()
        self.core.changed.notify()

    def remove(self, drop_pending: bool) -> None:
        """deleteWebhook: stop delivering (requests in flight finish on their own)."""
        self.state.url = ""
        if drop_pending:
            self.core.updates.clear()
        self.core.changed.notify()

    def info(self) -> dict[str, Any]:
        """getWebhookInfo's WebhookInfo."""
        out: dict[str, Any] = {
            "url": self.state.url,
            "has_custom_certificate": False,
            "pending_update_count": len(self.core.updates),
        }
        if self.state.url:
            out["max_connections"] = self.state.max_connections
            if self.state.allowed_updates is not None:
                out["allowed_updates"] = self.state.allowed_updates
        if self.state.last_error_date is not None:
            out["last_error_date"] = self.state.last_error_date
            out["last_error_message"] = self.state.last_error_message
        return out

    def _ensure_running(self) -> None:
        self._closed = False
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._loop(), name="webhook")

    async def stop(self) -> None:
        self._closed = True  # a cancel that meets a wake-up can be lost (wait_for, 3.11)
        self.core.changed.notify()
        for task in [self._task, *self._in_flight.values()]:
            if task is not None:
                task.cancel()
        tasks = [t for t in (self._task, *self._in_flight.values()) if t is not None]
        await asyncio.gather(*tasks, return_exceptions=True)
        self._task = None
        self._in_flight.clear()
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _wanted(self, update: dict[str, Any]) -> bool:
        wanted = self.state.allowed_updates
        return wanted is None or any(kind in update for kind in wanted)

    def _next(self) -> list[dict[str, Any]]:
        """Updates that may go now: not in flight, not pausing, first of their chat."""
        now = asyncio.get_running_loop().time()
        picked: list[dict[str, Any]] = []
        seen_chats: set[int] = set()
        room = self.state.max_connections - len(self._in_flight)
        for update in self.core.updates:
            if room <= 0:
                break
            update_id = update["update_id"]
            chat = chat_of(update)
            blocked = chat is not None and (chat in self._busy_chats or chat in seen_chats)
            if chat is not None:
                seen_chats.add(chat)  # later updates of the chat wait for this one
            if blocked or update_id in self._in_flight or not self._wanted(update):
                continue
            if self._waiting.get(update_id, 0.0) > now:
                continue
            picked.append(update)
            room -= 1
        return picked

    async def _loop(self) -> None:
        loop = asyncio.get_running_loop()
        while self.state.url and not self._closed:
            pauses = [t for i, t in self._waiting.items() if i not in self._in_flight]
            wake = min(pauses) - loop.time() if pauses else 1.0
            picked = await self.core.changed.wait_until(self._next, max(0.005, min(wake, 1.0)))
            if not self.state.url or self._closed:
                return
            for update in picked or ():
                chat = chat_of(update)
                if chat is not None:
                    self._busy_chats.add(chat)
                task = loop.create_task(self._deliver(update, chat))
                self._in_flight[update["update_id"]] = task

    async def _post(self, update: dict[str, Any]) -> str | None:
        """One request; None when answered 2XX, else what went wrong."""
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.timeout))
        headers = {"Content-Type": "application/json"}
        if self.state.secret_token:
            headers["X-Telegram-Bot-Api-Secret-Token"] = self.state.secret_token
        try:
            post = self._session.post(
                self.state.url, json=update, headers=headers, ssl=self.ssl or True
            )
            async with post as r:
                await r.read()
                if 200 <= r.status < 300:
                    return None
                return f"Wrong response from the webhook: {r.status} {r.reason}"
        except TimeoutError:
            return "Read timeout expired"
        except aiohttp.ClientConnectorError as exc:
            return f"Connection refused ({exc.os_error})"
        except aiohttp.ClientError as exc:
            return f"Connection failed: {type(exc).__name__}"

    async def _deliver(self, update: dict[str, Any], chat: int | None) -> None:
        update_id = update["update_id"]
        try:
            self.state.attempts += 1
            error = await self._post(update)
            if error is None:
                self.core.updates = [u for u in self.core.updates if u["update_id"] != update_id]
                self._waiting.pop(update_id, None)
                self._retry.pop(update_id, None)
                self.state.delivered += 1
                self.state.delivered_ids.append(update_id)
            else:
                self.state.failures += 1
                self.state.last_error_date = self.core.now()
                self.state.last_error_message = error
                pause = self._retry.get(update_id, RETRY_FIRST)
                self._retry[update_id] = min(pause * 2, RETRY_MAX)
                self._waiting[update_id] = asyncio.get_running_loop().time() + pause
                logger.info("webhook delivery of %s failed: %s", update_id, error)
        finally:
            self._in_flight.pop(update_id, None)
            if chat is not None:
                self._busy_chats.discard(chat)
            self.core.changed.notify()
