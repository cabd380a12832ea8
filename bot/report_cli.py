"""`envoybot stats` and `envoybot export`: the figures and the workbook from the command line."""

from __future__ import annotations

import asyncio
import logging
import sys
from datetime import UTC, datetime
from pathlib import Path

from bot.config import Settings
from domain.stats import Scope
from reporting.figures import build_export, build_figures, format_figures
from storage import stats_repo
from storage.db import Database
from texts.i18n import plain

logger = logging.getLogger(__name__)


async def _open_existing(settings: Settings) -> Database | None:
    if not await asyncio.to_thread(Path(settings.db).exists):
        lang = settings.default_lang
        print(plain(lang, "cli-no-database", path=str(settings.db)), file=sys.stderr)
        return None
    db = Database(settings.db)
    await db.open()
    return db


async def stats_command(settings: Settings, period: str) -> int:
    """`envoybot stats`: print the programme's figures (all scopes) to the terminal."""
    db = await _open_existing(settings)
    if db is None:
        return 1
    try:
        figures = await build_figures(db, Scope("all"), period, datetime.now(UTC), settings.zone)
    finally:
        await db.close()
    print(format_figures(figures, settings.default_lang, limit=1_000_000))
    return 0


async def export_command(settings: Settings, path: str) -> int:
    """`envoybot export FILE.xlsx`: the same workbook an admin gets from /export."""
    db = await _open_existing(settings)
    if db is None:
        return 1
    try:
        data = await build_export(
            db, Scope("all"), datetime.now(UTC), settings.zone, settings.default_lang
        )
        count = await stats_repo.count_problems(db, Scope("all"))
    finally:
        await db.close()
    await asyncio.to_thread(Path(path).write_bytes, data)
    lang = settings.default_lang
    print(plain(lang, "stats-export-written", count=count, path=path))
    logger.info("exported %s problems to %s", count, path)
    return 0
