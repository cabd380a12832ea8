"""Fixtures: a running sandbox and a real PTB Bot pointed at it."""

from __future__ import annotations

import struct
from collections.abc import AsyncIterator

import pytest
import telegram

from sandbox import BotApiSandbox

TOKEN = "123456:TEST-token_abc"


def png(width: int = 3, height: int = 2) -> bytes:
    """A tiny PNG header: enough for the sandbox to read the size."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + ihdr + b"\0" * 4


@pytest.fixture
async def sandbox() -> AsyncIterator[BotApiSandbox]:
    box = await BotApiSandbox().start()
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
