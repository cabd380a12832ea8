"""Roster files (.csv / .xlsx) in, validated rows applied all-or-nothing (`envoybot import`)."""

from __future__ import annotations

import asyncio
import csv
import io
import logging
import sys
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from bot.config import Settings
from domain.roster import RosterResult, RowError, RowProblem, validate
from storage.db import Database
from storage.org_repo import OrgRepo

logger = logging.getLogger(__name__)

CSV_SUFFIXES = frozenset({".csv"})
XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm"})
FIRST_DATA_ROW = 2  # row 1 is the header


class RosterFileError(Exception):
    """The file cannot be read as a roster at all; the message is one line."""


@dataclass(slots=True)
class ImportReport:
    """What an import did: either errors (nothing applied) or the applied result."""

    path: str
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    result: RosterResult | None = None

    @property
    def ok(self) -> bool:
        return not self.errors and self.result is not None


def _cell(value: object) -> str:
    """Spreadsheet cell as text; whole numbers (phones typed as numbers) lose the '.0'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)


def _to_dicts(table: list[list[str]]) -> list[dict[str, str]]:
    """First row is the header; the rest become dicts keyed by it."""
    while table and not any(c.strip() for c in table[-1]):
        table.pop()
    if not table or not any(c.strip() for c in table[0]):
        raise RosterFileError("the file is empty or its first row (the header) is blank")
    headers = [h.strip() for h in table[0]]
    named = [h for h in headers if h]
    doubled = sorted({h for h in named if named.count(h) > 1})
    if doubled:
        raise RosterFileError(f"the header has the column {doubled[0]!r} twice")
    rows: list[dict[str, str]] = []
    for cells in table[1:]:
        row = {h: "" for h in named}
        for header, value in zip(headers, cells, strict=False):
            if header:
                row[header] = value
        extra = cells[len(headers) :]
        if any(c.strip() for c in extra):
            row["\x00extra"] = " ".join(extra)  # keeps the row from looking empty
        rows.append(row)
    return rows


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030 as written by Chinese Excel."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise RosterFileError("the CSV is neither UTF-8 nor GB18030 text") from exc


def _read_csv(path: Path) -> list[list[str]]:
    text = _decode(path.read_bytes())
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count) if first_line else ","
    try:
        return [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as exc:
        raise RosterFileError(f"the CSV is malformed: {exc}") from exc


def _read_xlsx(path: Path) -> list[list[str]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
        raise RosterFileError(f"not a readable .xlsx workbook ({exc})") from exc
    try:
        if not book.worksheets:
            raise RosterFileError("the workbook has no sheets")
        sheet = book.worksheets[0]
        return [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def check_roster_path(path: str | Path) -> Path:
    """Refuse early (RosterFileError) a path that is missing or of an unsupported type."""
    file = Path(path)
    suffix = file.suffix.lower()
    if suffix == ".xls":
        raise RosterFileError(f"{file.name}: old .xls workbooks are not read; save as .xlsx")
    if suffix not in CSV_SUFFIXES | XLSX_SUFFIXES:
        raise RosterFileError(
            f"{file.name}: unsupported file type {suffix or '(none)'}; use .csv or .xlsx"
        )
    if not file.is_file():
        raise RosterFileError(f"{file}: no such file")
    return file


def read_roster_file(path: str | Path) -> list[dict[str, str]]:
    """Raw rows of a roster file, header row excluded; raises RosterFileError."""
    file = check_roster_path(path)
    try:
        table = _read_csv(file) if file.suffix.lower() in CSV_SUFFIXES else _read_xlsx(file)
    except OSError as exc:
        raise RosterFileError(f"{file}: cannot read ({exc.strerror or exc})") from exc
    return _to_dicts(table)


async def import_roster(db: Database, path: str | Path) -> ImportReport:
    """Read, validate and apply one roster file; with any bad row nothing is applied."""
    raw = await asyncio.to_thread(read_roster_file, path)
    rows, errors = validate(raw, FIRST_DATA_ROW)
    report = ImportReport(path=str(path), rows=len(rows), errors=errors)
    if errors:
        logger.debug("roster %s refused: %s bad row(s)", path, len(errors))
        return report
    report.result = await OrgRepo(db).apply_roster(rows)
    return report


def describe_error(error: RowError) -> str:
    """One English line for the operator, e.g. 'row 7: envoy is missing'."""
    name = error.field or ""
    where = f"row {error.row}"
    p = error.problem
    if p is RowProblem.NO_ROWS:
        return f"{where}: the file has a header but no data rows"
    if p is RowProblem.MISSING_COLUMN:
        return f"{where}: column {name} is missing from the header"
    if p is RowProblem.DUPLICATE_COLUMN:
        return f"{where}: column {name} appears twice (also as {error.value!r})"
    if p is RowProblem.MISSING_VALUE:
        return f"{where}: {name} is missing"
    if p is RowProblem.TOO_LONG:
        return f"{where}: {name} is longer than 200 characters"
    if p is RowProblem.CONTROL_CHAR:
        return f"{where}: {name} contains control characters (line breaks, tabs…)"
    earlier = f"row {error.other_row}"
    if p is RowProblem.ENVOY_TWO_TEAMS:
        return f"{where}: envoy {error.value!r} is in team {error.expected!r} on {earlier}"
    if p is RowProblem.ENTERPRISE_TWO_TEAMS:
        return f"{where}: enterprise {error.value!r} is in team {error.expected!r} on {earlier}"
    if p is RowProblem.TEAM_TWO_LEADS:
        return f"{where}: team {error.value!r} has lead {error.expected!r} on {earlier}"
    if p is RowProblem.ENVOY_TWO_PHONES:
        return f"{where}: envoy {error.value!r} has phone {error.expected!r} on {earlier}"
    return f"{where}: {p.value}"


def summary_lines(report: ImportReport) -> list[str]:
    """Operator summary of an applied import."""
    result = report.result
    if result is None:
        return []
    lines = [
        f"imported {report.rows} row(s) from {report.path}: {result.created} created, "
        f"{result.updated} updated, {result.unchanged} unchanged"
    ]
    for label, counts in (
        ("teams", result.teams),
        ("envoys", result.envoys),
        ("enterprises", result.enterprises),
        ("assignments", result.assignments),
    ):
        lines.append(
            f"  {label:<12} +{counts.created} created  ~{counts.updated} updated  "
            f"={counts.unchanged} unchanged"
        )
    return lines


async def import_command(settings: Settings, path: str) -> int:
    """`envoybot import FILE`: 0 applied, 1 bad rows (nothing applied), 2 unreadable file."""
    try:
        check_roster_path(path)  # before opening (and maybe creating) the database
    except RosterFileError as exc:
        print(f"envoybot import: {exc}", file=sys.stderr)
        return 2
    async with Database(settings.db) as db:
        try:
            report = await import_roster(db, path)
        except RosterFileError as exc:
            print(f"envoybot import: {exc}", file=sys.stderr)
            return 2
    if report.errors:
        for error in report.errors:
            print(describe_error(error), file=sys.stderr)
        print(
            f"envoybot import: {len(report.errors)} problem(s) found; nothing was imported",
            file=sys.stderr,
        )
        return 1
    for line in summary_lines(report):
        print(line)
    return 0
