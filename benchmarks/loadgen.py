"""Load generator for the process benchmarks: simulated users on an in-process sandbox.

The sandbox (sandbox.BotApiSandbox) and the simulated users share the benchmark's process and
event loop: users act on the sandbox's state directly (no HTTP), and `Watch` sees every bot
message the moment the sandbox stores it. Each bot under test is its own OS process that
long-polls the sandbox over loopback (`BotProcess`), so its CPU time can be read from /proc.
Nothing here imports envoybot's own packages: envoybot is driven only through the Bot API.
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import gc
import html
import logging
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Coroutine, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.common import TOKEN, percentile  # noqa: E402
from sandbox import BotApiSandbox, SimUser  # noqa: E402
from sandbox.core import ChatState, StoredMessage  # noqa: E402

logger = logging.getLogger(__name__)

# ---- what envoybot shows: buttons from texts/callbacks.py, words from texts/locales/zh/*.ftl
CATEGORY = "r:cat:"  # prefix of the category buttons (ReportStep("cat", c))
SKIP_FILES = "r:skip:-"  # "no attachments" (ReportStep("skip"))
SUBMIT = "r:submit:-"  # ReportStep("submit")
DESCRIBE = "请描述"  # report-describe
REGISTERED = "已挂号"  # report-registered: "✅ 已挂号，问题编号 №…"
ACCEPTED = "已受理"  # done-accept: "已受理 №…"
RESOLVED = "已标记办结"  # done-resolve
CLOSED = "已销号"  # done-confirm
ASK_RESOLVE = "办结说明"  # ask-resolve
NEW_PROBLEM = "新问题"  # notify-new-problem (the card an envoy gets)
NUMBER = re.compile(r"№\s*(\d{4}-\d+)")


def accept_data(problem_id: int, tier: int = 1) -> str:
    """Callback data of "Accept, tier N" on a problem card (ProblemAct("accept", id, tier))."""
    return f"a:accept:{problem_id}:{tier}"


def act_data(action: str, problem_id: int, arg: int = 0) -> str:
    """Callback data of an action button on a problem card (ProblemAct)."""
    return f"a:{action}:{problem_id}:{arg}"


def number_in(text: str) -> str | None:
    """The first problem number (№YYYY-N…) in a text."""
    match = NUMBER.search(text)
    return match.group(1) if match else None


# ---- watching the sandbox ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Seen:
    """A bot message as one change (new message or edit) left it."""

    chat_id: int
    message_id: int
    text: str
    buttons: tuple[str, ...]  # callback_data of every inline button
    new: bool
    at: float  # time.perf_counter()


Predicate = Callable[[Seen], bool]


def buttons_of(markup: dict[str, Any] | None) -> tuple[str, ...]:
    """callback_data of every inline button of a reply_markup."""
    if not markup:
        return ()
    return tuple(
        str(b.get("callback_data") or "") for row in markup.get("inline_keyboard", []) for b in row
    )


def has_button(prefix: str, *, new_only: bool = True) -> Predicate:
    """A message (new, or edited too) with a button whose data starts with prefix."""
    return lambda s: (s.new or not new_only) and any(b.startswith(prefix) for b in s.buttons)


def says(*parts: str, new_only: bool = False) -> Predicate:
    """A message (new, or edited unless new_only) whose text contains every part."""
    return lambda s: (s.new or not new_only) and all(p in s.text for p in parts)


class Watch:
    """Sees every bot message the sandbox stores or edits, per chat, in O(waiters of that chat).

    SimUser.wait_for re-checks every waiter on every change (quadratic with many users); this
    wraps the sandbox core's `touch` once instead, and answerCallbackQuery to time answers.
    """

    def __init__(self, sandbox: BotApiSandbox) -> None:
        self.sandbox = sandbox
        self.delivered: dict[int, list[Seen]] = {}  # new bot messages per chat
        self.changes: dict[int, list[Seen]] = {}  # every new message and edit per chat
        self.send_times: list[float] = []  # every send or edit the sandbox executed, in order
        self.acted: dict[int, list[float]] = {}  # when each user wrote or pressed, per chat
        self.pressed_at: dict[str, float] = {}
        self.answered_at: dict[str, float] = {}
        self._waiters: dict[int, list[tuple[Predicate, asyncio.Future[Seen]]]] = {}
        self._muted = False
        core = sandbox.core
        original_touch = core.touch

        def touch(chat: ChatState, message: StoredMessage) -> None:
            new = message.seq == 0 and not message.deleted
            original_touch(chat, message)
            if message.from_bot and not message.deleted and not self._muted:
                self._changed(chat.user.id, message, new)

        core.touch = touch  # type: ignore[method-assign]
        original_update = core.add_update

        def add_update(kind: str, payload: dict[str, Any]) -> int:
            sender = payload.get("from") or {}
            if kind in ("message", "callback_query") and "id" in sender:
                self.acted.setdefault(int(sender["id"]), []).append(time.perf_counter())
            return original_update(kind, payload)

        core.add_update = add_update  # type: ignore[method-assign]
        name, answer = sandbox.methods.registry["answercallbackquery"]

        async def answered(params: Any) -> Any:
            result = await answer(params)
            self.answered_at[str(params.string("callback_query_id"))] = time.perf_counter()
            return result

        sandbox.methods.registry["answercallbackquery"] = (name, answered)

    def _changed(self, chat_id: int, message: StoredMessage, new: bool) -> None:
        seen = Seen(
            chat_id,
            message.message_id,
            message.text or message.caption or "",
            buttons_of(message.reply_markup),
            new,
            time.perf_counter(),
        )
        if new:
            self.delivered.setdefault(chat_id, []).append(seen)
        self.changes.setdefault(chat_id, []).append(seen)
        self.send_times.append(seen.at)
        waiters = self._waiters.get(chat_id)
        if not waiters:
            return
        keep = []
        for predicate, future in waiters:
            if future.done():
                continue
            if predicate(seen):
                future.set_result(seen)
            else:
                keep.append((predicate, future))
        self._waiters[chat_id] = keep

    def expect(self, chat_id: int, predicate: Predicate) -> asyncio.Future[Seen]:
        """A future for the next change in chat_id that satisfies predicate."""
        future: asyncio.Future[Seen] = asyncio.get_running_loop().create_future()
        self._waiters.setdefault(chat_id, []).append((predicate, future))
        return future

    @staticmethod
    async def within(future: asyncio.Future[Seen], seconds: float) -> Seen | None:
        """The future's message, or None after `seconds` (the waiter is dropped)."""
        if seconds <= 0 and not future.done():
            future.cancel()
            return None
        try:
            async with asyncio.timeout(seconds):
                return await future
        except TimeoutError:
            return None

    @staticmethod
    async def wait_keep(future: asyncio.Future[Seen], seconds: float) -> Seen | None:
        """Like within, but a timeout leaves the future waiting (a late answer still counts)."""
        if not future.done():
            await asyncio.wait({future}, timeout=max(0.0, seconds))
        return future.result() if future.done() and not future.cancelled() else None

    def first(self, chat_id: int, predicate: Predicate) -> Seen | None:
        """The first change already seen in chat_id that satisfies predicate."""
        return next((s for s in self.changes.get(chat_id, []) if predicate(s)), None)

    async def seen_or_wait(self, chat_id: int, predicate: Predicate, seconds: float) -> Seen | None:
        """A matching change seen before, or the next one within `seconds`."""
        found = self.first(chat_id, predicate)
        if found is not None:
            return found
        return await self.within(self.expect(chat_id, predicate), seconds)

    async def tap(self, user: SimUser, message_id: int, data: str) -> str:
        """Press a button (LookupError if it is not on the message); the query id."""
        pressed = time.perf_counter()
        query_id = await user.press(message_id, data=data)
        self.pressed_at[query_id] = pressed
        return query_id

    async def send(
        self, user: SimUser, text: str, predicate: Predicate, seconds: float
    ) -> tuple[float, Seen | None]:
        """User writes text; (when it was sent, the awaited reply or None)."""
        future = self.expect(user.id, predicate)
        sent = time.perf_counter()
        await user.send_text(text)
        return sent, await self.within(future, seconds)

    async def press(
        self, user: SimUser, message_id: int, data: str, predicate: Predicate, seconds: float
    ) -> tuple[float, Seen | None]:
        """User presses the button `data` on a bot message; (when, the awaited reply or None).

        LookupError when that button is not (or no longer) on the message.
        """
        future = self.expect(user.id, predicate)
        sent = time.perf_counter()
        try:
            query_id = await user.press(message_id, data=data)
        except LookupError:
            future.cancel()
            raise
        self.pressed_at[query_id] = sent
        return sent, await self.within(future, seconds)

    def plant(self, user: SimUser, text: str, buttons: Sequence[tuple[str, str]]) -> int:
        """Put a bot message with inline buttons in a chat, as if the bot had sent it earlier."""
        core = self.sandbox.core
        chat = core.chats[user.id]
        markup = {"inline_keyboard": [[{"text": t, "callback_data": d} for t, d in buttons]]}
        message = StoredMessage(
            message_id=0,
            chat_id=user.id,
            from_bot=True,
            date=core.now(),
            text=text,
            html=html.escape(text, quote=False),
            reply_markup=markup,
        )
        self._muted = True
        try:
            core.add_message(chat, message)
        finally:
            self._muted = False
        return message.message_id

    def sends_between(self, start: float, end: float) -> int:
        """Sends and edits executed in [start, end] (what flood control counts)."""
        times = self.send_times
        return bisect.bisect_right(times, end) - bisect.bisect_left(times, start)

    def answer_delays(self, start: float, end: float) -> tuple[list[float], int]:
        """Press → answerCallbackQuery delays of presses made in [start, end]; and unanswered."""
        delays, missing = [], 0
        for query_id, pressed in self.pressed_at.items():
            if start <= pressed <= end:
                answered = self.answered_at.get(query_id)
                if answered is None:
                    missing += 1
                else:
                    delays.append(answered - pressed)
        return delays, missing


