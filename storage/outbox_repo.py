"""SQL of the outbox: owed messages written with their change, then marked sent or failed.

Each message is claimed by the instance that wrote it (claimed_by), which delivers it; an
instance whose heartbeat stopped has its undelivered messages taken over by another, claimed
with FOR UPDATE SKIP LOCKED so that exactly one instance takes each."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from domain.outgoing import Outgoing, Queued
from storage.db import Connection, Database, to_db


def _json(value: dict[str, Any] | None) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


async def insert(conn: Connection, messages: Sequence[Outgoing], now: datetime) -> list[Queued]:
    """Write owed messages inside the caller's transaction, claimed by this instance; returns
    them with their ids (one statement: the ids of its rows rise in the order written)."""
    if not messages:
        return []
    values: list[object] = []
    for m in messages:
        values += [
            m.chat_id,
            m.priority,
            m.method,
            _json(m.params),
            m.upload,
            _json(m.reroute),
            _json(m.fallback),
            to_db(now),
            conn.instance,
        ]
    marks = ",".join(["(?, ?, ?, ?, ?, ?, ?, ?, ?)"] * len(messages))
    cur = await conn.execute(
        "INSERT INTO outbox (chat_id, priority, method, params, upload, reroute, fallback,"
        f" created_at, claimed_by) VALUES {marks} RETURNING id",
        values,
    )
    ids = sorted(int(r[0]) for r in await cur.fetchall())
    assert len(ids) == len(messages)
    return [Queued(m, ids[i]) for i, m in enumerate(messages)]


def _queued(row: sqlite3.Row) -> Queued:
    message = Outgoing(
        chat_id=row["chat_id"],
        method=row["method"],
        params=json.loads(row["params"]),
        priority=row["priority"],
        upload=row["upload"],
        reroute=json.loads(row["reroute"]) if row["reroute"] else None,
        fallback=json.loads(row["fallback"]) if row["fallback"] else None,
    )
    return Queued(message, row["id"], row["attempts"])


class OutboxRepo:
    """Reads and marks of the outbox; inserts happen inside the change's transaction."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(self, messages: Sequence[Outgoing], now: datetime) -> list[Queued]:
        """Owed messages that belong to no other change (e.g. a rerouted reminder)."""
        if not messages:
            return []
        async with self.db.transaction() as conn:
            return await insert(conn, messages, now)

    async def mark_in_flight(self, outbox_id: int, now: datetime) -> None:
        """Before an at-most-once message is tried: after a crash it is not tried again."""
        await self.db.execute(
            "UPDATE outbox SET claimed_until = ? WHERE id = ?",
            (to_db(now), outbox_id),
            serial=False,
        )

    async def heartbeat(self, now: datetime, started: datetime) -> None:
        """This instance is alive (wall-clock time: it is about processes, not the bot's clock)."""
        await self.db.execute(
            "INSERT INTO instances (name, started_at, seen_ms) VALUES (?, ?, ?)"
            " ON CONFLICT (name) DO UPDATE SET seen_ms = excluded.seen_ms",
            (self.db.instance, to_db(started), int(time.time() * 1000)),
            serial=False,
        )
        del now

    async def release(self, now: datetime) -> None:
        """A graceful stop: this instance's undelivered messages (not those in flight) are
        left for the others at once, and it leaves the list of live instances."""
        async with self.db.transaction(serial=False) as conn:
            await conn.execute(
                "UPDATE outbox SET claimed_by = NULL WHERE claimed_by = ? AND sent_at IS NULL"
                " AND failed_at IS NULL AND claimed_until IS NULL",
                (self.db.instance,),
            )
            await conn.execute("DELETE FROM instances WHERE name = ?", (self.db.instance,))
        del now

    async def take_over(
        self,
        at_most_once: int,
        now: datetime,
        *,
        alive_ms: int | None,
        own: bool,
        limit: int = 1000,
    ) -> tuple[list[Queued], int]:
        """Claim what no live instance delivers: unclaimed messages and those of instances not
        heard of for ``alive_ms`` (None: every other instance is gone, as with one SQLite
        file), and with ``own`` this instance's too (at its start). At-most-once messages that
        were in flight there are given up, not sent again. (claimed, given up)"""
        alive_after = 2**62 if alive_ms is None else int(time.time() * 1000) - alive_ms
        params = {"me": self.db.instance, "alive": alive_after, "own": int(own)}
        gone = (
            "sent_at IS NULL AND failed_at IS NULL AND (claimed_by IS NULL"
            " OR (claimed_by = :me AND :own = 1)"
            " OR (claimed_by != :me AND claimed_by NOT IN"
            " (SELECT name FROM instances WHERE seen_ms >= :alive)))"
        )
        claimed: list[Queued] = []
        async with self.db.transaction(serial=False) as conn:
            cur = await conn.execute(
                "UPDATE outbox SET failed_at = :now, error = 'interrupted while sending'"
                " WHERE id IN (SELECT id FROM outbox WHERE priority = :once"
                f" AND claimed_until IS NOT NULL AND {gone} FOR UPDATE SKIP LOCKED)",
                {**params, "now": to_db(now), "once": at_most_once},
            )
            dropped = max(cur.rowcount, 0)
        while True:
            async with self.db.transaction(serial=False) as conn:
                rows = await conn.execute_fetchall(
                    "UPDATE outbox SET claimed_by = :me WHERE id IN (SELECT id FROM outbox"
                    f" WHERE {gone} ORDER BY id LIMIT :limit FOR UPDATE SKIP LOCKED)"
                    " RETURNING *",
                    {**params, "limit": limit},
                )
            claimed += sorted((_queued(r) for r in rows), key=lambda q: q.outbox_id or 0)
            if len(rows) < limit:
                return claimed, dropped

    async def mark_sent(self, ids: Iterable[int], now: datetime) -> None:
        rows = [(to_db(now), i) for i in sorted(ids)]
        if rows:
            await self.db.executemany(
                "UPDATE outbox SET sent_at = ? WHERE id = ?", rows, serial=False
            )

    async def mark_failed(self, outbox_id: int, now: datetime, error: str) -> None:
        await self.db.execute(
            "UPDATE outbox SET failed_at = ?, error = ? WHERE id = ?",
            (to_db(now), error[:500], outbox_id),
            serial=False,
        )

    async def count_attempt(self, outbox_id: int, error: str) -> None:
        await self.db.execute(
            "UPDATE outbox SET attempts = attempts + 1, error = ? WHERE id = ?",
            (error[:500], outbox_id),
            serial=False,
        )

    async def counts(self) -> dict[str, int]:
        """pending / sent / failed, for tests, benchmarks and the operator."""
        row = await self.db.fetchone(
            "SELECT count(*) FILTER (WHERE sent_at IS NULL AND failed_at IS NULL),"
            " count(*) FILTER (WHERE sent_at IS NOT NULL),"
            " count(*) FILTER (WHERE failed_at IS NOT NULL) FROM outbox"
        )
        assert row is not None
        return {"pending": row[0] or 0, "sent": row[1] or 0, "failed": row[2] or 0}
