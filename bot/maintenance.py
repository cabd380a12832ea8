"""Operator chores on the database file: `envoybot backup FILE`."""

from __future__ import annotations

import logging
import os
import sqlite3
import sys
import tempfile
from pathlib import Path

from bot.config import Settings
from storage.copy import CopyRefused
from storage.db import Database, is_server_url
from texts.i18n import plain
from usecases.errors import OperatorError, os_reason

logger = logging.getLogger(__name__)


class BackupRefused(OperatorError):
    """A backup that must not run (it would hit the live file, or has nowhere to go)."""


def _same_file(a: Path, b: Path) -> bool:
    if a.resolve() == b.resolve():
        return True
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def _check(live: Path | None, target: Path, force: bool) -> None:
    """Raise BackupRefused when a backup to target must not run (live None: a server)."""
    if live is not None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            if _same_file(Path(f"{live}{suffix}"), target):
                raise BackupRefused("cli-backup-live", path=str(live))
        if not live.is_file():
            raise BackupRefused("cli-backup-no-database", path=str(live))
    if target.is_dir():
        raise BackupRefused("cli-backup-is-folder", path=str(target))
    if not target.parent.is_dir():
        raise BackupRefused("cli-backup-no-folder", path=str(target.parent))
    if target.exists() and not force:
        raise BackupRefused("cli-backup-exists", path=str(target))


def _scratch_beside(target: Path) -> Path:
    """An empty file in target's folder, so the final move is one rename on one disk."""
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(fd)
    return Path(name)


def _discard(path: Path) -> None:
    path.unlink(missing_ok=True)


async def _backup_to(live: str | Path, target: Path) -> None:
    """Back up into a scratch file beside target, then move it into place in one step.

    A PostgreSQL database is backed up as an SQLite file (storage.copy; pg_dump also works)."""
    scratch = _scratch_beside(target)
    try:
        async with Database(live) as db:
            await db.backup(scratch)
        os.replace(scratch, target)
    finally:
        _discard(scratch)


def _size(path: Path) -> int:
    return path.stat().st_size


async def backup_command(settings: Settings, path: str, *, force: bool = False) -> int:
    """Consistent online copy of the live database (safe while the bot runs); 0 on success.

    An existing file at path is replaced only with force, and then in one step.
    """
    lang = settings.default_lang
    live = Path(settings.db)
    target = Path(path)
    try:
        _check(None if is_server_url(settings.db) else live, target, force)
        try:
            await _backup_to(settings.db, target)
        except OSError as exc:
            cause = os_reason(exc)
            raise BackupRefused("cli-backup-cannot-write", path=str(target), detail=cause) from exc
        except (sqlite3.Error, CopyRefused) as exc:
            detail = str(exc)
            raise BackupRefused("cli-backup-cannot-write", path=str(target), detail=detail) from exc
    except BackupRefused as exc:
        reason = exc.render(lang)
        print(plain(lang, "cli-failed", command="backup", reason=reason), file=sys.stderr)
        return 1
    size = _size(target)
    logger.info("backup of %s written to %s", Database(settings.db).label, target)
    print(plain(lang, "cli-backup-done", path=str(target), size=size))
    return 0
