"""Updates handled concurrently across chats and strictly in order within one chat."""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from domain.outgoing import Queued
from handlers.common import OUTBOUND

logger = logging.getLogger(__name__)

# PTB's own semaphore is set far above the real bound so that an update never waits there
# (where its order against the same chat's next update could change); the real bound is
# the number of chats being worked at once.
UNBOUNDED = 1_000_000

Flush = Callable[[list[Queued]], None]
Persist = Callable[[], Awaitable[None]]


def chat_key(update: object) -> int | None:
    """Who an update belongs to: the user (private chats), else the chat."""
    if not isinstance(update, Update):
        return None
    if update.effective_user is not None:
        return update.effective_user.id
    if update.effective_chat is not None:
        return update.effective_chat.id
    return None


class ChatOrderedProcessor(BaseUpdateProcessor):
    """One chain per chat; at most `max_chats` chains run at once; replies after saving."""

    def __init__(self, max_chats: int = 64) -> None:
        super().__init__(UNBOUNDED)
        self.max_chats = max_chats
        self._slots = asyncio.Semaphore(max_chats)
        self._chains: dict[int, deque[tuple[object, Awaitable[Any]]]] = {}
        self._handled: dict[int, list[asyncio.Future[None]]] = {}  # update_id → who waits
        self._again: set[int] = set()  # updates resubmitted: handled after their second run
        self.persist: Persist | None = None
        self.flush: Flush | None = None
        self.process: Callable[[object], Awaitable[Any]] | None = None

    async def initialize(self) -> None:
        """Nothing to allocate: chains are made as updates arrive."""

    async def shutdown(self) -> None:
        """Close the coroutines of updates that never ran (PTB stops feeding us first)."""
        for chain in self._chains.values():
            for _, coroutine in list(chain)[1:]:
                close = getattr(coroutine, "close", None)
                if close is not None:
                    close()
        self._chains.clear()
        for waiters in self._handled.values():  # their webhook requests fail: sent again
            for waiter in waiters:
                waiter.cancel()
        self._handled.clear()

    def handled(self, update: object) -> asyncio.Future[None]:
        """Resolves once this update's handlers ran and its step was saved (the webhook's
        answer waits for it)."""
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        if isinstance(update, Update):
            self._handled.setdefault(update.update_id, []).append(waiter)
        else:
            waiter.set_result(None)
        return waiter

    def _done(self, update: object) -> None:
        if isinstance(update, Update):
            if update.update_id in self._again:
                self._again.discard(update.update_id)
                return
            for waiter in self._handled.pop(update.update_id, ()):
                if not waiter.done():
                    waiter.set_result(None)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = chat_key(update)
        if key is None:
            async with self._slots:
                await self._run(update, coroutine)
            return
        chain = self._chains.get(key)
        if chain is not None:
            chain.append((update, coroutine))  # its chain runs it in turn; this slot is free
            return
        chain = deque([(update, coroutine)])
        self._chains[key] = chain
        try:
            async with self._slots:
                while chain:
                    current_update, current = chain[0]
                    await self._run(current_update, current)
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
        chain.insert(1, (update, self.process(update)))
        self._again.add(update.update_id)
        return True

    async def _run(self, update: object, coroutine: Awaitable[Any]) -> None:
        """The handlers, then the conversation step is saved, then the replies leave."""
        box: list[Queued] = []
        token = OUTBOUND.set(box)
        try:
            await coroutine
        except Exception:
            logger.exception("update processing failed outside the handlers")
        finally:
            OUTBOUND.reset(token)
            if self.persist is not None:
                try:
                    await self.persist()
                except Exception:
                    logger.exception("could not save conversation state; replies still go out")
            if self.flush is not None and box:
                self.flush(box)
            self._done(update)


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
