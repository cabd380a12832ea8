"""The one sender: every message to a person leaves here, in order per chat, paced, retried."""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import logging
import random
import warnings
from collections import deque
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any

from telegram import Bot, InputFile, TelegramObject
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.warnings import PTBUserWarning

from delivery.pacing import Pacer
from domain.clock import Clock
from domain.outgoing import FROM_CLOCK, Outgoing, Queued
from storage.outbox_repo import OutboxRepo

logger = logging.getLogger(__name__)

MAX_BACKOFF = 30.0
OWED_ATTEMPTS = 12  # about six minutes of back-off before an owed message is given up
REPLY_ATTEMPTS = 5
GLOBAL_FLOOD_CHATS = 3  # this many chats answering 429 within a second: the overall limit
# Calls in flight at once, all chats together. Telegram answers in milliseconds, so a few
# suffice; more only makes httpcore scan a larger connection pool on every request (the
# bot's main cost under load before this bound: benchmarks/README.md).
IN_FLIGHT = 8
MARK_EVERY = 0.02
FORGET_EVERY = 300.0
# Instances sharing a database: each says every HEARTBEAT seconds that it is alive, and takes
# over the undelivered messages of one not heard of for ALIVE_MS (checked every SWEEP).
HEARTBEAT = 2.0
SWEEP = 2.0
ALIVE_MS = 10_000
# Reminders and digests are sent at most once: one that was in flight when the process died
# is not sent again (SPEC §4: none twice). Everything else is sent at least once.
AT_MOST_ONCE = frozenset({FROM_CLOCK})
STALE_EDIT = (
    "message to edit not found",
    "message can't be edited",
    "there is no text in the message to edit",
    "message to delete not found",
)

NO_PREVIEW = {"is_disabled": True}
# do_api_request is used on purpose (no Message is built from each answer); PTB suggests the
# typed method for every known endpoint, once per call site.
warnings.filterwarnings("ignore", message="Please use 'Bot.", category=PTBUserWarning)
# (chat, its dropped queue, Telegram's 403 description: blocked, deactivated, ...)
ForbiddenHook = Callable[[int, list[Queued], str], Awaitable[list[Outgoing]]]


