"""Deliver 1,000 due reminders through the real bot against a flood-controlled sandbox.

Run: python benchmarks/bench_delivery.py [--envoys N] [--limit 30]
1,000 envoys with bound accounts each have one tier-1 problem whose 4-hour reminder comes due
at once. The real Application (LocalBot) runs against the sandbox Bot API with Telegram's
30 messages/second flood control; the clock moves to the due time and one tick() sends them.
Prints messages, seconds, messages/second against the ceiling, the 429s the sandbox answered
and whether any envoy got no message or more than one.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import (
    ENVOYS,
    TEAMS,
    OpenProblem,
    ReplyWatch,
    add_accounts,
    add_problems,
    bench_settings,
    envoy_enterprises,
    local_time,
    peak_mb,
    percentile,
    print_table,
    province,
    quiet_logs,
)
from bot.local import LocalBot
from domain.clock import ManualClock
from sandbox import BotApiSandbox
from scheduler import reminders_of

# a Tuesday 10:00 in Shanghai: outside quiet hours, not Monday, after the digest hour
FIRE = local_time("2026-06-09 10:00")
TG_BASE = 10_000_000
PROBE_TG = 20_000_001  # a bound staff contact who asks for /help while the reminders go out
PROBE_EVERY = 2.0


async def probe(sandbox: BotApiSandbox, watch: ReplyWatch, done: asyncio.Event) -> list[float]:
    """Reply latency of /help every PROBE_EVERY seconds while tick() is sending."""
    user = sandbox.user(PROBE_TG, "陈经理")
    latencies: list[float] = []
    while not done.is_set():
        sent = time.perf_counter()
        await user.send_text("/help")
        arrived = await watch.wait(PROBE_TG, len(latencies) + 1, timeout=120)
        latencies.append(arrived - sent)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(done.wait(), PROBE_EVERY)
    return latencies


async def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--envoys", type=int, default=1000, help=f"at most {ENVOYS}")
    parser.add_argument("--limit", type=int, default=30, help="sandbox flood limit per second")
    args = parser.parse_args(argv)
    if not 0 < args.envoys <= ENVOYS:
        parser.error(f"--envoys must be 1..{ENVOYS}")
    quiet_logs()
    envoys = list(range(1, args.envoys + 1))
    users = {v: TG_BASE + v for v in envoys}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        db = await province(path)
        assigned = await envoy_enterprises(db)
        due = FIRE + timedelta(hours=4)  # tier 1 reminds 4 h before
        await add_accounts(
            db,
            envoys=[(users[v], v) for v in envoys],
            staff=[(PROBE_TG, 1)],
            now=FIRE - timedelta(days=30),
        )
        await add_problems(
            db,
            [
                OpenProblem(
                    # an enterprise of the envoy's own team when the roster gave them none
                    enterprise_id=assigned.get(v, [(v - 1) % TEAMS + 1])[0],
                    envoy_id=v,
                    state="in_progress",
                    tier=1,
                    registered_at=due - timedelta(days=1),
                    due_at=due,
                )
                for v in envoys
            ],
        )
        await db.close()

        sandbox = await BotApiSandbox(
            flood_control=True, flood_limit=args.limit, flood_window=1.0
        ).start()
        watch = ReplyWatch(sandbox)
        for v, tg in users.items():
            sandbox.user(tg, f"特派员{v:04d}")
            # they wrote to the bot when they redeemed their invite, long before this run
            sandbox.core.users[tg].status = "member"
        clock = ManualClock(FIRE - timedelta(minutes=1))
        bot = LocalBot(bench_settings(path, sandbox.base_url), clock=clock)
        try:
            app = await bot.start()  # post_init plans every problem and ticks: nothing due yet
            service = reminders_of(app)
            next_at = await service.repo.next_fire_at()
            assert next_at == FIRE, next_at
            assert not watch.counts, "nothing may be sent before the reminders are due"
            calls_before = len(sandbox.calls)
            clock.set(FIRE)
            start = time.perf_counter()
            ticking = asyncio.create_task(service.tick())
            sending = asyncio.Event()
            ticking.add_done_callback(lambda _: sending.set())
            await asyncio.sleep(0.5)  # the probe starts once the reminders are flowing
            probes = await probe(sandbox, watch, sending)
            people = await ticking
            tick_s = time.perf_counter() - start
            patience = args.envoys / args.limit * 3 + 30
            last = await watch.wait_all(users.values(), 1, timeout=patience)
            total_s = max(last - start, tick_s)
            again = await service.tick()
            await asyncio.sleep(0.5)  # let anything stray arrive before counting duplicates
            sends = [
                c
                for c in sandbox.calls[calls_before:]
                if c.method == "sendMessage" and str(c.params.get("chat_id")) != str(PROBE_TG)
            ]
        finally:
            await bot.stop()
            await sandbox.stop()

    per_user = [watch.counts.get(tg, 0) for tg in users.values()]
    delivered = sum(per_user)
    lost = sum(1 for n in per_user if n == 0)
    duplicated = sum(1 for n in per_user if n > 1)
    rejected = sum(1 for c in sends if c.status == 429)
    rows = [
        ("envoys with one due reminder", f"{args.envoys:,}"),
        ("people messaged by tick()", f"{people:,}"),
        ("messages delivered", f"{delivered:,}"),
        ("tick() seconds", f"{tick_s:.2f}"),
        ("seconds until the last arrived", f"{total_s:.2f}"),
        ("messages / second", f"{delivered / total_s:.1f}"),
        ("flood ceiling / second", f"{args.limit}"),
        ("share of the ceiling", f"{delivered / total_s / args.limit * 100:.0f} %"),
        ("sendMessage calls", f"{len(sends):,}"),
        ("429 answers (flood control)", f"{rejected:,}"),
        ("lost (envoys with 0 messages)", f"{lost:,}"),
        ("duplicated (envoys with >1)", f"{duplicated:,}"),
        ("second tick() sent", f"{again:,}"),
        ("/help replies during the burst", f"{len(probes)}"),
        (
            "/help reply p50 / max ms",
            f"{percentile(probes, 50) * 1000:.0f} / {max(probes, default=0) * 1000:.0f}",
        ),
        ("peak RSS MB", f"{peak_mb():.0f}"),
    ]
    print_table(("delivery", "value"), rows)
    ok = lost == 0 and duplicated == 0 and again == 0 and delivered == args.envoys
    print("RESULT:", "every envoy got exactly one message" if ok else "LOST OR DUPLICATED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
