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

pytestmark = pytest.mark.e2e


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
            context = await browser.new_context(viewport={"width": 1000, "height": 760})
            staff = await context.new_page()
            envoy = await context.new_page()
            errors: list[str] = []
            for page in (staff, envoy):
                page.on("pageerror", lambda exc: errors.append(str(exc)))
            await staff.goto(f"{demo.url}?as={STAFF}")
            await envoy.goto(f"{demo.url}?as={ENVOY}")
            await expect(staff.locator("#person")).to_have_value(str(STAFF))
            await expect(staff.locator("#person option:checked")).to_contain_text("企业联系人")

            # staff: the reply keyboard starts the report, inline buttons and upload carry it
            await staff.locator(".reply-row button", has_text="上报问题").click(timeout=WAIT)
            cats = bot_message(staff, "请选择问题类别").last
            await cats.get_by_role("button", name="通关物流").click(timeout=WAIT)
            await expect(bot_message(staff, "请描述").last).to_be_visible(timeout=WAIT)
            await staff.locator("#text").fill("进口设备在海关滞留，急需协调清关 <b>不是标签</b>")
            await staff.locator("#text").press("Enter")
            await expect(bot_message(staff, "照片或文件").last).to_be_visible(timeout=WAIT)
            await staff.locator("#photo-input").set_input_files(str(photo))
            await expect(staff.locator(".msg.user img.photo")).to_have_count(1, timeout=WAIT)
            added = bot_message(staff, "已收到第 1 个附件").last
            await added.get_by_role("button", name="完成").click(timeout=WAIT)
            summary = bot_message(staff, "请核对").last
            await expect(summary).to_contain_text("<b>不是标签</b>", timeout=WAIT)
            await summary.get_by_role("button", name="✅ 提交").click(timeout=WAIT)
            done = bot_message(staff, "已挂号").last
            await expect(done).to_be_visible(timeout=WAIT)
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
            if target:  # docs/demo.png: the staff's side of the conversation
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
