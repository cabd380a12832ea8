"""Operator chores on the database file: `envoybot backup FILE`."""

from __future__ import annotations

import logging
import os
import sqlite3
import sys
from pathlib import Path

from bot.config import Settings
from storage.db import Database

logger = logging.getLogger(__name__)


def _same_file(a: Path, b: Path) -> bool:
    if a.resolve() == b.resolve():
        return True
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def _refusal(live: Path, target: Path) -> str | None:
    """Why a backup to target must not run, or None."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        if _same_file(Path(f"{live}{suffix}"), target):
            return f"refusing to overwrite the live database {live}"
    if not live.is_file():
        return f"no database at {live} (set ENVOYBOT_DB)"
    if target.is_dir():
        return f"{target} is a directory; give a file name"
    if not target.parent.is_dir():
        return f"folder {target.parent} does not exist"
    return None


def _size(path: Path) -> int:
    return path.stat().st_size


async def backup_command(settings: Settings, path: str) -> int:
    """Consistent online copy of the live database (safe while the bot runs); 0 on success."""
    live = Path(settings.db)
    target = Path(path)
    reason = _refusal(live, target)
    if reason:
        print(f"envoybot backup: {reason}", file=sys.stderr)
        return 1
    try:
        async with Database(live) as db:
            await db.backup(target)
    except sqlite3.Error as exc:
        print(f"envoybot backup: cannot write {target}: {exc}", file=sys.stderr)
        return 1
    size = _size(target)
    logger.info("backup of %s written to %s", live, target)
    print(f"backup written to {target} ({size} bytes)")
    return 0
