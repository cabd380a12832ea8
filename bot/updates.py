"""Updates handled concurrently across chats and strictly in order within one chat.

Within one process a chat's updates form a chain. Across processes (several instances on one
PostgreSQL database, behind one webhook) the database orders them: each update starts by
taking the chat's lock, reads the chat's conversation states, user_data and chat_data from
the database (never trusting this process's memory, which another instance may have made
stale) and the chat's update mark (an update Telegram sent again after an instance died is
seen as handled), and ends by writing what it changed, the mark and its replies (see
UpdateState; storage.pg runs the whole update as one transaction).
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor, ConversationHandler

from domain.clock import Clock
from domain.outgoing import Queued
from handlers.common import OUTBOUND
from storage.db import Database
from storage.persistence import SQLitePersistence

logger = logging.getLogger(__name__)

# PTB's own semaphore is set far above the real bound so that an update never waits there
# (where its order against the same chat's next update could change); the real bound is
# the number of chats being worked at once.
UNBOUNDED = 1_000_000

Flush = Callable[[list[Queued]], None]
Persist = Callable[[], Awaitable[None]]
Link = tuple[object, Awaitable[Any], bool]  # (update, its processing, run again after a command)


def chat_key(update: object) -> int | None:
    """Who an update belongs to: the user (private chats), else the chat."""
    if not isinstance(update, Update):
        return None
    if update.effective_user is not None:
        return update.effective_user.id
    if update.effective_chat is not None:
        return update.effective_chat.id
    return None


def _close(coroutine: Awaitable[Any]) -> None:
    close = getattr(coroutine, "close", None)
    if close is not None:
        close()


class UpdateState:
    """Reads a chat's state from the database before an update and writes it after."""

    def __init__(
        self,
        app: Any,
        persistence: SQLitePersistence,
        db: Database,
        clock: Clock,
        *,
        marks: bool = False,
    ) -> None:
        self.app = app
        self.persistence = persistence
        self.db = db
        self.clock = clock
        # webhook: an update answered late is sent again; the chat's marks tell it was handled
        self.marks = marks
        self._conversations: list[ConversationHandler[Any]] | None = None

    def _handlers(self) -> list[ConversationHandler[Any]]:
        if self._conversations is None:
            self._conversations = [
                h
                for group in self.app.handlers.values()
                for h in group
                if isinstance(h, ConversationHandler) and h.persistent and h.name
            ]
        return self._conversations

    def _keys(self, update: Update) -> list[tuple[ConversationHandler[Any], tuple[Any, ...]]]:
        found = []
        for handler in self._handlers():
            try:
                found.append((handler, handler._get_key(update)))  # PTB's own key of a chat
            except RuntimeError:  # no chat or user for this handler's key
                continue
        return found

    async def run(
        self, update: Update, key: int, coroutine: Awaitable[Any], box: list[Queued], again: bool
    ) -> list[Queued]:
        """The update from the stored state to the saved step; what to send afterwards."""
        keys = self._keys(update)
        user_id = update.effective_user.id if update.effective_user else None
        chat_id = update.effective_chat.id if update.effective_chat else None
        persistence = self.persistence
        async with self.db.update_session(key):
            fresh = await persistence.load_update(
                key, [(h.name or "", k) for h, k in keys], user_id, chat_id, marks=self.marks
            )
            if not again and update.update_id in fresh.handled:
                _close(coroutine)
                logger.info("update %s of chat %s was handled already", update.update_id, key)
                return []
            for handler, conversation in keys:
                state = fresh.states.get((handler.name or "", conversation))
                # PTB's TrackingDict of states; untracked, so nothing is written back for it
                held: Any = handler._conversations
                if state is None:
                    held.data.pop(conversation, None)
                else:
                    held.update_no_track({conversation: state})
            if user_id is not None:
                _replace(self.app.user_data[user_id], fresh.user_data)
            if chat_id is not None:
                _replace(self.app.chat_data[chat_id], fresh.chat_data)
            try:
                await coroutine
            except Exception:
                logger.exception("update processing failed outside the handlers")
            states = {(h.name or "", k): h._conversations.get(k) for h, k in keys}
            user = (user_id, dict(self.app.user_data.get(user_id) or {})) if user_id else None
            chat = (chat_id, dict(self.app.chat_data.get(chat_id) or {})) if chat_id else None
            # with other instances about, the update's replies are owed from the commit on:
            # one killed after it has them sent by another
            replies = [
                i
                for i in box
                if self.db.shared and i.outbox_id is None and "at_label" not in i.meta
            ]
            queued = await persistence.save_update(
                key,
                update.update_id,
                states,
                user,
                chat,
                [i.message for i in replies],
                self.clock.now(),
                handled=fresh.handled if self.marks else None,
            )
        owed = {
            id(old): replace(new, meta=old.meta) for old, new in zip(replies, queued, strict=True)
        }
        return [owed.get(id(item), item) for item in box]


