"""Attachments on the web platform come from Telegram through the bot's getFile, behind the
same check as their problem: photos inline, documents downloaded, nothing rendered as a page."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from yarl import URL

from bot.app import web_server_of
from domain.models import Role
from sandbox import SimUser
from tests.e2e.conftest import World, make_world, png
from tests.e2e.test_web_link import ask_link

pytestmark = pytest.mark.e2e

SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
PDF = b"%PDF-1.4\n% a report\n"


@pytest.fixture
async def web_world(tmp_path: Path) -> AsyncIterator[World]:
    sandbox, world = await make_world(tmp_path, ENVOYBOT_WEB_PORT="0")
    try:
        yield world
    finally:
        await world.bot.stop()
        await sandbox.stop()


async def report_with_files(user: SimUser) -> str:
    await user.send_text("/report")
    cats = await user.wait_for(lambda m: "类别" in m.text and bool(m.buttons))
    await user.press(cats.message_id, text="通关物流")
    await user.wait_for(lambda m: "描述" in m.text, since=0)
    await user.send_text("进口设备清关受阻，附现场照片和报关单")
    await user.wait_for(lambda m: "照片或文件" in m.text)
    await user.send_photo(png())
    await user.wait_for(lambda m: "已收到第 1 个附件" in m.text)
    await user.send_document(PDF, "报关单<1>.pdf", "application/pdf")
    await user.wait_for(lambda m: "已收到第 2 个附件" in m.text)
    await user.send_document(SVG, "图.svg", "image/svg+xml")
    files = await user.wait_for(lambda m: "已收到第 3 个附件" in m.text)
    await user.press(files.message_id, text="完成")
    summary = await user.wait_for(lambda m: "请核对" in m.text)
    await user.press(summary.message_id, text="✅ 提交")
    done = await user.wait_for(lambda m: "已挂号" in m.text)
    return done.text.split("№")[1].split("。")[0]


async def signed_in_browser(user: SimUser) -> aiohttp.ClientSession:
    link = await ask_link(user)
    browser = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
    async with browser.post(link) as response:
        assert response.status == 200
    return browser


async def test_photos_show_and_documents_download_through_the_scope_check(
    web_world: World,
) -> None:
    staff = await web_world.join("staff", 101, "陈经理", Role.STAFF, "华光<精密>&机械")
    lead = await web_world.join("lead", 301, "王芳", Role.LEAD, "高新区工作队")
    other = await web_world.join("other", 401, "赵强", Role.LEAD, "经开区工作队")
    number = await report_with_files(staff)
    server = web_server_of(web_world.bot.app)
    base = URL(server.url)
    browser = await signed_in_browser(lead)
    stranger = await signed_in_browser(other)
    try:
        async with browser.get(base / "problems" / number) as page:
            text = await page.text()
        files = re.findall(rf"/problems/{number}/files/(\d+)", text)
        assert len(set(files)) == 3, text
        assert "报关单&lt;1&gt;.pdf" in text
        photo, pdf, svg = sorted(set(files), key=int)
        assert f'<img src="/problems/{number}/files/{photo}"' in text
        assert f'<img src="/problems/{number}/files/{svg}"' not in text  # not shown as a picture

        async with browser.get(base / "problems" / number / "files" / photo) as response:
            assert response.status == 200 and response.content_type == "image/png"
            assert await response.read() == png()  # the bytes Telegram holds
            assert response.headers["Content-Disposition"].startswith("inline")
            assert "sandbox" in response.headers["Content-Security-Policy"]
        async with browser.get(base / "problems" / number / "files" / pdf) as response:
            assert response.content_type == "application/pdf" and await response.read() == PDF
            disposition = response.headers["Content-Disposition"]
            assert disposition.startswith("attachment") and "%E6%8A%A5%E5%85%B3" in disposition
        async with browser.get(base / "problems" / number / "files" / svg) as response:
            assert response.content_type == "application/octet-stream"  # never run as a page
            assert response.headers["Content-Disposition"].startswith("attachment")

        for path in (f"problems/{number}", f"problems/{number}/files/{photo}"):
            async with stranger.get(base / path) as response:
                assert response.status == 404, path
        async with browser.get(base / "problems" / number / "files" / "999999") as response:
            assert response.status == 404

        web_world.sandbox.inject_failure("getFile", 400, "Bad Request: file is too big")
        async with browser.get(base / "problems" / number / "files" / pdf) as response:
            assert response.status == 200  # remembered from the first download
        async with browser.get(base / "problems" / number / "files" / svg) as response:
            assert response.status == 200
        web_world.sandbox.inject_failure("getFile", 400, "Bad Request: file is too big")
        await web_world.bot.stop()  # a fresh process: nothing remembered
        await web_world.restart()
        server = web_server_of(web_world.bot.app)
        async with aiohttp.ClientSession(cookie_jar=browser.cookie_jar) as again:
            url = URL(server.url) / "problems" / number / "files" / photo
            async with again.get(url) as response:
                assert response.status == 502 and "暂时取不到" in await response.text()
    finally:
        await browser.close()
        await stranger.close()