def retry_seconds(exc: RetryAfter) -> float:
    """RetryAfter.retry_after as seconds, whichever type this PTB version returns."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


TEXT_METHODS = frozenset({"sendMessage", "editMessageText"})
CAPTION_METHODS = frozenset({"sendPhoto", "sendDocument"})
UPLOAD_FIELD = {"sendPhoto": "photo", "sendDocument": "document"}


async def call(bot: Bot, message: Outgoing) -> Any:
    """Make the Bot API call an Outgoing describes; the answer's Message is not parsed.

    The stored parameters go out as they are (reply_markup already in Bot API JSON), so a
    send costs no PTB object building: benchmarks/README.md has the profile."""
    params: dict[str, Any] = {"chat_id": message.chat_id, **message.params}
    if message.method in TEXT_METHODS:
        params.setdefault("parse_mode", "HTML")
        params.setdefault("link_preview_options", NO_PREVIEW)
    elif message.method in CAPTION_METHODS:
        params.setdefault("parse_mode", "HTML")
        filename = params.pop("filename", None)
        if message.upload is not None:
            params[UPLOAD_FIELD[message.method]] = InputFile(message.upload, filename=filename)
    markup = params.get("reply_markup")
    if isinstance(markup, TelegramObject):
        params["reply_markup"] = markup.to_dict()
    return await bot.do_api_request(message.method, api_kwargs=params)


@dataclass
class Stats:
    """What the sender did, for logs, tests and benchmarks."""

    sent: int = 0
    retried: int = 0
    flood_waits: int = 0
    bad_requests: int = 0
    forbidden: int = 0
    given_up: int = 0
    by_error: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str) -> None:
        self.by_error[kind] = self.by_error.get(kind, 0) + 1


class Sender:
    """Per-chat FIFO queues, the most urgent chat first, at most one call in flight per chat."""

    def __init__(
        self,
        bot: Bot,
        outbox: OutboxRepo,
        pacer: Pacer,
        clock: Clock,
        *,
        on_forbidden: ForbiddenHook | None = None,
        shared: bool = False,
    ) -> None:
        self.bot = bot
        self.outbox = outbox
        self.shared = shared  # other instances deliver from the same outbox
        self.pacer = pacer
        self.clock = clock
        self.on_forbidden = on_forbidden
        self.stats = Stats()
        self._queues: dict[int, deque[Queued]] = {}
        self._busy: set[int] = set()
        self._ready: list[tuple[int, int, int]] = []  # (priority, seq, chat)
        self._waiting: list[tuple[float, int]] = []  # (monotonic time, chat)
        self._scheduled: set[int] = set()
        self._known: set[int] = set()  # outbox ids queued or in flight here
        self._seq = itertools.count()
        self._wake = asyncio.Event()
        self._idle = asyncio.Event()
        self._idle.set()
        self._sent_ids: list[int] = []
        self._mark_soon = asyncio.Event()
        self._tasks: set[asyncio.Task[Any]] = set()
        self._loop_task: asyncio.Task[None] | None = None
        self._mark_task: asyncio.Task[None] | None = None
        self._sweep_task: asyncio.Task[None] | None = None
        self._started = clock.now()
        self.taken_over = 0
        self._running = False
        self._recent_floods: list[tuple[float, int]] = []
        self._labels: dict[tuple[int, str], int] = {}  # (chat, label) -> its latest message

    # --- feeding ----------------------------------------------------------------------

    def submit(self, items: Iterable[Queued]) -> None:
        """Queue messages; returns at once (nothing here waits for Telegram)."""
        for item in items:
            if item.outbox_id is not None:
                if item.outbox_id in self._known:
                    continue
                self._known.add(item.outbox_id)
            chat = item.message.chat_id
            self._queues.setdefault(chat, deque()).append(item)
            self._schedule(chat)
        if self._pending():
            self._idle.clear()
        self._wake.set()

    def reply(self, messages: Sequence[Outgoing]) -> None:
        """Queue replies that no change owes (the next prompt of a conversation)."""
        self.submit(Queued(m) for m in messages)

    async def load_pending(self) -> int:
        """At start: everything owed that no live instance delivers goes out now (with one
        process on an SQLite file: everything owed)."""
        return await self._take_over(own=True)

    async def _take_over(self, *, own: bool) -> int:
        (once,) = AT_MOST_ONCE
        claimed, dropped = await self.outbox.take_over(
            once, self.clock.now(), alive_ms=ALIVE_MS if self.shared else None, own=own
        )
        if dropped:
            logger.warning("%s reminders were being sent when the bot stopped: not resent", dropped)
        if claimed and not own:
            self.taken_over += len(claimed)
            logger.warning("took over %s owed messages of an instance that stopped", len(claimed))
        self.submit(claimed)
        return len(claimed)

    async def _sweeper(self) -> None:
        """With other instances: say this one is alive; deliver what a stopped one owed."""
        while True:
            await asyncio.sleep(min(HEARTBEAT, SWEEP))
            try:
                await self.outbox.heartbeat(self.clock.now(), self._started)
                await self._take_over(own=False)
            except Exception:
                logger.exception("heartbeat or take-over failed; will try again")

    # --- lifecycle --------------------------------------------------------------------

    async def start(self) -> None:
        self._running = True
        self._loop_task = asyncio.create_task(self._loop(), name="sender")
        self._mark_task = asyncio.create_task(self._marker(), name="sender-marks")
        if self.shared:
            await self.outbox.heartbeat(self.clock.now(), self._started)
            self._sweep_task = asyncio.create_task(self._sweeper(), name="sender-sweep")
        pending = await self.load_pending()
        if pending:
            logger.info("delivering %s messages still owed from before the start", pending)

    async def stop(self, drain: float = 5.0) -> None:
        """Deliver what is queued for up to `drain` seconds; the outbox keeps the rest."""
        if self._pending():
            try:
                await asyncio.wait_for(self._idle.wait(), drain)
            except TimeoutError:
                logger.info(
                    "stopping with %s chats still queued; they stay owed", len(self._queues)
                )
        self._running = False
        self._wake.set()
        for task in (self._loop_task, self._mark_task, self._sweep_task):
            if task is not None:
                task.cancel()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(
            *(
                t
                for t in (self._loop_task, self._mark_task, self._sweep_task, *self._tasks)
                if t is not None
            ),
            return_exceptions=True,
        )
        await self._flush_marks()
        if self.shared:  # what is still owed goes to the other instances at once
            await self.outbox.release(self.clock.now())

    async def idle(self, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        """Wait until nothing is queued or in flight (tests, demo, shutdown)."""
        await asyncio.wait_for(self._idle.wait(), timeout)
        await self._flush_marks()

    def _pending(self) -> bool:
        return bool(self._queues) or bool(self._busy)

    # --- scheduling -------------------------------------------------------------------

    def _schedule(self, chat: int) -> None:
        if chat in self._busy or chat in self._scheduled or chat not in self._queues:
            return
        now = self.pacer.monotonic()
        at = self.pacer.chat_ready_at(chat, now)
        self._scheduled.add(chat)
        if at > now:
            heapq.heappush(self._waiting, (at, chat))
        else:
            head = self._queues[chat][0]
            heapq.heappush(self._ready, (head.message.priority, next(self._seq), chat))

    def _promote(self, now: float) -> float | None:
        """Move chats whose wait is over to the ready heap; the next wait's end, if any."""
        while self._waiting and self._waiting[0][0] <= now:
            _, chat = heapq.heappop(self._waiting)
            self._scheduled.discard(chat)
            self._schedule(chat)
        return self._waiting[0][0] if self._waiting else None

    async def _sleep_until(self, at: float | None) -> None:
        self._wake.clear()
        timeout = None if at is None else max(0.0, at - self.pacer.monotonic())
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout)

    async def _loop(self) -> None:
        while self._running:
            now = self.pacer.monotonic()
            next_wait = self._promote(now)
            if not self._ready or len(self._busy) >= IN_FLIGHT:
                await self._sleep_until(next_wait)
                continue
            go_at = self.pacer.global_ready_at(now)
            if go_at > now:
                await asyncio.sleep(go_at - now)
                continue  # someone more urgent may have arrived meanwhile
            _, _, chat = heapq.heappop(self._ready)
            self._scheduled.discard(chat)
            queue = self._queues.get(chat)
            if not queue or chat in self._busy:
                continue
            if self.pacer.chat_ready_at(chat, now) > now:
                self._schedule(chat)
                continue
            item = queue.popleft()
            if not queue:
                del self._queues[chat]
            aimed = self._aim(chat, item)
            if aimed is None:  # the labelled message is unknown here, or spared: no call
                self._schedule(chat)
                if not self._pending():
                    self._idle.set()
                continue
            item = aimed
            self.pacer.take(chat, now)
            self._busy.add(chat)
            task = asyncio.create_task(self._deliver(chat, item))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    # --- one call ---------------------------------------------------------------------

    def _requeue_front(self, chat: int, item: Queued) -> None:
        self._queues.setdefault(chat, deque()).appendleft(item)

    async def _deliver(self, chat: int, item: Queued) -> None:
        try:
            await self._attempt(chat, item)
        except Exception:
            logger.exception("delivery to %s failed unexpectedly; giving the message up", chat)
            await self._give_up(item, "unexpected error")
        finally:
            self._busy.discard(chat)
            self._schedule(chat)
            if not self._pending():
                self._idle.set()
            self._wake.set()

    def _aim(self, chat: int, item: Queued) -> Queued | None:
        """A call aimed at a labelled message gets its id and the label is used up; None when
        no such message is known or it is the one to spare (its handler edits it itself)."""
        label = item.meta.get("at_label")
        if label is None:
            return item
        message_id = self._labels.pop((chat, str(label)), None)
        if message_id is None or message_id == item.meta.get("spare"):
            return None
        params = {**item.message.params, "message_id": message_id}
        meta = {k: v for k, v in item.meta.items() if k != "at_label"}
        return replace(item, message=replace(item.message, params=params), meta=meta)

    def _remember(self, chat: int, item: Queued, result: Any) -> None:
        """Keep the id of a labelled message (a prompt whose buttons a later one replaces)."""
        label = item.meta.get("label")
        if label is not None and isinstance(result, dict) and "message_id" in result:
            self._labels[(chat, str(label))] = int(result["message_id"])

    async def _attempt(self, chat: int, item: Queued) -> None:
        message = item.message
        once = item.outbox_id is not None and message.priority in AT_MOST_ONCE
        if once and item.attempts == 0:
            assert item.outbox_id is not None
            await self.outbox.mark_in_flight(item.outbox_id, self.clock.now())
        try:
            result = await call(self.bot, message)
        except RetryAfter as exc:
            seconds = retry_seconds(exc)
            self.stats.flood_waits += 1
            self._note_flood(chat, seconds)
            self._requeue_front(chat, item)
            return
        except Forbidden as exc:
            self.stats.forbidden += 1
            await self._forbidden(chat, item, exc)
            return
        except BadRequest as exc:
            text = exc.message.lower()
            if "not modified" in text:
                self._done(item)
                return
            if message.fallback is not None and any(s in text for s in STALE_EDIT):
                fallback = Outgoing(
                    chat_id=chat,
                    method=message.fallback["method"],
                    params=message.fallback["params"],
                    priority=message.priority,
                    reroute=message.reroute,
                )
                self._requeue_front(chat, replace(item, message=fallback))
                return
            self.stats.bad_requests += 1
            self.stats.count(f"400 {exc.message[:60]}")
            logger.warning("Telegram refused %s to %s: %s", message.method, chat, exc.message)
            await self._give_up(item, f"400 {exc.message}")
            return
        except (NetworkError, TelegramError) as exc:  # 5xx, time-outs, dropped connections
            attempts = item.attempts + 1
            limit = OWED_ATTEMPTS if item.outbox_id is not None else REPLY_ATTEMPTS
            self.stats.count(type(exc).__name__)
            if attempts >= limit:
                logger.error(
                    "giving up %s to %s after %s tries: %s", message.method, chat, attempts, exc
                )
                await self._give_up(item, str(exc))
                return
            delay = min(MAX_BACKOFF, 0.25 * 2 ** (attempts - 1)) * random.uniform(0.8, 1.2)
            logger.info(
                "%s to %s failed (%s); retry %s in %.2fs",
                message.method,
                chat,
                exc,
                attempts,
                delay,
            )
            self.stats.retried += 1
            self.pacer.hold_chat(chat, delay)
            self._requeue_front(chat, replace(item, attempts=attempts))
            return
        self._remember(chat, item, result)
        self._done(item)

    def _note_flood(self, chat: int, seconds: float) -> None:
        """Hold the chat; when several chats hear 429 together, hold everything."""
        self.pacer.hold_chat(chat, seconds)
        now = self.pacer.monotonic()
        recent = [(t, c) for t, c in self._recent_floods if now - t < 1.0 and c != chat]
        recent.append((now, chat))
        self._recent_floods = recent
        if len(recent) >= GLOBAL_FLOOD_CHATS:
            self.pacer.hold_all(seconds)

    def _done(self, item: Queued) -> None:
        self.stats.sent += 1
        if item.outbox_id is not None:
            self._sent_ids.append(item.outbox_id)
            self._known.discard(item.outbox_id)
            if item.message.priority in AT_MOST_ONCE:
                self._mark_soon.set()

    async def _give_up(self, item: Queued, error: str) -> None:
        self.stats.given_up += 1
        if item.outbox_id is not None:
            self._known.discard(item.outbox_id)
            await self.outbox.mark_failed(item.outbox_id, self.clock.now(), error)

    async def _forbidden(self, chat: int, item: Queued, exc: Forbidden) -> None:
        """The person blocked the bot (or never started it): drop their queue, reroute."""
        dropped = [item, *self._queues.pop(chat, deque())]
        logger.warning(
            "user %s cannot be reached (%s); %s messages rerouted or dropped",
            chat,
            exc.message,
            len(dropped),
        )
        for queued in dropped:
            await self._give_up(queued, f"403 {exc.message}")
        if self.on_forbidden is None:
            return
        instead = await self.on_forbidden(chat, dropped, exc.message)
        if instead:
            self.submit(await self.outbox.add(instead, self.clock.now()))

    # --- marking sent -----------------------------------------------------------------

    async def _marker(self) -> None:
        """Marks what was delivered; now and then forgets the pacing of quiet chats."""
        forget_at = self.pacer.monotonic() + FORGET_EVERY
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._mark_soon.wait(), MARK_EVERY)
            self._mark_soon.clear()
            if self.pacer.monotonic() >= forget_at:
                self.pacer.forget_idle()
                forget_at = self.pacer.monotonic() + FORGET_EVERY
            try:
                await self._flush_marks()
            except Exception:
                logger.exception("could not mark delivered messages; will try again")

    async def _flush_marks(self) -> None:
        if not self._sent_ids:
            return
        ids, self._sent_ids = self._sent_ids, []
        try:
            await self.outbox.mark_sent(ids, self.clock.now())
        except Exception:
            self._sent_ids = ids + self._sent_ids
            raise
