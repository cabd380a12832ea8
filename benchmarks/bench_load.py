"""Bot versus bare echo bots under load: every bot a process, one sandbox, one run.

Run: python benchmarks/bench_load.py [--users 50] [--seconds 10] [--scenario 1 2 3]
Closed loop: each simulated user acts, waits for the answer, acts again; all users at once.
Rows: a bare PTB echo bot and an aiogram 3 echo bot (text, and a button press), then a real
`envoybot run` process on a prepared database: /help, whole /report flows (/report →
category → description → no attachments → Submit → "registered as №…") and envoy accept
presses (Accept tier 1 on a registered problem's card).
 1. flood control off, ENVOYBOT_SEND_RATE=0: updates/s and p99 as ratios to PTB echo's.
 2. flood control on (Telegram's limits): the same rows, plus messages the sandbox executed
    per second against the 30/s ceiling, 429 answers and the slowest press answer.
 3. N staff (default 100) at the summary step press Submit at the same instant, flood
    control on: numbers received, Submit → number p50/p99, 429s, owed messages per second.
Bot CPU is read from /proc/<pid>/stat; "gen CPU" is this process (sandbox + users).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import math
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import world
from benchmarks.common import percentile, print_table, quiet_logs
from benchmarks.loadgen import (
    SUBMIT,
    THROUGHPUT_HEADERS,
    BotProcess,
    ReportSteps,
    Row,
    UserScript,
    Watch,
    accept_presses,
    aiogram_echo,
    closed_loop,
    echo_press,
    echo_text,
    envoybot,
    help_command,
    make_users,
    number_in,
    ptb_echo,
    registered,
    rejected,
    report_flows,
    running,
    says,
    set_flood,
    settle,
    throughput_rows,
    until_answers,
)
from sandbox import BotApiSandbox, SimUser

logger = logging.getLogger(__name__)

CEILING = 30  # Telegram's overall limit, messages per second
PTB_USERS, AIOGRAM_USERS = 1_000_000, 1_100_000
GEN_SATURATED = 85  # % of one core: above this the load generator may be the bottleneck
FloodRows = dict[bool, list[Row]]


@dataclass
class Options:
    """The command line, typed."""

    users: int
    seconds: float
    warmup: float
    timeout: float
    grace: float
    submitters: int
    scenarios: set[int]
    aiogram: bool
    send_rate: float
    keep: Path | None
    strict: bool


@dataclass
class SubmitResult:
    """Scenario 3: everyone presses Submit at once."""

    staff: int
    at_summary: int
    numbers: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    answers: list[float] = field(default_factory=list)
    unanswered: int = 0
    rejected: int = 0
    sends: int = 0
    send_seconds: float = 0.0
    stored: int = 0
    shown_missing: int = 0
    registered_twice: int = 0


def parse(argv: list[str] | None) -> Options:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=50, help="simulated users per row")
    parser.add_argument("--seconds", type=float, default=10.0, help="measured time per row")
    parser.add_argument("--warmup", type=float, default=2.0, help="unmeasured start of a row")
    parser.add_argument("--timeout", type=float, default=30.0, help="longest wait per step")
    parser.add_argument("--grace", type=float, default=5.0, help="after a row, for in-flight")
    parser.add_argument("--submitters", type=int, default=100, help="scenario 3's staff")
    parser.add_argument("--scenario", type=int, nargs="+", choices=(1, 2, 3), default=[1, 2, 3])
    parser.add_argument("--no-aiogram", action="store_true", help="skip the aiogram rows")
    parser.add_argument("--send-rate", type=float, default=30.0, help="ENVOYBOT_SEND_RATE, 2-3")
    parser.add_argument("--keep", type=Path, help="keep the database and bot logs here")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a check fails")
    a = parser.parse_args(argv)
    if a.users < 1 or a.submitters < 1 or a.seconds <= 0:
        parser.error("--users, --submitters and --seconds must be positive")
    return Options(
        a.users, a.seconds, a.warmup, a.timeout, a.grace, a.submitters, set(a.scenario),
        not a.no_aiogram, a.send_rate, a.keep, a.strict,
    )  # fmt: skip


def floods(opts: Options) -> list[bool]:
    """Flood-control settings the throughput rows run with (scenario 1 off, 2 on)."""
    return [flood for scenario, flood in ((1, False), (2, True)) if scenario in opts.scenarios]


def presses_per_envoy(opts: Options) -> int:
    """Enough registered problems that no envoy runs out during one row."""
    per_second = max(10.0, 600.0 / opts.users)
    return math.ceil(per_second * (opts.warmup + opts.seconds)) + 5


# ---- rows --------------------------------------------------------------------------------


async def measure(
    label: str,
    sandbox: BotApiSandbox,
    watch: Watch,
    bot: BotProcess,
    users: Sequence[SimUser],
    script: UserScript,
    opts: Options,
) -> Row:
    """One closed-loop row, then wait for the bot to go quiet."""
    row = await closed_loop(
        label, sandbox, watch, bot, users, script,
        warmup=opts.warmup, seconds=opts.seconds, patience=opts.timeout, grace=opts.grace,
    )  # fmt: skip
    await settle(sandbox)
    logger.info("%s: %.1f updates/s", label, row.rate)
    return row


async def echo_rows(
    name: str,
    bot: BotProcess,
    first_id: int,
    sandbox: BotApiSandbox,
    watch: Watch,
    opts: Options,
) -> FloodRows:
    """Text and press rows of one echo bot, for each flood setting, in one process."""
    users = make_users(sandbox, range(first_id + 1, first_id + opts.users + 1), "用户")
    probe = make_users(sandbox, [first_id], "探针")[0]
    rows: FloodRows = {}
    async with running(bot):
        await until_answers(watch, bot, probe, "ping", says("ping", new_only=True))
        for flood in floods(opts):
            set_flood(sandbox, flood)
            rows[flood] = [
                await measure(f"{name} echo, text", sandbox, watch, bot, users,
                              echo_text(watch), opts),
                await measure(f"{name} echo, press", sandbox, watch, bot, users,
                              echo_press(watch), opts),
            ]  # fmt: skip
    return rows


def start_envoybot(
    flood: bool, programme: world.Programme, sandbox: BotApiSandbox, workdir: Path, opts: Options
) -> BotProcess:
    """`envoybot run` for one flood setting: pacing off without flood control (scenario 1)."""
    rate = opts.send_rate if flood else 0.0
    return envoybot(
        sandbox, workdir, programme.db_path, admin=world.ADMIN, send_rate=rate,
        name=f"envoybot flood {'on' if flood else 'off'}",
    )  # fmt: skip


async def envoybot_rows(
    bot: BotProcess,
    programme: world.Programme,
    problems: dict[int, list[tuple[int, str]]],
    sandbox: BotApiSandbox,
    watch: Watch,
    opts: Options,
) -> list[Row]:
    """/help, /report flows and accept presses on a running `envoybot run` process."""
    staff = [sandbox.user(tg) for tg in programme.staff[1 : opts.users + 1]]
    envoys = [sandbox.user(tg) for tg in programme.acceptors[: opts.users]]
    return [
        await measure("envoybot /help", sandbox, watch, bot, staff, help_command(watch), opts),
        await measure("envoybot /report flows", sandbox, watch, bot, staff,
                      report_flows(watch), opts),
        await measure("envoybot accept presses", sandbox, watch, bot, envoys,
                      accept_presses(watch, problems), opts),
    ]  # fmt: skip


# ---- scenario 3 --------------------------------------------------------------------------


async def simultaneous_submits(
    bot: BotProcess,
    programme: world.Programme,
    sandbox: BotApiSandbox,
    watch: Watch,
    opts: Options,
) -> SubmitResult:
    """N staff at the summary step press Submit in the same instant, flood control on."""
    tgs = programme.staff[opts.users + 1 : opts.users + 1 + opts.submitters]
    users = [sandbox.user(tg) for tg in tgs]
    result = SubmitResult(staff=len(users), at_summary=0)
    patience = max(60.0, opts.submitters * 0.6)
    deadline = time.perf_counter() + patience

    def left() -> float:
        return deadline - time.perf_counter()

    summaries = await asyncio.gather(
        *(
            ReportSteps(watch, u, f"同时提交测试 {u.id}：厂区道路施工影响货车进出").to_summary(
                left, lambda *_: True
            )
            for u in users
        )
    )
    ready = [(u, m) for u, m in zip(users, summaries, strict=True) if m is not None]
    result.at_summary = len(ready)
    await settle(sandbox)
    await asyncio.sleep(1.1)  # flood windows from the preparation have passed
    await press_all(ready, sandbox, watch, bot, opts, result)
    return result


async def press_all(
    ready: Sequence[tuple[SimUser, int]],
    sandbox: BotApiSandbox,
    watch: Watch,
    bot: BotProcess,
    opts: Options,
    result: SubmitResult,
) -> None:
    """Press every Submit without yielding in between, then collect the numbers."""
    calls = len(sandbox.calls)
    futures = []
    start = time.perf_counter()
    for user, summary in ready:
        futures.append(watch.expect(user.id, registered))
        query_id = await user.press(summary, data=SUBMIT)  # never suspends: same instant
        watch.pressed_at[query_id] = time.perf_counter()
    limit = max(opts.timeout, 60.0)
    seen = await asyncio.gather(*(watch.within(f, limit) for f in futures))
    await settle(sandbox, quiet=1.5, limit=limit)
    end = max(watch.send_times[-1] if watch.send_times else start, start)
    for message in seen:
        if message is not None:
            result.latencies.append(message.at - start)
            result.numbers.append(number_in(message.text) or "")
    result.answers, result.unanswered = watch.answer_delays(start, end)
    result.rejected = rejected(sandbox, calls, len(sandbox.calls))
    result.sends = watch.sends_between(start, end)
    result.send_seconds = leaving_time(watch, start, end)
    stored = world.problems_of(bot_db(bot), [u.id for u, _ in ready])
    numbers = [p.number for p in stored]
    result.stored = len(stored)
    result.shown_missing = sum(1 for n in result.numbers if numbers.count(n) != 1)
    by_reporter: dict[int, int] = {}
    for p in stored:
        by_reporter[p.reporter] = by_reporter.get(p.reporter, 0) + 1
    result.registered_twice = sum(1 for n in by_reporter.values() if n > 1)


def leaving_time(watch: Watch, start: float, end: float) -> float:
    """Seconds from the first to the last send in [start, end]: n sends leave in n - 1 gaps."""
    times = [t for t in watch.send_times if start <= t <= end]
    return times[-1] - times[0] if len(times) > 1 else 0.0


def owed_rate(result: SubmitResult) -> float:
    """Sends per second while the owed messages left."""
    return (result.sends - 1) / result.send_seconds if result.send_seconds else 0.0


def bot_db(bot: BotProcess) -> Path:
    """The database file an envoybot process runs on."""
    return Path(bot.env["ENVOYBOT_DB"])


# ---- output ------------------------------------------------------------------------------


def reference(rows: Sequence[Row]) -> Row | None:
    return next((r for r in rows if r.label.startswith("PTB echo, text")), None)


def print_scenario(title: str, rows: list[Row], flood: bool) -> None:
    """The throughput table, with the flood columns when flood control was on."""
    print(f"\n## {title}\n")
    body = throughput_rows(rows, reference(rows))
    headers = list(THROUGHPUT_HEADERS)
    if flood:
        headers += ["sent/s", "% of 30/s", "429s", "answer max ms"]
        for cells, r in zip(body, rows, strict=True):
            rate = r.sends / r.seconds if r.seconds else 0.0
            slowest = max(r.answers, default=0.0) * 1000
            cells += [f"{rate:.1f}", f"{rate / CEILING * 100:.0f}", f"{r.rejected}",
                      f"{slowest:.0f}" if r.answers else "-"]  # fmt: skip
    print_table(headers, body)
    for r in rows:
        if r.by_kind.get("submit"):
            print(
                f"{r.label}: {r.flows / r.seconds:.1f} flows/s; Submit → № p50 "
                f"{r.p(50, 'submit'):.0f} ms, p99 {r.p(99, 'submit'):.0f} ms"
            )
        if r.answers or r.unanswered:
            print(
                f"{r.label}: press → answerCallbackQuery p50 {percentile(r.answers, 50) * 1000:.0f}"
                f" ms, p99 {percentile(r.answers, 99) * 1000:.0f} ms, max "
                f"{max(r.answers, default=0) * 1000:.0f} ms, unanswered {r.unanswered}"
            )
    busy = [r.label for r in rows if r.seconds and r.own_cpu / r.seconds * 100 > GEN_SATURATED]
    if busy:
        print(f"WARNING: the load generator was near one full core in: {', '.join(busy)}")


def print_submits(result: SubmitResult) -> None:
    print(f"\n## 3. {result.staff} staff press Submit at once, flood control on\n")
    rate = owed_rate(result)
    rows = [
        ("staff at the summary step", f"{result.at_summary} / {result.staff}"),
        ("numbers received", f"{len(result.numbers)} / {result.at_summary}"),
        ("Submit → number p50 ms", f"{percentile(result.latencies, 50) * 1000:.0f}"),
        ("Submit → number p99 ms", f"{percentile(result.latencies, 99) * 1000:.0f}"),
        ("Submit → number max ms", f"{max(result.latencies, default=0) * 1000:.0f}"),
        ("press → answer max ms", f"{max(result.answers, default=0) * 1000:.0f}"),
        ("presses never answered", f"{result.unanswered}"),
        ("429 answers", f"{result.rejected}"),
        ("messages sent or edited after the presses", f"{result.sends}"),
        ("messages/s, first to last send", f"{rate:.1f} ({rate / CEILING * 100:.0f} % of 30/s)"),
        ("problems stored for these staff", f"{result.stored}"),
        ("numbers shown but not stored once", f"{result.shown_missing}"),
        ("staff with two problems stored", f"{result.registered_twice}"),
    ]
    print_table(("measure", "value"), rows)


def checks(results: dict[str, object]) -> list[tuple[str, bool]]:
    """The issue's "done when" criteria that this run measured."""
    out: list[tuple[str, bool]] = []
    off = results.get("off")
    if isinstance(off, list) and (ref := reference(off)) is not None:
        for r in off:
            if r.label.startswith("envoybot"):
                out.append((f"{r.label} ≥ 0.5 × PTB echo updates/s", r.rate >= 0.5 * ref.rate))
                out.append((f"{r.label} p99 ≤ 2 × PTB echo p99", r.p(99) <= 2 * ref.p(99)))
    on = results.get("on")
    if isinstance(on, list):
        for r in on:
            if r.label.startswith("envoybot"):
                out.append((f"{r.label}, flood on: 0 × 429", r.rejected == 0))
                if r.answers or r.unanswered:
                    slow = max(r.answers, default=0.0) <= 1.0 and not r.unanswered
                    out.append((f"{r.label}, flood on: every press answered ≤ 1 s", slow))
    sub = results.get("submits")
    if isinstance(sub, SubmitResult):
        out.append(("simultaneous Submit: every number received",
                    len(sub.numbers) == sub.staff == sub.stored))  # fmt: skip
        out.append(("simultaneous Submit: p99 ≤ 5 s", percentile(sub.latencies, 99) <= 5.0))
        out.append(("simultaneous Submit: 0 × 429", sub.rejected == 0))
        rate = owed_rate(sub)
        out.append(("owed messages leave at ≥ 90 % of 30/s", rate >= 0.9 * CEILING))
    return out


