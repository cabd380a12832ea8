"""The /sandbox/api/ HTTP control API a browser chat page uses."""

from __future__ import annotations

import asyncio

import httpx
import pytest
import telegram
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from sandbox import BotApiSandbox

from .conftest import TOKEN, png


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


async def _answer_soon(bot: telegram.Bot, text: str) -> None:
    """The bot answers the next button press with an alert, a moment later."""
    for _ in range(100):
        queries = [u.callback_query for u in await bot.get_updates() if u.callback_query]
        if queries:
            await asyncio.sleep(0.2)
            await queries[-1].get_bot().answer_callback_query(queries[-1].id, text, show_alert=True)
            return
        await asyncio.sleep(0.02)
    raise AssertionError("no press arrived")


async def test_an_alert_reaches_the_page_at_once(sandbox: BotApiSandbox, bot: telegram.Bot) -> None:
    """A press can wait for its answer, and a long poll ends on an answer, not on a message."""
    api = sandbox.root_url + "/sandbox/api"
    user = sandbox.user(71, "Ann", language_code="zh-hans")
    await user.send_text("/start")
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("受理", callback_data="a")]])
    card = await bot.send_message(71, "新问题", reply_markup=markup)
    async with httpx.AsyncClient(timeout=30) as client:
        seen = (await client.get(f"{api}/users/71/messages?after=0")).json()
        answers = len(seen["callback_answers"])
        poll = asyncio.create_task(
            client.get(f"{api}/users/71/messages?after={seen['seq']}&wait=20&answers={answers}")
        )
        started = asyncio.get_running_loop().time()
        answering = asyncio.create_task(_answer_soon(bot, "已由他人受理"))
        pressed = await client.post(
            f"{api}/users/71/press", json={"message_id": card.message_id, "data": "a", "wait": 10}
        )
        await answering
        body = pressed.json()
        assert body["answer"] == {
            "query_id": body["callback_query_id"],
            "text": "已由他人受理",
            "show_alert": True,
        }
        woke = (await poll).json()
        assert asyncio.get_running_loop().time() - started < 5  # not the 20 s of the poll
        assert woke["messages"] == []
        assert [a["text"] for a in woke["callback_answers"]] == ["已由他人受理"]
        # without "wait" a press does not wait, as before
        quick = await client.post(
            f"{api}/users/71/press", json={"message_id": card.message_id, "data": "a"}
        )
        assert quick.json()["answer"] is None
        bad = await client.post(
            f"{api}/users/71/press",
            json={"message_id": card.message_id, "data": "a", "wait": "soon"},
        )
        assert bad.status_code == 400


async def test_faults_endpoints_round_trip(sandbox: BotApiSandbox) -> None:
    api = sandbox.root_url + "/sandbox/api"
    async with httpx.AsyncClient() as client:
        default = (await client.get(f"{api}/faults")).json()
        assert default == {
            "rate": 0.0,
            "kinds": ["500", "502", "429", "timeout", "drop_before", "drop_after"],
            "methods": None,
            "seed": None,
            "timeout_seconds": 3.0,
        }
        mix = {
            "rate": 0.25,
            "kinds": ["500", "drop_after"],
            "methods": ["sendmessage", "editMessageText"],
            "seed": 9,
            "timeout_seconds": 0.5,
        }
        posted = await client.post(f"{api}/faults", json=mix)
        assert posted.status_code == 200
        assert posted.json() == {**mix, "methods": ["editMessageText", "sendMessage"]}
        assert (await client.get(f"{api}/faults")).json() == posted.json()
        assert sandbox.faults.rate == 0.25 and sandbox.faults.seed == 9
        only_rate = (await client.post(f"{api}/faults", json={"rate": 0.5})).json()
        assert only_rate["kinds"] == default["kinds"] and only_rate["methods"] is None
        assert only_rate["timeout_seconds"] == 0.5
        for bad in ({"kinds": ["404"]}, {"rate": "lots"}, {"methods": ["nope"]}, {"rate": 2}):
            refused = await client.post(f"{api}/faults", json=bad)
            assert refused.status_code == 400 and refused.json()["error"]
        cleared = await client.delete(f"{api}/faults")
        assert cleared.json()["rate"] == 0.0 and sandbox.faults.draw("sendMessage") is None


