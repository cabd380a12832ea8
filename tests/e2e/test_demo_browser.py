"""The demo page in headless Chromium: staff reports with a photo, envoy accepts, clock +1 day."""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.async_api import Locator, Page, async_playwright, expect

from bot.config import Settings
from bot.demo import Demo, start_demo
from bot.demo_seed import demo_png

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# a Monday, 10:00 in Shanghai: the deadline a day later is outside quiet hours
START = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
STAFF, ENVOY = 1001, 2001  # 陈静 of 华光精密机械有限公司 and her envoy 李雷
WAIT = 10_000  # ms
DESCRIPTION = "从德国进口的数控机床在港口滞留一周，补充材料已提交海关，急需协调尽快查验放行。"
# pictographs an emoji font would be needed for (the bot's own texts may have them; the page not)
EMOJI = r"/[\p{Extended_Pictographic}\u{FE0F}]/u"

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite_only]  # the demo's own SQLite file


def _need_chromium() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{CHROMIUM} is missing on CI: .ci/run must install Debian's chromium")
    pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium fonts-noto-cjk)")


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


def bot_message(page: Page, pattern: str) -> Locator:
    """The bot bubbles (with their buttons) whose text matches pattern."""
    return page.locator(".msg.bot", has_text=re.compile(pattern))


async def test_report_accept_and_overdue_through_the_page(demo: Demo, tmp_path: Path) -> None:
    photo = tmp_path / "现场.png"
    photo.write_bytes(demo_png(seed=3))
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            # the README's screenshot is taken here: a wide screen, as most first visitors have
            context = await browser.new_context(viewport={"width": 1280, "height": 800})
            staff = await context.new_page()
            envoy = await context.new_page()
            errors: list[str] = []
            for page in (staff, envoy):
                page.on("pageerror", lambda exc: errors.append(str(exc)))
            await staff.goto(f"{demo.url}?as={STAFF}")
            await envoy.goto(f"{demo.url}?as={ENVOY}")
            await expect(staff.locator("#person")).to_have_value(str(STAFF))
            await expect(staff.locator("#person option:checked")).to_contain_text("企业联系人")
            # the department people are in the picker, in their own group
            group = staff.locator('#person optgroup[label="职能部门"] option')
            await expect(group).to_have_count(3)
            await expect(group.first).to_contain_text("职能部门 · 海关")

            # staff: the reply keyboard starts the report, inline buttons and upload carry it
            await staff.locator(".reply-row button", has_text="上报问题").click(timeout=WAIT)
            cats = bot_message(staff, "请选择问题类别").last
            await cats.get_by_role("button", name="通关物流").click(timeout=WAIT)
            await expect(bot_message(staff, "请描述").last).to_be_visible(timeout=WAIT)
            await staff.locator("#text").fill(DESCRIPTION)
            await staff.locator("#text").press("Enter")
            await expect(bot_message(staff, "照片或文件").last).to_be_visible(timeout=WAIT)
            await staff.locator("#photo-input").set_input_files(str(photo))
            await expect(staff.locator(".msg.user img.photo")).to_have_count(1, timeout=WAIT)
            added = bot_message(staff, "已收到第 1 个附件").last
            await added.get_by_role("button", name="完成").click(timeout=WAIT)
            summary = bot_message(staff, "请核对").last
            await expect(summary).to_contain_text(DESCRIPTION, timeout=WAIT)
            registered = bot_message(staff, "已挂号")
            before = await registered.count()  # the seeded story registered some already
            await summary.get_by_role("button", name="✅ 提交").click(timeout=WAIT)
            await expect(registered).to_have_count(before + 1, timeout=WAIT)
            done = registered.last
            number = re.search(r"№(\d{4}-\d{4})", await done.inner_text())
            assert number is not None
            no = number.group(1)

            # envoy: the card arrives live (no reload) with the photo; accept as tier 1
            card = bot_message(envoy, f"新问题 №{no}").last
            await expect(card).to_be_visible(timeout=WAIT)
            photos = envoy.locator(".msg.bot img.photo")
            await expect(photos).to_have_count(1, timeout=WAIT)
            assert await photos.first.evaluate("img => img.naturalWidth") == 240
            await card.get_by_role("button", name="受理·1级").click(timeout=WAIT)
            await expect(bot_message(envoy, f"已受理 №{no}").last).to_be_visible(timeout=WAIT)
            # …and the staff tab hears of it
            await expect(bot_message(staff, f"№{no}.*已由特派员").last).to_be_visible(timeout=WAIT)

            target = os.environ.get("ENVOYBOT_DEMO_SCREENSHOT")
            if target:  # docs/demo.png: the staff's side, from the description prompt on
                await staff.set_viewport_size({"width": 1280, "height": 900})
                await staff.locator("#chat").evaluate("c => { c.scrollTop = c.scrollHeight; }")
                await staff.screenshot(path=target)

            # the demo clock: +1 day makes the tier-1 deadline pass
            await envoy.locator("#plus-1d").click()
            overdue = bot_message(envoy, f"№{no}[\\s\\S]*已逾期").last
            await expect(overdue).to_be_visible(timeout=WAIT)
            await expect(envoy.locator("#clock-now")).to_contain_text("2026-03-03 10:00")
            await envoy.screenshot(path=str(tmp_path / "envoy.png"))
            assert not errors, errors
        finally:
            await browser.close()


