"""The web platform in headless Chromium, from the demo's chat page: a lead asks for /web,
signs in, sees the team's colour-coded problems, filters to red, opens one; an envoy accepts
a problem in the chat and the lead's open list changes by itself; another team's problem
is a 404."""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.async_api import Browser, BrowserContext, Page, async_playwright, expect

from bot.config import Settings
from bot.demo import Demo, start_demo
from bot.demo_seed import ENTERPRISES, TEAMS
from tests.e2e.test_demo_browser import ARGS, CHROMIUM, START, _need_chromium, bot_message

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite_only]  # the demo's own SQLite file

LEAD = 3002  # 赵强, lead of 经开区工作队
ENVOY = 2003  # 孙伟, envoy of 西山化工 and 恒达汽车零部件 (经开区)
STAFF = 1005  # 冯雪 of 西山化工
WAIT = 10_000  # ms
LIVE = 15_000  # ms: the list polls every few seconds
TEAM = "经开区工作队"


@pytest.fixture
async def demo(tmp_path: Path) -> AsyncIterator[Demo]:
    _need_chromium()
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    running = await start_demo(
        settings, port=0, db=str(tmp_path / "demo.db"), lang="zh", start=START
    )
    try:
        yield running
    finally:
        await running.stop()


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as pw:
        launched = await pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            yield launched
        finally:
            await launched.close()


def enterprises(team: str | None = None, other_than: str | None = None) -> set[str]:
    return {
        e.name
        for e in ENTERPRISES
        if (team is None or e.team == team) and (other_than is None or e.team != other_than)
    }


async def sign_in_from_chat(context: BrowserContext, demo: Demo, uid: int) -> Page:
    """In the chat page as ``uid``: send /web, open the link, press Sign in; the list page."""
    chat = await context.new_page()
    await chat.goto(f"{demo.url}?as={uid}")
    await expect(chat.locator("#person")).to_have_value(str(uid))
    web_link = chat.locator("#web-link")
    await expect(web_link).to_be_visible()
    assert demo.web_url is not None
    assert await web_link.get_attribute("href") == demo.web_url
    await chat.locator("#text").fill("/web")
    await chat.locator("#text").press("Enter")
    message = bot_message(chat, "云平台登录链接").last
    await expect(message).to_be_visible(timeout=WAIT)
    href = await message.locator("a[href*='/signin/']").first.get_attribute("href")
    assert href is not None and href.startswith(demo.web_url + "signin/")
    web = await context.new_page()
    await web.goto(href)
    await expect(web.locator("h1")).to_contain_text("确认登录")
    await web.locator("#signin").click()
    await expect(web).to_have_url(re.compile(r"/problems$"), timeout=WAIT)
    return web


async def listed(page: Page) -> list[dict[str, str]]:
    return list(
        await page.locator("tr.row").evaluate_all(
            """rows => rows.map(r => ({
                number: r.dataset.number, colour: r.dataset.colour, state: r.dataset.state,
                enterprise: r.querySelector('.col-enterprise a').textContent.trim(),
                tint: getComputedStyle(r.querySelector('td')).backgroundColor,
                bar: getComputedStyle(r.querySelector('.col-colour')).borderLeftColor,
            }))"""
        )
    )


async def register_in_chat(demo: Demo, description: str) -> str:
    """冯雪 of 西山化工 reports a problem through the bot, as the chat page would."""
    user = demo.sandbox.user(STAFF, "冯雪", language_code="zh-hans")
    seen = user.sent_count
    await user.send_text("/report")
    cats = await user.wait_for(lambda m: "类别" in m.text and bool(m.buttons), after_count=seen)
    await user.press(cats.message_id, text="用人用工")
    await user.wait_for(lambda m: "描述" in m.text, after_count=seen)
    await user.send_text(description)
    files = await user.wait_for(lambda m: "照片或文件" in m.text, after_count=seen)
    await user.press(files.message_id, text="跳过附件")
    summary = await user.wait_for(lambda m: "请核对" in m.text, after_count=seen)
    await user.press(summary.message_id, text="✅ 提交")
    done = await user.wait_for(lambda m: "已挂号" in m.text, after_count=seen)
    found = re.search(r"№(\d{4}-\d{4})", done.text)
    assert found is not None
    return found.group(1)


