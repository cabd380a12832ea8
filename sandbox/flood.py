"""Telegram-like flood control: sliding-window send limits, globally and per chat."""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable

from sandbox.core import ApiError


class _Window:
    """Timestamps of the sends within the last `window` seconds."""

    def __init__(self, limit: int, window: float) -> None:
        self.limit = limit
        self.window = window
        self.stamps: deque[float] = deque()

    def retry_after(self, now: float, count: int) -> int | None:
        """Seconds to wait if `count` more sends would exceed the limit, else None."""
        while self.stamps and self.stamps[0] <= now - self.window:
            self.stamps.popleft()
        if len(self.stamps) + count <= self.limit:
            return None
        if not self.stamps:
            return max(1, math.ceil(self.window))
        index = min(len(self.stamps) - 1, len(self.stamps) + count - self.limit - 1)
        return max(1, math.ceil(self.stamps[index] + self.window - now))

    def add(self, now: float, count: int) -> None:
        self.stamps.extend([now] * count)


class FloodControl:
    """Answers 429 "Too Many Requests: retry after N" like Telegram when a bot sends too fast."""

    def __init__(
        self,
        enabled: bool = True,
        limit: int = 30,
        window: float = 1.0,
        per_chat_limit: int | None = None,
        per_chat_window: float = 1.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.enabled = enabled
        self.monotonic = monotonic
        self.global_window = _Window(limit, window)
        self.per_chat_limit = per_chat_limit
        self.per_chat_window = per_chat_window
        self.chats: dict[int, _Window] = {}
        self.rejected = 0

    def check(self, chat_id: int, count: int = 1) -> None:
        """Record `count` sends to chat_id or raise ApiError(429) without recording them."""
        if not self.enabled:
            return
        now = self.monotonic()
        waits = [self.global_window.retry_after(now, count)]
        chat_window = None
        if self.per_chat_limit is not None:
            chat_window = self.chats.setdefault(
                chat_id, _Window(self.per_chat_limit, self.per_chat_window)
            )
            waits.append(chat_window.retry_after(now, count))
        wait = max((w for w in waits if w is not None), default=None)
        if wait is not None:
            self.rejected += 1
            raise ApiError(429, f"Too Many Requests: retry after {wait}", retry_after=wait)
        self.global_window.add(now, count)
        if chat_window is not None:
            chat_window.add(now, count)
