"""Nothing lost under faults and kills: a real `envoybot run` process, people who retry.

Run: python benchmarks/bench_faults.py [--scenario 4 5] [--lifecycles 80] [--reports 500]
 4. A fault mix (default 10 % of calls: 500, 502, spurious 429, timeout, connection dropped
    before / after executing) while pairs of staff and envoys go through whole lifecycles
    (report → accept → resolve with a note → confirm: four actions each). Counted against
    the database afterwards: acknowledged actions lost, people left in silence after a
    committed change, owed notices that never arrived, and duplicated messages (same text
    twice in one chat), with how many the sandbox's "dropped after executing" records
    explain.
 5. SIGKILL at random moments (default 20) during a run of 500 reports, the process
    restarted each time: every number a user was shown exists once in the database, and
    every committed report's number reaches its reporter.
People wait --patience seconds for an answer, then repeat the action (--tries in all), and
start a report over at most three times. Flood control is on unless --no-flood.
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import html
import itertools
import logging
import random
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import world
from benchmarks.common import percentile, print_table, quiet_logs
from benchmarks.loadgen import (
    ACCEPTED,
    CLOSED,
    REGISTERED,
    RESOLVED,
    BotProcess,
    Seen,
    Watch,
    envoybot,
    make_users,
    number_in,
    registered,
    running,
    says,
    set_flood,
    settle,
    until_answers,
)
from benchmarks.patient import (
    NOTICE_ACCEPTED,
    NOTICE_CONFIRMED,
    NOTICE_RESOLVED,
    Action,
    Behaviour,
    Journal,
    card_of,
    lifecycle,
    report,
)
from sandbox import BotApiSandbox, SimUser

logger = logging.getLogger(__name__)

TAGS = re.compile(r"<[^>]+>")
ACK = {"report": "", "accept": ACCEPTED, "resolve": RESOLVED, "confirm": CLOSED}


@dataclass
class Options:
    """The command line, typed."""

    scenarios: set[int]
    lifecycles: int
    pairs: int
    fault_rate: float
    reports: int
    reporters: int
    kills: int
    patience: float
    tries: int
    flood: bool
    send_rate: float
    seed: int
    limit: float
    keep: Path | None
    strict: bool


def parse(argv: list[str] | None) -> Options:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scenario", type=int, nargs="+", choices=(4, 5), default=[4, 5])
    parser.add_argument("--lifecycles", type=int, default=80, help="4: four actions each")
    parser.add_argument("--pairs", type=int, default=20, help="4: staff/envoy pairs at once")
    parser.add_argument("--fault-rate", type=float, default=0.1, help="4: share of calls")
    parser.add_argument("--reports", type=int, default=500, help="5: reports in the run")
    parser.add_argument("--reporters", type=int, default=50, help="5: staff at once")
    parser.add_argument("--kills", type=int, default=20, help="5: SIGKILLs during the run")
    parser.add_argument("--patience", type=float, default=15.0, help="seconds before retrying")
    parser.add_argument("--tries", type=int, default=3, help="tries per step")
    parser.add_argument("--no-flood", action="store_true", help="sandbox flood control off")
    parser.add_argument("--send-rate", type=float, default=30.0, help="ENVOYBOT_SEND_RATE")
    parser.add_argument("--seed", type=int, default=7, help="faults and kill moments")
    parser.add_argument("--limit", type=float, default=1200.0, help="seconds per scenario")
    parser.add_argument("--keep", type=Path, help="keep the database and bot logs here")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a check fails")
    a = parser.parse_args(argv)
    if min(a.lifecycles, a.pairs, a.reports, a.reporters, a.tries) < 1 or a.kills < 0:
        parser.error("sizes must be positive")
    if not 0 <= a.fault_rate <= 1:
        parser.error("--fault-rate is a share between 0 and 1")
    return Options(
        set(a.scenario), a.lifecycles, a.pairs, a.fault_rate, a.reports, a.reporters, a.kills,
        a.patience, a.tries, not a.no_flood, a.send_rate, a.seed, a.limit, a.keep, a.strict,
    )  # fmt: skip


# ---- reading the chats back --------------------------------------------------------------


def shown(watch: Watch, chat_id: int, *parts: str) -> bool:
    """Whether the chat ever showed a message (new or edited) containing every part."""
    return watch.first(chat_id, says(*parts)) is not None


def numbers_shown(watch: Watch, chat_id: int) -> set[str]:
    """Every number this chat was told it registered."""
    return {n for s in watch.changes.get(chat_id, []) if registered(s) and (n := number_in(s.text))}


def plain(text: str | None) -> str:
    """Telegram HTML as the user reads it."""
    return " ".join(html.unescape(TAGS.sub("", text or "")).split())


@dataclass
class Duplicates:
    """The same text delivered twice to one chat for one cause, and what explains it.

    A second copy counts when nobody in that chat acted in between, or, for texts about a
    problem (with its №), also when they did: those name one change and come once.
    """

    total: int = 0
    drop_after: int = 0  # the sandbox executed a call whose answer it dropped; the bot retried
    after_repeat: int = 0  # the person had repeated an action in between
    unexplained: list[str] = field(default_factory=list)


def deliveries(changes: Iterable[Seen]) -> dict[str, list[float]]:
    """When each text was shown: new messages and edits that changed the text."""
    last: dict[int, str] = {}
    out: dict[str, list[float]] = {}
    for seen in changes:
        if seen.new or last.get(seen.message_id) != seen.text:
            out.setdefault(" ".join(seen.text.split()), []).append(seen.at)
        last[seen.message_id] = seen.text
    return out


def between(times: Sequence[float], start: float, end: float) -> bool:
    """Whether any of the (sorted) times lies in (start, end)."""
    i = bisect.bisect_right(times, start)
    return i < len(times) and times[i] < end


def duplicates(
    watch: Watch, sandbox: BotApiSandbox, chats: Iterable[int], journal: Journal
) -> Duplicates:
    """Count second copies per chat and attribute each one."""
    dropped = Counter(
        (d.chat_id, plain(d.text)) for d in sandbox.drop_after_executions if d.text is not None
    )
    found = Duplicates()
    for chat in chats:
        acted = watch.acted.get(chat, [])
        repeats = journal.repeats.get(chat, [])
        for text, times in deliveries(watch.changes.get(chat, [])).items():
            for prev, cur in itertools.pairwise(times):
                if between(acted, prev, cur) and "№" not in text:
                    continue  # a new flow's prompt, asked for again
                found.total += 1
                if dropped[(chat, text)] > 0:
                    dropped[(chat, text)] -= 1
                    found.drop_after += 1
                elif between(repeats, prev, cur):
                    found.after_repeat += 1
                else:
                    found.unexplained.append(f"{chat}: {text[:60]!r}")
    return found


# ---- scenario 4 --------------------------------------------------------------------------


@dataclass
class FaultAudit:
    """Scenario 4 against the database."""

    actions: Counter[str] = field(default_factory=Counter)
    acknowledged: int = 0
    lost: list[str] = field(default_factory=list)
    silent: list[str] = field(default_factory=list)
    notices_missing: Counter[str] = field(default_factory=Counter)
    problems: int = 0
    registered_twice: int = 0
    duplicates: Duplicates = field(default_factory=Duplicates)
    journal: Journal = field(default_factory=Journal)
    injected: dict[str, int] = field(default_factory=dict)
    drop_after: int = 0
    flood_429: int = 0
    seconds: float = 0.0
    tracebacks: int = 0


def pairs_of(programme: world.Programme, count: int) -> list[tuple[int, int]]:
    """(staff, envoy) pairs whose envoys all differ, so no envoy serves two pairs at once."""
    used: set[int] = set()
    out = []
    for staff in programme.staff[1:]:
        envoy = programme.envoy_of.get(staff)
        if envoy is not None and envoy not in used:
            used.add(envoy)
            out.append((staff, envoy))
        if len(out) == count:
            break
    return out


async def fault_mix(
    programme: world.Programme,
    sandbox: BotApiSandbox,
    watch: Watch,
    workdir: Path,
    opts: Options,
) -> FaultAudit:
    """Lifecycles under the fault mix on one envoybot process, then the audit."""
    pairs = pairs_of(programme, opts.pairs)
    how = Behaviour(opts.patience, opts.tries)
    journal = Journal()
    bot = envoybot(
        sandbox, workdir, programme.db_path, admin=world.ADMIN, send_rate=opts.send_rate,
        name="envoybot faults",
    )  # fmt: skip
    started = time.perf_counter()
    calls = len(sandbox.calls)
    async with running(bot):
        await until_answers(watch, bot, sandbox.user(programme.staff[0]), "/help", says("/report"))
        sandbox.set_faults(rate=opts.fault_rate, seed=opts.seed)
        try:
            await run_lifecycles(pairs, sandbox, watch, how, journal, opts)
        finally:
            sandbox.clear_faults()
        await settle(sandbox, quiet=max(1.0, opts.patience / 3), limit=90)
        seconds = time.perf_counter() - started
    audit = audit_faults(programme, pairs, sandbox, watch, journal)
    audit.seconds = seconds
    audit.flood_429 = sum(1 for c in sandbox.calls[calls:] if c.status == 429 and c.fault is None)
    audit.tracebacks = bot.log_count("Traceback")
    return audit


async def run_lifecycles(
    pairs: Sequence[tuple[int, int]],
    sandbox: BotApiSandbox,
    watch: Watch,
    how: Behaviour,
    journal: Journal,
    opts: Options,
) -> None:
    """Every pair runs lifecycles one after another until --lifecycles have been started."""
    started = 0

    async def pair(staff: SimUser, envoy: SimUser) -> None:
        nonlocal started
        while started < opts.lifecycles:
            started += 1
            text = f"故障测试 {staff.id}-{started}：园区供电不稳，设备频繁停机需要协调"
            await lifecycle(watch, staff, envoy, text, how, journal)

    users = [(sandbox.user(s), sandbox.user(e)) for s, e in pairs]
    try:
        async with asyncio.timeout(opts.limit):
            await asyncio.gather(*(pair(s, e) for s, e in users))
    except TimeoutError:
        logger.warning("scenario 4 stopped after --limit %.0f s", opts.limit)


def audit_faults(
    programme: world.Programme,
    pairs: Sequence[tuple[int, int]],
    sandbox: BotApiSandbox,
    watch: Watch,
    journal: Journal,
) -> FaultAudit:
    """What people were told against what the database holds."""
    audit = FaultAudit(journal=journal)
    envoy_of = dict(pairs)
    stored = world.problems_of(programme.db_path, [s for s, _ in pairs])
    by_number = {p.number: p for p in stored}
    audit.problems = len(stored)
    audit.registered_twice = len(stored) - len({(p.reporter, p.description) for p in stored})
    for action in journal.actions:
        audit.actions[action.kind] += 1
        told = told_numbers(watch, action, stored)
        audit.acknowledged += bool(told)
        for number in told:
            if not committed(by_number.get(number), action.kind, action.actor):
                audit.lost.append(f"{action.kind} {number} by {action.actor}")
    for problem in stored:
        audit.silent += silences(watch, problem)
        audit.notices_missing.update(missing_notices(watch, problem, envoy_of[problem.reporter]))
    chats = [c for pair in pairs for c in pair]
    audit.duplicates = duplicates(watch, sandbox, chats, journal)
    faults = sandbox.stats()["faults"]
    audit.injected = dict(faults.get("by_kind", {}))
    audit.drop_after = len(sandbox.drop_after_executions)
    return audit


def told_numbers(watch: Watch, action: Action, stored: Sequence[world.Stored]) -> set[str]:
    """The numbers this action was acknowledged with, seen at any time up to the end."""
    if action.kind != "report":
        ack = action.number is not None and shown(
            watch, action.actor, ACK[action.kind], action.number
        )
        return {action.number} if ack and action.number else set()
    told = {action.number} if action.number else set()
    for p in stored:
        mine = p.reporter == action.actor and p.description == action.description
        if mine and shown(watch, action.actor, REGISTERED, p.number):
            told.add(p.number)
    return told


def committed(problem: world.Stored | None, kind: str, actor: int) -> bool:
    """Whether the database records this person's action on this problem."""
    if problem is None:
        return False
    if kind == "report":
        return problem.reporter == actor
    return problem.by(kind, actor)


