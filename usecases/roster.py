"""Roster files (.csv / .xlsx) in, validated rows applied all-or-nothing (`envoybot import`)."""

from __future__ import annotations

import asyncio
import csv
import io
import logging
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from domain.department_roster import (
    DepartmentResult,
    is_department_roster,
    validate_departments,
)
from domain.roster import RosterResult, RowError, _headers, validate
from storage.db import Database
from storage.departments_repo import DepartmentsRepo
from storage.org_repo import OrgRepo
from texts.i18n import plain
from usecases.errors import OperatorError, os_reason
from usecases.progress import SILENT, Progress

logger = logging.getLogger(__name__)

CSV_SUFFIXES = frozenset({".csv"})
TEMPLATE_SUFFIXES = frozenset({".csv", ".xlsx"})
TEMPLATE_FIELDS = ("enterprise", "envoy", "envoy_phone", "team", "lead")  # as a city writes them
DEPARTMENT_TEMPLATE_FIELDS = ("department", "contact", "phone")
ENTERPRISES = "enterprises"
DEPARTMENTS = "departments"
XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm"})
FIRST_DATA_ROW = 2  # row 1 is the header


class RosterFileError(OperatorError):
    """The file cannot be read as a roster at all."""


@dataclass(slots=True)
class ImportReport:
    """What an import did: either errors (nothing applied) or the applied result."""

    path: str
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    result: RosterResult | DepartmentResult | None = None
    kind: str = ENTERPRISES  # which roster the file was: enterprises or departments

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
        raise RosterFileError("cli-roster-empty")
    headers = [h.strip() for h in table[0]]
    named = [h for h in headers if h]
    doubled = sorted({h for h in named if named.count(h) > 1})
    if doubled:
        raise RosterFileError("cli-roster-column-twice", column=doubled[0])
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
        raise RosterFileError("cli-roster-bad-encoding") from exc


def _read_csv(path: Path, progress: Progress) -> list[list[str]]:
    text = _decode(path.read_bytes())
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count) if first_line else ","
    progress.begin(text.count("\n") + (not text.endswith("\n")))
    table: list[list[str]] = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            table.append(list(row))
            progress.advance()
    except csv.Error as exc:
        raise RosterFileError("cli-roster-bad-csv", detail=str(exc)) from exc
    return table


def _read_xlsx(path: Path, progress: Progress) -> list[list[str]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
        raise RosterFileError("cli-roster-bad-xlsx", detail=str(exc)) from exc
    try:
        if not book.worksheets:
            raise RosterFileError("cli-roster-no-sheets")
        sheet = book.worksheets[0]
        progress.begin(sheet.max_row)
        table: list[list[str]] = []
        for row in sheet.iter_rows(values_only=True):
            table.append([_cell(v) for v in row])
            progress.advance()
        return table
    finally:
        book.close()


def template_header(lang: str, kind: str = ENTERPRISES) -> list[str]:
    """The roster columns as the operator's language names them (both are accepted on import)."""
    names = DEPARTMENT_TEMPLATE_FIELDS if kind == DEPARTMENTS else TEMPLATE_FIELDS
    return [plain(lang, f"roster-field-{name}") for name in names]


def _write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    with path.open("x", newline="", encoding="utf-8-sig") as fh:  # the BOM tells Excel: UTF-8
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)


