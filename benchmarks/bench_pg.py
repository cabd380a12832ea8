"""The /report flow on SQLite and on PostgreSQL with one and two instances, beside PTB's echo.

Run: python benchmarks/bench_pg.py [--users 50] [--seconds 10] [--configs a b c]
Closed loop, flood control off, ENVOYBOT_SEND_RATE=0, one sandbox, one run, rows in turn:
 (d) the bare PTB echo bot (long polling), echo text: the reference of the ratios;
 (a) `envoybot run` on an SQLite file, long polling;
 (aw) the same on a copy of the file, but by webhook (what the transport costs alone);
 (b) `envoybot run --webhook` on PostgreSQL, one instance;
 (c) two `envoybot run --webhook` instances on the same PostgreSQL database.
The sandbox delivers updates by webhook (one chat's updates one at a time, in order) to a
small reverse proxy in this process (sandbox.balancer), which sends each POST to the next
instance in turn, and to the other when one refuses the connection: (aw) and (b) go through
it too, so (b) and (c) differ only in the number of instances. The benchmark starts its own
throwaway PostgreSQL cluster (initdb in a temporary folder, a loopback port);
both PostgreSQL databases are copies of the SQLite file made with `envoybot db copy`.
Every number a user was shown is checked against the database afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import world
from benchmarks.bench_load import PTB_USERS, reference
from benchmarks.common import print_table, quiet_logs
from benchmarks.loadgen import (
    THROUGHPUT_HEADERS,
    BotProcess,
    Row,
    UserScript,
    Watch,
    clean_env,
    closed_loop,
    cpu_seconds,
    echo_text,
    envoybot,
    envoybot_command,
    make_users,
    ptb_echo,
    report_flows,
    running,
    says,
    settle,
    throughput_rows,
    until_answers,
)
from sandbox import BotApiSandbox, SimUser
from sandbox.balancer import Balancer
from tests.pg_cluster import PgCluster, free_port, server_bin

logger = logging.getLogger(__name__)

SECRET = "bench-webhook-secret"
HOOK_PATH = "/tg/hook"
CONFIGS = {
    "a": "SQLite, long polling",
    "aw": "SQLite, 1 instance, webhook",
    "b": "PostgreSQL, 1 instance, webhook",
    "c": "PostgreSQL, 2 instances, webhook",
}


@dataclass
class Options:
    """The command line, typed."""

    users: int
    seconds: float
    warmup: float
    timeout: float
    grace: float
    configs: list[str]
    keep: Path | None
    strict: bool


def parse(argv: list[str] | None) -> Options:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=50, help="simulated staff per row")
    parser.add_argument("--seconds", type=float, default=10.0, help="measured time per row")
    parser.add_argument("--warmup", type=float, default=2.0, help="unmeasured start of a row")
    parser.add_argument("--timeout", type=float, default=30.0, help="longest wait per step")
    parser.add_argument("--grace", type=float, default=5.0, help="after a row, for in-flight")
    parser.add_argument("--configs", nargs="+", choices=sorted(CONFIGS), default=sorted(CONFIGS))
    parser.add_argument("--keep", type=Path, help="keep the databases' files and bot logs here")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a check fails")
    a = parser.parse_args(argv)
    if a.users < 1 or a.seconds <= 0:
        parser.error("--users and --seconds must be positive")
    return Options(
        a.users, a.seconds, a.warmup, a.timeout, a.grace, sorted(set(a.configs)), a.keep, a.strict
    )


# ---- the parts around the bots -----------------------------------------------------------


class Instances:
    """Several bot processes read as one: their CPU seconds summed."""

    def __init__(self, bots: Sequence[BotProcess]) -> None:
        self.bots = list(bots)

    def cpu(self) -> float:
        return sum(b.cpu() for b in self.bots)


class ServerCpu:
    """CPU seconds of a PostgreSQL server: the postmaster and every process it started."""

    def __init__(self, data: Path) -> None:
        self.data = data

    def _postmaster(self) -> int | None:
        try:
            return int((self.data / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def cpu(self) -> float:
        root = self._postmaster()
        if root is None:
            return 0.0
        total = cpu_seconds(root)
        for entry in os.listdir("/proc"):
            if entry.isdigit() and _parent(int(entry)) == root:
                total += cpu_seconds(int(entry))
        return total


def _parent(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            data = stat.read()
    except OSError:
        return None
    return int(data[data.rindex(")") + 2 :].split()[1])


async def listening(bot: BotProcess, port: int, limit: float = 90.0) -> None:
    """Wait until the instance accepts connections on its webhook port."""
    deadline = time.perf_counter() + limit
    while time.perf_counter() < deadline:
        if not bot.alive():
            raise RuntimeError(f"{bot.name} exited during start-up:\n{bot.tail()}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        await asyncio.sleep(0.1)
    raise RuntimeError(f"{bot.name} did not listen on {port} within {limit:.0f} s")


def copy_database(source: Path, target: str, workdir: Path) -> None:
    """`envoybot db copy SOURCE TARGET`, as an operator moves a city to PostgreSQL."""
    command = [*envoybot_command()[:-1], "db", "copy", str(source), target]  # without "run"
    done = subprocess.run(command, env=clean_env(), cwd=workdir, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"envoybot db copy failed:\n{done.stderr[-2000:]}")


# ---- rows --------------------------------------------------------------------------------


@dataclass
class Audit:
    """What the users were shown against what the database holds."""

    shown: int = 0
    stored: int = 0
    shown_not_once: int = 0  # a number shown that is not stored exactly once for that user
    stored_twice: int = 0  # the same flow (user, description) stored more than once
    never_shown: int = 0  # committed, but nobody saw its number
    tracebacks: int = 0
    split: str = "-"  # webhook POSTs per instance
    unreachable: int = 0  # POSTs the proxy could not pass to an instance (502 or the other one)


@dataclass
class Result:
    """One configuration's row and audit."""

    config: str
    row: Row
    audit: Audit = field(default_factory=Audit)


