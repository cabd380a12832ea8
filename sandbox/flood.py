"""Telegram-like flood control: a sliding window over all sends and a token bucket per chat."""

from __future__ import annotations

import logging
import math
import time
from collections import Counter, deque
from collections.abc import Callable
from typing import Any

from sandbox.core import ApiError

logger = logging.getLogger(__name__)

# Float noise must not turn "exactly 1 s" into a 2 s retry_after.
_EPSILON = 1e-9


def _whole_seconds(seconds: float) -> int:
    """Telegram's retry_after: whole seconds, rounded up, at least 1."""
    return max(1, math.ceil(seconds - _EPSILON))


class _Window:
    """Timestamps of the sends within the last `window` seconds."""

    def __init__(self, limit: int, window: float) -> None:
        self.limit = limit
        self.window = window
        self.stamps: deque[float] = deque()

    def wait(self, now: float, count: int) -> float | None:
        """Seconds until `count` more sends fit under the limit, or None if they fit now."""
        while self.stamps and self.stamps[0] <= now - self.window:
            self.stamps.popleft()
        if len(self.stamps) + count <= self.limit:
            return None
        if not self.stamps:
            return self.window
        index = min(len(self.stamps) - 1, len(self.stamps) + count - self.limit - 1)
        return self.stamps[index] + self.window - now

    def add(self, now: float, count: int) -> None:
        self.stamps.extend([now] * count)


class _Bucket:
    """One chat's tokens: `burst` sends at once, then `rate` more per second."""

    def __init__(self, burst: int, rate: float, now: float) -> None:
        self.burst = burst
        self.rate = rate
        self.tokens = float(burst)
        self.stamp = now

    def _refill(self, now: float) -> None:
        elapsed = max(0.0, now - self.stamp)
        self.tokens = min(float(self.burst), self.tokens + elapsed * self.rate)
        self.stamp = now

    def wait(self, now: float, count: int) -> float | None:
        """Seconds until `count` sends may go, or None if they may go now."""
        self._refill(now)
        # An album bigger than the burst goes once the bucket is full and leaves it in debt,
        # as Telegram lets a 10-photo album through and then holds the chat back.
        needed = min(count, self.burst)
        if self.tokens + _EPSILON >= needed:
            return None
        return (needed - self.tokens) / self.rate

    def take(self, count: int) -> None:
        self.tokens -= count


class FloodControl:
    """Answers 429 "Too Many Requests: retry after N" like Telegram when a bot sends too fast."""

    def __init__(
        self,
        enabled: bool = True,
        limit: int = 30,
        window: float = 1.0,
        per_chat_burst: int | None = 3,
        per_chat_rate: float = 1.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.enabled = enabled
        self.monotonic = monotonic
        self.global_window = _Window(limit, window)
        self.per_chat_burst = per_chat_burst
        self.per_chat_rate = per_chat_rate
        self.chats: dict[int, _Bucket] = {}
        self.rejected = 0
        self.rejected_overall = 0
        self.rejected_per_chat = 0
        self.rejected_by_chat: Counter[int] = Counter()
        self._validate()

    def _validate(self) -> None:
        """Refuse limits that would make every send wait forever."""
        if self.global_window.limit < 1 or self.global_window.window <= 0:
            raise ValueError("overall limit must be >= 1 and window > 0")
        if self.per_chat_burst is not None and self.per_chat_burst < 0:
            raise ValueError("per_chat_burst must be >= 0 (0 or None switches it off)")
        if self.per_chat_rate <= 0:
            raise ValueError("per_chat_rate must be > 0")

    @property
    def per_chat_enabled(self) -> bool:
        return bool(self.per_chat_burst)

    def configure(
        self,
        *,
        enabled: bool | None = None,
        limit: int | None = None,
        window: float | None = None,
        per_chat_burst: int | None = None,
        per_chat_rate: float | None = None,
    ) -> None:
        """Change limits at run time (None keeps a value, per_chat_burst=0 switches it off)."""
        old = (self.enabled, self.global_window.limit, self.global_window.window)
        old_chat = (self.per_chat_burst, self.per_chat_rate)
        if enabled is not None:
            self.enabled = enabled
        if limit is not None:
            self.global_window.limit = limit
        if window is not None:
            self.global_window.window = window
        if per_chat_burst is not None:
            self.per_chat_burst = per_chat_burst or None
        if per_chat_rate is not None:
            self.per_chat_rate = per_chat_rate
        try:
            self._validate()
        except ValueError:
            self.enabled, self.global_window.limit, self.global_window.window = old
            self.per_chat_burst, self.per_chat_rate = old_chat
            raise
        if (self.per_chat_burst, self.per_chat_rate) != old_chat:
            self.chats.clear()  # new per-chat limits start every chat with a full bucket
        logger.info("sandbox flood control: %s", self.config())

    def config(self) -> dict[str, Any]:
        """The limits as the control API shows them."""
        return {
            "enabled": self.enabled,
            "overall_limit": self.global_window.limit,
            "window": self.global_window.window,
            "per_chat_burst": self.per_chat_burst or 0,
            "per_chat_rate": self.per_chat_rate,
        }

    def stats(self) -> dict[str, Any]:
        """Rejections split by the limit that caused them; overall + per_chat == rejected."""
        return {
            **self.config(),
            "rejected": self.rejected,
            "rejected_overall": self.rejected_overall,
            "rejected_per_chat": self.rejected_per_chat,
            "rejected_by_chat": {str(k): v for k, v in sorted(self.rejected_by_chat.items())},
        }

    def reset_stats(self) -> None:
        self.rejected = self.rejected_overall = self.rejected_per_chat = 0
        self.rejected_by_chat.clear()

    def _bucket(self, chat_id: int, now: float) -> _Bucket | None:
        if not self.per_chat_burst:
            return None
        bucket = self.chats.get(chat_id)
        if bucket is None:
            bucket = self.chats[chat_id] = _Bucket(self.per_chat_burst, self.per_chat_rate, now)
        return bucket

    def check(self, chat_id: int, count: int = 1) -> None:
        """Record `count` sends to chat_id or raise ApiError(429) without recording them."""
        if not self.enabled:
            return
        now = self.monotonic()
        overall_wait = self.global_window.wait(now, count)
        bucket = self._bucket(chat_id, now)
        chat_wait = bucket.wait(now, count) if bucket is not None else None
        if overall_wait is None and chat_wait is None:
            self.global_window.add(now, count)
            if bucket is not None:
                bucket.take(count)
            return
        self._reject(chat_id, overall_wait or 0.0, chat_wait or 0.0)

    def _reject(self, chat_id: int, overall_wait: float, chat_wait: float) -> None:
        """Count the rejection against the limit that holds the send back longer."""
        self.rejected += 1
        if chat_wait >= overall_wait:
            self.rejected_per_chat += 1
            self.rejected_by_chat[chat_id] += 1
        else:
            self.rejected_overall += 1
        wait = _whole_seconds(max(overall_wait, chat_wait))
        raise ApiError(429, f"Too Many Requests: retry after {wait}", retry_after=wait)
