"""/web in the chat: a one-time link to the web platform, which the bot serves beside itself."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from bot.app import web_server_of
from domain.models import Role
from sandbox import SimUser
from tests.e2e.conftest import World, make_world

pytestmark = pytest.mark.e2e

LINK_RE = re.compile(r'href="(http://127\.0\.0\.1:\d+/signin/[A-Za-z0-9_-]+)"')


@pytest.fixture
async def web_world(tmp_path: Path) -> AsyncIterator[World]:
    sandbox, world = await make_world(tmp_path, ENVOYBOT_WEB_PORT="0")
    try:
        yield world
    finally:
        await world.bot.stop()
        await sandbox.stop()


async def ask_link(user: SimUser) -> str:
    seen = user.sent_count
    await user.send_text("/web")
    message = await user.wait_for(lambda m: "/signin/" in m.html, after_count=seen)
    match = LINK_RE.search(message.html)
    assert match is not None, message.html
    return match.group(1)


async def test_a_lead_asks_for_a_link_and_signs_in_with_it(web_world: World) -> None:
    lead = await web_world.join("lead", 301, "王芳", Role.LEAD, "高新区工作队")
    server = web_server_of(web_world.bot.app)
    assert server is not None and server.port > 0
    link = await ask_link(lead)
    assert link.startswith(server.url + "/signin/")
    assert "10 分钟内有效" in lead.messages[-1].text
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as browser:
        async with browser.get(link) as page:
            assert page.status == 200 and "王芳" in await page.text()
        async with browser.post(link) as page:  # follows the redirect to the list
            assert page.status == 200 and str(page.url).endswith("/problems")
        async with browser.post(link) as page:
            assert page.status == 410  # once only


async def test_strangers_get_no_link_and_nobody_gets_too_many(web_world: World) -> None:
    stranger = web_world.sandbox.user(555, "路人", language_code="zh-hans")
    seen = stranger.sent_count
    await stranger.send_text("/web")
    answer = await stranger.wait_for(after_count=seen)
    assert "绑定身份" in answer.text and "signin" not in answer.html

    envoy = await web_world.join("envoy", 201, "李雷", Role.ENVOY, "李雷")
    for _ in range(5):
        await ask_link(envoy)
    seen = envoy.sent_count
    await envoy.send_text("/web")
    answer = await envoy.wait_for(after_count=seen)
    assert "太频繁" in answer.text and "signin" not in answer.html


async def test_without_a_web_platform_web_says_so(world: World) -> None:
    staff = await world.join("staff", 101, "陈经理", Role.STAFF, "华光<精密>&机械")
    assert web_server_of(world.bot.app) is None
    seen = staff.sent_count
    await staff.send_text("/web")
    answer = await staff.wait_for(after_count=seen)
    assert "还没有开通云平台" in answer.text