async def audit(
    db: str | Path, users: Sequence[SimUser], shown: list[tuple[int, str]], bots: list[BotProcess]
) -> Audit:
    stored = await world.reports_of(db, [u.id for u in users])
    numbers = Counter((reporter, number) for reporter, number, _ in stored)
    flows = Counter((reporter, description) for reporter, _, description in stored)
    seen = set(shown)
    return Audit(
        shown=len(shown),
        stored=len(stored),
        shown_not_once=sum(1 for item in shown if numbers[item] != 1),
        stored_twice=sum(1 for n in flows.values() if n > 1),
        never_shown=sum(1 for reporter, number, _ in stored if (reporter, number) not in seen),
        tracebacks=sum(b.log_count("Traceback") for b in bots),
    )


async def flows_row(
    label: str,
    sandbox: BotApiSandbox,
    watch: Watch,
    meter: Instances,
    users: Sequence[SimUser],
    script: UserScript,
    opts: Options,
    server: ServerCpu | None,
) -> Row:
    row = await closed_loop(
        label, sandbox, watch, meter, users, script,
        warmup=opts.warmup, seconds=opts.seconds, patience=opts.timeout, grace=opts.grace,
        others={"db": server} if server is not None else None,
    )  # fmt: skip
    await settle(sandbox)
    logger.info("%s: %.1f updates/s", label, row.rate)
    return row


async def echo_row(sandbox: BotApiSandbox, watch: Watch, workdir: Path, opts: Options) -> Row:
    """(d): the bare PTB echo bot, text, long polling."""
    bot = ptb_echo(sandbox, workdir)
    users = make_users(sandbox, range(PTB_USERS + 1, PTB_USERS + opts.users + 1), "用户")
    probe = make_users(sandbox, [PTB_USERS], "探针")[0]
    async with running(bot):
        await until_answers(watch, bot, probe, "ping", says("ping", new_only=True))
        return await flows_row(
            "PTB echo, text", sandbox, watch, Instances([bot]), users, echo_text(watch), opts, None
        )


