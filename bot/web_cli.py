"""`envoybot web`: the web platform alone, on the bot's database, until Ctrl-C."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from typing import Any

from telegram import Bot

from bot.app import file_url_for
from bot.config import Settings
from bot.web_files import BotFiles
from domain.clock import SystemClock
from storage.db import Database
from texts.i18n import plain
from usecases.errors import os_reason
from usecases.services import Services
from web.app import WebServer
from web.files import FileSource, NoFiles

logger = logging.getLogger(__name__)

DEFAULT_PORT = 8090


def bot_for_files(settings: Settings) -> Bot | None:
    """A Bot that only fetches attachments (no polling); None without a token."""
    if not settings.telegram_bot_token.strip():
        return None
    kwargs: dict[str, Any] = {}
    if settings.telegram_base_url:
        kwargs["base_url"] = settings.telegram_base_url
        kwargs["base_file_url"] = settings.telegram_base_file_url or file_url_for(
            settings.telegram_base_url
        )
    return Bot(settings.require_token(), **kwargs)


async def serve_web(settings: Settings, stop: asyncio.Event) -> int:
    lang = settings.default_lang
    db = Database(settings.db)
    await db.open()
    bot = bot_for_files(settings)
    files: FileSource = NoFiles()
    if bot is None:
        print(plain(lang, "cli-web-no-files"), file=sys.stderr)
    else:
        await bot.initialize()
        files = BotFiles(bot)
    port = settings.web_port if settings.web_port is not None else DEFAULT_PORT
    server = WebServer(
        Services(settings, SystemClock(), db), files, host=settings.web_host, port=port
    )
    try:
        try:
            await server.start()
        except OSError as exc:
            address = f"{settings.web_host}:{port}"
            print(
                plain(lang, "cli-web-cannot-listen", address=address, detail=os_reason(exc)),
                file=sys.stderr,
            )
            return 1
        print(plain(lang, "cli-web-running", url=settings.web_url or server.url), flush=True)
        await stop.wait()
        return 0
    finally:
        await server.stop()
        if bot is not None:
            await bot.shutdown()
        await db.close()
        print(plain(lang, "cli-web-stopped"), flush=True)


def run_web(settings: Settings, *, port: int | None, host: str | None) -> int:
    """Serve until SIGINT/SIGTERM; --port and --host override the settings."""
    update: dict[str, Any] = {}
    if port is not None:
        update["web_port"] = port
    if host is not None:
        update["web_host"] = host
    if update:
        settings = settings.model_copy(update=update)

    async def main() -> int:
        loop = asyncio.get_running_loop()
        stop = asyncio.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        return await serve_web(settings, stop)

    return asyncio.run(main())