def silences(watch: Watch, problem: world.Stored) -> list[str]:
    """Committed changes whose actor never saw the acknowledgement."""
    out = []
    if not shown(watch, problem.reporter, REGISTERED, problem.number):
        out.append(f"report {problem.number}")
    for kind in ("accept", "resolve", "confirm"):
        actors = [a for action, a in problem.events if action == kind and a is not None]
        for actor in actors:
            if not shown(watch, actor, ACK[kind], problem.number):
                out.append(f"{kind} {problem.number} by {actor}")
    return out


def missing_notices(watch: Watch, problem: world.Stored, envoy: int) -> list[str]:
    """Owed messages to the other party that never arrived."""
    out = []
    number, reporter = problem.number, problem.reporter
    if watch.first(envoy, card_of(number)) is None:
        out.append("new-problem card to the envoy")
    if "accept" in problem.actions and not shown(watch, reporter, NOTICE_ACCEPTED, number):
        out.append("accepted, to the reporter")
    if "resolve" in problem.actions and not shown(watch, reporter, NOTICE_RESOLVED, number):
        out.append("resolved, to the reporter")
    if "confirm" in problem.actions and not shown(watch, envoy, NOTICE_CONFIRMED, number):
        out.append("confirmed, to the envoy")
    return out


def print_faults(audit: FaultAudit, opts: Options) -> None:
    print(f"\n## 4. fault mix {opts.fault_rate:.0%} of calls, flood control "
          f"{'on' if opts.flood else 'off'}\n")  # fmt: skip
    j = audit.journal
    kinds = ", ".join(f"{k} {n}" for k, n in sorted(audit.injected.items()))
    d = audit.duplicates
    rows = [
        ("actions (report/accept/resolve/confirm)",
         f"{sum(audit.actions.values())} ({'/'.join(str(audit.actions[k]) for k in ACK)})"),
        ("acknowledged to the person", f"{audit.acknowledged}"),
        ("acknowledged actions lost", f"{len(audit.lost)}"),
        ("committed changes left in silence", f"{len(audit.silent)}"),
        ("owed notices missing", f"{sum(audit.notices_missing.values())}"),
        ("problems stored / reported twice", f"{audit.problems} / {audit.registered_twice}"),
        ("duplicated messages", f"{d.total}"),
        ("  explained by dropped-after-executing", f"{d.drop_after}"),
        ("  after the person repeated an action", f"{d.after_repeat}"),
        ("  unexplained", f"{len(d.unexplained)}"),
        ("dropped-after-executing records", f"{audit.drop_after}"),
        ("faults injected", kinds or "0"),
        ("flood-control 429s", f"{audit.flood_429}"),
        ("actions repeated / reports restarted / given up",
         f"{j.repeat_count} / {j.restarts} / {j.gave_up}"),
        ("lifecycles stopped at", ", ".join(f"{k} {n}" for k, n in j.stalled.items()) or "-"),
        ("tracebacks in the bot's log", f"{audit.tracebacks}"),
        ("seconds", f"{audit.seconds:.0f}"),
    ]  # fmt: skip
    print_table(("measure", "value"), rows)
    for label, items in (("lost", audit.lost), ("silent", audit.silent),
                         ("duplicate, unexplained", d.unexplained)):  # fmt: skip
        for item in items[:10]:
            print(f"  {label}: {item}")
    for notice, n in audit.notices_missing.most_common():
        print(f"  notice missing: {notice} × {n}")


