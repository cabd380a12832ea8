"""SQLitePersistence keeps conversation states and user/chat data across a restart, on both
engines."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from telegram import Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import BaseRequest, RequestData

from storage.db import Database
from storage.persistence import SQLitePersistence, persist_now

TOKEN = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghi"
USER_ID = 777
CHAT_ID = 777
CATEGORY, DESCRIPTION = 0, 1


class OfflineRequest(BaseRequest):
    """Answers getMe locally and refuses every other call, so tests never touch the network."""

    def __init__(self) -> None:
        self.methods: list[str] = []

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        name = url.rsplit("/", 1)[-1]
        self.methods.append(name)
        if name != "getMe":
            raise AssertionError(f"unexpected Bot API call {name}")
        me = {"id": 123456, "is_bot": True, "first_name": "Envoy", "username": "envoy_bot"}
        return 200, json.dumps({"ok": True, "result": me}).encode()


@asynccontextmanager
async def opened(path: str | Path) -> AsyncIterator[Database]:
    database = Database(path)
    await database.open()
    try:
        yield database
    finally:
        await database.close()


# ----- direct API -----------------------------------------------------------------------------


async def test_api_round_trip_survives_reopen(db_url: str) -> None:
    path = db_url
    async with opened(path) as db:
        p = SQLitePersistence(db)
        assert await p.get_user_data() == {}
        assert await p.get_chat_data() == {}
        assert await p.get_conversations("report") == {}
        await p.update_user_data(1, {"lang": "zh", "draft": {"cat": "税务", "n": [1, 2.5, None]}})
        await p.update_user_data(2, {"x": True})
        await p.update_chat_data(-100, {"pinned": 5})
        await p.update_conversation("report", (10, 1), 1)
        await p.update_conversation("report", (11, 2), "desc")
        await p.update_conversation("report", (12, 3), 0)
        await p.update_conversation("report", (12, 3), None)  # ended → deleted
        await p.update_conversation("other", (10, 1), 4)
        await p.drop_user_data(2)
        await p.flush()

    async with opened(path) as db2:
        p2 = SQLitePersistence(db2)
        assert await p2.get_user_data() == {
            1: {"lang": "zh", "draft": {"cat": "税务", "n": [1, 2.5, None]}}
        }
        assert await p2.get_chat_data() == {-100: {"pinned": 5}}
        assert await p2.get_conversations("report") == {(10, 1): 1, (11, 2): "desc"}
        assert await p2.get_conversations("other") == {(10, 1): 4}
        assert await p2.get_bot_data() == {}


async def test_updates_overwrite_and_empty_data_removes_the_row(db_url: str) -> None:
    async with opened(db_url) as db:
        p = SQLitePersistence(db)
        await p.get_user_data()
        await p.get_chat_data()
        await p.update_user_data(1, {"step": 1})
        await p.update_user_data(1, {"step": 2})
        await p.update_chat_data(5, {"a": 1})
        await p.update_chat_data(5, {})
        await p.update_chat_data(6, {})  # never stored: nothing to write
        await p.drop_chat_data(404)  # unknown id: harmless
        rows = await db.fetchall("SELECT user_id, data FROM ptb_user_data")
        assert [(r[0], json.loads(r[1])) for r in rows] == [(1, {"step": 2})]
        assert await db.fetchall("SELECT * FROM ptb_chat_data") == []


async def test_non_json_data_is_refused_loudly(db_url: str) -> None:
    async with opened(db_url) as db:
        p = SQLitePersistence(db)
        with pytest.raises(TypeError, match="ptb_user_data for 1"):
            await p.update_user_data(1, {"when": object()})
        assert await db.fetchall("SELECT * FROM ptb_user_data") == []


async def test_first_get_opens_a_closed_database(db_url: str) -> None:
    """PTB calls get_* in initialize(), before post_init: the file must open on demand."""
    db = Database(db_url)
    p = SQLitePersistence(db, update_interval=2)
    assert p.update_interval == 2
    assert p.store_data.user_data and p.store_data.chat_data
    assert not p.store_data.bot_data and not p.store_data.callback_data
    try:
        assert await p.get_conversations("report") == {}
        assert db.is_open
    finally:
        await db.close()


# ----- a real, offline PTB Application --------------------------------------------------------


def _message(update_id: int, text: str) -> dict[str, Any]:
    entities = [{"type": "bot_command", "offset": 0, "length": len(text)}] if text[0] == "/" else []
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 1_700_000_000,
            "chat": {"id": CHAT_ID, "type": "private", "first_name": "Li"},
            "from": {"id": USER_ID, "is_bot": False, "first_name": "Li"},
            "text": text,
            "entities": entities,
        },
    }


async def _start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    assert context.user_data is not None
    context.user_data["report"] = {"started": True}
    return CATEGORY


async def _category(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    assert context.user_data is not None and update.message is not None
    context.user_data["report"]["category"] = update.message.text
    return DESCRIPTION


async def _description(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    assert context.user_data is not None and update.message is not None
    context.user_data["report"]["description"] = update.message.text
    context.user_data["done"] = context.user_data.get("done", 0) + 1
    return ConversationHandler.END


def _build(
    db: Database, *, hook: bool = False
) -> tuple[Application[Any, Any, Any, Any, Any, Any], OfflineRequest]:
    request = OfflineRequest()
    app = (
        ApplicationBuilder()
        .token(TOKEN)
        .request(request)
        .get_updates_request(OfflineRequest())
        .updater(None)
        .persistence(SQLitePersistence(db, update_interval=3600))
        .build()
    )
    text = filters.TEXT & ~filters.COMMAND
    app.add_handler(
        ConversationHandler(
            entry_points=[CommandHandler("report", _start)],
            states={
                CATEGORY: [MessageHandler(text, _category)],
                DESCRIPTION: [MessageHandler(text, _description)],
            },
            fallbacks=[],
            name="t",
            persistent=True,
        )
    )
    if hook:
        app.add_handler(TypeHandler(Update, persist_now), group=1000)
    return app, request


async def _feed(app: Application[Any, Any, Any, Any, Any, Any], update_id: int, text: str) -> None:
    await app.process_update(Update.de_json(_message(update_id, text), app.bot))


async def test_conversation_continues_after_restart(db_url: str) -> None:
    path = db_url
    db1 = Database(path)  # opened by the persistence during initialize()
    app1, req1 = _build(db1)
    await app1.initialize()
    await db1.ensure_open()  # what post_init does: no second connection
    await _feed(app1, 1, "/report")
    await _feed(app1, 2, "税务")
    await app1.shutdown()  # PTB's last update_persistence() writes everything
    await db1.close()  # post_shutdown
    assert req1.methods == ["getMe"]

    db2 = Database(path)
    app2, _ = _build(db2)
    await app2.initialize()
    try:
        assert app2.user_data[USER_ID] == {"report": {"started": True, "category": "税务"}}
        # Still in DESCRIPTION: plain text goes to _description, not ignored.
        await _feed(app2, 3, "发票开不出来")
        assert app2.user_data[USER_ID]["report"]["description"] == "发票开不出来"
        assert app2.user_data[USER_ID]["done"] == 1
        await app2.update_persistence()
        assert await db2.fetchall("SELECT * FROM ptb_conversations") == []  # END → row gone
    finally:
        await app2.shutdown()
        await db2.close()


async def test_without_hook_steps_wait_for_update_persistence(db_url: str) -> None:
    """PTB only hands states over in update_persistence(): a crash loses the interval."""
    async with opened(db_url) as db:
        app, _ = _build(db)
        await app.initialize()
        try:
            await _feed(app, 1, "/report")
            assert await db.fetchall("SELECT * FROM ptb_conversations") == []
            await app.update_persistence()
            rows = await db.fetchall("SELECT name, key, state FROM ptb_conversations")
            assert [tuple(r) for r in rows] == [("t", f"[{CHAT_ID},{USER_ID}]", str(CATEGORY))]
        finally:
            await app.shutdown()


async def test_persist_now_makes_each_step_durable_without_shutdown(db_url: str) -> None:
    path = db_url
    async with opened(path) as db1:
        app1, _ = _build(db1, hook=True)
        await app1.initialize()
        await _feed(app1, 1, "/report")
        await _feed(app1, 2, "社保")
        # No update_persistence()/shutdown(): as if the process were killed right here.
        async with opened(path) as db2:
            seen = SQLitePersistence(db2)
            assert await seen.get_conversations("t") == {(CHAT_ID, USER_ID): DESCRIPTION}
            assert (await seen.get_user_data())[USER_ID] == {
                "report": {"started": True, "category": "社保"}
            }
        await app1.shutdown()