def make_users(sandbox: BotApiSandbox, ids: Sequence[int], name: str) -> list[SimUser]:
    """Sandbox users that have written to the bot before (so it may message them first)."""
    users = []
    for tg in ids:
        user = sandbox.user(tg, f"{name}{tg % 100_000}")
        sandbox.core.users[tg].status = "member"
        users.append(user)
    return users


def set_flood(sandbox: BotApiSandbox, on: bool) -> None:
    """Turn the sandbox's flood control (per chat and overall) on or off."""
    sandbox.set_flood(enabled=on)


def rejected(sandbox: BotApiSandbox, first: int, last: int) -> int:
    """Flood-control 429 answers among the recorded calls first..last (not injected ones)."""
    return sum(1 for c in sandbox.calls[first:last] if c.status == 429 and c.fault is None)


async def settle(sandbox: BotApiSandbox, quiet: float = 0.5, limit: float = 30.0) -> None:
    """Wait until the bot has taken every update and nothing changed for `quiet` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    seq, since = -1, loop.time()
    while loop.time() < deadline:
        if sandbox.core.updates or sandbox.core.seq != seq:
            seq, since = sandbox.core.seq, loop.time()
        elif loop.time() - since >= quiet:
            return
        await asyncio.sleep(0.05)


# ---- bot processes -----------------------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process (all its threads), from /proc/<pid>/stat."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            data = stat.read()
    except OSError:
        return 0.0
    fields = data[data.rindex(")") + 2 :].split()  # fields from the 3rd (state) on
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def own_cpu() -> float:
    """CPU seconds of this process: the sandbox plus the simulated users."""
    return time.process_time()


class BotProcess:
    """One bot as an OS process in its own process group, output in a log file."""

    def __init__(
        self, name: str, argv: Sequence[str], env: dict[str, str], cwd: Path, log: Path
    ) -> None:
        self.name = name
        self.argv = list(argv)
        self.env = env
        self.cwd = cwd
        self.log = log
        self.proc: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def start(self) -> None:
        """Launch (or relaunch) the process; output appends to the log file."""
        with open(self.log, "ab") as out:
            self.proc = subprocess.Popen(
                self.argv,
                env=self.env,
                cwd=self.cwd,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.starts += 1
        logger.info("started %s (pid %s)", self.name, self.proc.pid)

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def cpu(self) -> float:
        """CPU seconds used so far by the running process."""
        return cpu_seconds(self.pid) if self.alive() else 0.0

    def _signal(self, sig: int) -> None:
        if self.proc is not None and self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, sig)

    def kill(self) -> None:
        """SIGKILL the whole process group and reap it."""
        self._signal(signal.SIGKILL)
        if self.proc is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(5)

    async def stop(self, grace: float = 20.0) -> int | None:
        """SIGTERM, wait up to `grace` seconds, then SIGKILL; the exit code."""
        if self.proc is None:
            return None
        self._signal(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            await asyncio.to_thread(self.proc.wait, grace)
        if self.proc.poll() is None:
            logger.warning("%s ignored SIGTERM for %.0f s; killing it", self.name, grace)
            self.kill()
        return self.proc.returncode

    def tail(self, lines: int = 30) -> str:
        """The end of the process's output, for error messages."""
        try:
            text = self.log.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def log_count(self, needle: str) -> int:
        """How many output lines contain needle (e.g. "Traceback")."""
        try:
            text = self.log.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return 0
        return sum(needle in line for line in text.splitlines())


def clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without any bot settings, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ENVOYBOT_", "TELEGRAM_"))}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.update(extra)
    return env


def ptb_echo(sandbox: BotApiSandbox, workdir: Path) -> BotProcess:
    """The bare python-telegram-bot echo bot (benchmarks/echo_ptb.py)."""
    argv = [
        sys.executable,
        str(ROOT / "benchmarks" / "echo_ptb.py"),
        "--base-url",
        sandbox.base_url,
    ]
    env = clean_env(TELEGRAM_BOT_TOKEN=TOKEN)
    return BotProcess("PTB echo", argv, env, workdir, workdir / "echo_ptb.log")


def aiogram_echo(sandbox: BotApiSandbox, workdir: Path) -> BotProcess:
    """The aiogram 3 echo bot (benchmarks/echo_aiogram.py)."""
    script = str(ROOT / "benchmarks" / "echo_aiogram.py")
    argv = [sys.executable, script, "--server", sandbox.root_url]
    env = clean_env(TELEGRAM_BOT_TOKEN=TOKEN)
    return BotProcess("aiogram echo", argv, env, workdir, workdir / "echo_aiogram.log")


def envoybot_command() -> list[str]:
    """`envoybot run` from the same environment as this interpreter."""
    script = Path(sys.executable).with_name("envoybot")
    if script.exists():
        return [str(script), "run"]
    return [sys.executable, "-m", "bot.cli", "run"]


