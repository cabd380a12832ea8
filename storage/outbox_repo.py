"""SQL of the outbox: owed messages written with their change, then marked sent or failed."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from domain.outgoing import Outgoing, Queued
from storage.db import Connection, Database, to_db


def _json(value: dict[str, Any] | None) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


async def insert(conn: Connection, messages: Sequence[Outgoing], now: datetime) -> list[Queued]:
    """Write owed messages inside the caller's transaction; returns them with their ids.

    One statement for all of them: the caller holds the write lock, so their rowids are
    consecutive and end at lastrowid."""
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
        ]
    marks = ",".join(["(?, ?, ?, ?, ?, ?, ?, ?)"] * len(messages))
    cur = await conn.execute(
        "INSERT INTO outbox (chat_id, priority, method, params, upload, reroute, fallback,"
        f" created_at) VALUES {marks}",
        values,
    )
    last = cur.lastrowid
    assert last is not None
    first = last - len(messages) + 1
    return [Queued(m, first + i) for i, m in enumerate(messages)]


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

    async def pending(self, after_id: int = 0, limit: int = 1000) -> list[Queued]:
        """Undelivered messages in the order they were owed, paged by id."""
        rows = await self.db.fetchall(
            "SELECT * FROM outbox WHERE id > ? AND sent_at IS NULL AND failed_at IS NULL"
            " ORDER BY id LIMIT ?",
            (after_id, limit),
        )
        return [_queued(r) for r in rows]

    async def mark_in_flight(self, outbox_id: int, now: datetime) -> None:
        """Before an at-most-once message is tried: after a crash it is not tried again."""
        await self.db.execute(
            "UPDATE outbox SET claimed_until = ? WHERE id = ?", (to_db(now), outbox_id)
        )

    async def drop_interrupted(self, priority: int, now: datetime) -> int:
        """At start: at-most-once messages that were being sent when the process died."""
        cur_rows = await self.db.fetchall(
            "SELECT id FROM outbox WHERE priority = ? AND claimed_until IS NOT NULL"
            " AND sent_at IS NULL AND failed_at IS NULL",
            (priority,),
        )
        ids = [int(r[0]) for r in cur_rows]
        if ids:
            await self.db.executemany(
                "UPDATE outbox SET failed_at = ?, error = 'interrupted while sending' WHERE id = ?",
                [(to_db(now), i) for i in ids],
            )
        return len(ids)

    async def mark_sent(self, ids: Iterable[int], now: datetime) -> None:
        rows = [(to_db(now), i) for i in ids]
        if rows:
            await self.db.executemany("UPDATE outbox SET sent_at = ? WHERE id = ?", rows)

    async def mark_failed(self, outbox_id: int, now: datetime, error: str) -> None:
        await self.db.execute(
            "UPDATE outbox SET failed_at = ?, error = ? WHERE id = ?",
            (to_db(now), error[:500], outbox_id),
        )

    async def count_attempt(self, outbox_id: int, error: str) -> None:
        await self.db.execute(
            "UPDATE outbox SET attempts = attempts + 1, error = ? WHERE id = ?",
            (error[:500], outbox_id),
        )

    async def counts(self) -> dict[str, int]:
        """pending / sent / failed, for tests, benchmarks and the operator."""
        row = await self.db.fetchone(
            "SELECT SUM(sent_at IS NULL AND failed_at IS NULL), SUM(sent_at IS NOT NULL),"
            " SUM(failed_at IS NOT NULL) FROM outbox"
        )
        assert row is not None
        return {"pending": row[0] or 0, "sent": row[1] or 0, "failed": row[2] or 0}
