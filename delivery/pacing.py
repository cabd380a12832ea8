"""Telegram's send limits as the bot keeps them: an overall pace and a small bucket per chat."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

# Sends are spaced a little wider than the limit: requests leave here evenly but arrive
# with jitter, and a sliding window at Telegram's end counts arrivals.
MARGIN = 1.03
# Per chat the gap is wider: one late request and one early one must not meet in Telegram's
# bucket (benchmarks saw a few 429s per run with the exact rate).
CHAT_MARGIN = 1.1


@dataclass(slots=True)
class _Bucket:
    tokens: float
    stamp: float
    held_until: float = 0.0


class Pacer:
    """Decides when a chat may get its next message; 0 as rate turns proactive pacing off."""

    def __init__(
        self,
        rate: float,
        *,
        chat_rate: float = 1.0,
        chat_burst: int = 3,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.enabled = rate > 0
        self.interval = MARGIN / rate if rate > 0 else 0.0
        self.chat_rate = chat_rate / CHAT_MARGIN
        self.chat_burst = float(chat_burst)
        self.monotonic = monotonic
        self._next_global = 0.0
        self._held_all_until = 0.0
        self._chats: dict[int, _Bucket] = {}

    def _bucket(self, chat_id: int, now: float) -> _Bucket:
        bucket = self._chats.get(chat_id)
        if bucket is None:
            bucket = _Bucket(self.chat_burst, now)
            self._chats[chat_id] = bucket
        else:
            if self.enabled:
                bucket.tokens = min(
                    self.chat_burst, bucket.tokens + (now - bucket.stamp) * self.chat_rate
                )
            bucket.stamp = now
        return bucket

    def chat_ready_at(self, chat_id: int, now: float) -> float:
        """The moment this chat may be sent to, ignoring the overall pace."""
        bucket = self._bucket(chat_id, now)
        at = max(now, bucket.held_until)
        if self.enabled and bucket.tokens < 1:
            at = max(at, now + (1 - bucket.tokens) / self.chat_rate)
        return at

    def global_ready_at(self, now: float) -> float:
        """The moment the next message may leave at all."""
        return max(now, self._next_global, self._held_all_until)

    def take(self, chat_id: int, now: float) -> None:
        """Record one send to chat_id now."""
        if self.enabled:
            bucket = self._bucket(chat_id, now)
            bucket.tokens -= 1
            self._next_global = max(now, self._next_global) + self.interval

    def hold_chat(self, chat_id: int, seconds: float) -> None:
        """Telegram said retry after N for this chat: nothing goes there before."""
        now = self.monotonic()
        bucket = self._bucket(chat_id, now)
        bucket.held_until = max(bucket.held_until, now + seconds)
        bucket.tokens = min(bucket.tokens, 0.0)

    def hold_all(self, seconds: float) -> None:
        """Many chats answered 429 at once: the overall limit was hit, pause everything."""
        self._held_all_until = max(self._held_all_until, self.monotonic() + seconds)

    def forget_idle(self, older_than: float = 600.0) -> None:
        """Drop buckets of chats not written to for a while (memory stays bounded)."""
        now = self.monotonic()
        stale = [c for c, b in self._chats.items() if now - b.stamp > older_than]
        for chat_id in stale:
            del self._chats[chat_id]
