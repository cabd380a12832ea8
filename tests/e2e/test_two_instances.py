"""Two instances of the bot on one PostgreSQL database behind one webhook (a round-robin
proxy in front): each update may reach either, and each reads the chat's state from the
database, so a conversation goes on whichever instance its next step reaches."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.local import LocalBot
from domain.models import Role
from sandbox.balancer import Balancer
from tests.e2e.conftest import World, make_world
from tests.e2e.test_lifecycle import act, open_card
from tests.e2e.test_story import report
from tests.pg_cluster import free_port


@dataclass
class Pair:
    world: World
    second: LocalBot
    balancer: Balancer


@pytest.fixture
async def pair(tmp_path: Path) -> AsyncIterator[Pair]:
    ports = (free_port(), free_port())
    balancer = await Balancer([f"http://127.0.0.1:{p}/hook" for p in ports]).start("/hook")
    sandbox, world = await make_world(
        tmp_path,
        engine="postgresql",
        ENVOYBOT_WEBHOOK_URL=balancer.url,
        ENVOYBOT_WEBHOOK_PORT=str(ports[0]),
        ENVOYBOT_INSTANCE="first",
    )
    settings = world.settings.model_copy(update={"webhook_port": ports[1], "instance": "second"})
    second = LocalBot(settings, clock=world.clock)
    await second.start()
    try:
        yield Pair(world, second, balancer)
    finally:
        await second.stop()
        await world.bot.stop()
        await balancer.stop()
        await sandbox.stop()


async def test_a_conversation_goes_on_whichever_instance_its_steps_reach(pair: Pair) -> None:
    world = pair.world
    staff = await world.join("staff", 101, "陈经理", Role.STAFF, "华光<精密>&机械")
    envoy = await world.join("envoy", 201, "李雷", Role.ENVOY, "李雷")
    seen = envoy.sent_count
    numbers = [
        await report(world, staff, "通关物流", f"设备进口清关受阻，第 {i} 批急需协调")
        for i in range(3)
    ]
    assert len(set(numbers)) == 3
    card = await envoy.wait_for(lambda m: numbers[0] in m.text, after_count=seen)
    await act(envoy, card.message_id, "受理·1级", expect="已受理")
    # both instances answered steps of the same conversations
    assert all(count >= 5 for count in pair.balancer.forwarded.values()), pair.balancer.forwarded
    problems = await world.bot.services.problems.for_enterprise(1, limit=10)
    assert problems[1] == 3
    for bot in (world.bot, pair.second):
        assert bot.app is not None
        assert bot.app.persistence.conflicts == 0  # type: ignore[union-attr]
    await open_card(envoy, numbers[0])  # a command after the press: either instance answers
