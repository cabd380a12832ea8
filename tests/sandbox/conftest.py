"""Fixtures: a running sandbox and a real PTB Bot pointed at it."""

from __future__ import annotations

import datetime as dt
import struct
import warnings
from collections.abc import AsyncIterator

import pytest
import telegram
from telegram.error import RetryAfter

from sandbox import BotApiSandbox

TOKEN = "123456:TEST-token_abc"


def png(width: int = 3, height: int = 2) -> bytes:
    """A tiny PNG header: enough for the sandbox to read the size."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + ihdr + b"\0" * 4


def retry_seconds(exc: RetryAfter) -> float:
    """retry_after in seconds, whether PTB gives an int or a timedelta."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)


class Clock:
    """A monotonic clock the test moves by hand, so flood windows slide without sleeping."""

    def __init__(self, now: float = 100.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
async def sandbox() -> AsyncIterator[BotApiSandbox]:
    """No per-chat limit: shape tests send faster than 1/s per chat (test_flood.py paces)."""
    box = await BotApiSandbox(per_chat_burst=None).start()
    try:
        yield box
    finally:
        await box.stop()


@pytest.fixture
async def bot(sandbox: BotApiSandbox) -> AsyncIterator[telegram.Bot]:
    async with telegram.Bot(
        TOKEN, base_url=sandbox.base_url, base_file_url=sandbox.base_file_url
    ) as real_bot:
        yield real_bot
