"""Updates per second end to end: a bare PTB echo bot and envoybot on one sandbox, one run.

Run: python benchmarks/bench_throughput.py [--users 200] [--messages 5] [--inbox-problems 100]
Flood control is off: this measures the bots, not Telegram's limits. Each simulated user
sends a message, waits for the reply, sends the next (closed loop), all users at once.
Rows: the echo bot bare and with the AIORateLimiter envoybot ships with (30 messages/s);
envoybot answering /help (bound staff) and /inbox (bound envoy, 100 open problems each),
as built and, for the handlers' own cost, with its rate limiter detached (benchmark only).
"idle p50" is one user alone sending 20 messages: latency without queueing.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from telegram import Update
from telegram.ext import Application, ApplicationBuilder, MessageHandler, filters

from benchmarks.common import (
    ENVOYS,
    TEAMS,
    TOKEN,
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
from bot.app import rate_limiter
from bot.local import LocalBot
from domain.clock import ManualClock
from sandbox import BotApiSandbox, SimUser
from scheduler import reminders_of

# a Wednesday 08:30 in Shanghai: no digest, no Monday figures, no reminder due
NOW = local_time("2026-06-10 08:30")
STAFF_BASE, ENVOY_BASE, ECHO_BASE = 2_000_000, 3_000_000, 1_000_000
IDLE_MESSAGES = 20
DRAIN = 1.2  # seconds; set by --drain
LIMIT = 30  # Telegram's overall ceiling, which envoybot's limiter stays under
AnyApp = Application[Any, Any, Any, Any, Any, Any]


@dataclass
class Result:
    """One measured row."""

    label: str
    updates: int
    seconds: float
    latencies: list[float]
    idle: list[float]
    extra: int  # replies beyond one per message (should be 0)

    @property
    def rate(self) -> float:
        return self.updates / self.seconds if self.seconds else 0.0


async def closed_loop(
    watch: ReplyWatch,
    users: Sequence[SimUser],
    messages: int,
    text: Callable[[int], str],
    timeout: float,  # noqa: ASYNC109
) -> tuple[float, list[float]]:
    """Every user sends, waits for the reply, sends again; (wall seconds, latencies)."""
    latencies: list[float] = []

    async def one(user: SimUser) -> None:
        have = watch.counts.get(user.id, 0)
        for i in range(messages):
            sent = time.perf_counter()
            await user.send_text(text(i))
            arrived = await watch.wait(user.id, have + i + 1, timeout)
            latencies.append(arrived - sent)

    start = time.perf_counter()
    await asyncio.gather(*(one(u) for u in users))
    return time.perf_counter() - start, latencies


async def measure(
    label: str,
    watch: ReplyWatch,
    users: Sequence[SimUser],
    idle_user: SimUser,
    messages: int,
    text: Callable[[int], str],
    limited: bool,
) -> Result:
    """Warm up, measure idle latency with one user, then the loaded closed loop."""
    timeout = len(users) * messages / 10 + 60
    if limited:
        await asyncio.sleep(DRAIN)  # real time for the limiter's bucket to drain from the last row
    await closed_loop(watch, [idle_user], 2, text, timeout)  # warm-up: first-call costs
    _, idle = await closed_loop(watch, [idle_user], IDLE_MESSAGES, text, timeout)
    before = sum(watch.counts.get(u.id, 0) for u in users)
    seconds, latencies = await closed_loop(watch, users, messages, text, timeout)
    await asyncio.sleep(0.1)  # a stray second reply would show up here
    after = sum(watch.counts.get(u.id, 0) for u in users)
    extra = after - before - len(users) * messages
    return Result(label, len(users) * messages, seconds, latencies, idle, extra)


# ---- the bare echo bot --------------------------------------------------------------------


async def echo(update: Update, context: Any) -> None:
    del context
    message = update.effective_message
    if message is not None and message.text:
        await message.reply_text(message.text)


def echo_app(sandbox: BotApiSandbox, limiter: bool) -> AnyApp:
    builder = ApplicationBuilder().token(TOKEN).base_url(sandbox.base_url)
    builder = builder.base_file_url(sandbox.base_file_url)
    if limiter:
        builder = builder.rate_limiter(rate_limiter())  # the very limiter envoybot ships with
    app = builder.build()
    app.add_handler(MessageHandler(filters.TEXT, echo))
    return app


async def run_echo(
    sandbox: BotApiSandbox, watch: ReplyWatch, limiter: bool, users: int, messages: int, base: int
) -> Result:
    app = echo_app(sandbox, limiter)
    await app.initialize()
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0, timeout=5, allowed_updates=Update.ALL_TYPES)
    sims = [sandbox.user(base + i, f"用户{i}") for i in range(1, users + 1)]
    idle = sandbox.user(base, "独自一人")
    label = "echo bot (bare PTB)" if not limiter else "echo bot + AIORateLimiter(30/s)"
    try:
        return await measure(
            label, watch, sims, idle, messages, lambda i: f"你好 echo {i}", limiter
        )
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()


# ---- envoybot -----------------------------------------------------------------------------


async def prepare_envoybot(path: Path, users: int, per_envoy: int) -> None:
    """Staff of enterprises 1..N and envoys 1..N bound; each envoy has open problems."""
    db = await province(path)
    assigned = await envoy_enterprises(db)
    rnd = random.Random(7)
    problems = []
    for v in range(1, users + 1):
        mine = assigned.get(v, [(v - 1) % TEAMS + 1])
        for _ in range(per_envoy):
            tier = rnd.choice((2, 3))
            # every reminder of these lies after NOW, so nothing is sent during the run
            lo, hi = (1.5, 3.0) if tier == 2 else (3.5, 7.0)
            due = NOW + timedelta(days=rnd.uniform(lo, hi))
            problems.append(
                OpenProblem(
                    enterprise_id=rnd.choice(mine),
                    envoy_id=v,
                    state="in_progress",
                    tier=tier,
                    registered_at=due - timedelta(days=3 if tier == 2 else 7),
                    due_at=due,
                )
            )
    # the idle users: staff of enterprise N+1 and envoy N+1 (no open problems of their own)
    await add_accounts(
        db,
        envoys=[(ENVOY_BASE + v, v) for v in range(1, users + 2)],
        staff=[(STAFF_BASE + e, e) for e in range(1, users + 2)],
        now=NOW - timedelta(days=30),
    )
    await add_problems(db, problems)
    await db.close()


def constant(text: str) -> Callable[[int], str]:
    """The same message every time."""
    return lambda _: text


COMMANDS = {"help": "envoybot /help (staff)", "inbox": "envoybot /inbox (envoy)"}


async def run_envoybot(
    sandbox: BotApiSandbox,
    watch: ReplyWatch,
    path: Path,
    args: argparse.Namespace,
    limiter: bool,
    commands: Sequence[str],
) -> list[Result]:
    """Start the real bot (LocalBot) on the prepared database and load it per command."""
    users = args.users
    bot = LocalBot(bench_settings(path, sandbox.base_url), clock=ManualClock(NOW))
    people = {
        "help": [sandbox.user(STAFF_BASE + e, f"联系人{e}") for e in range(1, users + 2)],
        "inbox": [sandbox.user(ENVOY_BASE + v, f"特派员{v}") for v in range(1, users + 2)],
    }
    app = await bot.start()
    saved = app.bot.rate_limiter
    try:
        next_at = await reminders_of(app).repo.next_fire_at()
        assert next_at is None or next_at > NOW, "a reminder would fire during the run"
        suffix = ""
        if not limiter:
            # benchmark only: what the handlers cost without the 30/s send budget
            app.bot._rate_limiter = None
            suffix = ", limiter detached"
        rows = []
        for command in commands:
            *loaded, idle = people[command]
            rows.append(
                await measure(
                    COMMANDS[command] + suffix, watch, loaded, idle, args.messages,
                    constant(f"/{command}"), limiter,
                )
            )  # fmt: skip
        return rows
    finally:
        app.bot._rate_limiter = saved
        await bot.stop()


def table(results: list[Result]) -> None:
    echo_bare = next(r for r in results if r.label == "echo bot (bare PTB)")
    echo_limited = next((r for r in results if "AIORateLimiter" in r.label), echo_bare)
    rows = []
    for r in results:
        limited = "AIORateLimiter" in r.label or (
            r.label.startswith("envoybot") and "detached" not in r.label
        )
        base = echo_limited if limited else echo_bare
        rows.append(
            (
                r.label,
                f"{r.updates:,}",
                f"{r.seconds:.2f}",
                f"{r.rate:.1f}",
                f"{percentile(r.latencies, 50) * 1000:.0f}",
                f"{percentile(r.latencies, 95) * 1000:.0f}",
                f"{percentile(r.idle, 50) * 1000:.1f}",
                f"{r.rate / base.rate:.2f}" if base.rate else "-",
                f"{r.extra}",
            )
        )
    print_table(
        ("bot", "updates", "seconds", "updates/s", "p50 ms", "p95 ms", "idle p50 ms",
         "x echo", "extra"),
        rows,
    )  # fmt: skip
    print("x echo: updates/s divided by the echo bot's with the same rate-limiter setting")


async def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--messages", type=int, default=5, help="per user")
    parser.add_argument("--inbox-problems", type=int, default=100, help="open per envoy")
    parser.add_argument("--quick", action="store_true", help="skip the rate-limited echo row")
    parser.add_argument("--drain", type=float, default=1.2, help="pause before limited rows")
    args = parser.parse_args(argv)
    global DRAIN
    DRAIN = args.drain
    if not 0 < args.users < ENVOYS:
        parser.error(f"--users must be 1..{ENVOYS - 1}")
    quiet_logs()
    print(f"{args.users} users x {args.messages} messages, closed loop; envoys have "
          f"{args.inbox_problems} open problems each; flood control off")  # fmt: skip
    results: list[Result] = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        await prepare_envoybot(path, args.users, args.inbox_problems)
        sandbox = await BotApiSandbox(flood_control=False).start()
        watch = ReplyWatch(sandbox)
        try:
            results.append(
                await run_echo(sandbox, watch, False, args.users, args.messages, ECHO_BASE)
            )
            if not args.quick:
                results.append(
                    await run_echo(
                        sandbox, watch, True, args.users, args.messages, ECHO_BASE + 100_000
                    )
                )
            shipped = await run_envoybot(sandbox, watch, path, args, True, list(COMMANDS))
            results += shipped
            # the limiter only matters where the bot could go faster than its 30/s budget
            detach = [c for c, r in zip(COMMANDS, shipped, strict=True) if r.rate >= 0.9 * LIMIT]
            skipped = [c for c in COMMANDS if c not in detach]
            if detach:
                results += await run_envoybot(sandbox, watch, path, args, False, detach)
        finally:
            await sandbox.stop()
    table(results)
    for command in skipped:
        print(f"/{command} with the limiter detached: not run; as built it stays under "
              f"{0.9 * LIMIT:.0f}/s, so the handler is the bottleneck")  # fmt: skip
    print(f"peak RSS {peak_mb():.0f} MB (sandbox, bots and simulated users share one process)")
    return 0 if all(r.extra == 0 for r in results) else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
