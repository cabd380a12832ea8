"""What the repositories rely on behaves alike on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest

from storage.db import Database, _migrations

LATEST = _migrations()[-1][0]


async def test_ids_counts_and_conflicts(db: Database) -> None:
    first = await db.execute("INSERT INTO teams (name) VALUES (?)", ("East",))
    second = await db.execute("INSERT INTO teams (name) VALUES (?)", ("West",))
    assert second == first + 1
    async with db.transaction() as conn:
        cur = await conn.execute(
            "INSERT OR IGNORE INTO digests (tg_user_id, day, kind, claimed_at) VALUES (?, ?, ?, ?)",
            (1, "2026-03-02", "overdue", "t"),
        )
        assert cur.rowcount == 1
        cur = await conn.execute(
            "INSERT OR IGNORE INTO digests (tg_user_id, day, kind, claimed_at) VALUES (?, ?, ?, ?)",
            (1, "2026-03-02", "overdue", "t"),
        )
        assert cur.rowcount == 0
        cur = await conn.execute("UPDATE teams SET lead_envoy_id = NULL WHERE id >= ?", (first,))
        assert cur.rowcount == 2
    row = await db.fetchone("SELECT id, name FROM teams WHERE id = :id", {"id": second})
    assert row is not None and row["name"] == "West" and row[0] == second


async def test_a_refused_constraint_is_an_integrity_error_and_rolls_back(db: Database) -> None:
    await db.execute("INSERT INTO teams (name) VALUES (?)", ("East",))
    with pytest.raises(sqlite3.IntegrityError):
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO teams (name) VALUES (?)", ("North",))
            await conn.execute("INSERT INTO teams (name) VALUES (?)", ("East",))
    rows = await db.fetchall("SELECT name FROM teams ORDER BY name")
    assert [r[0] for r in rows] == ["East"]


async def test_text_sorts_byte_wise_and_ids_are_64_bit(db: Database) -> None:
    big = 7_000_000_000  # Telegram ids pass 2**32
    for name in ("b", "B", "a", "张", "2026-03-02T02:00:00+00:00"):
        await db.execute("INSERT INTO teams (name) VALUES (?)", (name,))
    rows = await db.fetchall("SELECT name FROM teams ORDER BY name")
    assert [r[0] for r in rows] == ["2026-03-02T02:00:00+00:00", "B", "a", "b", "张"]
    await db.execute("INSERT INTO ptb_user_data (user_id, data) VALUES (?, ?)", (big, "{}"))
    row = await db.fetchone("SELECT user_id FROM ptb_user_data")
    assert row is not None and row[0] == big


async def test_sums_and_averages_come_back_as_numbers(db: Database) -> None:
    for name in ("a", "b", "c"):
        await db.execute("INSERT INTO teams (name) VALUES (?)", (name,))
    row = await db.fetchone("SELECT SUM(id), AVG(id), COUNT(*) FROM teams")
    assert row is not None
    total, mean, count = row[0], row[1], row[2]
    assert isinstance(total, int) and isinstance(count, int) and count == 3
    assert isinstance(mean, int | float) and float(mean) == total / 3


async def test_write_transactions_take_turns_across_instances(db_url: str) -> None:
    """Two Database objects (two instances): the second writer waits for the first's commit,
    and then sees it, as under SQLite's BEGIN IMMEDIATE."""
    async with Database(db_url) as one, Database(db_url) as two:
        entered = asyncio.Event()
        release = asyncio.Event()
        order: list[str] = []

        async def first() -> None:
            async with one.transaction() as conn:
                await conn.execute("INSERT INTO teams (name) VALUES (?)", ("first",))
                entered.set()
                await release.wait()
                order.append("first commits")

        async def second() -> None:
            await entered.wait()
            async with two.transaction() as conn:
                order.append("second begins")
                rows = await conn.execute_fetchall("SELECT name FROM teams")
                assert [r[0] for r in rows] == ["first"]

        task = asyncio.gather(first(), second())
        await entered.wait()
        await asyncio.sleep(0.2)  # the second writer is blocked, not merely slow
        assert order == []
        release.set()
        await task
        assert order == ["first commits", "second begins"]


async def test_migrations_run_once_even_when_instances_start_together(db_url: str) -> None:
    dbs = [Database(db_url) for _ in range(3)]
    await asyncio.gather(*(d.open() for d in dbs))
    try:
        assert [await d.migrate() for d in dbs] == [LATEST] * 3
        assert "problems" in await dbs[0].tables()
    finally:
        for d in dbs:
            await d.close()


async def test_engine_flags(db: Database, engine: str) -> None:
    assert db.engine == engine
    assert db.shared is (engine == "postgresql")
    assert "***" not in db.label or engine == "postgresql"


async def test_new_ids_continue_after_ids_given_by_hand(db: Database) -> None:
    await db.executemany("INSERT INTO teams (id, name) VALUES (?, ?)", [(7, "a"), (9, "b")])
    assert await db.execute("INSERT INTO teams (name) VALUES (?)", ("c",)) == 10
