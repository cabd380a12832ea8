"""Owed messages among instances: each delivers what it wrote; a stopped one's are taken over,
exactly once, and an at-most-once message it had in flight is given up, not sent again."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from domain.outgoing import FROM_CLOCK, TO_OTHERS, Outgoing
from storage.db import Database
from storage.outbox_repo import OutboxRepo

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
ALIVE_MS = 10_000


def owed(n: int, priority: int = TO_OTHERS) -> list[Outgoing]:
    return [Outgoing(i, "sendMessage", {"text": f"m{i}"}, priority) for i in range(n)]


@pytest.fixture
async def two(db_url: str) -> AsyncIterator[tuple[OutboxRepo, OutboxRepo]]:
    async with Database(db_url) as first, Database(db_url) as second:
        first.instance, second.instance = "a", "b"
        yield OutboxRepo(first), OutboxRepo(second)


async def test_each_delivers_its_own_until_it_stops_saying_it_is_alive(
    two: tuple[OutboxRepo, OutboxRepo],
) -> None:
    a, b = two
    await a.heartbeat(NOW, NOW)
    written = await a.add(owed(3) + owed(1, FROM_CLOCK), NOW)
    clock_message = written[-1].outbox_id
    assert clock_message is not None
    await a.mark_in_flight(clock_message, NOW)  # a reminder was being sent when it died
    assert await b.take_over(FROM_CLOCK, NOW, alive_ms=ALIVE_MS, own=False) == ([], 0)
    await a.db.execute("UPDATE instances SET seen_ms = seen_ms - 60000 WHERE name = 'a'")
    taken, dropped = await b.take_over(FROM_CLOCK, NOW, alive_ms=ALIVE_MS, own=False)
    assert [q.outbox_id for q in taken] == [q.outbox_id for q in written[:3]]
    assert dropped == 1
    assert await b.take_over(FROM_CLOCK, NOW, alive_ms=ALIVE_MS, own=False) == ([], 0)
    counts = await b.counts()
    assert counts == {"pending": 3, "sent": 0, "failed": 1}


async def test_with_one_process_everything_owed_is_taken_at_start(
    two: tuple[OutboxRepo, OutboxRepo],
) -> None:
    """An SQLite file has one process: at start, the previous one's messages are all its."""
    a, b = two
    await a.heartbeat(NOW, NOW)  # even one that looks alive
    await a.add(owed(2), NOW)
    taken, _ = await b.take_over(FROM_CLOCK, NOW, alive_ms=None, own=True)
    assert len(taken) == 2


async def test_a_graceful_stop_hands_its_messages_over_at_once(
    two: tuple[OutboxRepo, OutboxRepo],
) -> None:
    a, b = two
    await a.heartbeat(NOW, NOW)
    await a.add(owed(2), NOW)
    await a.release(NOW)
    taken, _ = await b.take_over(FROM_CLOCK, NOW, alive_ms=ALIVE_MS, own=False)
    assert len(taken) == 2
    rows = await b.db.fetchall("SELECT name FROM instances")
    assert [r[0] for r in rows] == []


async def test_instances_taking_over_together_share_the_messages_out(db_url: str) -> None:
    async with (
        Database(db_url) as dead,
        Database(db_url) as one,
        Database(db_url) as other,
    ):
        dead.instance, one.instance, other.instance = "dead", "one", "other"
        written = await OutboxRepo(dead).add(owed(200), NOW)
        takers = [OutboxRepo(one), OutboxRepo(other)]
        for taker in takers:  # both alive: neither takes what the other claimed
            await taker.heartbeat(NOW, NOW)
        results = await asyncio.gather(
            *(t.take_over(FROM_CLOCK, NOW, alive_ms=ALIVE_MS, own=False, limit=10) for t in takers)
        )
        ids = [q.outbox_id for taken, _ in results for q in taken]
        assert sorted(ids) == sorted(q.outbox_id for q in written)  # each once, none left
        owners = await one.fetchall(
            "SELECT claimed_by, COUNT(*) FROM outbox GROUP BY claimed_by ORDER BY claimed_by"
        )
        assert sum(int(r[1]) for r in owners) == 200 and {r[0] for r in owners} <= {"one", "other"}
