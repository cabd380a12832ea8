"""Statements on the loop's thread: another writer is waited for without stalling the loop."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

import storage.db
from storage.db import Database


async def _ticks_while(awaitable: object, interval: float = 0.005) -> tuple[object, int]:
    """Await something while counting how often the loop got to run a ticker meanwhile."""
    ticks = 0
    done = asyncio.Event()

    async def ticker() -> None:
        nonlocal ticks
        while not done.is_set():
            ticks += 1
            await asyncio.sleep(interval)

    task = asyncio.create_task(ticker())
    try:
        result = await awaitable  # type: ignore[misc]
    finally:
        done.set()
        await task
    return result, ticks


async def test_a_write_waits_for_another_writer_without_stalling_the_loop(tmp_path: Path) -> None:
    path = tmp_path / "envoybot.db"
    async with Database(path) as db:
        await db.execute("CREATE TABLE t (a INTEGER)")
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # e.g. `envoybot import` in another process
        other.execute("INSERT INTO t VALUES (1)")
        asyncio.get_running_loop().call_later(0.3, other.execute, "COMMIT")
        _, ticks = await _ticks_while(db.execute("INSERT INTO t VALUES (2)"))
        other.close()
        # the loop kept running (a stalled loop would count 1 tick) and the write happened after
        assert ticks >= 10
        assert [r[0] for r in await db.fetchall("SELECT a FROM t ORDER BY rowid")] == [1, 2]


async def test_a_writer_that_never_lets_go_is_an_error_not_a_hang(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage.db, "BUSY_SECONDS", 0.2)
    path = tmp_path / "envoybot.db"
    async with Database(path) as db:
        await db.execute("CREATE TABLE t (a INTEGER)")
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                await asyncio.wait_for(db.execute("INSERT INTO t VALUES (2)"), 5)
        finally:
            other.execute("ROLLBACK")
            other.close()
        # nothing half-done: the connection is usable and the failed write left no trace
        await db.execute("INSERT INTO t VALUES (3)")
        assert [r[0] for r in await db.fetchall("SELECT a FROM t")] == [3]


async def test_long_reads_see_every_commit(tmp_path: Path) -> None:
    async with Database(tmp_path / "envoybot.db") as db:
        await db.execute("CREATE TABLE t (a INTEGER)")
        for i in range(3):
            await db.execute("INSERT INTO t VALUES (?)", (i,))
            rows = await db.fetchall_long("SELECT count(*) FROM t")
            assert rows[0][0] == i + 1


async def test_the_wal_is_checkpointed_off_the_loop(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage.db, "CHECKPOINT_EVERY", 5)
    path = tmp_path / "envoybot.db"
    async with Database(path) as db:
        await db.execute("CREATE TABLE t (a TEXT)")
        size_before = path.stat().st_size
        for i in range(4):
            await db.execute("INSERT INTO t VALUES (?)", ("x" * 5000 + str(i),))
        assert db._checkpoint is not None  # the fifth commit started one
        await db._checkpoint
        # the pages moved from the WAL into the database file itself
        assert path.stat().st_size > size_before + 4 * 4096
    # and a fresh connection reads everything back
    with sqlite3.connect(path) as check:
        assert check.execute("SELECT count(*) FROM t").fetchone()[0] == 4
