"""SimUser: presses (real, missing, forged), blocking, waiting for what the bot sends."""

from __future__ import annotations

import asyncio

import pytest
import telegram
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from sandbox import BotApiSandbox, SimUser


@pytest.fixture
async def user(sandbox: BotApiSandbox) -> SimUser:
    sim = sandbox.user(50, "Cai", username="cai", language_code="en")
    await sim.send_text("/start")
    return sim


async def test_user_is_idempotent(sandbox: BotApiSandbox) -> None:
    assert sandbox.user(1, "A") is sandbox.user(1, "Other")
    assert sandbox.user(1).user["first_name"] == "A"


async def test_press_current_buttons_only(
    sandbox: BotApiSandbox, bot: telegram.Bot, user: SimUser
) -> None:
    markup = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("接受", callback_data="acc:1"),
                InlineKeyboardButton("link", url="https://example.com"),
            ]
        ]
    )
    sent = await bot.send_message(50, "new problem", reply_markup=markup)
    assert user.buttons(sent.message_id) == [("接受", "acc:1"), ("link", None)]
    query_id = await user.press(sent.message_id, data="acc:1")
    updates = await bot.get_updates()
    query = updates[-1].callback_query
    assert query is not None and query.id == query_id
    assert query.from_user.id == 50 and query.message is not None
    assert query.message.message_id == sent.message_id
    await bot.edit_message_reply_markup(50, sent.message_id, reply_markup=None)
    with pytest.raises(LookupError, match="no button"):
        await user.press(sent.message_id, text="接受")
    with pytest.raises(LookupError):
        await user.press(9999, text="接受")
    with pytest.raises(LookupError, match="has no callback"):
        await bot.edit_message_reply_markup(50, sent.message_id, reply_markup=markup)
        await user.press(sent.message_id, text="link")


async def test_forged_press_reaches_bot(
    sandbox: BotApiSandbox, bot: telegram.Bot, user: SimUser
) -> None:
    sent = await bot.send_message(50, "no buttons")
    await user.press_forged(sent.message_id, "admin:delete_everything")
    await user.press_forged(777, "x")
    updates = await bot.get_updates()
    forged = [u.callback_query for u in updates if u.callback_query]
    assert [q.data for q in forged] == ["admin:delete_everything", "x"]
    assert forged[1].message is not None and forged[1].message.message_id == 777


async def test_block_and_unblock_updates(
    sandbox: BotApiSandbox, bot: telegram.Bot, user: SimUser
) -> None:
    user.block()
    user.block()  # already blocked: no second update
    user.unblock()
    updates = await bot.get_updates()
    changes = [
        (u.my_chat_member.old_chat_member.status, u.my_chat_member.new_chat_member.status)
        for u in updates
        if u.my_chat_member
    ]
    assert changes == [("member", "kicked"), ("kicked", "member")]


async def test_wait_for_sees_new_and_edited(
    sandbox: BotApiSandbox, bot: telegram.Bot, user: SimUser
) -> None:
    first = await bot.send_message(50, "before")

    async def bot_side() -> None:
        await asyncio.sleep(0.02)
        await bot.send_message(50, "ignore me")
        await bot.edit_message_text("edited!", 50, first.message_id)

    task = asyncio.create_task(bot_side())
    got = await user.wait_for(lambda m: m.text.startswith("edited"), timeout=2)
    await task
    assert got.message_id == first.message_id and got.edit_count == 1
    mark = user.sent_count
    await bot.send_message(50, "already here")
    assert (await user.wait_for(after_count=mark, timeout=0.5)).text == "already here"
    assert len(await user.wait_for_count(3, timeout=0.5)) == 3


async def test_wait_for_timeout_lists_arrivals(bot: telegram.Bot, user: SimUser) -> None:
    async def bot_side() -> None:
        await asyncio.sleep(0.01)
        await bot.send_message(50, "something else")

    task = asyncio.create_task(bot_side())
    with pytest.raises(TimeoutError, match="something else"):
        await user.wait_for(lambda m: "wanted" in m.text, timeout=0.3)
    await task


async def test_sticker_and_answer_wait(
    sandbox: BotApiSandbox, bot: telegram.Bot, user: SimUser
) -> None:
    await user.send_sticker()
    sent = await bot.send_message(
        50,
        "x",
        reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("ok", callback_data="ok")]]),
    )
    query_id = await user.press(sent.message_id, text="ok")
    updates = await bot.get_updates()
    assert updates[-2].message is not None and updates[-2].message.sticker is not None
    waiter = asyncio.create_task(user.wait_answer(query_id, timeout=2))
    await bot.answer_callback_query(query_id, text="收到")
    assert (await waiter).text == "收到"