def envoybot(
    sandbox: BotApiSandbox,
    workdir: Path,
    db_path: Path | str,
    *,
    admin: int,
    send_rate: float | None,
    name: str = "envoybot",
) -> BotProcess:
    """A real `envoybot run` process on the prepared database, a file or a postgresql:// URL
    (cwd = workdir: no .env)."""
    env = clean_env(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_BASE_URL=sandbox.base_url,
        ENVOYBOT_DB=str(db_path),
        ENVOYBOT_ADMINS=str(admin),
        ENVOYBOT_BOT_USERNAME=sandbox.bot_username,
    )
    if send_rate is not None:
        env["ENVOYBOT_SEND_RATE"] = f"{send_rate:g}"
    log = workdir / f"{name.replace(' ', '_')}.log"
    return BotProcess(name, envoybot_command(), env, workdir, log)


async def until_answers(
    watch: Watch,
    bot: BotProcess,
    probe: SimUser,
    text: str,
    predicate: Predicate,
    limit: float = 90.0,
) -> None:
    """Wait until the bot process answers `text` from `probe` (it is up and polling)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    while loop.time() < deadline:
        if not bot.alive():
            raise RuntimeError(f"{bot.name} exited during start-up:\n{bot.tail()}")
        _, seen = await watch.send(probe, text, predicate, min(5.0, deadline - loop.time()))
        if seen is not None:
            return
    raise RuntimeError(f"{bot.name} did not answer within {limit:.0f} s:\n{bot.tail()}")


@contextlib.asynccontextmanager
async def running(bot: BotProcess) -> Any:
    """Start the bot and stop it on the way out, whatever happened."""
    bot.start()
    try:
        yield bot
    finally:
        code = await bot.stop()
        if code not in (0, -signal.SIGTERM, None):
            logger.warning("%s exited with %s:\n%s", bot.name, code, bot.tail(10))


# ---- closed-loop rows --------------------------------------------------------------------


@dataclass
class Window:
    """The measured part of a row: after a warm-up, for a fixed time, then a bounded grace."""

    start: float
    end: float
    cutoff: float  # in-flight steps are abandoned here

    @classmethod
    def after(cls, warmup: float, seconds: float, grace: float) -> Window:
        start = time.perf_counter() + warmup
        return cls(start, start + seconds, start + seconds + grace)

    def open(self) -> bool:
        """Whether users should start another step."""
        return time.perf_counter() < self.end

    def left(self, timeout: float) -> float:
        """How long a step started now may wait."""
        return min(timeout, self.cutoff - time.perf_counter())


@dataclass
class Tally:
    """What the users of one row saw."""

    window: Window
    done: int = 0  # responses arrived inside the window (updates handled)
    latencies: list[float] = field(default_factory=list)
    timeouts: int = 0
    unfinished: int = 0
    by_kind: dict[str, list[float]] = field(default_factory=dict)
    flows: int = 0

    def record(self, kind: str, sent: float, seen: Seen | None, timeout: float) -> bool:
        """Count one step; True when its answer arrived."""
        measured = sent >= self.window.start
        if seen is None:
            if sent <= self.window.end:  # a reply lost in the warm-up stalls the window too
                late = time.perf_counter() - sent >= timeout - 0.05
                if late:
                    self.timeouts += 1
                else:
                    self.unfinished += 1
            return False
        if measured:
            if seen.at <= self.window.end:
                self.done += 1
            self.latencies.append(seen.at - sent)
            self.by_kind.setdefault(kind, []).append(seen.at - sent)
        return True


class CpuMeter(Protocol):
    """Anything whose CPU seconds so far can be read: a bot process, several, a server."""

    def cpu(self) -> float: ...


@dataclass
class Sample:
    """Counters at one instant, for differences over a window."""

    at: float
    bot_cpu: float
    own_cpu: float
    calls: int
    other_cpu: dict[str, float] = field(default_factory=dict)


def sample(
    sandbox: BotApiSandbox, bot: CpuMeter | None, others: Mapping[str, CpuMeter] | None = None
) -> Sample:
    return Sample(
        time.perf_counter(),
        bot.cpu() if bot is not None else 0.0,
        own_cpu(),
        len(sandbox.calls),
        {name: meter.cpu() for name, meter in (others or {}).items()},
    )


@dataclass
class Row:
    """One measured row of a table."""

    label: str
    users: int
    seconds: float
    done: int
    latencies: list[float]
    timeouts: int
    unfinished: int
    bot_cpu: float
    own_cpu: float
    sends: int
    rejected: int
    answers: list[float]
    unanswered: int
    by_kind: dict[str, list[float]]
    flows: int
    other_cpu: dict[str, float] = field(default_factory=dict)  # e.g. the database server's

    @property
    def rate(self) -> float:
        return self.done / self.seconds if self.seconds else 0.0

    def p(self, q: float, kind: str | None = None) -> float:
        """Latency percentile in ms, overall or for one kind of step."""
        values = self.latencies if kind is None else self.by_kind.get(kind, [])
        return percentile(values, q) * 1000


UserScript = Callable[[SimUser, "Tally", float], Coroutine[Any, Any, None]]


def settle_heap() -> None:
    """Keep this process's collector from stalling a row on what earlier rows left behind.

    The sandbox keeps every message of the run; without this a full collection here walks all of
    them (260 ms by the fifth row, measured) while every user and bot of the row waits, and the
    later rows' p99 reads as the bot's.
    """
    gc.collect()
    gc.freeze()


async def closed_loop(
    label: str,
    sandbox: BotApiSandbox,
    watch: Watch,
    bot: CpuMeter | None,
    users: Sequence[SimUser],
    script: UserScript,
    *,
    warmup: float,
    seconds: float,
    patience: float,
    grace: float,
    others: Mapping[str, CpuMeter] | None = None,
) -> Row:
    """Every user runs `script` (send, wait, send again) until the window closes; one Row.

    `bot` is what the row's CPU column reads; `others` are read over the same window."""
    settle_heap()
    window = Window.after(warmup, seconds, grace)
    tally = Tally(window)
    samples: list[Sample] = []

    async def sampler() -> None:
        for at in (window.start, window.end):
            await asyncio.sleep(max(0.0, at - time.perf_counter()))
            samples.append(sample(sandbox, bot, others))

    tasks: list[asyncio.Task[None]] = [
        asyncio.create_task(script(u, tally, patience)) for u in users
    ]
    watcher = asyncio.create_task(sampler())
    try:
        async with asyncio.timeout(warmup + seconds + grace + patience + 10):
            await asyncio.gather(*tasks, watcher)
    finally:
        for task in [*tasks, watcher]:
            task.cancel()
    first, last = samples
    answers, unanswered = watch.answer_delays(window.start, window.end)
    return Row(
        label=label,
        users=len(users),
        seconds=last.at - first.at,
        done=tally.done,
        latencies=tally.latencies,
        timeouts=tally.timeouts,
        unfinished=tally.unfinished,
        bot_cpu=last.bot_cpu - first.bot_cpu,
        own_cpu=last.own_cpu - first.own_cpu,
        sends=watch.sends_between(window.start, window.end),
        rejected=rejected(sandbox, first.calls, last.calls),
        answers=answers,
        unanswered=unanswered,
        by_kind=tally.by_kind,
        flows=tally.flows,
        other_cpu={k: last.other_cpu[k] - first.other_cpu.get(k, 0.0) for k in last.other_cpu},
    )