def instance(
    sandbox: BotApiSandbox, workdir: Path, db: str | Path, name: str, hook: str | None, port: int
) -> BotProcess:
    """An `envoybot run` process; with `hook` a webhook instance listening on `port`."""
    bot = envoybot(sandbox, workdir, db, admin=world.ADMIN, send_rate=0.0, name=name)
    if hook is not None:
        bot.env["ENVOYBOT_WEBHOOK_URL"] = hook
        bot.env["ENVOYBOT_WEBHOOK_PORT"] = str(port)
        bot.env["ENVOYBOT_WEBHOOK_SECRET"] = SECRET
        bot.env["ENVOYBOT_INSTANCE"] = name.replace(" ", "-")
    return bot


@contextlib.asynccontextmanager
async def all_running(bots: Sequence[BotProcess]) -> AsyncIterator[None]:
    async with contextlib.AsyncExitStack() as stack:
        for bot in bots:
            await stack.enter_async_context(running(bot))
        yield


async def envoybot_row(
    config: str,
    db: str | Path,
    count: int,
    programme: world.Programme,
    sandbox: BotApiSandbox,
    watch: Watch,
    server: ServerCpu | None,
    workdir: Path,
    opts: Options,
) -> Result:
    """/report flows on `count` webhook instances behind the proxy (0: one long-polling
    process) on database `db`."""
    ports = [free_port() for _ in range(count or 1)]
    balancer = Balancer([f"http://127.0.0.1:{port}{HOOK_PATH}" for port in ports])
    hook = (await balancer.start(HOOK_PATH)).url if count else None
    bots = [
        instance(sandbox, workdir, db, f"envoybot {config}{i}", hook, port)
        for i, port in enumerate(ports)
    ]
    staff = [sandbox.user(tg) for tg in programme.staff[1 : opts.users + 1]]
    shown: list[tuple[int, str]] = []
    try:
        async with all_running(bots):
            if count:
                for bot, port in zip(bots, ports, strict=True):
                    await listening(bot, port)
            await until_answers(watch, bots[0], sandbox.user(programme.staff[0]), "/help",
                                says("/report"))  # fmt: skip
            label = f"({config}) envoybot /report flows"
            row = await flows_row(label, sandbox, watch, Instances(bots), staff,
                                  report_flows(watch, shown), opts, server)  # fmt: skip
    finally:
        await balancer.stop()
    if count:
        sandbox.methods.webhook.remove(drop_pending=True)  # the next row may poll
    found = await audit(db, staff, shown, bots)
    if count:
        found.split = " / ".join(str(n) for n in balancer.forwarded.values())
        found.unreachable = balancer.unreachable
    return Result(config, row, found)


# ---- output ------------------------------------------------------------------------------


def print_results(echo: Row, results: list[Result]) -> None:
    rows = [echo, *(r.row for r in results)]
    body = throughput_rows(rows, reference(rows))
    headers = [*THROUGHPUT_HEADERS, "flows/s", "Submit p99 ms", "db CPU %"]
    for cells, row in zip(body, rows, strict=True):
        db = row.other_cpu.get("db")
        cells += [
            f"{row.flows / row.seconds:.1f}" if row.by_kind.get("submit") else "-",
            f"{row.p(99, 'submit'):.0f}" if row.by_kind.get("submit") else "-",
            f"{db / row.seconds * 100:.0f}" if db is not None and row.seconds else "-",
        ]
    print("\n## /report flows, flood control off, ENVOYBOT_SEND_RATE=0\n")
    print_table(headers, body)
    print("\n## what the users were shown against the database\n")
    audit_headers = ["config", "numbers shown", "problems stored", "shown, not stored once",
                     "stored twice", "stored, never shown", "steps unanswered",
                     "POSTs per instance", "tracebacks"]  # fmt: skip
    print_table(
        audit_headers,
        [
            [f"({r.config}) {CONFIGS[r.config]}", r.audit.shown, r.audit.stored,
             r.audit.shown_not_once, r.audit.stored_twice, r.audit.never_shown,
             r.row.timeouts + r.row.unfinished, r.audit.split, r.audit.tracebacks]
            for r in results
        ],
    )  # fmt: skip
    lost = ", ".join(f"({r.config}) {r.audit.unreachable}" for r in results if r.config != "a")
    print(f"\nPOSTs the proxy could not pass to an instance: {lost or '-'}")


