"""`envoybot import FILE` and `envoybot import --template FILE`: rosters from the command line."""

from __future__ import annotations

import sys
from pathlib import Path

from bot.config import Settings
from bot.progress import meter
from storage.db import Database
from texts.i18n import plain
from usecases.roster import (
    DEPARTMENTS,
    ENTERPRISES,
    ImportReport,
    RosterFileError,
    check_roster_path,
    describe_error,
    import_roster,
    summary_lines,
    template_header,
    write_roster,
)


def _fail(lang: str, reason: str) -> None:
    print(plain(lang, "cli-failed", command="import", reason=reason), file=sys.stderr)


async def _import(db: Database, path: str, lang: str, kind: str | None) -> ImportReport:
    """The import with a bar for reading the file and one for writing it to the database."""
    read_label = plain(lang, "cli-progress-read", name=Path(path).name)
    with (
        meter(lang, read_label) as reading,
        meter(lang, plain(lang, "cli-progress-apply")) as applying,
    ):
        return await import_roster(db, path, reading=reading, applying=applying, kind=kind)


async def import_command(settings: Settings, path: str, *, departments: bool = False) -> int:
    """`envoybot import FILE`: 0 applied, 1 bad rows (nothing applied), 2 unreadable file.

    The kind of roster (enterprises or departments) is told by its columns, or by
    ``--departments``."""
    lang = settings.default_lang
    try:
        check_roster_path(path)  # before opening (and maybe creating) the database
    except RosterFileError as exc:
        _fail(lang, exc.render(lang))
        return 2
    async with Database(settings.db) as db:
        try:
            report = await _import(db, path, lang, DEPARTMENTS if departments else None)
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


def template_command(settings: Settings, path: str, *, departments: bool = False) -> int:
    """`envoybot import --template FILE [--departments]`: an empty roster with the header row;
    never overwrites."""
    lang = settings.default_lang
    header = template_header(lang, DEPARTMENTS if departments else ENTERPRISES)
    try:
        write_roster(path, header, [])
    except RosterFileError as exc:
        _fail(lang, exc.render(lang))
        return 2
    print(plain(lang, "cli-template-written", path=path, columns=", ".join(header)))
    return 0
