"""Webhook mode: the sandbox POSTs every update to the bot, which checks the secret token and
answers only once the update was handled and its step saved."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from domain.models import Role
from tests.e2e.conftest import World, make_world
from tests.e2e.test_kill import persisted_step
from tests.e2e.test_story import report
from tests.pg_cluster import free_port


@pytest.fixture
async def hooked(tmp_path: Path, world_engine: str) -> AsyncIterator[World]:
    port = free_port()
    sandbox, world = await make_world(
        tmp_path,
        engine=world_engine,
        ENVOYBOT_WEBHOOK_URL=f"http://127.0.0.1:{port}/tg/hook",
        ENVOYBOT_WEBHOOK_PORT=str(port),
    )
    try:
        yield world
    finally:
        await world.bot.stop()
        await sandbox.stop()


def _message(update_id: int, user_id: int, text: str) -> dict[str, object]:
    person = {"id": user_id, "is_bot": False, "first_name": "陈经理"}
    return {
        "update_id": update_id,
        "message": {
            "message_id": 10_000 + update_id,
            "date": int(time.time()),
            "chat": {**person, "type": "private"},
            "from": person,
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": len(text)}],
        },
    }


async def test_a_report_travels_by_webhook(hooked: World) -> None:
    sandbox = hooked.sandbox
    info = sandbox.methods.webhook.info()
    assert info["url"] == hooked.settings.webhook_url
    staff = await hooked.join("staff", 101, "陈经理", Role.STAFF, "华光<精密>&机械")
    envoy = await hooked.join("envoy", 201, "李雷", Role.ENVOY, "李雷")
    seen = envoy.sent_count
    number = await report(hooked, staff, "通关物流", "设备进口清关受阻，急需协调海关")
    await envoy.wait_for(lambda m: number in m.text, after_count=seen)
    assert sandbox.methods.webhook.state.delivered == 7  # two joins, five report steps
    assert not sandbox.calls_of("getUpdates")  # nothing was polled
    assert sandbox.methods.webhook.state.secret_token == hooked.settings.webhook_secret_token


async def test_the_secret_is_checked_and_the_answer_waits_for_the_saved_step(
    hooked: World,
) -> None:
    await hooked.join("staff", 101, "陈经理", Role.STAFF, "华光<精密>&机械")
    url = hooked.settings.webhook_url
    assert url is not None
    body = json.dumps(_message(900_001, 101, "/report"))
    secret = hooked.settings.webhook_secret_token
    async with aiohttp.ClientSession() as http:
        for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}):
            headers = {**headers, "Content-Type": "application/json"}
            async with http.post(url, data=body, headers=headers) as response:
                assert response.status == 403
        assert persisted_step(hooked.db_path, 101) is None  # a refused request did nothing
        headers = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": secret}
        async with http.post(url, data=body, headers=headers) as response:
            assert response.status == 200
            # answered only now: the conversation's first step is already in the database
            assert persisted_step(hooked.db_path, 101) == 0