# ---- main --------------------------------------------------------------------------------


async def run(opts: Options, workdir: Path) -> dict[str, object]:
    """Prepare the database, start the sandbox, run the scenarios; their results."""
    settings = floods(opts)
    per_envoy = presses_per_envoy(opts) if settings else 1
    started = time.perf_counter()
    programme = await world.prepare(
        workdir / "envoybot.db",
        staff=opts.users + opts.submitters + 1,
        acceptors=opts.users,
        per_envoy=per_envoy * max(1, len(settings)),
    )
    total = per_envoy * max(1, len(settings))
    print(
        f"database prepared in {time.perf_counter() - started:.1f} s: {len(programme.staff)} "
        f"staff, {len(programme.envoys)} envoys bound, {total} registered problems per "
        "accepting envoy"
    )
    parts = world.split_problems(programme.problems, len(settings) or 1)
    slices = dict(zip(settings, parts, strict=False))
    sandbox = await BotApiSandbox(flood_control=False).start()
    watch = Watch(sandbox)
    try:
        make_users(sandbox, programme.everyone, "联系人")
        rows = await echo_phase(sandbox, watch, workdir, opts)
        results = await envoybot_phase(programme, slices, rows, sandbox, watch, workdir, opts)
    finally:
        await sandbox.stop()
    return results


