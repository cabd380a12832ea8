"""The sandbox's webhook delivery: setWebhook, the secret header, retries, order per chat."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
import telegram
from aiohttp import web
from telegram.error import BadRequest, Conflict

from sandbox import BotApiSandbox
from tests.e2e.test_kill import until


class Receiver:
    """A webhook endpoint: records what arrives, answers with the status the test wants."""

    def __init__(self) -> None:
        self.got: list[tuple[dict[str, Any], str | None]] = []
        self.status: Callable[[dict[str, Any]], int] = lambda update: 200
        self.hold: asyncio.Event | None = None
        self.arrived = asyncio.Event()
        self.runner: web.AppRunner | None = None
        self.url = ""

    async def handle(self, request: web.Request) -> web.Response:
        update = json.loads(await request.read())
        self.got.append((update, request.headers.get("X-Telegram-Bot-Api-Secret-Token")))
        self.arrived.set()
        if self.hold is not None:
            await self.hold.wait()
        return web.Response(status=self.status(update))

    async def start(self) -> Receiver:
        app = web.Application()
        app.router.add_post("/hook", self.handle)
        self.runner = web.AppRunner(app, shutdown_timeout=0.1)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}/hook"
        return self

    def texts(self) -> list[str]:
        return [u["message"]["text"] for u, _ in self.got if "message" in u]


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    got = await Receiver().start()
    yield got
    assert got.runner is not None
    await got.runner.cleanup()


async def test_updates_are_posted_with_the_secret_and_leave_the_queue(
    sandbox: BotApiSandbox, bot: telegram.Bot, receiver: Receiver
) -> None:
    assert await bot.set_webhook(receiver.url, secret_token="s3cret_-X", max_connections=5)
    info = await bot.get_webhook_info()
    assert info.url == receiver.url and info.max_connections == 5
    user = sandbox.user(7, "Ann")
    await user.send_text("hello")
    await until(lambda: receiver.got)
    update, secret = receiver.got[0]
    assert secret == "s3cret_-X" and update["message"]["text"] == "hello"
    await until(lambda: not sandbox.core.updates)
    assert (await bot.get_webhook_info()).pending_update_count == 0
    with pytest.raises(Conflict, match="webhook is active"):
        await bot.get_updates()
    assert await bot.delete_webhook()
    await user.send_text("polled")
    updates = await bot.get_updates(timeout=1)
    assert [u.message.text for u in updates if u.message] == ["polled"]


async def test_a_failed_delivery_is_tried_again_and_reported(
    sandbox: BotApiSandbox, bot: telegram.Bot, receiver: Receiver
) -> None:
    failures = {"left": 2}

    def status(update: dict[str, Any]) -> int:
        if failures["left"]:
            failures["left"] -= 1
            return 500
        return 200

    receiver.status = status
    await bot.set_webhook(receiver.url)
    await sandbox.user(7, "Ann").send_text("again")
    await until(lambda: not sandbox.core.updates)
    assert receiver.texts() == ["again", "again", "again"]
    info = await bot.get_webhook_info()
    assert info.last_error_message == "Wrong response from the webhook: 500 Internal Server Error"


async def test_one_chat_waits_for_its_previous_update_others_do_not(
    sandbox: BotApiSandbox, bot: telegram.Bot, receiver: Receiver
) -> None:
    receiver.hold = asyncio.Event()
    await bot.set_webhook(receiver.url)
    ann, bob = sandbox.user(7, "Ann"), sandbox.user(8, "Bob")
    await ann.send_text("ann 1")
    await ann.send_text("ann 2")
    await bob.send_text("bob 1")
    await until(lambda: len(receiver.got) == 2)
    await asyncio.sleep(0.1)
    assert sorted(receiver.texts()) == ["ann 1", "bob 1"]  # ann 2 waits for ann 1's answer
    receiver.hold.set()
    await until(lambda: len(receiver.got) == 3)
    assert receiver.texts()[2] == "ann 2"


async def test_bad_parameters_are_refused(bot: telegram.Bot, receiver: Receiver) -> None:
    with pytest.raises(BadRequest, match=r"(?i)secret token contains unallowed characters"):
        await bot.set_webhook(receiver.url, secret_token="no spaces")
    with pytest.raises(BadRequest, match=r"(?i)HTTPS URL must be provided"):
        await bot.set_webhook("ftp://example.org/hook")
    with pytest.raises(BadRequest, match=r"(?i)max_connections"):
        await bot.set_webhook(receiver.url, max_connections=101)
    assert (await bot.get_webhook_info()).url == ""
