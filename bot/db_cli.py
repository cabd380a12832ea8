"""`envoybot db copy SRC DST`: a city's data between SQLite and PostgreSQL, counts checked."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import sys
from pathlib import Path

from bot.config import Settings
from storage.copy import CopyRefused, copy_database
from storage.db import Database, is_server_url
from texts.i18n import plain
from usecases.errors import OperatorError

logger = logging.getLogger(__name__)


async def _exists(path: str) -> bool:
    return is_server_url(path) or await asyncio.to_thread(Path(path).is_file)


def _same(source: str, target: str) -> bool:
    if is_server_url(source) or is_server_url(target):
        return source == target
    return Path(source).resolve() == Path(target).resolve()


async def copy(source: str, target: str) -> tuple[dict[str, int], str, str]:
    """Copy source into the empty target; rows per table (OperatorError when refused)."""
    if not await _exists(source):
        raise OperatorError("db-copy-no-source", path=source)
    if _same(source, target):
        raise OperatorError("db-copy-same")
    src, dst = Database(source), Database(target)
    try:
        for db, name in ((src, source), (dst, target)):
            try:
                await db.open()
            except (OSError, sqlite3.Error) as exc:
                raise OperatorError("db-copy-cannot-open", path=db.label, detail=str(exc)) from exc
            except Exception as exc:  # the server's refusals: unknown database, password, …
                if not is_server_url(name):
                    raise
                detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                raise OperatorError("db-copy-cannot-open", path=db.label, detail=detail) from exc
        try:
            counts = await copy_database(src, dst)
        except CopyRefused as exc:
            raise OperatorError(exc.key, **exc.args_map) from exc
        return counts, src.label, dst.label
    finally:
        await src.close()
        await dst.close()


async def db_command(settings: Settings, action: str, source: str, target: str) -> int:
    """`envoybot db copy`: 0 when every table arrived with the same count."""
    lang = settings.default_lang
    try:
        counts, shown_source, shown_target = await copy(source, target)
    except OperatorError as exc:
        print(
            plain(lang, "cli-failed", command=f"db {action}", reason=exc.render(lang)),
            file=sys.stderr,
        )
        return 1
    for table, rows in sorted(counts.items()):
        print(plain(lang, "db-copy-table", table=table, rows=rows))
    print(
        plain(
            lang,
            "db-copy-done",
            rows=sum(counts.values()),
            tables=len(counts),
            source=shown_source,
            target=shown_target,
        )
    )
    return 0
