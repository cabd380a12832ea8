"""PTB persistence in the bot's own SQLite file, so a half-finished /report survives a restart.

Wiring (python-telegram-bot 22.8):

* ``Application.initialize()`` calls ``get_user_data``, ``get_chat_data`` and
  ``get_conversations`` — and ``run_polling`` calls ``initialize()`` *before* ``post_init``.
  So the first ``get_*`` call opens the shared :class:`~storage.db.Database` through
  ``Database.ensure_open()``; ``post_init`` must also use ``ensure_open()`` (never ``open()``,
  which would make a second connection).  This class never closes it: ``post_shutdown``
  does, after PTB's final ``update_persistence()`` in ``shutdown()``.
* PTB hands changes to the persistence only in ``Application.update_persistence()``: every
  ``update_interval`` seconds, in ``stop()`` and in ``shutdown()``.  Each ``update_*`` call
  below is then written at once in its own transaction, so nothing is pending for ``flush``.
  The bot saves after every update in its update processor (``bot/updates.py``), before the
  update's replies leave; :func:`persist_now` does the same as a late ``TypeHandler``.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from telegram import Update
from telegram.ext import Application, BasePersistence, ContextTypes, PersistenceInput

from storage.db import Database

logger = logging.getLogger(__name__)

Data = dict[str, Any]
# Same shapes as PTB's private aliases in telegram.ext._utils.types.
ConversationKey = tuple[int | str, ...]
ConversationDict = dict[ConversationKey, object]


def _dump(value: object) -> str:
    """Compact, deterministic JSON so identical data gives identical text."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _key_text(key: ConversationKey) -> str:
    """Conversation keys are tuples of ints (or str for per_message); stored as a JSON array."""
    return _dump(list(key))


class SQLitePersistence(BasePersistence[Data, Data, Data]):
    """Keeps conversation states, user_data and chat_data in the ptb_* tables."""

    def __init__(self, db: Database, *, update_interval: float = 5) -> None:
        super().__init__(
            store_data=PersistenceInput(
                bot_data=False, chat_data=True, user_data=True, callback_data=False
            ),
            update_interval=update_interval,
        )
        self.db = db
        # What the table holds now, as JSON text: lets us skip rewriting unchanged data.
        self._user_json: dict[int, str] = {}
        self._chat_json: dict[int, str] = {}
        self._loaded: set[str] = set()

    async def _require_open(self) -> None:
        """PTB loads persistence in initialize(), before post_init: open the file if needed."""
        await self.db.ensure_open()

    # ----- user_data / chat_data -------------------------------------------------------------

    async def _load(self, table: str, id_col: str, cache: dict[int, str]) -> dict[int, Data]:
        await self._require_open()
        rows = await self.db.fetchall(f"SELECT {id_col}, data FROM {table}")
        out: dict[int, Data] = {}
        cache.clear()
        for row in rows:
            out[int(row[0])] = json.loads(row[1])
            cache[int(row[0])] = row[1]
        self._loaded.add(table)
        logger.info("loaded %s rows from %s", len(out), table)
        return out

    async def _store(
        self, table: str, id_col: str, cache: dict[int, str], ident: int, data: Data
    ) -> None:
        if not data:
            # An empty dict is what PTB's defaultdict gives anyway: keep no row for it.
            if table not in self._loaded or ident in cache:
                await self._drop(table, id_col, cache, ident)
            return
        try:
            text = _dump(data)
        except (TypeError, ValueError) as exc:
            raise TypeError(f"{table} for {ident} is not JSON-friendly: {exc}") from exc
        if cache.get(ident) == text:
            return
        await self.db.execute(
            f"INSERT INTO {table} ({id_col}, data) VALUES (?, ?) "
            f"ON CONFLICT({id_col}) DO UPDATE SET data = excluded.data",
            (ident, text),
        )
        cache[ident] = text

    async def _drop(self, table: str, id_col: str, cache: dict[int, str], ident: int) -> None:
        await self.db.execute(f"DELETE FROM {table} WHERE {id_col} = ?", (ident,))
        cache.pop(ident, None)

    async def get_user_data(self) -> dict[int, Data]:
        return await self._load("ptb_user_data", "user_id", self._user_json)

    async def get_chat_data(self) -> dict[int, Data]:
        return await self._load("ptb_chat_data", "chat_id", self._chat_json)

    async def update_user_data(self, user_id: int, data: Data) -> None:
        await self._store("ptb_user_data", "user_id", self._user_json, user_id, data)

    async def update_chat_data(self, chat_id: int, data: Data) -> None:
        await self._store("ptb_chat_data", "chat_id", self._chat_json, chat_id, data)

    async def drop_user_data(self, user_id: int) -> None:
        await self._drop("ptb_user_data", "user_id", self._user_json, user_id)

    async def drop_chat_data(self, chat_id: int) -> None:
        await self._drop("ptb_chat_data", "chat_id", self._chat_json, chat_id)

    async def refresh_user_data(self, user_id: int, user_data: Data) -> None:
        """No-op: this process is the only writer, so memory is already the newest copy."""

    async def refresh_chat_data(self, chat_id: int, chat_data: Data) -> None:
        """No-op: this process is the only writer, so memory is already the newest copy."""

    # ----- conversations ---------------------------------------------------------------------

    async def get_conversations(self, name: str) -> ConversationDict:
        await self._require_open()
        rows = await self.db.fetchall(
            "SELECT key, state FROM ptb_conversations WHERE name = ?", (name,)
        )
        out: dict[ConversationKey, object] = {}
        for row in rows:
            key = tuple(json.loads(row[0]))
            out[key] = None if row[1] is None else json.loads(row[1])
        logger.info("loaded %s conversations of %s", len(out), name)
        return out

    async def update_conversation(
        self, name: str, key: ConversationKey, new_state: object | None
    ) -> None:
        """Write (or delete, for None) one state right away in its own transaction."""
        if new_state is None:
            await self.db.execute(
                "DELETE FROM ptb_conversations WHERE name = ? AND key = ?",
                (name, _key_text(key)),
            )
            return
        await self.db.execute(
            "INSERT INTO ptb_conversations (name, key, state) VALUES (?, ?, ?) "
            "ON CONFLICT(name, key) DO UPDATE SET state = excluded.state",
            (name, _key_text(key), _dump(new_state)),
        )

    # ----- not stored ------------------------------------------------------------------------

    async def get_bot_data(self) -> Data:
        return {}

    async def update_bot_data(self, data: Data) -> None:
        """Not stored (store_data.bot_data is False)."""

    async def refresh_bot_data(self, bot_data: Data) -> None:
        """Not stored (store_data.bot_data is False)."""

    async def get_callback_data(self) -> None:
        return None

    async def update_callback_data(self, data: Any) -> None:
        """Not stored (store_data.callback_data is False)."""

    async def flush(self) -> None:
        """Nothing is pending: every update_* call has already committed."""


async def persist_now(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Save this update's conversation step and data at once instead of at the next interval.

    Register last: ``app.add_handler(TypeHandler(Update, persist_now), group=1000)``.
    """
    application: Application[Any, Any, Any, Any, Any, Any] = context.application
    if application.persistence is None:
        return
    if isinstance(update, Update):
        application.mark_data_for_update_persistence(
            chat_ids=update.effective_chat.id if update.effective_chat else None,
            user_ids=update.effective_user.id if update.effective_user else None,
        )
    await application.update_persistence()
