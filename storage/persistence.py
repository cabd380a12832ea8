"""PTB persistence in the bot's own database, so a half-finished /report survives a restart,
and, with several instances, the one place a conversation's state is read from for each update.

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
* For each update the update processor reads the chat's conversation states, user_data and
  chat_data from the database (:meth:`load_update`) and writes what the update changed in one
  transaction with the chat's update mark (:meth:`save_update`). Every row carries a version;
  a write lands only on the version read, so a stale copy in some process's memory never
  overwrites a newer one (it is logged and the database's copy kept).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from telegram import Update
from telegram.ext import Application, BasePersistence, ContextTypes, PersistenceInput

from domain.outgoing import Outgoing, Queued
from storage import outbox_repo
from storage.db import Connection, Database

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


MARK_FRESH_MS = 24 * 3600 * 1000  # an older update mark is not trusted: update ids can restart
MARK_KEEP = 8  # update ids kept per chat: a webhook sends again only the ones not answered
# table → (key columns, data column)
_TABLES = {
    "ptb_user_data": (("user_id",), "data"),
    "ptb_chat_data": (("chat_id",), "data"),
    "ptb_conversations": (("name", "key"), "state"),
}
Row = tuple[str, tuple[Any, ...]]  # (table, key values)


@dataclass(slots=True)
class Fresh:
    """One chat's stored state as an update starts."""

    handled: frozenset[int]  # the chat's latest updates handled to the end (recently)
    states: dict[tuple[str, ConversationKey], object | None] = field(default_factory=dict)
    user_data: Data | None = None
    chat_data: Data | None = None


class VersionConflict(RuntimeError):
    """Another process wrote the row since it was read (the chat lock should prevent it)."""


