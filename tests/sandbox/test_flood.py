"""Flood control: Telegram's ~30 sends/s overall and ~1/s per chat with bursts of 3."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
import telegram
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import RetryAfter

from sandbox import ApiError, BotApiSandbox
from sandbox.flood import FloodControl

from .conftest import TOKEN, Clock, png, retry_seconds

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


def retry_after(flood: FloodControl, chat_id: int, count: int = 1) -> int | None:
    """The retry_after a check answers, or None if the sends were allowed."""
    try:
        flood.check(chat_id, count)
    except ApiError as exc:
        assert exc.status == 429
        assert exc.description == f"Too Many Requests: retry after {exc.retry_after}"
        return exc.retry_after
    return None


def test_per_chat_burst_of_three_then_one_per_second() -> None:
    clock = Clock()
    flood = FloodControl(monotonic=clock)
    assert [retry_after(flood, 1) for _ in range(3)] == [None, None, None]
    assert retry_after(flood, 1) == 1
    clock.advance(0.5)
    assert retry_after(flood, 1) == 1
    clock.advance(0.5)
    assert retry_after(flood, 1) is None
    assert retry_after(flood, 1) == 1
    clock.advance(10)
    assert [retry_after(flood, 1) for _ in range(4)] == [None, None, None, 1]
    assert (flood.rejected, flood.rejected_per_chat, flood.rejected_overall) == (4, 4, 0)
    assert flood.rejected_by_chat == {1: 4}


def test_other_chats_keep_their_own_bucket() -> None:
    flood = FloodControl(monotonic=Clock())
    for _ in range(3):
        flood.check(1)
    assert retry_after(flood, 1) == 1
    assert [retry_after(flood, 2) for _ in range(3)] == [None, None, None]


def test_retry_after_rounds_up_to_whole_seconds() -> None:
    clock = Clock()
    flood = FloodControl(per_chat_burst=2, per_chat_rate=0.25, monotonic=clock)
    flood.check(1)
    flood.check(1)
    assert retry_after(flood, 1) == 4
    clock.advance(1.5)
    assert retry_after(flood, 1) == 3
    clock.advance(2.5)
    assert retry_after(flood, 1) is None


def test_overall_limit_across_chats() -> None:
    clock = Clock()
    flood = FloodControl(monotonic=clock)
    for chat_id in range(30):
        flood.check(chat_id)
    assert retry_after(flood, 99) == 1
    assert (flood.rejected_overall, flood.rejected_per_chat) == (1, 0)
    clock.advance(1.0)
    assert retry_after(flood, 99) is None


def test_album_bigger_than_the_burst_goes_then_holds_the_chat() -> None:
    clock = Clock()
    flood = FloodControl(monotonic=clock)
    flood.check(1)
    assert retry_after(flood, 1, 10) == 1  # needs a full bucket
    clock.advance(1.0)
    assert retry_after(flood, 1, 10) is None
    assert retry_after(flood, 1) == 8  # 3 - 10 = -7 tokens: 8 s until one is back


def test_the_longer_wait_names_the_reason() -> None:
    flood = FloodControl(limit=3, per_chat_burst=3, per_chat_rate=0.1, monotonic=Clock())
    for _ in range(3):
        flood.check(1)
    assert retry_after(flood, 1) == 10  # both limits hit; the chat's wait is longer
    assert retry_after(flood, 2) == 1  # only the overall window
    assert flood.stats() | {"rejected_by_chat": None} == {
        "enabled": True,
        "overall_limit": 3,
        "window": 1.0,
        "per_chat_burst": 3,
        "per_chat_rate": 0.1,
        "rejected": 2,
        "rejected_overall": 1,
        "rejected_per_chat": 1,
        "rejected_by_chat": None,
    }


def test_configure_at_run_time() -> None:
    flood = FloodControl(monotonic=Clock())
    for _ in range(3):
        flood.check(1)
    flood.configure(per_chat_burst=0)
    assert not flood.per_chat_enabled
    for _ in range(20):
        flood.check(1)
    flood.configure(per_chat_burst=5, limit=100)
    assert [retry_after(flood, 1) for _ in range(6)] == [None] * 5 + [1]
    with pytest.raises(ValueError, match="per_chat_rate"):
        flood.configure(per_chat_rate=0, limit=7)
    assert flood.config()["overall_limit"] == 100
    flood.configure(enabled=False)
    for _ in range(50):
        flood.check(1)
    assert flood.rejected == 1


@pytest.fixture
async def paced() -> AsyncIterator[tuple[BotApiSandbox, Clock]]:
    """A sandbox with the default limits and a hand-moved clock, users 1 and 2 started."""
    clock = Clock()
    box = await BotApiSandbox(monotonic=clock).start()
    try:
        for user_id in (1, 2):
            await box.user(user_id).send_text("/start")
        yield box, clock
    finally:
        await box.stop()


async def test_fourth_message_to_a_chat_gets_429(paced: tuple[BotApiSandbox, Clock]) -> None:
    box, clock = paced
    async with telegram.Bot(TOKEN, base_url=box.base_url) as bot:
        for n in range(3):
            await bot.send_message(1, f"m{n}")
        with pytest.raises(RetryAfter) as caught:
            await bot.send_message(1, "m3")
        assert retry_seconds(caught.value) == 1
        assert (await bot.send_message(2, "other chat")).text == "other chat"
        clock.advance(1.0)
        assert (await bot.send_message(1, "m3")).text == "m3"
    assert [m.text for m in box.user(1).messages] == ["m0", "m1", "m2", "m3"]
    assert [c.status for c in box.calls_of("sendMessage")] == [200, 200, 200, 429, 200, 200]


async def test_429_body_is_telegrams(paced: tuple[BotApiSandbox, Clock]) -> None:
    box, _ = paced
    async with httpx.AsyncClient() as client:
        url = f"{box.base_url}{TOKEN}/sendMessage"
        for n in range(3):
            assert (await client.post(url, json={"chat_id": 1, "text": str(n)})).status_code == 200
        answer = await client.post(url, json={"chat_id": 1, "text": "x"})
    assert answer.status_code == 429
    assert answer.json() == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 1",
        "parameters": {"retry_after": 1},
    }


async def test_edits_count_callback_answers_do_not(paced: tuple[BotApiSandbox, Clock]) -> None:
    box, clock = paced
    user = box.user(1)
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("go", callback_data="go")]])
    async with telegram.Bot(TOKEN, base_url=box.base_url) as bot:
        sent = await bot.send_message(1, "v1", reply_markup=markup)
        await bot.edit_message_text("v2", 1, sent.message_id, reply_markup=markup)
        await bot.edit_message_reply_markup(1, sent.message_id, reply_markup=None)
        with pytest.raises(RetryAfter):
            await bot.edit_message_text("v3", 1, sent.message_id)
        assert user.last.text == "v2"
        with pytest.raises(RetryAfter):
            await bot.send_message(1, "more")
        for _ in range(10):
            await bot.send_chat_action(1, "typing")
            assert await bot.get_me()
        clock.advance(1.0)
        await bot.edit_message_reply_markup(1, sent.message_id, reply_markup=markup)
        queries = [await user.press(sent.message_id, data="go") for _ in range(10)]
        for query_id in queries:
            assert await bot.answer_callback_query(query_id)
        assert await bot.delete_message(1, sent.message_id)
    assert box.flood.rejected == 2


async def test_captions_copies_forwards_and_albums_count(
    paced: tuple[BotApiSandbox, Clock],
) -> None:
    box, clock = paced
    async with telegram.Bot(TOKEN, base_url=box.base_url) as bot:
        photo = await bot.send_photo(1, png(), caption="c1")
        await bot.edit_message_caption(1, photo.message_id, caption="c2")
        await bot.copy_message(1, 1, photo.message_id)
        with pytest.raises(RetryAfter):
            await bot.forward_message(1, 1, photo.message_id)
        forwarded = await bot.forward_message(2, 1, photo.message_id)
        assert forwarded.forward_origin is not None and forwarded.caption == "c2"
        clock.advance(10)
        await bot.send_media_group(1, [telegram.InputMediaPhoto(png()) for _ in range(2)])
        await bot.send_message(1, "third")
        with pytest.raises(RetryAfter):
            await bot.send_message(1, "fourth")
    assert box.flood.rejected_per_chat == 2


async def test_overall_limit_through_ptb() -> None:
    box = await BotApiSandbox(per_chat_burst=None, monotonic=Clock()).start()
    try:
        await box.user(1).send_text("/start")
        async with telegram.Bot(TOKEN, base_url=box.base_url) as bot:
            for n in range(30):
                await bot.send_message(1, f"m{n}")
            with pytest.raises(RetryAfter) as caught:
                await bot.send_message(1, "one too many")
        assert retry_seconds(caught.value) == 1
        assert box.flood.rejected_overall == 1
    finally:
        await box.stop()


async def test_flood_control_off() -> None:
    box = await BotApiSandbox(flood_control=False).start()
    try:
        await box.user(1).send_text("/start")
        async with telegram.Bot(TOKEN, base_url=box.base_url) as bot:
            for n in range(40):
                await bot.send_message(1, str(n))
        assert box.flood.rejected == 0
    finally:
        await box.stop()


async def test_set_flood_changes_a_running_sandbox(paced: tuple[BotApiSandbox, Clock]) -> None:
    box, _ = paced
    assert box.set_flood(per_chat_burst=1, overall_limit=50)["per_chat_burst"] == 1
    async with telegram.Bot(TOKEN, base_url=box.base_url) as bot:
        await bot.send_message(1, "a")
        with pytest.raises(RetryAfter):
            await bot.send_message(1, "b")
        box.set_flood(enabled=False)
        await bot.send_message(1, "b")
    assert box.flood.config() == {
        "enabled": False,
        "overall_limit": 50,
        "window": 1.0,
        "per_chat_burst": 1,
        "per_chat_rate": 1.0,
    }