def _write_xlsx(path: Path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
    for column in sheet.columns:
        width = max(_cells(str(c.value or "")) for c in column)
        sheet.column_dimensions[column[0].column_letter].width = max(10, width + 2)
    sheet.freeze_panes = "A2"
    with path.open("xb") as fh:  # never overwrite: the template may land on a real roster
        book.save(fh)


def write_roster(path: str | Path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> Path:
    """A roster file (.csv or .xlsx by suffix); RosterFileError if it exists or cannot be made."""
    file = Path(path)
    suffix = file.suffix.lower()
    if suffix not in TEMPLATE_SUFFIXES:
        raise RosterFileError("cli-roster-bad-type", name=file.name, suffix=suffix or "-")
    if file.exists():
        raise RosterFileError("cli-template-exists", path=str(file))
    try:
        if suffix == ".csv":
            _write_csv(file, header, rows)
        else:
            _write_xlsx(file, header, rows)
    except FileExistsError as exc:
        raise RosterFileError("cli-template-exists", path=str(file)) from exc
    except OSError as exc:
        reason = os_reason(exc)
        raise RosterFileError("cli-template-cannot-write", path=str(file), reason=reason) from exc
    return file


def check_roster_path(path: str | Path) -> Path:
    """Refuse early (RosterFileError) a path that is missing or of an unsupported type."""
    file = Path(path)
    suffix = file.suffix.lower()
    if suffix == ".xls":
        raise RosterFileError("cli-roster-xls", name=file.name)
    if not suffix:
        raise RosterFileError("cli-roster-no-type", name=file.name)
    if suffix not in CSV_SUFFIXES | XLSX_SUFFIXES:
        raise RosterFileError("cli-roster-bad-type", name=file.name, suffix=suffix)
    if not file.is_file():
        raise RosterFileError("cli-roster-no-file", path=str(file))
    return file


def read_roster_file(path: str | Path, progress: Progress = SILENT) -> list[dict[str, str]]:
    """Raw rows of a roster file, header row excluded; raises RosterFileError."""
    file = check_roster_path(path)
    read = _read_csv if file.suffix.lower() in CSV_SUFFIXES else _read_xlsx
    try:
        table = read(file, progress)
    except OSError as exc:
        raise RosterFileError(
            "cli-roster-unreadable", path=str(file), reason=os_reason(exc)
        ) from exc
    return _to_dicts(table)


async def import_roster(
    db: Database,
    path: str | Path,
    *,
    reading: Progress = SILENT,
    applying: Progress = SILENT,
    kind: str | None = None,
) -> ImportReport:
    """Read, validate and apply one roster file; with any bad row nothing is applied.

    ``kind`` (enterprises / departments) is told by the file's columns unless given: a file
    with a department column and no enterprise, envoy, team or lead column is a departments
    roster."""
    raw = await asyncio.to_thread(read_roster_file, path, reading)
    reading.end()
    if kind is None:
        kind = DEPARTMENTS if is_department_roster(_headers(raw)) else ENTERPRISES
    if kind == DEPARTMENTS:
        departments, errors = validate_departments(raw, FIRST_DATA_ROW)
        count = len(departments)
    else:
        enterprises, errors = validate(raw, FIRST_DATA_ROW)
        count = len(enterprises)
    report = ImportReport(path=str(path), rows=count, errors=errors, kind=kind)
    if errors:
        logger.debug("roster %s refused: %s bad row(s)", path, len(errors))
        return report
    applying.begin(count)
    # one transaction: all rows at once
    if kind == DEPARTMENTS:
        report.result = await DepartmentsRepo(db).apply_roster(departments)
    else:
        report.result = await OrgRepo(db).apply_roster(enterprises)
    applying.advance(count)
    applying.end()
    return report


def error_args(error: RowError, lang: str) -> dict[str, Any]:
    """Arguments of the roster-err-<problem> texts (admin.ftl), shared with the chat /import."""
    return {
        "row": error.row,
        "field": plain(lang, f"roster-field-{error.field}") if error.field else "",
        "value": error.value or "",
        "expected": error.expected or "",
        "other": error.other_row or 0,
    }


def describe_error(error: RowError, lang: str) -> str:
    """One line for the operator, the same text the chat /import shows."""
    return plain(lang, f"roster-err-{error.problem.value}", **error_args(error, lang))


def _cells(text: str) -> int:
    """Display width: CJK characters take two cells (a terminal's, and Excel's column units)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    """Left-align in a terminal column."""
    return text + " " * max(width - _cells(text), 0)


def summary_lines(report: ImportReport, lang: str) -> list[str]:
    """Operator summary of an applied import."""
    result = report.result
    if result is None:
        return []
    lines = [
        plain(
            lang,
            "cli-import-done",
            rows=report.rows,
            path=report.path,
            created=result.created,
            updated=result.updated,
            unchanged=result.unchanged,
        )
    ]
    for kind, counts in result.parts():
        key = f"cli-import-{kind}"
        figures = plain(
            lang,
            "cli-import-counts",
            created=counts.created,
            updated=counts.updated,
            unchanged=counts.unchanged,
        )
        lines.append(f"  {_pad(plain(lang, key), 12)} {figures}")
    return lines