async def echo_phase(
    sandbox: BotApiSandbox, watch: Watch, workdir: Path, opts: Options
) -> FloodRows:
    """The echo bots' rows, each bot one process for every flood setting."""
    rows: FloodRows = {flood: [] for flood in floods(opts)}
    if not rows:
        return rows
    bots = [("PTB", ptb_echo, PTB_USERS)]
    if opts.aiogram:
        bots.append(("aiogram", aiogram_echo, AIOGRAM_USERS))
    for name, factory, first in bots:
        got = await echo_rows(name, factory(sandbox, workdir), first, sandbox, watch, opts)
        for flood, more in got.items():
            rows[flood] += more
    return rows


async def envoybot_phase(
    programme: world.Programme,
    slices: dict[bool, dict[int, list[tuple[int, str]]]],
    rows: FloodRows,
    sandbox: BotApiSandbox,
    watch: Watch,
    workdir: Path,
    opts: Options,
) -> dict[str, object]:
    """envoybot's rows per flood setting; scenario 3 on the flood-on process."""
    results: dict[str, object] = {}
    settings = floods(opts)
    for flood in sorted({*settings, *([True] if 3 in opts.scenarios else [])}):
        set_flood(sandbox, flood)
        bot = start_envoybot(flood, programme, sandbox, workdir, opts)
        async with running(bot):
            await until_answers(
                watch, bot, sandbox.user(programme.staff[0]), "/help", says("/report")
            )
            if flood in settings:
                rows[flood] += await envoybot_rows(
                    bot, programme, slices[flood], sandbox, watch, opts
                )
            if flood and 3 in opts.scenarios:
                results["submits"] = await simultaneous_submits(
                    bot, programme, sandbox, watch, opts
                )
    for flood, found in rows.items():
        results["on" if flood else "off"] = found
    return results


