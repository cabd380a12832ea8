"""Shared parts of the benchmarks: the generated province, settings, a reply watch, tables.

The organisation (14 teams, 2,000 envoys, 10,000 enterprises) comes from bench_stats's
generator, imported, so every benchmark measures the same province.
"""

from __future__ import annotations

import asyncio
import logging
import random
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.bench_stats import ENTERPRISES, ENVOYS, TEAMS, peak_mb, populate  # noqa: E402
from sandbox import BotApiSandbox  # noqa: E402
from sandbox.core import ChatState, StoredMessage  # noqa: E402
from storage.db import Database, to_db  # noqa: E402

if TYPE_CHECKING:
    from bot.config import Settings

__all__ = [
    "ENTERPRISES",
    "ENVOYS",
    "TEAMS",
    "TOKEN",
    "TZ",
    "OpenProblem",
    "ReplyWatch",
    "add_accounts",
    "add_problems",
    "bench_settings",
    "envoy_enterprises",
    "peak_mb",
    "percentile",
    "print_table",
    "province",
    "quiet_logs",
]

logger = logging.getLogger(__name__)

TOKEN = "123456789:AAE" + "x" * 32
TZ = ZoneInfo("Asia/Shanghai")
# a loopback port nothing listens on: a Bot that must not send anything points here
DEAD_BASE_URL = "http://127.0.0.1:9/bot"


def quiet_logs() -> None:
    """Warnings only: per-update INFO lines would cost more than what is measured."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    for name in ("httpx", "telegram", "apscheduler", "aiohttp.access"):
        logging.getLogger(name).setLevel(logging.WARNING)


async def province(path: Path) -> Database:
    """A fresh database file with the spec's organisation; every team gets a lead."""
    db = Database(path)
    await db.open()
    try:
        await populate(db, 0)  # bench_stats: teams, envoys, enterprises, assignments
        await db.execute(
            "UPDATE teams SET lead_envoy_id ="
            " (SELECT MIN(v.id) FROM envoys v WHERE v.team_id = teams.id)"
        )
    except BaseException:
        await db.close()  # an open aiosqlite connection would keep the process alive
        raise
    return db


async def envoy_enterprises(db: Database) -> dict[int, list[int]]:
    """Enterprises assigned to each envoy (some envoys have none in the generated roster)."""
    found: dict[int, list[int]] = {}
    for row in await db.fetchall("SELECT envoy_id, enterprise_id FROM assignments"):
        found.setdefault(int(row[0]), []).append(int(row[1]))
    return found


async def add_accounts(
    db: Database,
    *,
    envoys: Iterable[tuple[int, int]] = (),
    staff: Iterable[tuple[int, int]] = (),
    now: datetime,
) -> None:
    """Bound accounts, as redeemed invites leave them: (tg_user_id, envoy_id|enterprise_id)."""
    rows: list[tuple[object, ...]] = [
        (tg, "envoy", envoy_id, None, f"特派员{envoy_id:04d}", "zh", to_db(now))
        for tg, envoy_id in envoys
    ]
    rows += [
        (tg, "staff", None, enterprise_id, f"联系人{enterprise_id:05d}", "zh", to_db(now))
        for tg, enterprise_id in staff
    ]
    await db.executemany(
        "INSERT INTO accounts (tg_user_id, role, envoy_id, enterprise_id, display_name, lang,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        rows,
    )


@dataclass(frozen=True, slots=True)
class OpenProblem:
    """One generated open problem."""

    enterprise_id: int
    envoy_id: int
    state: str  # registered / in_progress
    tier: int | None
    registered_at: datetime
    due_at: datetime
    reporter_tg_id: int = 1


CATEGORIES = ("market", "production", "construction", "approval", "policy", "labour",
              "financing", "logistics", "other")  # fmt: skip


