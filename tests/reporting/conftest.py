"""A generated programme in a real SQLite file; expected answers are computed by the tests."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from storage.db import Database, to_db

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 3, 11, 2, 0, tzinfo=UTC)  # Wednesday 10:00 in Shanghai
TIER_DAYS = {1: 1, 2: 3, 3: 7}
CATEGORIES = ("market", "production", "approval", "financing", "other")
TEAMS = {1: "高新区工作队", 2: "经开区工作队", 3: "新城区工作队"}
ENVOYS = {1: "张伟", 2: "李娜", 3: "王强", 4: "刘洋", 5: "陈静", 6: "赵磊"}
ENVOY_TEAM = {1: 1, 2: 1, 3: 2, 4: 2, 5: 3, 6: 3}
ENTERPRISE_TEAM = {e: (e - 1) // 4 + 1 for e in range(1, 13)}
# two enterprises per envoy inside its team, plus envoy 1 also serving enterprise 5 (team 2)
ASSIGNMENTS = [(((e - 1) // 2) + 1, e) for e in range(1, 13)] + [(1, 5)]


@dataclass
class Row:
    """One generated problem, as the test knows it."""

    id: int
    enterprise_id: int
    envoy_id: int | None
    category: str
    state: str
    tier: int | None
    registered_at: datetime
    due_at: datetime
    resolved_at: datetime | None
    closed_at: datetime | None
    satisfaction: int | None

    @property
    def team_id(self) -> int:
        return ENTERPRISE_TEAM[self.enterprise_id]


def enterprise_name(e: int) -> str:
    return f"华夏{e:02d}号科技有限公司"


def generate(count: int, seed: int = 7) -> list[Row]:
    """Random problems over the last ~70 days, every state, some late, some unassigned."""
    rnd = random.Random(seed)
    envoy_of = {e: v for v, e in ASSIGNMENTS[:12]}
    rows: list[Row] = []
    for i in range(1, count + 1):
        enterprise = rnd.randint(1, 12)
        registered = NOW - timedelta(hours=rnd.randint(1, 70 * 24))
        state = rnd.choice(
            ["registered", "in_progress", "resolved", "closed", "closed", "withdrawn"]
        )
        tier = None if state == "registered" else rnd.randint(1, 3)
        due = registered + timedelta(days=TIER_DAYS[tier or 1])
        envoy: int | None = envoy_of[enterprise]
        if rnd.random() < 0.05:
            envoy = None
        elif rnd.random() < 0.05:
            envoy = 6  # responsible without being assigned to the enterprise
        resolved = closed = None
        satisfaction = None
        if state in ("resolved", "closed"):
            resolved = min(NOW, registered + timedelta(hours=rnd.randint(1, 24 * 9)))
        if state == "closed":
            assert resolved is not None
            closed = min(NOW, resolved + timedelta(hours=rnd.randint(0, 30)))
            satisfaction = rnd.choice([None, 3, 4, 5, 5, 2])
        if state == "withdrawn":
            closed = min(NOW, registered + timedelta(hours=5))
        rows.append(
            Row(
                i,
                enterprise,
                envoy,
                rnd.choice(CATEGORIES),
                state,
                tier,
                registered,
                due,
                resolved,
                closed,
                satisfaction,
            )
        )
    return rows


async def insert_world(db: Database) -> None:
    """Teams, envoys, enterprises and assignments of the generated programme."""
    await db.executemany("INSERT INTO teams (id, name) VALUES (?, ?)", list(TEAMS.items()))
    await db.executemany(
        "INSERT INTO envoys (id, name, team_id) VALUES (?, ?, ?)",
        [(v, name, ENVOY_TEAM[v]) for v, name in ENVOYS.items()],
    )
    await db.executemany(
        "INSERT INTO enterprises (id, name, team_id) VALUES (?, ?, ?)",
        [(e, enterprise_name(e), t) for e, t in ENTERPRISE_TEAM.items()],
    )
    await db.executemany(
        "INSERT INTO assignments (envoy_id, enterprise_id) VALUES (?, ?)", ASSIGNMENTS
    )


async def insert_problems(db: Database, rows: list[Row]) -> None:
    await db.executemany(
        "INSERT INTO problems (id, number, enterprise_id, reporter_tg_id, category, description,"
        " state, tier, envoy_id, registered_at, due_at, resolved_at, closed_at, satisfaction)"
        " VALUES (?, ?, ?, 1, ?, 'x', ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                r.id,
                f"2026-{r.id:04d}",
                r.enterprise_id,
                r.category,
                r.state,
                r.tier,
                r.envoy_id,
                to_db(r.registered_at),
                to_db(r.due_at),
                to_db(r.resolved_at),
                to_db(r.closed_at),
                r.satisfaction,
            )
            for r in rows
        ],
    )


@pytest.fixture
async def db(db_url: str) -> AsyncIterator[Database]:
    database = Database(db_url)
    await database.open()
    await insert_world(database)
    try:
        yield database
    finally:
        await database.close()


@pytest.fixture
async def rows(db: Database) -> list[Row]:
    generated = generate(300)
    await insert_problems(db, generated)
    return generated
