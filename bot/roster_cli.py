"""`envoybot import FILE`: the roster import from the command line."""

from __future__ import annotations

import sys

from bot.config import Settings
from storage.db import Database
from texts.i18n import plain
from usecases.roster import (
    RosterFileError,
    check_roster_path,
    describe_error,
    import_roster,
    summary_lines,
)


def _fail(lang: str, reason: str) -> None:
    print(plain(lang, "cli-failed", command="import", reason=reason), file=sys.stderr)


async def import_command(settings: Settings, path: str) -> int:
    """`envoybot import FILE`: 0 applied, 1 bad rows (nothing applied), 2 unreadable file."""
    lang = settings.default_lang
    try:
        check_roster_path(path)  # before opening (and maybe creating) the database
    except RosterFileError as exc:
        _fail(lang, exc.render(lang))
        return 2
    async with Database(settings.db) as db:
        try:
            report = await import_roster(db, path)
        except RosterFileError as exc:
            _fail(lang, exc.render(lang))
            return 2
    if report.errors:
        for error in report.errors:
            print(describe_error(error, lang), file=sys.stderr)
        _fail(lang, plain(lang, "cli-import-problems", count=len(report.errors)))
        return 1
    for line in summary_lines(report, lang):
        print(line)
    return 0
