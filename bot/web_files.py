"""Attachments for the web platform, fetched from Telegram through the bot's getFile."""

from __future__ import annotations

import logging
from collections import OrderedDict

from telegram import Bot
from telegram.error import TelegramError

from web.files import FileUnavailable

logger = logging.getLogger(__name__)

CACHE_BYTES = 32 * 1024 * 1024  # recently shown files, so a busy problem page costs one download


class BotFiles:
    """The FileSource of the web platform: getFile, then the download, with a small cache."""

    def __init__(self, bot: Bot, cache_bytes: int = CACHE_BYTES) -> None:
        self.bot = bot
        self.cache_bytes = cache_bytes
        self._cache: OrderedDict[str, bytes] = OrderedDict()
        self._size = 0

    async def fetch(self, file_id: str) -> bytes:
        data = self._cache.get(file_id)
        if data is not None:
            self._cache.move_to_end(file_id)
            return data
        try:
            file = await self.bot.get_file(file_id)
            data = bytes(await file.download_as_bytearray())
        except TelegramError as exc:
            logger.warning("web: file %s unavailable: %s", file_id, exc)
            raise FileUnavailable(str(exc)) from exc
        self._remember(file_id, data)
        return data

    def _remember(self, file_id: str, data: bytes) -> None:
        if len(data) > self.cache_bytes // 4:
            return
        self._cache[file_id] = data
        self._size += len(data)
        while self._size > self.cache_bytes:
            _, old = self._cache.popitem(last=False)
            self._size -= len(old)