# ---- what the simulated users do ---------------------------------------------------------


def echo_text(watch: Watch) -> UserScript:
    """Write a line, wait for it to come back, again."""

    async def script(user: SimUser, tally: Tally, patience: float) -> None:
        i = 0
        while tally.window.open():
            text = f"你好 echo {user.id} {i}"
            sent, seen = await watch.send(
                user, text, says(text, new_only=True), tally.window.left(patience)
            )
            tally.record("text", sent, seen, patience)
            i += 1

    return script


def echo_press(watch: Watch) -> UserScript:
    """Press the button on the last message, wait for the next one, press again."""

    async def script(user: SimUser, tally: Tally, patience: float) -> None:
        count = 0
        message_id = watch.plant(user, "press me", [("again", f"e:{count}")])
        while tally.window.open():
            wanted = f"e:{count + 1}"
            try:
                sent, seen = await watch.press(
                    user,
                    message_id,
                    f"e:{count}",
                    has_button(wanted),
                    tally.window.left(patience),
                )
            except LookupError:
                message_id, count = watch.plant(user, "press me", [("again", "e:0")]), 0
                continue
            if tally.record("press", sent, seen, patience) and seen is not None:
                message_id, count = seen.message_id, count + 1
            else:
                message_id, count = watch.plant(user, "press me", [("again", "e:0")]), 0

    return script