# ---- scenario 5 --------------------------------------------------------------------------


class Progress:
    """Reports started so far; the killer waits on it."""

    def __init__(self) -> None:
        self.count = 0
        self._moved = asyncio.Event()

    def step(self) -> int:
        """One more report started; its ordinal."""
        self.count += 1
        self._moved.set()
        self._moved = asyncio.Event()
        return self.count

    async def reach(self, count: int) -> None:
        """Return once `count` reports have started."""
        while self.count < count:
            await self._moved.wait()


@dataclass
class KillAudit:
    """Scenario 5 against the database."""

    reports: int = 0
    kills: int = 0
    startups: list[float] = field(default_factory=list)
    shown: int = 0
    shown_not_once: list[str] = field(default_factory=list)
    problems: int = 0
    never_told: list[str] = field(default_factory=list)
    registered_twice: int = 0
    cards_missing: int = 0
    duplicates: Duplicates = field(default_factory=Duplicates)
    journal: Journal = field(default_factory=Journal)
    seconds: float = 0.0


async def kill_run(
    programme: world.Programme,
    sandbox: BotApiSandbox,
    watch: Watch,
    workdir: Path,
    opts: Options,
) -> KillAudit:
    """Reports by many staff while the bot is SIGKILLed and restarted; then the audit."""
    first = 1 + opts.pairs * 3 if 4 in opts.scenarios else 1
    tgs = programme.staff[first : first + opts.reporters]
    users = [sandbox.user(tg) for tg in tgs]
    audit = KillAudit()
    how = Behaviour(opts.patience, opts.tries)
    bot = envoybot(
        sandbox, workdir, programme.db_path, admin=world.ADMIN, send_rate=opts.send_rate,
        name="envoybot kills",
    )  # fmt: skip
    rnd = random.Random(opts.seed)
    moments = sorted(rnd.sample(range(1, opts.reports), min(opts.kills, opts.reports - 1)))
    started = time.perf_counter()
    async with running(bot):
        await until_answers(watch, bot, sandbox.user(programme.staff[0]), "/help", says("/report"))
        progress = Progress()
        killing = asyncio.create_task(killer(bot, sandbox, moments, progress, rnd, audit))
        try:
            await reporters(users, watch, how, audit.journal, progress, opts)
        finally:
            killing.cancel()
        await settle(sandbox, quiet=max(1.0, opts.patience / 3), limit=90)
    audit.seconds = time.perf_counter() - started
    audit.reports = progress.count
    audit_kills(audit, programme, sandbox, watch, tgs)
    return audit


