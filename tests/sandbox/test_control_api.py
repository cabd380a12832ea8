"""The /sandbox/api/ HTTP control API a browser chat page uses."""

from __future__ import annotations

import asyncio

import httpx
import telegram
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from sandbox import BotApiSandbox

from .conftest import png


async def test_control_api_round_trip(sandbox: BotApiSandbox, bot: telegram.Bot) -> None:
    api = sandbox.root_url + "/sandbox/api"
    async with httpx.AsyncClient() as client:
        created = await client.post(
            f"{api}/users/70", json={"first_name": "Eve", "language_code": "en"}
        )
        assert created.json()["first_name"] == "Eve"
        assert [u["id"] for u in (await client.get(f"{api}/users")).json()] == [70]
        sent = await client.post(f"{api}/users/70/send", json={"text": "/start"})
        assert sent.json()["message_id"] == 1
        upload = await client.post(
            f"{api}/users/70/upload",
            files={"file": ("a.png", png(), "image/png")},
            data={"kind": "photo", "caption": "看"},
        )
        assert upload.status_code == 200
        updates = await bot.get_updates()
        photo_message = updates[1].message
        assert photo_message is not None and photo_message.caption == "看"
        file_id = photo_message.photo[-1].file_id
        assert (await client.get(f"{api}/files/{file_id}")).content == png()

        first = (await client.get(f"{api}/users/70/messages?after=0")).json()
        assert [m["from"] for m in first["messages"]] == ["user", "user"]
        seq = first["seq"]

        poll = asyncio.create_task(client.get(f"{api}/users/70/messages?after={seq}&wait=5"))
        await asyncio.sleep(0.05)
        markup = InlineKeyboardMarkup([[InlineKeyboardButton("好", callback_data="ok")]])
        bot_msg = await bot.send_message(70, "<i>hi</i>", parse_mode="HTML", reply_markup=markup)
        got = (await poll).json()
        assert [(m["from"], m["html"]) for m in got["messages"]] == [("bot", "<i>hi</i>")]

        pressed = await client.post(
            f"{api}/users/70/press", json={"message_id": bot_msg.message_id, "data": "ok"}
        )
        assert pressed.status_code == 200 and pressed.json()["callback_query_id"]
        missing = await client.post(
            f"{api}/users/70/press", json={"message_id": bot_msg.message_id, "data": "nope"}
        )
        assert missing.status_code == 400
        assert (await client.post(f"{api}/users/70/block")).json()["status"] == "kicked"