async def test_flood_endpoint_switches_limits(sandbox: BotApiSandbox) -> None:
    api = sandbox.root_url + "/sandbox/api"
    await sandbox.user(3).send_text("/start")
    send = f"{sandbox.base_url}{TOKEN}/sendMessage"
    async with httpx.AsyncClient() as client:
        shown = (await client.get(f"{api}/flood")).json()
        assert shown == {
            "enabled": True,
            "overall_limit": 30,
            "window": 1.0,
            "per_chat_burst": 0,
            "per_chat_rate": 1.0,
        }
        posted = await client.post(f"{api}/flood", json={"per_chat_burst": 2, "per_chat_rate": 0.5})
        assert posted.json() == {**shown, "per_chat_burst": 2, "per_chat_rate": 0.5}
        statuses = [
            (await client.post(send, json={"chat_id": 3, "text": str(n)})).status_code
            for n in range(3)
        ]
        assert statuses == [200, 200, 429]
        off = await client.post(f"{api}/flood", json={"enabled": False, "overall_limit": 5})
        assert off.json()["enabled"] is False and off.json()["overall_limit"] == 5
        assert (await client.post(send, json={"chat_id": 3, "text": "x"})).status_code == 200
        back = await client.post(f"{api}/flood", json={"enabled": True, "per_chat_burst": None})
        assert back.json()["per_chat_burst"] == 0
        refused = await client.post(f"{api}/flood", json={"per_chat_rate": 0})
        assert refused.status_code == 400
        assert (await client.post(f"{api}/flood", json={"enabled": "yes"})).status_code == 400
        assert (await client.get(f"{api}/flood")).json()["per_chat_rate"] == 0.5


async def test_stats_explain_errors_and_duplicates(sandbox: BotApiSandbox) -> None:
    api = sandbox.root_url + "/sandbox/api"
    await sandbox.user(4).send_text("/start")
    send = f"{sandbox.base_url}{TOKEN}/sendMessage"
    async with httpx.AsyncClient() as client:
        await client.post(f"{api}/flood", json={"per_chat_burst": 3})
        for n in range(4):
            await client.post(send, json={"chat_id": 4, "text": f"m{n}"})
        await client.post(f"{api}/faults", json={"rate": 1.0, "kinds": ["drop_after"], "seed": 1})
        sandbox.flood.configure(enabled=False)
        with pytest.raises(httpx.RemoteProtocolError):
            await client.post(send, json={"chat_id": 4, "text": "dup"})
        await client.post(f"{api}/faults", json={"rate": 1.0, "kinds": ["500"]})
        await client.post(send, json={"chat_id": 4, "text": "x"})
        await client.delete(f"{api}/faults")
        stats = (await client.get(f"{api}/stats")).json()
        assert stats["calls"] == {
            "sendMessage": {"total": 6, "ok": 4, "errors": {"429": 1, "500": 1}, "unanswered": 1}
        }
        assert stats["totals"] == {"calls": 6, "ok": 4, "errors": 2, "unanswered": 1}
        flood = stats["flood"]
        assert (flood["rejected"], flood["rejected_per_chat"], flood["rejected_overall"]) == (
            1,
            1,
            0,
        )
        assert flood["rejected_by_chat"] == {"4": 1}
        assert stats["faults"]["by_kind"] == {"drop_after": 1, "500": 1}
        assert stats["faults"]["by_method"] == {"sendMessage": 2}
        assert stats["drop_after"] == {
            "count": 1,
            "executions": [{"method": "sendMessage", "chat_id": 4, "text": "dup"}],
        }
        assert stats["pending_updates"] == 1
        reset = (await client.delete(f"{api}/stats")).json()
        assert reset["calls"] == {} and reset["drop_after"]["count"] == 0
        assert reset["flood"]["rejected"] == 0 and reset["faults"]["injected"] == 0
