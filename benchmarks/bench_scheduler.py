"""Start-up of the 137 clock on a province-sized database: 100,000 open problems.

Run: python benchmarks/bench_scheduler.py [--problems N] [--keep FILE.db]
Times opening the database, rebuilding every reminder plan from zero (first start), a
second start when plans exist, next_fire_at(), a tick with nothing due, and the first tick
after 09:00 on a restart (digest already sent today); prints peak memory of the rebuild.
Nothing is sent: the Bot is never initialised and points at a dead loopback port.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Awaitable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


from benchmarks.common import (
    ENTERPRISES,
    ENVOYS,
    TEAMS,
    OpenProblem,
    add_accounts,
    add_problems,
    bench_settings,
    envoy_enterprises,
    local_time,
    peak_mb,
    print_table,
    province,
    quiet_logs,
    spread,
)
from delivery.notices import Notices
from domain.clock import ManualClock
from scheduler.reminders import ReminderService
from storage.db import Database, to_db
from usecases.ports import SILENT
from usecases.services import Services

T = TypeVar("T")
# a Wednesday (no Monday figures), after quiet hours and before the 09:00 digest
NOW = local_time("2026-06-10 08:30")
DIGEST = local_time("2026-06-10 09:00")
TIER_DAYS = {None: 1, 1: 1, 2: 3, 3: 7}


def generate(count: int, owners: dict[int, int], seed: int = 4) -> Iterator[OpenProblem]:
    """Open problems whose deadlines spread from 2 days ago to 7 days ahead."""
    rnd = random.Random(seed)
    enterprises = sorted(owners)
    for _ in range(count):
        enterprise = rnd.choice(enterprises)
        registered_only = rnd.random() < 0.3
        tier = None if registered_only else rnd.choices((1, 2, 3), (5, 3, 2))[0]
        due = spread(rnd, NOW, timedelta(days=2), timedelta(days=7))
        yield OpenProblem(
            enterprise_id=enterprise,
            envoy_id=owners[enterprise],
            state="registered" if registered_only else "in_progress",
            tier=tier,
            registered_at=due - timedelta(days=TIER_DAYS[tier]),
            due_at=due,
        )


class Steps:
    """Collects (step, seconds, result, peak RSS) rows."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, str]] = []

    async def run(self, label: str, work: Awaitable[T], show: Any = None) -> T:
        start = time.perf_counter()
        result = await work
        elapsed = time.perf_counter() - start
        shown = show(result) if show else ("" if result is None else f"{result:,}")
        self.rows.append((label, f"{elapsed:.3f}", shown, f"{peak_mb():.0f}"))
        return result


def service_for(db: Database, clock: ManualClock, db_path: Path) -> ReminderService:
    """The production ReminderService with a Bot that is never initialised (plans only)."""
    settings = bench_settings(db_path)
    services = Services(settings=settings, clock=clock, db=db)
    return ReminderService(services, Notices(services), SILENT)


async def count(db: Database, sql: str) -> int:
    row = await db.fetchone(sql)
    return int(row[0]) if row else 0


async def claim_all(service: ReminderService, until: datetime) -> int:
    """Claim (without composing messages) everything due by `until`, in batches."""
    total = 0
    while True:
        due, stale = await service.repo.due(until)
        if not due and not stale:
            return total
        await service.repo.claim_and_queue({r.id: [] for r in due}, stale, [], until)
        total += len(due) + len(stale)


async def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--problems", type=int, default=100_000, help="open problems")
    parser.add_argument("--keep", help="write the database here instead of a temp file")
    parser.add_argument("--no-tracemalloc", action="store_true", help="skip the traced rerun")
    args = parser.parse_args(argv)
    quiet_logs()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(args.keep) if args.keep else Path(tmp) / "bench.db"
        print(f"{args.problems:,} open problems, {ENTERPRISES:,} enterprises, {ENVOYS:,} envoys "
              f"(all with accounts), {TEAMS} teams; clock {NOW.isoformat()}")  # fmt: skip
        start = time.perf_counter()
        db = await province(path)
        owners = {e: v for v, es in (await envoy_enterprises(db)).items() for e in es}
        await add_accounts(db, envoys=[(10_000_000 + v, v) for v in range(1, ENVOYS + 1)], now=NOW)
        await add_problems(db, generate(args.problems, owners))
        overdue = await count(db, f"SELECT COUNT(*) FROM problems WHERE due_at < '{to_db(NOW)}'")
        await db.close()
        print(f"generated in {time.perf_counter() - start:.1f} s; {overdue:,} already overdue; "
              f"peak RSS before start-up {peak_mb():.0f} MB\n")  # fmt: skip

        steps = Steps()
        fresh = Database(Path(tmp) / "empty.db")
        await steps.run("(a) open + all migrations, new file", fresh.open())
        await fresh.close()
        db = Database(path)
        await steps.run("(a) open + migrations, province file", db.open())
        clock = ManualClock(NOW)
        service = service_for(db, clock, path)
        await steps.run("(b) plan_missing, first start", service.plan_missing(),
                        lambda n: f"{n:,} problems planned")  # fmt: skip
        reminders = await count(db, "SELECT COUNT(*) FROM reminders")
        print(f"{reminders:,} reminder rows planned")

        traced = ""
        if not args.no_tracemalloc:
            await db.execute("DELETE FROM reminders")
            tracemalloc.start()
            began = time.perf_counter()
            await service.plan_missing()
            slow = time.perf_counter() - began
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            traced = (
                f"tracemalloc peak of the rebuild {peak / 2**20:.1f} MB (traced run {slow:.1f} s)"
            )

        await db.close()
        db = Database(path)
        await steps.run("(c) second start: open + migrations", db.open())
        service = service_for(db, clock, path)
        await steps.run("(c) second start: plan_missing", service.plan_missing(),
                        lambda n: f"{n:,} problems planned")  # fmt: skip
        await steps.run("(d) next_fire_at()", service.repo.next_fire_at(),
                        lambda at: at.isoformat() if at else "none")  # fmt: skip
        await steps.run("    claim backlog due by 09:00 (no send)", claim_all(service, DIGEST),
                        lambda n: f"{n:,} reminders")  # fmt: skip
        await steps.run("(e) tick, nothing due (08:30)", service.tick(),
                        lambda n: f"{n} messages")  # fmt: skip

        # a restart after 09:00 on a day whose digests are already out: nothing to send
        day = DIGEST.astimezone(service.s.settings.zone).date().isoformat()
        await db.execute(
            "INSERT INTO digests (tg_user_id, day, kind, claimed_at, problems)"
            " SELECT tg_user_id, ?, 'overdue', ?, 0 FROM accounts",
            (day, to_db(DIGEST)),
        )
        clock.set(DIGEST)
        service = service_for(db, clock, path)
        await steps.run("(f) tick 09:00 after restart, digest sent", service.tick(),
                        lambda n: f"{n} messages")  # fmt: skip
        await steps.run("(f) tick 09:00 again, same process", service.tick(),
                        lambda n: f"{n} messages")  # fmt: skip
        await db.close()

        print_table(("step", "seconds", "result", "peak RSS MB"), steps.rows)
        if traced:
            print(traced)
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