def report(results: dict[str, object], opts: Options) -> bool:
    """Print every table and the checks; whether all checks passed."""
    off, on = results.get("off"), results.get("on")
    if isinstance(off, list):
        print_scenario("1. flood control off, ENVOYBOT_SEND_RATE=0", off, False)
    if isinstance(on, list):
        title = f"2. flood control on, ENVOYBOT_SEND_RATE={opts.send_rate:g}"
        print_scenario(title, on, True)
    sub = results.get("submits")
    if isinstance(sub, SubmitResult):
        print_submits(sub)
    found = checks(results)
    if found:
        print("\n## checks (the issue's 'done when')\n")
        for label, ok in found:
            print(f"{'PASS' if ok else 'FAIL'}  {label}")
    return all(ok for _, ok in found)


async def main(argv: list[str] | None = None) -> int:
    opts = parse(argv)
    quiet_logs()
    print(f"{opts.users} users per row, {opts.seconds:g} s measured after {opts.warmup:g} s "
          f"warm-up, closed loop; scenarios {sorted(opts.scenarios)}")  # fmt: skip
    if opts.keep is not None:
        opts.keep.mkdir(parents=True, exist_ok=True)
        results = await run(opts, opts.keep)
    else:
        with tempfile.TemporaryDirectory(prefix="bench_load_") as tmp:
            results = await run(opts, Path(tmp))
    ok = report(results, opts)
    print("\nx PTB: ratio to the PTB echo text row of the same scenario; "
          "bot/gen CPU %: share of one core (bot process / this process)")  # fmt: skip
    return 1 if opts.strict and not ok else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
