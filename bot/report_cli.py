"""`envoybot stats` and `envoybot export`: the figures and the workbook from the command line."""

from __future__ import annotations

import asyncio
import logging
import sys
from datetime import UTC, datetime
from pathlib import Path

from bot.config import Settings
from bot.progress import meter
from domain.stats import Scope
from reporting.figures import build_export, build_figures, format_figures
from storage import stats_repo
from storage.db import Database, is_server_url
from texts.i18n import plain
from usecases.errors import OperatorError, os_reason

logger = logging.getLogger(__name__)


async def _open_existing(settings: Settings) -> Database | None:
    if not is_server_url(settings.db) and not await asyncio.to_thread(Path(settings.db).exists):
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


def check_export_path(path: str) -> Path:
    """Refuse (OperatorError) a target that is not a .xlsx file in an existing folder."""
    target = Path(path)
    if target.is_dir():
        raise OperatorError("cli-export-is-folder", path=str(target))
    if target.suffix.lower() != ".xlsx":
        raise OperatorError("cli-export-not-xlsx", path=str(target))
    folder = target.parent
    if not folder.is_dir():
        raise OperatorError("cli-export-no-folder", path=str(folder))
    return target


def _write(target: Path, data: bytes) -> None:
    try:
        target.write_bytes(data)
    except OSError as exc:
        reason = os_reason(exc)
        raise OperatorError("cli-export-cannot-write", path=str(target), reason=reason) from exc


async def agenda_command(settings: Settings, path: str) -> int:
    """`envoybot agenda FILE.xlsx`: the dispatch meeting's sheet, as /agenda sends it.

    0 written, 1 no database, 2 a target that cannot be written.
    """
    from reporting.agenda_xlsx import agenda_workbook
    from storage.dispatches_repo import DispatchesRepo
    from storage.problems_repo import ProblemsRepo
    from usecases.agenda import agenda_items

    lang = settings.default_lang
    try:
        target = check_export_path(path)
    except OperatorError as exc:
        print(plain(lang, "cli-failed", command="agenda", reason=exc.render(lang)), file=sys.stderr)
        return 2
    db = await _open_existing(settings)
    if db is None:
        return 1
    now = datetime.now(UTC)
    try:
        items = await agenda_items(ProblemsRepo(db), DispatchesRepo(db), now)
    finally:
        await db.close()
    data = agenda_workbook(
        items, now=now, tz=settings.zone, lang=lang, bot_username=settings.bot_username
    )
    try:
        await asyncio.to_thread(_write, target, data)
    except OperatorError as exc:
        print(plain(lang, "cli-failed", command="agenda", reason=exc.render(lang)), file=sys.stderr)
        return 2
    print(plain(lang, "cli-agenda-written", count=len(items), path=path))
    return 0


async def export_command(settings: Settings, path: str) -> int:
    """`envoybot export FILE.xlsx`: the same workbook an admin gets from /export.

    0 written, 1 no database, 2 a target that cannot be written (one line, nothing else).
    """
    lang = settings.default_lang
    try:
        target = check_export_path(path)
    except OperatorError as exc:
        print(plain(lang, "cli-failed", command="export", reason=exc.render(lang)), file=sys.stderr)
        return 2
    db = await _open_existing(settings)
    if db is None:
        return 1
    try:
        with meter(lang, plain(lang, "cli-progress-export", name=target.name)) as progress:
            data = await build_export(
                db, Scope("all"), datetime.now(UTC), settings.zone, lang, progress
            )
        count = await stats_repo.count_problems(db, Scope("all"))
    finally:
        await db.close()
    try:
        await asyncio.to_thread(_write, target, data)
    except OperatorError as exc:
        print(plain(lang, "cli-failed", command="export", reason=exc.render(lang)), file=sys.stderr)
        return 2
    print(plain(lang, "stats-export-written", count=count, path=path))
    logger.info("exported %s problems to %s", count, path)
    return 0