async def reporters(
    users: Sequence[SimUser],
    watch: Watch,
    how: Behaviour,
    journal: Journal,
    progress: Progress,
    opts: Options,
) -> None:
    """Each user files reports one after another until --reports have been started."""

    async def one(user: SimUser) -> None:
        while progress.count < opts.reports:
            n = progress.step()
            text = f"重启测试 {user.id}-{n}：原材料运输车辆通行证办理受阻"
            await report(watch, user, text, how, journal)

    try:
        async with asyncio.timeout(opts.limit):
            await asyncio.gather(*(one(u) for u in users))
    except TimeoutError:
        logger.warning("scenario 5 stopped after --limit %.0f s", opts.limit)


async def killer(
    bot: BotProcess,
    sandbox: BotApiSandbox,
    moments: Sequence[int],
    progress: Progress,
    rnd: random.Random,
    audit: KillAudit,
) -> None:
    """SIGKILL the bot when the run reaches each moment (a report count), restart it at once."""
    for moment in moments:
        await progress.reach(moment)
        await asyncio.sleep(rnd.uniform(0.0, 0.5))  # anywhere inside the handling of updates
        bot.kill()
        audit.kills += 1
        polls = sandbox.methods.poll_generation
        restarted = time.perf_counter()
        bot.start()
        while sandbox.methods.poll_generation == polls and time.perf_counter() - restarted < 60:
            if not bot.alive():
                logger.error("envoybot exited after a restart:\n%s", bot.tail())
                return
            await asyncio.sleep(0.02)
        audit.startups.append(time.perf_counter() - restarted)