async def test_a_lead_follows_the_teams_problems_on_the_web(demo: Demo, browser: Browser) -> None:
    errors: list[str] = []
    lead_context = await browser.new_context(viewport={"width": 1280, "height": 900})
    web = await sign_in_from_chat(lead_context, demo, LEAD)
    web.on("pageerror", lambda exc: errors.append(str(exc)))

    # only the team's problems, each in its colour (row tint and bar differ by colour)
    rows = await listed(web)
    assert rows and {r["enterprise"] for r in rows} <= enterprises(TEAM)
    assert {r["colour"] for r in rows} >= {"red", "white"}, rows
    tints = {r["colour"]: r["tint"] for r in rows}
    assert tints["red"] != tints["white"] and tints["red"] != "rgba(0, 0, 0, 0)"
    text = await web.locator("main").inner_text()
    for name in enterprises(other_than=TEAM):
        assert name not in text
    assert TEAM in text and "收集问题" in text and "解决率" in text

    # filter to red, open the red problem and read its timeline
    await web.locator(".chip[data-colour='red']").click()
    await expect(web).to_have_url(re.compile(r"colour=red"))
    red = await listed(web)
    assert red and {r["colour"] for r in red} == {"red"}
    await web.locator("tr.row .col-number a").first.click()
    await expect(web.locator(".problem h1")).to_contain_text(red[0]["number"])
    timeline = web.locator("ol.timeline > li")
    await expect(timeline.first).to_contain_text("挂号")
    assert await timeline.count() >= 2
    await expect(web.locator(".timeline")).to_contain_text("受理分级")
    await expect(web.locator(".badge-red")).to_contain_text("超期")
    photo = web.locator(".gallery img").first  # 西山化工's report came with a site photo
    await expect(photo).to_be_visible()
    assert await photo.evaluate("img => img.complete && img.naturalWidth") == 240

    # the open list changes by itself: a new report arrives, then the envoy accepts it
    await web.goto(demo.web_url + "problems")
    await web.evaluate("window.__notReloaded = true")
    number = await register_in_chat(
        demo, "临时用工备案系统登不上，50 名新员工没法入职，请协调人社局。"
    )
    new_row = web.locator(f"tr.row[data-number='{number}']")
    await expect(new_row).to_have_attribute("data-state", "registered", timeout=LIVE)

    envoy_context = await browser.new_context(viewport={"width": 1280, "height": 800})
    chat = await envoy_context.new_page()
    await chat.goto(f"{demo.url}?as={ENVOY}")
    card = bot_message(chat, f"新问题 №{number}").last
    await expect(card).to_be_visible(timeout=WAIT)
    await card.get_by_role("button", name="受理·1级").click(timeout=WAIT)
    await expect(bot_message(chat, f"已受理 №{number}").last).to_be_visible(timeout=WAIT)
    await expect(new_row).to_have_attribute("data-state", "in_progress", timeout=LIVE)
    await expect(new_row).to_contain_text("孙伟")
    assert await web.evaluate("window.__notReloaded === true")  # no reload happened

    # another team's problem by its address: not found, and nothing of it shown
    other = await demo.bot.services.db.fetchone(  # type: ignore[union-attr]
        "SELECT p.number, p.description FROM problems p JOIN enterprises e"
        " ON e.id = p.enterprise_id JOIN teams t ON t.id = e.team_id WHERE t.name = ?",
        (TEAMS[0].name,),
    )
    assert other is not None
    response = await web.goto(f"{demo.web_url}problems/{other['number']}")
    assert response is not None and response.status == 404
    await expect(web.locator("h1")).to_contain_text("找不到页面")
    assert other["description"] not in await web.content()
    assert not errors, errors
    await envoy_context.close()
    await lead_context.close()


async def test_screenshots_of_the_list(demo: Demo, browser: Browser) -> None:
    """docs/web-list.png (1280 px) and docs/web-list-phone.png, when asked for."""
    target = os.environ.get("ENVOYBOT_WEB_SCREENSHOTS")
    if not target:
        pytest.skip("set ENVOYBOT_WEB_SCREENSHOTS=docs to retake the README's screenshots")
    folder = Path(target)
    context = await browser.new_context(viewport={"width": 1280, "height": 960})
    web = await sign_in_from_chat(context, demo, 1000)  # the city office sees every colour
    await web.screenshot(path=str(folder / "web-list.png"))
    phone = await browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True
    )
    await phone.add_cookies(await context.cookies())
    page = await phone.new_page()
    await page.goto(demo.web_url + "problems")  # type: ignore[operator]
    await page.screenshot(path=str(folder / "web-list-phone.png"))
    assert datetime.now(UTC).year >= 2026