async def add_problems(
    db: Database, problems: Iterable[OpenProblem], *, first_id: int = 1, chunk: int = 20_000
) -> int:
    """Insert open problems (numbers 2026-NNNNNN from first_id), streamed in chunks."""
    rnd = random.Random(first_id)
    sql = (
        "INSERT INTO problems (id, number, enterprise_id, reporter_tg_id, description, state,"
        " tier, envoy_id, registered_at, due_at, category)"
        " VALUES (?, ?, ?, ?, '设备进口清关受阻，需要协调海关', ?, ?, ?, ?, ?, ?)"
    )
    rows: list[tuple[object, ...]] = []
    n = 0
    for p in problems:
        i = first_id + n
        n += 1
        rows.append(
            (i, f"2026-{i:06d}", p.enterprise_id, p.reporter_tg_id, p.state, p.tier, p.envoy_id,
             to_db(p.registered_at), to_db(p.due_at), rnd.choice(CATEGORIES))
        )  # fmt: skip
        if len(rows) >= chunk:
            await db.executemany(sql, rows)
            rows = []
    if rows:
        await db.executemany(sql, rows)
    return n


def bench_settings(db_path: Path, base_url: str | None = None, **extra: object) -> Settings:
    """Settings as the e2e tests build them, without reading a .env file."""
    from bot.config import Settings  # only the in-process scripts need envoybot's settings

    values: dict[str, Any] = {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_BASE_URL": base_url or DEAD_BASE_URL,
        "ENVOYBOT_DB": str(db_path),
        "ENVOYBOT_ADMINS": "",
        "ENVOYBOT_BOT_USERNAME": "envoy_test_bot",
    }
    values.update(extra)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def local_time(text: str) -> datetime:
    """A Shanghai wall time 'YYYY-MM-DD HH:MM' as an aware UTC datetime."""
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=TZ).astimezone(UTC)


class ReplyWatch:
    """Counts and timestamps every bot message the sandbox stores, per chat, in O(1).

    SimUser.wait_for re-checks every waiter on every change, which is quadratic with
    hundreds of users; this hooks the sandbox core's add_message once instead.
    """

    def __init__(self, sandbox: BotApiSandbox) -> None:
        self.counts: dict[int, int] = {}
        self.arrivals: dict[int, list[float]] = {}
        self._waiters: dict[int, list[tuple[int, asyncio.Future[float]]]] = {}
        core = sandbox.core
        original = core.add_message

        def add_message(chat: ChatState, message: StoredMessage) -> StoredMessage:
            stored = original(chat, message)
            if message.from_bot:
                self._arrived(chat.user.id)
            return stored

        core.add_message = add_message  # type: ignore[method-assign]

    def _arrived(self, chat_id: int) -> None:
        at = time.perf_counter()
        count = self.counts.get(chat_id, 0) + 1
        self.counts[chat_id] = count
        self.arrivals.setdefault(chat_id, []).append(at)
        waiters = self._waiters.get(chat_id)
        if waiters:
            keep = []
            for wanted, future in waiters:
                if count >= wanted and not future.done():
                    future.set_result(at)
                elif not future.done():
                    keep.append((wanted, future))
            self._waiters[chat_id] = keep

    async def wait(self, chat_id: int, count: int, timeout: float = 60.0) -> float:  # noqa: ASYNC109
        """perf_counter() time at which chat_id had received `count` bot messages."""
        if self.counts.get(chat_id, 0) >= count:
            return self.arrivals[chat_id][count - 1]
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self._waiters.setdefault(chat_id, []).append((count, future))
        return await asyncio.wait_for(future, timeout)

    async def wait_all(self, chat_ids: Iterable[int], count: int, timeout: float) -> float:  # noqa: ASYNC109
        """Wait until every chat has `count` bot messages; the last arrival time."""
        times = await asyncio.gather(*(self.wait(c, count, timeout) for c in chat_ids))
        return max(times, default=time.perf_counter())


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100); 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def print_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """A plain-text table, right-aligned numbers, for README copy-paste."""
    cells = [[str(h) for h in headers]] + [[str(c) for c in r] for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]

    def line(row: Sequence[str]) -> str:
        return "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        )

    print(line(cells[0]))
    print("  ".join("-" * w for w in widths))
    for row in cells[1:]:
        print(line(row))


def spread(rnd: random.Random, around: datetime, before: timedelta, after: timedelta) -> datetime:
    """A random moment in [around - before, around + after], to the minute."""
    span = int((before + after).total_seconds() // 60)
    return around - before + timedelta(minutes=rnd.randint(0, span))
