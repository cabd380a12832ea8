"""`envoybot db copy`'s engine: SQLite → PostgreSQL → SQLite gives back every row."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from domain.outgoing import Outgoing
from storage.copy import CopyRefused, copy_database
from storage.db import Database
from storage.outbox_repo import OutboxRepo
from storage.problems_repo import NewAttachment, ProblemsRepo
from tests.pg_cluster import cluster
from tests.storage.conftest import ROSTER, write_csv
from usecases.roster import import_roster

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


async def _populate(db: Database, tmp_path: Path) -> None:
    await import_roster(db, write_csv(tmp_path / "r.csv", ROSTER))  # leads: teams ⇄ envoys
    enterprise = await db.fetchone("SELECT id FROM enterprises ORDER BY id")
    envoy = await db.fetchone("SELECT id FROM envoys ORDER BY id")
    assert enterprise is not None and envoy is not None
    for tg, role, envoy_id, enterprise_id in (
        (8_000_000_001, "envoy", envoy[0], None),  # a bound envoy: the check wants envoy_id
        (8_000_000_002, "staff", None, enterprise[0]),
    ):
        await db.execute(
            "INSERT INTO accounts (tg_user_id, role, envoy_id, enterprise_id, display_name,"
            " lang, created_at) VALUES (?, ?, ?, ?, ?, 'zh', ?)",
            (tg, role, envoy_id, enterprise_id, f"账号{tg}", NOW.isoformat()),
        )
    problems = ProblemsRepo(db)
    for i in range(3):
        await problems.create(
            enterprise_id=enterprise[0],
            reporter_tg_id=7_000_000_000 + i,
            category="tax",
            description=f"发票 <{i}> & 'quotes'",
            registered_at=NOW + timedelta(minutes=i),
            due_at=NOW + timedelta(days=1),
            attachments=[NewAttachment("photo", f"file-{i}")],
        )
    upload = bytes(range(256))
    await OutboxRepo(db).add(
        [Outgoing(chat_id=5, method="sendPhoto", params={"caption": "x"}, upload=upload)], NOW
    )
    await db.execute(
        "INSERT INTO ptb_conversations (name, key, state) VALUES (?, ?, ?)",
        ("report", "[1,1]", "2"),
    )


async def _dump(db: Database) -> dict[str, list[tuple[object, ...]]]:
    out: dict[str, list[tuple[object, ...]]] = {}
    for table in await db.tables():
        if table == "envoybot_schema":
            continue
        rows = await db.fetchall(f"SELECT * FROM {table}")
        out[table] = sorted((tuple(r) for r in rows), key=repr)
    return out


async def test_round_trip_through_postgresql(tmp_path: Path) -> None:
    server = cluster()
    async with (
        Database(tmp_path / "city.db") as city,
        Database(server.new_database()) as pg,
        Database(tmp_path / "back.db") as back,
    ):
        await _populate(city, tmp_path)
        counts = await copy_database(city, pg)
        assert counts["problems"] == 3 and counts["outbox"] == 1 and counts["teams"] == 2
        assert await _dump(pg) == await _dump(city)
        # new rows on the server continue the ids (the sequences moved past the copied ones)
        problem = await ProblemsRepo(pg).create(
            enterprise_id=1,
            reporter_tg_id=1,
            category="tax",
            description="after the move",
            registered_at=NOW,
            due_at=NOW + timedelta(days=1),
        )
        assert problem.id == 4 and problem.number == "2026-0004"
        assert await copy_database(pg, back) == {**counts, "problems": 4, "problem_events": 4}
        assert await _dump(back) == await _dump(pg)


async def test_a_target_with_data_is_refused(db_url: str, tmp_path: Path) -> None:
    async with Database(tmp_path / "src.db") as src, Database(db_url) as dst:
        await _populate(src, tmp_path)
        await dst.execute("INSERT INTO teams (name) VALUES ('already here')")
        with pytest.raises(CopyRefused) as refused:
            await copy_database(src, dst)
        assert refused.value.key == "db-copy-not-empty"
        rows = await dst.fetchall("SELECT name FROM teams")
        assert [r[0] for r in rows] == ["already here"]