def checks(results: list[Result]) -> list[tuple[str, bool]]:
    out = []
    for r in results:
        name = f"({r.config}) {CONFIGS[r.config]}"
        out.append((f"{name}: every number shown stored once", r.audit.shown_not_once == 0))
        out.append((f"{name}: no report stored twice", r.audit.stored_twice == 0))
        out.append((f"{name}: every step answered", r.row.timeouts + r.row.unfinished == 0))
        out.append((f"{name}: no traceback in the logs", r.audit.tracebacks == 0))
    return out


# ---- main --------------------------------------------------------------------------------


async def run(opts: Options, workdir: Path, bindir: Path) -> bool:
    started = time.perf_counter()
    sqlite = workdir / "envoybot.db"
    programme = await world.prepare(sqlite, staff=opts.users + 1, acceptors=0, per_envoy=0)
    hooked = workdir / "envoybot-webhook.db"
    with sqlite3.connect(sqlite) as source, sqlite3.connect(hooked) as target:
        source.backup(target)
    cluster = PgCluster(bindir)
    servers: dict[str, str | Path] = {}
    try:
        if {"b", "c"} & set(opts.configs):
            cluster.start()
            first = cluster.new_database()
            copy_database(sqlite, first, workdir)
            servers["b"] = first
            servers["c"] = cluster.new_database(template=first.rsplit("/", 1)[1])
        where = f", copied to PostgreSQL on 127.0.0.1:{cluster.port}" if servers else ""
        print(
            f"databases prepared in {time.perf_counter() - started:.1f} s: "
            f"{len(programme.staff)} staff bound{where}"
        )
        server = ServerCpu(cluster.data) if servers else None
        sandbox = await BotApiSandbox(flood_control=False).start()
        try:
            watch = Watch(sandbox)
            make_users(sandbox, programme.everyone, "联系人")
            echo = await echo_row(sandbox, watch, workdir, opts)
            results = []
            for config in opts.configs:
                db = {"a": sqlite, "aw": hooked}.get(config) or servers[config]
                count = {"a": 0, "aw": 1, "b": 1, "c": 2}[config]
                results.append(
                    await envoybot_row(config, db, count, programme, sandbox, watch, server,
                                       workdir, opts)
                )  # fmt: skip
        finally:
            await sandbox.stop()
    finally:
        cluster.stop()
    print_results(echo, results)
    found = checks(results)
    print("\n## checks\n")
    for label, ok in found:
        print(f"{'PASS' if ok else 'FAIL'}  {label}")
    return all(ok for _, ok in found)


async def main(argv: list[str] | None = None) -> int:
    opts = parse(argv)
    quiet_logs()
    bindir = server_bin()
    if bindir is None and {"b", "c"} & set(opts.configs):
        print("no PostgreSQL server here (initdb): apt-get install postgresql", file=sys.stderr)
        return 2
    configs = " ".join(opts.configs)
    print(f"{opts.users} users per row, {opts.seconds:g} s measured after {opts.warmup:g} s "
          f"warm-up, closed loop; configs {configs} and the PTB echo bot")  # fmt: skip
    if opts.keep is not None:
        opts.keep.mkdir(parents=True, exist_ok=True)
        ok = await run(opts, opts.keep, bindir or Path())
    else:
        with tempfile.TemporaryDirectory(prefix="bench_pg_") as tmp:
            ok = await run(opts, Path(tmp), bindir or Path())
    print("\nx PTB: ratio to the PTB echo text row; bot CPU: all instances of the row "
          "together; gen CPU: this process (sandbox, users, proxy); db CPU: the PostgreSQL "
          "server")  # fmt: skip
    return 1 if opts.strict and not ok else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