async def _widest_option(page: Page) -> float:
    """Width in px of the longest person label, measured in the select's own font."""
    return float(
        await page.locator("#person").evaluate(
            """select => {
                const ctx = document.createElement("canvas").getContext("2d");
                ctx.font = getComputedStyle(select).font;
                return Math.max(...[...select.options].map(o => ctx.measureText(o.text).width));
            }"""
        )
    )


async def _side_gaps(page: Page) -> tuple[float, float]:
    """Space left of the leftmost bot bubble and right of the rightmost user bubble."""
    gaps = await page.locator("#chat").evaluate(
        """chat => {
            const box = chat.getBoundingClientRect();
            const edge = (sel, f, side) => f(...[...chat.querySelectorAll(sel)].map(
                el => el.getBoundingClientRect()[side]));
            return [edge(".msg.bot", Math.min, "left") - box.left,
                    box.right - edge(".msg.user", Math.max, "right")];
        }"""
    )
    return float(gaps[0]), float(gaps[1])


async def test_page_chrome_alert_and_wide_layout(demo: Demo) -> None:
    """<html lang>, emoji-free icons, an alert at once, a centred chat and whole names."""
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            page = await browser.new_page(viewport={"width": 1600, "height": 900})
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            await page.goto(f"{demo.url}?as={STAFF}")
            assert await page.evaluate("document.documentElement.lang") == "zh-CN"
            await expect(page.locator("#person")).to_have_value(str(STAFF))

            # the person picker is as wide as its longest name · role · organisation
            select = await page.locator("#person").bounding_box()
            assert select is not None and select["width"] >= await _widest_option(page) + 20

            # the page's own buttons and labels need no emoji font: inline SVG icons
            for button in ("#attach-photo", "#attach-doc"):
                drawn = await page.locator(f"{button} svg").bounding_box()
                assert drawn is not None and drawn["width"] >= 16, button
                assert await page.locator(button).get_attribute("aria-label")
            chrome = await page.evaluate(
                "[...document.querySelectorAll('.bar, #composer')].map(e => e.textContent).join()"
            )
            assert not await page.evaluate(f"t => {EMOJI}.test(t)", chrome), chrome

            # mid-report, a button of an older message is refused with an alert: it shows at
            # once, not when the page's 25 s long poll next returns
            await page.locator(".reply-row button", has_text="上报问题").click(timeout=WAIT)
            cats = bot_message(page, "请选择问题类别").last
            await expect(cats).to_be_visible(timeout=WAIT)
            old = bot_message(page, "已由特派员 李雷 受理").first
            await old.get_by_role("button", name="查看详情").click(timeout=WAIT)
            toast = page.locator("#toast.alert")
            await expect(toast).to_be_visible(timeout=3_000)
            await expect(toast).to_contain_text("请先完成")

            # the bot's HTML is shown as text, never as markup
            await cats.get_by_role("button", name="融资").click(timeout=WAIT)
            await expect(bot_message(page, "请描述").last).to_be_visible(timeout=WAIT)
            await page.locator("#text").fill("贷款贴息迟迟没有到账，请协调 <b>不是标签</b>")
            await page.locator("#text").press("Enter")
            files = bot_message(page, "照片或文件").last
            await files.get_by_role("button", name="跳过附件").click(timeout=WAIT)
            summary = bot_message(page, "请核对").last
            await expect(summary).to_contain_text("<b>不是标签</b>", timeout=WAIT)
            assert await summary.locator("b", has_text="不是标签").count() == 0

            # on a wide screen the conversation is a centred column
            left, right = await _side_gaps(page)
            assert left > 300 and abs(left - right) <= 2, (left, right)
            assert not errors, errors
        finally:
            await browser.close()