def audit_kills(
    audit: KillAudit,
    programme: world.Programme,
    sandbox: BotApiSandbox,
    watch: Watch,
    tgs: Sequence[int],
) -> None:
    """Numbers shown against the database, and committed numbers against the chats."""
    stored = world.problems_of(programme.db_path, tgs)
    numbers = Counter(p.number for p in stored)
    audit.problems = len(stored)
    audit.registered_twice = len(stored) - len({(p.reporter, p.description) for p in stored})
    for tg in tgs:
        for number in sorted(numbers_shown(watch, tg)):
            audit.shown += 1
            mine = [p for p in stored if p.number == number and p.reporter == tg]
            if numbers[number] != 1 or len(mine) != 1:
                audit.shown_not_once.append(f"{tg}: №{number}")
    for problem in stored:
        if not shown(watch, problem.reporter, REGISTERED, problem.number):
            audit.never_told.append(f"{problem.reporter}: №{problem.number}")
        envoy = programme.envoy_of.get(problem.reporter)
        if envoy is not None and watch.first(envoy, card_of(problem.number)) is None:
            audit.cards_missing += 1
    audit.duplicates = duplicates(watch, sandbox, tgs, audit.journal)


def print_kills(audit: KillAudit, opts: Options) -> None:
    print(f"\n## 5. SIGKILL × {audit.kills} during {audit.reports} reports, flood control "
          f"{'on' if opts.flood else 'off'}\n")  # fmt: skip
    j = audit.journal
    d = audit.duplicates
    rows = [
        ("reports started / problems stored", f"{audit.reports} / {audit.problems}"),
        ("numbers shown to reporters", f"{audit.shown}"),
        ("shown numbers not stored exactly once", f"{len(audit.shown_not_once)}"),
        ("committed reports whose number never arrived", f"{len(audit.never_told)}"),
        ("reports stored twice (same text, same person)", f"{audit.registered_twice}"),
        ("new-problem cards missing", f"{audit.cards_missing}"),
        ("duplicated messages (drop-after / after a repeat / unexplained)",
         f"{d.total} ({d.drop_after} / {d.after_repeat} / {len(d.unexplained)})"),
        ("actions repeated / reports restarted / given up",
         f"{j.repeat_count} / {j.restarts} / {j.gave_up}"),
        ("restart → polling again p50 / max s",
         f"{percentile(audit.startups, 50):.1f} / {max(audit.startups, default=0):.1f}"),
        ("seconds", f"{audit.seconds:.0f}"),
    ]  # fmt: skip
    print_table(("measure", "value"), rows)
    for label, items in (("shown, not stored once", audit.shown_not_once),
                         ("never told", audit.never_told)):  # fmt: skip
        for item in items[:10]:
            print(f"  {label}: {item}")