class SQLitePersistence(BasePersistence[Data, Data, Data]):
    """Keeps conversation states, user_data and chat_data in the ptb_* tables (either engine)."""

    def __init__(self, db: Database, *, update_interval: float = 5) -> None:
        super().__init__(
            store_data=PersistenceInput(
                bot_data=False, chat_data=True, user_data=True, callback_data=False
            ),
            update_interval=update_interval,
        )
        self.db = db
        # What each row holds now as JSON text (None: no row) and its version: unchanged data
        # is not written again, and a write lands only on the version it was read at.
        self._json: dict[Row, str | None] = {}
        self._versions: dict[Row, int] = {}
        self._loaded: set[str] = set()
        self.conflicts = 0

    async def _require_open(self) -> None:
        """PTB loads persistence in initialize(), before post_init: open the file if needed."""
        await self.db.ensure_open()

    # ----- versioned rows --------------------------------------------------------------------

    def _seen(self, row: Row, text: str | None, version: int | None) -> None:
        self._json[row] = text
        if version is None:
            self._versions.pop(row, None)
        else:
            self._versions[row] = version

    async def _write(self, conn: Connection, row: Row, text: str | None) -> None:
        """Write (text) or delete (None) one row over the version read; VersionConflict else."""
        table, key = row
        columns, data = _TABLES[table]
        where = " AND ".join(f"{c} = ?" for c in columns)
        version = self._versions.get(row)
        if text is None:
            if version is not None:
                cur = await conn.execute(
                    f"DELETE FROM {table} WHERE {where} AND version = ?", (*key, version)
                )
                if cur.rowcount != 1:
                    raise VersionConflict(row)
            self._seen(row, None, None)
            return
        if version is None:
            names = ", ".join((*columns, data, "version"))
            marks = ", ".join("?" * (len(columns) + 2))
            cur = await conn.execute(
                f"INSERT OR IGNORE INTO {table} ({names}) VALUES ({marks})", (*key, text, 1)
            )
        else:
            cur = await conn.execute(
                f"UPDATE {table} SET {data} = ?, version = version + 1 WHERE {where}"
                " AND version = ?",
                (text, *key, version),
            )
        if cur.rowcount != 1:
            raise VersionConflict(row)
        self._seen(row, text, (version or 0) + 1)

    async def _reread(self, row: Row) -> None:
        table, key = row
        columns, data = _TABLES[table]
        where = " AND ".join(f"{c} = ?" for c in columns)
        found = await self.db.fetchone(f"SELECT {data}, version FROM {table} WHERE {where}", key)
        self._seen(row, found[0] if found else None, int(found[1]) if found else None)

    async def _put(self, row: Row, text: str | None) -> None:
        """Outside an update (PTB's interval and shutdown): one row in its own transaction."""
        if row in self._json and self._json[row] == text:
            return
        if row not in self._json and text is None and row[0] in self._loaded:
            return  # never stored, nothing to drop
        try:
            async with self.db.transaction(serial=False) as conn:
                await self._write(conn, row, text)
        except VersionConflict:
            self.conflicts += 1
            logger.warning("%s %s changed elsewhere meanwhile; the stored copy is kept", *row)
            await self._reread(row)

    # ----- user_data / chat_data -------------------------------------------------------------

    async def _load(self, table: str, id_col: str) -> dict[int, Data]:
        await self._require_open()
        rows = await self.db.fetchall(f"SELECT {id_col}, data, version FROM {table}")
        out: dict[int, Data] = {}
        for row in rows:
            out[int(row[0])] = json.loads(row[1])
            self._seen((table, (int(row[0]),)), row[1], int(row[2]))
        self._loaded.add(table)
        logger.info("loaded %s rows from %s", len(out), table)
        return out

    @staticmethod
    def _text(table: str, ident: int, data: Data) -> str | None:
        if not data:
            return None  # an empty dict is what PTB's defaultdict gives anyway: keep no row
        try:
            return _dump(data)
        except (TypeError, ValueError) as exc:
            raise TypeError(f"{table} for {ident} is not JSON-friendly: {exc}") from exc

    async def get_user_data(self) -> dict[int, Data]:
        return await self._load("ptb_user_data", "user_id")

    async def get_chat_data(self) -> dict[int, Data]:
        return await self._load("ptb_chat_data", "chat_id")

    async def update_user_data(self, user_id: int, data: Data) -> None:
        text = self._text("ptb_user_data", user_id, data)
        await self._put(("ptb_user_data", (user_id,)), text)

    async def update_chat_data(self, chat_id: int, data: Data) -> None:
        text = self._text("ptb_chat_data", chat_id, data)
        await self._put(("ptb_chat_data", (chat_id,)), text)

    async def drop_user_data(self, user_id: int) -> None:
        await self._put(("ptb_user_data", (user_id,)), None)

    async def drop_chat_data(self, chat_id: int) -> None:
        await self._put(("ptb_chat_data", (chat_id,)), None)

    async def refresh_user_data(self, user_id: int, user_data: Data) -> None:
        """No-op: the update processor has put the stored copy in place (load_update)."""

    async def refresh_chat_data(self, chat_id: int, chat_data: Data) -> None:
        """No-op: the update processor has put the stored copy in place (load_update)."""

    # ----- conversations ---------------------------------------------------------------------

    async def get_conversations(self, name: str) -> ConversationDict:
        await self._require_open()
        rows = await self.db.fetchall(
            "SELECT key, state, version FROM ptb_conversations WHERE name = ?", (name,)
        )
        out: dict[ConversationKey, object] = {}
        for row in rows:
            key = tuple(json.loads(row[0]))
            out[key] = None if row[1] is None else json.loads(row[1])
            self._seen(("ptb_conversations", (name, row[0])), row[1], int(row[2]))
        self._loaded.add("ptb_conversations")
        logger.info("loaded %s conversations of %s", len(out), name)
        return out

    async def update_conversation(
        self, name: str, key: ConversationKey, new_state: object | None
    ) -> None:
        """Write (or delete, for None) one state right away in its own transaction."""
        text = None if new_state is None else _dump(new_state)
        await self._put(("ptb_conversations", (name, _key_text(key))), text)

    # ----- one update: read before its handlers, written after them ------------------------

    async def load_update(
        self,
        chat_key: int,
        conversations: Sequence[tuple[str, ConversationKey]],
        user_id: int | None,
        chat_id: int | None,
        *,
        marks: bool = False,
    ) -> Fresh:
        """The chat's conversations' states and its data (with ``marks``: the updates it
        handled lately), in one query."""
        keys = sorted({_key_text(k) for _, k in conversations})
        parts: list[str] = []
        params: list[object] = []
        if marks:
            parts.append(
                "SELECT 'm', NULL, NULL, recent, at_ms FROM chat_updates WHERE chat_id = ?"
            )
            params.append(chat_key)
        if keys:
            parts.append(
                "SELECT 'c', name, key, state, version FROM ptb_conversations"
                f" WHERE key IN ({','.join('?' * len(keys))})"
            )
            params += keys
        for tag, table, column, ident in (
            ("u", "ptb_user_data", "user_id", user_id),
            ("h", "ptb_chat_data", "chat_id", chat_id),
        ):
            if ident is not None:
                parts.append(
                    f"SELECT '{tag}', NULL, NULL, data, version FROM {table} WHERE {column} = ?"
                )
                params.append(ident)
        rows = await self.db.fetchall(" UNION ALL ".join(parts), params) if parts else []
        fresh = Fresh(handled=frozenset())
        found: dict[Row, tuple[str | None, int]] = {}
        for r in rows:
            if r[0] == "m":
                if int(time.time() * 1000) - int(r[4]) < MARK_FRESH_MS:
                    fresh.handled = frozenset(int(i) for i in json.loads(r[3]))
            elif r[0] == "c":
                found[("ptb_conversations", (r[1], r[2]))] = (r[3], int(r[4]))
            elif r[0] == "u":
                found[("ptb_user_data", (user_id,))] = (r[3], int(r[4]))
            else:
                found[("ptb_chat_data", (chat_id,))] = (r[3], int(r[4]))
        for name, key in conversations:
            row: Row = ("ptb_conversations", (name, _key_text(key)))
            text, version = found.get(row, (None, None))
            self._seen(row, text, version)
            fresh.states[(name, key)] = None if text is None else json.loads(text)
        for table, ident in (("ptb_user_data", user_id), ("ptb_chat_data", chat_id)):
            if ident is None:
                continue
            row = (table, (ident,))
            text, version = found.get(row, (None, None))
            self._seen(row, text, version)
            data = None if text is None else json.loads(text)
            if table == "ptb_user_data":
                fresh.user_data = data
            else:
                fresh.chat_data = data
        return fresh

    async def save_update(
        self,
        chat_key: int,
        update_id: int,
        states: dict[tuple[str, ConversationKey], object | None],
        user: tuple[int, Data] | None,
        chat: tuple[int, Data] | None,
        replies: Sequence[Outgoing] = (),
        now: datetime | None = None,
        handled: frozenset[int] | None = None,
    ) -> list[Queued]:
        """What the update changed, (with ``handled``, the chat's updates so far) its mark and
        (owed from now on) its replies, atomically.

        A row changed elsewhere since load_update raises VersionConflict: nothing is written."""
        writes: list[tuple[Row, str | None]] = []
        for (name, key), state in states.items():
            writes.append(
                (
                    ("ptb_conversations", (name, _key_text(key))),
                    None if state is None else _dump(state),
                )
            )
        for table, item in (("ptb_user_data", user), ("ptb_chat_data", chat)):
            if item is not None:
                writes.append(((table, (item[0],)), self._text(table, item[0], item[1])))
        changed = [
            (row, text)
            for row, text in writes
            if self._json.get(row, None if row[0] in self._loaded else "") != text
        ]
        if not changed and handled is None and not replies:
            return []  # nothing to write: no transaction, no turn for the write lock
        try:
            async with self.db.transaction(serial=False, nested=False) as conn:
                for row, text in changed:
                    await self._write(conn, row, text)
                if handled is not None:
                    recent = sorted({*handled, update_id})[-MARK_KEEP:]
                    await conn.execute(
                        "INSERT INTO chat_updates (chat_id, recent, at_ms) VALUES (?, ?, ?)"
                        " ON CONFLICT (chat_id) DO UPDATE SET recent = excluded.recent,"
                        " at_ms = excluded.at_ms",
                        (chat_key, _dump(recent), int(time.time() * 1000)),
                    )
                if replies:
                    assert now is not None
                    return await outbox_repo.insert(conn, replies, now)
                return []
        except BaseException as exc:
            for row, _ in changed:  # what the cache says of them may not have been committed
                self._json.pop(row, None)
                self._versions.pop(row, None)
            if isinstance(exc, VersionConflict):
                self.conflicts += 1
                logger.warning(
                    "chat %s changed elsewhere meanwhile: update %s not saved", chat_key, update_id
                )
            raise

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