def _replace(target: dict[str, Any], stored: dict[str, Any] | None) -> None:
    """The stored copy in place of what this process remembers (same dict object)."""
    if stored != target:
        target.clear()
        target.update(stored or {})


class ChatOrderedProcessor(BaseUpdateProcessor):
    """One chain per chat; at most `max_chats` chains run at once; replies after saving."""

    def __init__(self, max_chats: int = 64) -> None:
        super().__init__(UNBOUNDED)
        self.max_chats = max_chats
        self._slots = asyncio.Semaphore(max_chats)
        self._chains: dict[int, deque[Link]] = {}
        self._handled: dict[int, list[asyncio.Future[None]]] = {}  # update_id → who waits
        self.persist: Persist | None = None
        self.flush: Flush | None = None
        self.process: Callable[[object], Awaitable[Any]] | None = None
        self.state: UpdateState | None = None

    async def initialize(self) -> None:
        """Nothing to allocate: chains are made as updates arrive."""

    async def shutdown(self) -> None:
        """Close the coroutines of updates that never ran (PTB stops feeding us first)."""
        for chain in self._chains.values():
            for _, coroutine, _ in list(chain)[1:]:
                _close(coroutine)
        self._chains.clear()
        for waiters in self._handled.values():  # their webhook requests fail: sent again
            for waiter in waiters:
                waiter.cancel()
        self._handled.clear()

    def handled(self, update: object) -> asyncio.Future[None]:
        """Resolves once this update's handlers ran and its step was saved (the webhook's
        answer waits for it); fails when the step could not be saved (sent again)."""
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        if isinstance(update, Update):
            self._handled.setdefault(update.update_id, []).append(waiter)
        else:
            waiter.set_result(None)
        return waiter

    def _done(self, update: object, error: BaseException | None) -> None:
        if not isinstance(update, Update):
            return
        key = chat_key(update)
        chain = self._chains.get(key) if key is not None else None
        if chain is not None and any(u is update for u, _, _ in list(chain)[1:]):
            return  # it runs again (resubmitted): answered after that
        for waiter in self._handled.pop(update.update_id, ()):
            if waiter.done():
                continue
            if error is None:
                waiter.set_result(None)
            else:
                waiter.set_exception(error)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = chat_key(update)
        if key is None:
            async with self._slots:
                await self._run(update, coroutine, again=False)
            return
        chain = self._chains.get(key)
        if chain is not None:
            chain.append((update, coroutine, False))  # its chain runs it in turn
            return
        chain = deque([(update, coroutine, False)])
        self._chains[key] = chain
        try:
            async with self._slots:
                while chain:
                    current_update, current, again = chain[0]
                    await self._run(current_update, current, again=again)
                    chain.popleft()
        finally:
            self._chains.pop(key, None)

    def resubmit(self, update: Update) -> bool:
        """Run this update again right after the current one of its chat (a command that
        ended an optional prompt, say); False when it is not being processed here."""
        key = chat_key(update)
        chain = self._chains.get(key) if key is not None else None
        if chain is None or self.process is None:
            return False
        chain.insert(1, (update, self.process(update), True))
        return True

    async def _run(self, update: object, coroutine: Awaitable[Any], *, again: bool) -> None:
        """The handlers, then the conversation step is saved, then the replies leave."""
        box: list[Queued] = []
        token = OUTBOUND.set(box)
        error: BaseException | None = None
        key = chat_key(update)
        try:
            if self.state is not None and isinstance(update, Update) and key is not None:
                try:
                    box = await self.state.run(update, key, coroutine, box, again)
                except Exception as exc:
                    error = exc
                    logger.exception("update %s could not be saved", update.update_id)
                    if self.state.db.shared:
                        box = []  # the whole update was undone: nothing of it may be told
            else:
                await self._plain(coroutine)
        finally:
            OUTBOUND.reset(token)
            if self.flush is not None and box:
                self.flush(box)
            self._done(update, error)

    async def _plain(self, coroutine: Awaitable[Any]) -> None:
        try:
            await coroutine
        except Exception:
            logger.exception("update processing failed outside the handlers")
        finally:
            if self.persist is not None:
                try:
                    await self.persist()
                except Exception:
                    logger.exception("could not save conversation state; replies still go out")


class AckedQueue(asyncio.Queue[object]):
    """The webhook's update queue: put() returns only once the update was handled and its step
    saved, so the webhook answers 200 only then. PTB's own webhook answers as soon as an update
    is queued; an instance killed before handling it would lose it, since Telegram never sends
    an answered update again. (Polling must not use it: it would handle one update at a time.)
    """

    def __init__(self, processor: ChatOrderedProcessor) -> None:
        super().__init__()
        self.processor = processor

    async def put(self, item: object) -> None:
        handled = self.processor.handled(item)
        await super().put(item)
        await handled
