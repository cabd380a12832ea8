"""A real database per test on each engine (an SQLite file, a PostgreSQL database), and a
small roster writer."""

from __future__ import annotations

import csv
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

import pytest

from storage.db import Database

HEADER = ("enterprise", "envoy", "envoy_phone", "team", "lead")
ROSTER: list[tuple[str, ...]] = [
    ("Acme <b>&</b>", "Li Lei", "13800000001", "East", "Wang Fang"),
    ("Acme <b>&</b>", "Han Meimei", "", "East", ""),
    ("Beta 🏭", "Li Lei", "", "East", ""),
    ("Gamma", "Zhao Qiang", "13800000003", "West", "Zhao Qiang"),
]


def write_csv(
    path: Path,
    rows: Sequence[Sequence[str]],
    header: Sequence[str] = HEADER,
    encoding: str = "utf-8",
) -> Path:
    with path.open("w", newline="", encoding=encoding) as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(
    path: Path, rows: Sequence[Sequence[object]], header: Sequence[str] = HEADER
) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


@pytest.fixture
async def db(db_url: str) -> AsyncIterator[Database]:
    database = Database(db_url)
    await database.open()
    try:
        yield database
    finally:
        await database.close()