def help_command(watch: Watch) -> UserScript:
    """A bound staff contact asks for /help again and again."""

    async def script(user: SimUser, tally: Tally, patience: float) -> None:
        while tally.window.open():
            sent, seen = await watch.send(
                user, "/help", says("/report", new_only=True), tally.window.left(patience)
            )
            tally.record("help", sent, seen, patience)

    return script


@dataclass
class ReportSteps:
    """One /report flow, step by step; `on_step` sees every step's outcome."""

    watch: Watch
    user: SimUser
    description: str
    category: str = "other"

    async def to_summary(
        self,
        seconds: Callable[[], float],
        on_step: Callable[[str, float, Seen | None], bool],
    ) -> int | None:
        """Walk to the summary; its message id, or None when a step got no answer."""
        w, u = self.watch, self.user
        sent, seen = await w.send(u, "/report", has_button(CATEGORY), seconds())
        if not on_step("report", sent, seen) or seen is None:
            return None
        sent, seen = await w.press(
            u, seen.message_id, CATEGORY + self.category, says(DESCRIBE, new_only=True), seconds()
        )
        if not on_step("category", sent, seen) or seen is None:
            return None
        sent, seen = await w.send(u, self.description, has_button(SKIP_FILES), seconds())
        if not on_step("description", sent, seen) or seen is None:
            return None
        sent, seen = await w.press(u, seen.message_id, SKIP_FILES, has_button(SUBMIT), seconds())
        if not on_step("no files", sent, seen) or seen is None:
            return None
        return seen.message_id

    async def run(
        self,
        seconds: Callable[[], float],
        on_step: Callable[[str, float, Seen | None], bool],
    ) -> str | None:
        """The whole flow; the number the bot registered, or None when a step got no answer."""
        summary = await self.to_summary(seconds, on_step)
        if summary is None:
            return None
        sent, seen = await self.watch.press(self.user, summary, SUBMIT, registered, seconds())
        if not on_step("submit", sent, seen) or seen is None:
            return None
        return number_in(seen.text)