# ---- main --------------------------------------------------------------------------------


def checks(results: dict[str, object]) -> list[tuple[str, bool]]:
    """The issue's "done when" criteria that this run measured."""
    out: list[tuple[str, bool]] = []
    faults = results.get("faults")
    if isinstance(faults, FaultAudit):
        out.append(("fault mix: 300+ actions", sum(faults.actions.values()) >= 300))
        out.append(("fault mix: 0 acknowledged actions lost", not faults.lost))
        out.append(("fault mix: 0 people left in silence after a committed change",
                    not faults.silent))  # fmt: skip
        out.append(("fault mix: every duplicate explained", not faults.duplicates.unexplained))
    kills = results.get("kills")
    if isinstance(kills, KillAudit):
        out.append(("kills: every number shown exists once", not kills.shown_not_once))
        out.append(("kills: every committed number reaches its reporter", not kills.never_told))
    return out


async def run(opts: Options, workdir: Path) -> dict[str, object]:
    """Prepare the database, start the sandbox, run the scenarios; their audits."""
    staff = 1 + opts.pairs * 3 + opts.reporters
    programme = await world.prepare(workdir / "envoybot.db", staff=staff, acceptors=0, per_envoy=0)
    results: dict[str, object] = {}
    sandbox = await BotApiSandbox(flood_control=opts.flood).start()
    watch = Watch(sandbox)
    try:
        set_flood(sandbox, opts.flood)
        make_users(sandbox, programme.everyone, "联系人")
        if 4 in opts.scenarios:
            results["faults"] = await fault_mix(programme, sandbox, watch, workdir, opts)
        if 5 in opts.scenarios:
            results["kills"] = await kill_run(programme, sandbox, watch, workdir, opts)
    finally:
        await sandbox.stop()
    return results


async def main(argv: list[str] | None = None) -> int:
    opts = parse(argv)
    quiet_logs()
    print(f"scenarios {sorted(opts.scenarios)}; patience {opts.patience:g} s, "
          f"{opts.tries} tries per step; seed {opts.seed}")  # fmt: skip
    if opts.keep is not None:
        opts.keep.mkdir(parents=True, exist_ok=True)
        results = await run(opts, opts.keep)
    else:
        with tempfile.TemporaryDirectory(prefix="bench_faults_") as tmp:
            results = await run(opts, Path(tmp))
    faults, kills = results.get("faults"), results.get("kills")
    if isinstance(faults, FaultAudit):
        print_faults(faults, opts)
    if isinstance(kills, KillAudit):
        print_kills(kills, opts)
    found = checks(results)
    print("\n## checks (the issue's 'done when')\n")
    for label, ok in found:
        print(f"{'PASS' if ok else 'FAIL'}  {label}")
    return 1 if opts.strict and not all(ok for _, ok in found) else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
