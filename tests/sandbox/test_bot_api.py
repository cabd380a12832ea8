"""The sandbox driven by a real telegram.Bot: shapes, limits and Telegram's error strings."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest
import telegram
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter

from sandbox import BotApiSandbox

from .conftest import TOKEN, png, retry_seconds

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


def keyboard(*data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(d, callback_data=d)] for d in data])


async def test_get_me_uses_token_digits(bot: telegram.Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.is_bot, me.username) == (123456, True, "envoy_test_bot")


async def test_bad_token_and_unknown_method(sandbox: BotApiSandbox) -> None:
    async with httpx.AsyncClient() as client:
        bad = await client.post(f"{sandbox.base_url}nonsense/getMe")
        assert bad.status_code == 401
        assert bad.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}
        missing = await client.post(f"{sandbox.base_url}{TOKEN}/sendTelepathy")
        assert missing.status_code == 404
        assert missing.json()["description"] == "Not Found: method not found"
        as_json = await client.post(f"{sandbox.base_url}{TOKEN}/getme", json={})
        assert as_json.json()["result"]["id"] == 123456


async def test_json_body_is_accepted(sandbox: BotApiSandbox) -> None:
    sandbox.user(5)
    await sandbox.user(5).send_text("hi")
    async with httpx.AsyncClient() as client:
        answer = await client.post(
            f"{sandbox.base_url}{TOKEN}/sendMessage",
            json={
                "chat_id": 5,
                "text": "<b>x</b>",
                "parse_mode": "HTML",
                "reply_markup": {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]},
            },
        )
    result = answer.json()["result"]
    assert result["entities"] == [{"type": "bold", "offset": 0, "length": 1}]
    assert sandbox.user(5).buttons(result["message_id"]) == [("A", "a")]


async def test_long_poll_wakes_on_new_update(sandbox: BotApiSandbox, bot: telegram.Bot) -> None:
    user = sandbox.user(7, "Ann")

    async def write_soon() -> None:
        await asyncio.sleep(0.05)
        await user.send_text("/start CODE42")

    writer = asyncio.create_task(write_soon())
    started = time.monotonic()
    updates = await bot.get_updates(timeout=5)
    elapsed = time.monotonic() - started
    await writer
    assert elapsed < 1.0
    message = updates[0].message
    assert message is not None and message.text == "/start CODE42"
    assert message.entities[0].type == "bot_command" and message.entities[0].length == 6
    assert message.chat.id == 7 and message.from_user is not None
    assert message.from_user.language_code == "zh-hans"
    assert sandbox.pending_updates == 1
    assert await bot.get_updates(offset=updates[-1].update_id + 1, timeout=0) == ()
    assert sandbox.pending_updates == 0


async def test_get_updates_limit_and_allowed_updates(
    sandbox: BotApiSandbox, bot: telegram.Bot
) -> None:
    user = sandbox.user(8)
    for n in range(3):
        await user.send_text(f"m{n}")
    first = await bot.get_updates(limit=2)
    assert [u.message.text for u in first if u.message] == ["m0", "m1"]
    user.block()
    only = await bot.get_updates(offset=first[-1].update_id + 1, allowed_updates=["my_chat_member"])
    assert len(only) == 1 and only[0].my_chat_member is not None
    assert only[0].my_chat_member.new_chat_member.status == "kicked"


async def test_chat_errors(sandbox: BotApiSandbox, bot: telegram.Bot) -> None:
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(999, "x")
    sandbox.user(10)
    with pytest.raises(Forbidden, match="bot can't initiate conversation with a user"):
        await bot.send_message(10, "x")
    await sandbox.user(10).send_text("hello")
    await bot.send_message(10, "x")
    sandbox.user(10).block()
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(10, "x")
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_chat_action(10, "typing")
    sandbox.user(10).unblock()
    assert (await bot.send_message(10, "back")).text == "back"


@pytest.fixture
async def chat(sandbox: BotApiSandbox) -> int:
    await sandbox.user(20, "Bo").send_text("/start")
    return 20


async def test_text_limits_at_the_boundary(bot: telegram.Bot, chat: int) -> None:
    assert len((await bot.send_message(chat, "中" * 4096)).text or "") == 4096
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(chat, "中" * 4097)
    # 4096 after entity parsing: tags do not count, UTF-16 units do (emoji = 2)
    await bot.send_message(chat, "<b>" + "a" * 4096 + "</b>", parse_mode="HTML")
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(chat, "😀" * 2049)
    with pytest.raises(BadRequest, match="Message text is empty"):
        await bot.send_message(chat, "")
    with pytest.raises(BadRequest, match="Message text is empty"):
        await bot.send_message(chat, " <b> </b>\n", parse_mode="HTML")
    await bot.send_photo(chat, png(), caption="图" * 1024)
    with pytest.raises(BadRequest, match="Message caption is too long"):
        await bot.send_photo(chat, png(), caption="图" * 1025)


async def test_callback_data_limit_in_bytes(bot: telegram.Bot, chat: int) -> None:
    await bot.send_message(chat, "ok", reply_markup=keyboard("a" * 64))
    await bot.send_message(chat, "ok", reply_markup=keyboard("中" * 21 + "a"))  # 64 bytes
    for bad in ("a" * 65, "中" * 22):  # 65 and 66 bytes
        with pytest.raises(BadRequest, match="Button_data_invalid"):
            await bot.send_message(chat, "no", reply_markup=keyboard(bad))


async def test_too_many_buttons(bot: telegram.Bot, chat: int) -> None:
    await bot.send_message(chat, "ok", reply_markup=keyboard(*[str(n) for n in range(100)]))
    with pytest.raises(BadRequest, match="Reply_markup_too_long"):
        await bot.send_message(chat, "no", reply_markup=keyboard(*[str(n) for n in range(101)]))


async def test_html_errors_reach_ptb(sandbox: BotApiSandbox, bot: telegram.Bot, chat: int) -> None:
    for bad in ("<foo>x</foo>", "<b>x", "x</b>", "a < b", "a & b"):
        with pytest.raises(BadRequest, match="Can't parse entities"):
            await bot.send_message(chat, bad, parse_mode="HTML")
    errors = [c.error for c in sandbox.errors]
    assert errors[0] == (
        'Bad Request: can\'t parse entities: Unsupported start tag "foo" at byte offset 0'
    )
    sent = await bot.send_message(chat, "<b>粗<i>斜</i></b> &lt;ok&gt;", parse_mode="HTML")
    assert sent.text == "粗斜 <ok>"
    assert [(e.type, e.offset, e.length) for e in sent.entities] == [
        ("bold", 0, 2),
        ("italic", 1, 1),
    ]
    assert sandbox.user(chat).last.html == "<b>粗<i>斜</i></b> &lt;ok&gt;"


async def test_edits_and_deletes(sandbox: BotApiSandbox, bot: telegram.Bot, chat: int) -> None:
    user = sandbox.user(chat)
    sent = await bot.send_message(chat, "v1", reply_markup=keyboard("a"))
    await bot.edit_message_text("v2", chat, sent.message_id, reply_markup=keyboard("b"))
    assert user.last.text == "v2" and user.last.edit_count == 1
    assert user.buttons(user.last) == [("b", "b")]
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text("v2", chat, sent.message_id, reply_markup=keyboard("b"))
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_reply_markup(chat, sent.message_id, reply_markup=keyboard("b"))
    await bot.edit_message_reply_markup(chat, sent.message_id, reply_markup=None)
    assert user.last.reply_markup is None and user.last.edit_count == 2
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("x", chat, 9999)
    photo = await bot.send_photo(chat, png(), caption="c1")
    await bot.edit_message_caption(chat, photo.message_id, caption="<b>c2</b>", parse_mode="HTML")
    assert user.last.caption == "c2"
    with pytest.raises(BadRequest, match="There is no text in the message to edit"):
        await bot.edit_message_text("t", chat, photo.message_id)
    assert await bot.delete_message(chat, photo.message_id)
    assert [m.text for m in user.messages] == ["v2"]
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await bot.delete_message(chat, photo.message_id)


async def test_callback_answers(sandbox: BotApiSandbox, bot: telegram.Bot, chat: int) -> None:
    user = sandbox.user(chat)
    sent = await bot.send_message(chat, "pick", reply_markup=keyboard("yes", "no"))
    query_id = await user.press(sent.message_id, text="yes")
    update = (await bot.get_updates())[-1]
    assert update.callback_query is not None
    assert update.callback_query.data == "yes" and update.callback_query.id == query_id
    assert await bot.answer_callback_query(query_id, "done", show_alert=True)
    assert user.callback_answers == [(query_id, "done", True)]
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_callback_query(query_id)
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_callback_query("12345")


async def test_injected_failures(sandbox: BotApiSandbox, bot: telegram.Bot, chat: int) -> None:
    sandbox.inject_failure("sendMessage", 502, "Bad Gateway")
    sandbox.inject_failure("sendMessage", 429, "Too Many Requests: retry after 7", retry_after=7)
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await bot.send_message(chat, "x")
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(chat, "x")
    assert retry_seconds(caught.value) == 7
    assert (await bot.send_message(chat, "x")).text == "x"
    sandbox.inject_failure("sendmessage", 500, "Internal Server Error", times=2)
    for _ in range(2):
        with pytest.raises(NetworkError):
            await bot.send_message(chat, "x")
    assert [c.status for c in sandbox.calls_of("sendMessage")] == [502, 429, 200, 500, 500]


async def test_delay_makes_ptb_time_out(
    sandbox: BotApiSandbox, bot: telegram.Bot, chat: int
) -> None:
    sandbox.set_delay("sendChatAction", 0.5)
    with pytest.raises(telegram.error.TimedOut):
        await bot.send_chat_action(chat, "typing", read_timeout=0.1)
    sandbox.set_delay("sendChatAction", 0)
    assert await bot.send_chat_action(chat, "typing")


async def test_photo_round_trip(sandbox: BotApiSandbox, bot: telegram.Bot, chat: int) -> None:
    image = png(640, 480)
    sent = await bot.send_photo(chat, image, caption="图")
    size = sent.photo[-1]
    assert (size.width, size.height, size.file_size) == (640, 480, len(image))
    file = await bot.get_file(size.file_id)
    assert bytes(await file.download_as_bytearray()) == image
    again = await bot.send_photo(chat, size.file_id)
    assert again.photo[-1].file_unique_id == size.file_unique_id
    with pytest.raises(BadRequest, match="Wrong file identifier/http url specified"):
        await bot.send_photo(chat, "nonexistent-file-id")
    with pytest.raises(BadRequest, match="Image_process_failed"):
        await bot.send_photo(chat, b"not an image")
    assert (await sandbox.user(chat).download(size.file_id)) == image


async def test_document_and_media_group(
    sandbox: BotApiSandbox, bot: telegram.Bot, chat: int
) -> None:
    doc = await bot.send_document(chat, b"a,b\n1,2\n", filename="报表.csv")
    assert doc.document is not None
    assert (doc.document.file_name, doc.document.mime_type, doc.document.file_size) == (
        "报表.csv",
        "text/csv",
        8,
    )
    group = await bot.send_media_group(
        chat, [telegram.InputMediaPhoto(png()), telegram.InputMediaPhoto(png(), caption="二")]
    )
    assert len(group) == 2 and group[0].media_group_id == group[1].media_group_id
    assert sandbox.user(chat).last.caption == "二"


async def test_user_files_downloadable_by_bot(sandbox: BotApiSandbox, bot: telegram.Bot) -> None:
    user = sandbox.user(30)
    await user.send_document(b"%PDF-1.4 x", "申请.pdf", "application/pdf", caption="附件")
    await user.send_photo(b"jpeg-ish bytes")
    updates = await bot.get_updates()
    document = updates[0].message.document if updates[0].message else None
    assert document is not None and document.file_name == "申请.pdf"
    data = await (await bot.get_file(document.file_id)).download_as_bytearray()
    assert bytes(data) == b"%PDF-1.4 x"
    photo = updates[1].message.photo if updates[1].message else ()
    forwarded = await bot.send_photo(30, photo[-1].file_id)
    assert forwarded.photo[-1].file_id == photo[-1].file_id


async def test_commands_menu_webhook(bot: telegram.Bot) -> None:
    assert await bot.delete_webhook()
    assert (await bot.get_webhook_info()).url == ""
    await bot.set_my_commands([("start", "开始"), ("help", "帮助")], language_code="zh")
    assert [c.command for c in await bot.get_my_commands(language_code="zh")] == ["start", "help"]
    assert await bot.get_my_commands() == ()
    with pytest.raises(BadRequest, match="Bot_command_invalid"):
        await bot.set_my_commands([("Bad-Name", "x")])
    assert await bot.delete_my_commands(language_code="zh")
    assert await bot.set_chat_menu_button(menu_button=telegram.MenuButtonCommands())


async def test_reply_keyboards_and_replies(
    sandbox: BotApiSandbox, bot: telegram.Bot, chat: int
) -> None:
    user = sandbox.user(chat)
    await bot.send_message(
        chat, "menu", reply_markup=telegram.ReplyKeyboardMarkup([["📝 报告", "帮助"]])
    )
    assert user.keyboard == [["📝 报告", "帮助"]]
    first = await bot.send_message(chat, "?", reply_markup=telegram.ForceReply())
    assert user.force_reply
    answer = await bot.send_message(chat, "re", reply_to_message_id=first.message_id)
    assert answer.reply_to_message is not None
    assert answer.reply_to_message.message_id == first.message_id
    with pytest.raises(BadRequest, match="Message to be replied not found"):
        await bot.send_message(chat, "re", reply_parameters=telegram.ReplyParameters(9999))
    await bot.send_message(chat, "bye", reply_markup=telegram.ReplyKeyboardRemove())
    assert user.keyboard is None


async def test_getupdates_conflict(sandbox: BotApiSandbox, bot: telegram.Bot) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.05)
    async with telegram.Bot(TOKEN, base_url=sandbox.base_url) as other:
        second = asyncio.create_task(other.get_updates(timeout=0))
        with pytest.raises(telegram.error.Conflict):
            await first
        assert await second == ()