def registered(seen: Seen) -> bool:
    """The "registered as №…" acknowledgement."""
    return REGISTERED in seen.text and number_in(seen.text) is not None


def report_flows(watch: Watch, shown: list[tuple[int, str]] | None = None) -> UserScript:
    """Whole /report flows: /report → category → description → no files → Submit → №.

    Every number a user was shown is appended to `shown` as (user id, №) when given."""

    async def script(user: SimUser, tally: Tally, patience: float) -> None:
        i = 0
        while tally.window.open():
            steps = ReportSteps(watch, user, f"基准测试上报 {user.id}-{i}：设备进口清关受阻需协调")
            started = time.perf_counter()
            try:
                number = await steps.run(
                    lambda: tally.window.left(patience),
                    lambda kind, sent, seen: tally.record(kind, sent, seen, patience),
                )
            except LookupError:  # a button vanished: start over
                number = None
            finished = time.perf_counter()
            if number is not None and shown is not None:
                shown.append((user.id, number))
            if number is not None and started >= tally.window.start <= finished:
                tally.flows += finished <= tally.window.end
            i += 1

    return script


def accept_presses(watch: Watch, problems: dict[int, list[tuple[int, str]]]) -> UserScript:
    """An envoy presses "Accept, tier 1" on the cards of registered problems, one by one."""

    async def script(user: SimUser, tally: Tally, patience: float) -> None:
        queue: Iterator[tuple[int, str]] = iter(problems.get(user.id, []))
        while tally.window.open():
            item = next(queue, None)
            if item is None:
                logger.warning("envoy %s ran out of registered problems", user.id)
                return
            problem_id, number = item
            card = watch.plant(
                user,
                f"🆕 {NEW_PROBLEM} №{number}，请在时限内受理并分级。",
                [(f"受理·{t}级", accept_data(problem_id, t)) for t in (1, 2, 3)],
            )
            sent, seen = await watch.press(
                user,
                card,
                accept_data(problem_id, 1),
                says(ACCEPTED, number),
                tally.window.left(patience),
            )
            tally.record("accept", sent, seen, patience)

    return script


# ---- tables ------------------------------------------------------------------------------


def ratio(value: float, base: float) -> str:
    """value / base to two places, "-" without a base."""
    return f"{value / base:.2f}" if base else "-"


def throughput_rows(rows: Sequence[Row], reference: Row | None) -> list[list[str]]:
    """The common columns: rate and latency, their ratios to the reference, CPU shares."""
    base_rate = reference.rate if reference else 0.0
    base_p99 = reference.p(99) if reference else 0.0
    out = []
    for r in rows:
        out.append(
            [
                r.label,
                f"{r.users}",
                f"{r.rate:.1f}",
                ratio(r.rate, base_rate),
                f"{r.p(50):.0f}",
                f"{r.p(99):.0f}",
                ratio(r.p(99), base_p99),
                f"{r.timeouts + r.unfinished}",
                f"{r.bot_cpu:.1f}",
                f"{r.bot_cpu / r.seconds * 100:.0f}" if r.seconds else "-",
                f"{r.own_cpu / r.seconds * 100:.0f}" if r.seconds else "-",
            ]
        )
    return out


THROUGHPUT_HEADERS = [
    "row",
    "users",
    "updates/s",
    "x PTB",
    "p50 ms",
    "p99 ms",
    "p99 x PTB",
    "no answer",
    "bot CPU s",
    "bot CPU %",
    "gen CPU %",
]
