"""Issue 13's "done when": two `envoybot run --webhook` processes on one PostgreSQL database
behind the sandbox's webhook delivery (a round-robin proxy in front), 100 staff reporting at
once, one process SIGKILLed in the middle: every report acknowledged once, no reminder sent
twice, no conversation step lost or repeated."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from domain.models import Role
from sandbox import BotApiSandbox, SimUser
from sandbox.balancer import Balancer
from storage.db import Database, to_db
from tests.e2e.conftest import ADMIN_ID, TOKEN, World, make_world
from tests.e2e.test_kill import until
from tests.e2e.test_lifecycle import act
from tests.e2e.test_story import report
from tests.pg_cluster import free_port

pytestmark = [pytest.mark.e2e, pytest.mark.postgresql_only]

ROOT = Path(__file__).resolve().parents[2]
STAFF = 100
FIRST_STAFF = 10_000
REMINDED = 4  # problems whose reminder comes due while the reports go on
WAIT = 90.0  # a step whose instance died is answered after the other takes over (seconds)
PROMPTS = ("请选择问题类别", "请描述", "照片或文件", "请核对", "已挂号")
IN_FLIGHT = 1.0  # seconds before the kill in which a message may have been sent unnoted


async def spawn(
    env: dict[str, str], port: int, instance: str, cwd: Path
) -> asyncio.subprocess.Process:
    log = (cwd / f"{instance}.log").open("wb")
    try:
        return await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot.cli",
            "run",
            "--port",
            str(port),
            env={**env, "ENVOYBOT_INSTANCE": instance},
            cwd=cwd,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=log,
        )
    finally:
        log.close()


async def _plan_reminders(world: World, start: datetime) -> list[str]:
    """Problems accepted as tier 1 whose 4-hours-before reminder falls a few seconds on."""
    staff = await world.join("staff", 101, "陈经理", Role.STAFF, "华光<精密>&机械")
    envoy = await world.join("envoy", 201, "李雷", Role.ENVOY, "李雷")
    numbers = []
    for i in range(REMINDED):
        # tier 1 = 24 h, reminded 4 h before: registering 20 h ago puts it `lead` s ahead
        world.clock.set(start - timedelta(hours=20) + timedelta(seconds=6 + 3 * i))
        number = await report(world, staff, "其他", f"园区道路施工影响物流，第 {i} 次反映")
        card = await envoy.wait_for(
            lambda m, n=number: n in m.text and "新问题" in m.text, after_count=0
        )
        await act(envoy, card.message_id, "受理·1级", expect="已受理")
        numbers.append(number)
    return numbers


async def _add_staff(world: World) -> list[SimUser]:
    """100 contacts bound to the enterprises (as redeemed invites leave them)."""
    async with Database(world.db_path) as db:
        rows = await db.fetchall("SELECT id FROM enterprises ORDER BY id")
        enterprises = [int(r[0]) for r in rows]
        await db.executemany(
            "INSERT INTO accounts (tg_user_id, role, enterprise_id, display_name, created_at)"
            " VALUES (?, 'staff', ?, ?, ?)",
            [
                (
                    FIRST_STAFF + i,
                    enterprises[i % len(enterprises)],
                    f"联系人{i}",
                    to_db(world.clock.now()),
                )
                for i in range(STAFF)
            ],
        )
    return [world.sandbox.user(FIRST_STAFF + i, f"联系人{i}") for i in range(STAFF)]


async def _one_report(user: SimUser, i: int) -> str:
    await user.send_text("/report")
    cats = await user.wait_for(lambda m: "类别" in m.text and bool(m.buttons), timeout=WAIT)
    await user.press(cats.message_id, text="融资")
    await user.wait_for(lambda m: "描述" in m.text, since=0, timeout=WAIT)
    await user.send_text(f"第 {i} 家企业的贷款到期需要续贷，银行要求追加担保")
    files = await user.wait_for(lambda m: "照片或文件" in m.text, timeout=WAIT)
    await user.press(files.message_id, text="跳过附件")
    summary = await user.wait_for(lambda m: "请核对" in m.text, timeout=WAIT)
    await user.press(summary.message_id, text="✅ 提交")
    done = await user.wait_for(lambda m: "已挂号" in m.text, timeout=WAIT)
    return done.text.split("№")[1].split("。")[0]


def _sent_to(sandbox: BotApiSandbox, chat: int) -> list[tuple[float, str]]:
    """(when, text) of every message the bot sent or edited in a chat."""
    return [
        (c.at, str(c.params.get("text") or c.params.get("caption") or ""))
        for c in sandbox.core.calls
        if c.ok
        and c.method in ("sendMessage", "editMessageText")
        and int(c.params.get("chat_id") or 0) == chat
    ]


def _texts_to(sandbox: BotApiSandbox, chat: int) -> list[str]:
    return [text for _, text in _sent_to(sandbox, chat)]


def _once(sent: list[tuple[float, str]], marker: str, killed_at: float) -> bool:
    """The message with marker came once, or twice where the first went out just before the
    kill (Telegram answered, the instance died before noting it: the one duplicate left)."""
    times = [at for at, text in sent if marker in text]
    return len(times) == 1 or (len(times) == 2 and killed_at - IN_FLIGHT <= times[0] <= killed_at)


async def test_two_instances_one_killed_mid_way(tmp_path: Path, e2e_engine: str) -> None:
    quiet_off = {"ENVOYBOT_QUIET_START": "00:00", "ENVOYBOT_QUIET_END": "00:00"}
    sandbox, world = await make_world(tmp_path, engine=e2e_engine, **quiet_off)
    ports = (free_port(), free_port())
    balancer = await Balancer([f"http://127.0.0.1:{p}/hook" for p in ports]).start("/hook")
    processes: list[asyncio.subprocess.Process] = []
    try:
        start = datetime.now(UTC)
        reminded = await _plan_reminders(world, start)
        staff = await _add_staff(world)
        await world.bot.stop()

        env = {k: v for k, v in os.environ.items() if not k.startswith(("ENVOYBOT_", "TELEGRAM_"))}
        env.update(
            {
                "TELEGRAM_BOT_TOKEN": TOKEN,
                "TELEGRAM_BASE_URL": sandbox.base_url,
                "ENVOYBOT_DB": str(world.db_path),
                "ENVOYBOT_ADMINS": str(ADMIN_ID),
                "ENVOYBOT_WEBHOOK_URL": balancer.url,
                "ENVOYBOT_SEND_RATE": "0",
                "ENVOYBOT_INSTANCE_TIMEOUT": "3",
                "PYTHONPATH": str(ROOT),
                **quiet_off,
            }
        )
        for port, name in zip(ports, ("doomed", "survivor"), strict=True):
            processes.append(await spawn(env, port, name, tmp_path))
        doomed, survivor = processes

        def acknowledged() -> int:
            return sum("已挂号" in t for u in staff for t in _texts_to(sandbox, u.id))

        killed_at = 0.0

        async def kill_mid_way() -> None:
            nonlocal killed_at
            await until(lambda: acknowledged() >= STAFF * 2 // 5, WAIT)
            killed_at = time.monotonic()
            doomed.send_signal(signal.SIGKILL)

        killer = asyncio.create_task(kill_mid_way())
        numbers = await asyncio.gather(*(_one_report(u, i) for i, u in enumerate(staff)))
        await killer
        await doomed.wait()
        assert doomed.returncode == -signal.SIGKILL
        assert all(balancer.forwarded.values()), balancer.forwarded  # both took updates
        assert balancer.unreachable  # updates did arrive for the dead one: the other took them

        envoy = world.people["envoy"]
        try:
            await envoy.wait_for(  # the last planned reminder (or it was dropped in flight)
                lambda m: m.text.startswith("⏰") and reminded[-1] in m.text,
                after_count=0,
                timeout=30,
            )
        except TimeoutError:
            async with Database(world.db_path) as db:
                rows = await db.fetchall(
                    "SELECT id, chat_id, claimed_by, claimed_until, sent_at, failed_at, error"
                    " FROM outbox WHERE priority = 2"
                )
                plan = await db.fetchall("SELECT * FROM reminders")
            raise AssertionError(
                [tuple(r) for r in rows],
                [tuple(r) for r in plan],
                [t for t in _texts_to(sandbox, envoy.id) if t.startswith("⏰")],
                reminded,
            ) from None
        await asyncio.sleep(1.5)  # room for a wrong second send to show up

        # every report acknowledged once, with its own number; no step lost or repeated:
        # each prompt of each conversation came once
        assert len(set(numbers)) == STAFF
        for user in staff:
            sent = _sent_to(sandbox, user.id)
            assert all(_once(sent, p, killed_at) for p in PROMPTS), (user.id, sent)
        async with Database(world.db_path) as db:
            rows = await db.fetchall(
                "SELECT reporter_tg_id, description FROM problems WHERE reporter_tg_id >= ?",
                (FIRST_STAFF,),
            )
            assert sorted(int(r[0]) for r in rows) == [u.id for u in staff]
            for r in rows:
                assert f"第 {int(r[0]) - FIRST_STAFF} 家企业" in r[1]
            interrupted = await db.fetchall(
                "SELECT COUNT(*) FROM outbox WHERE error = 'interrupted while sending'"
            )
        # no reminder twice (one in flight when its instance died is given up, not resent)
        counts = [
            sum(t.startswith("⏰") and n in t for t in _texts_to(sandbox, envoy.id))
            for n in reminded
        ]
        assert max(counts) <= 1 and sum(counts) + int(interrupted[0][0]) >= REMINDED, counts

        survivor.send_signal(signal.SIGTERM)
        await asyncio.wait_for(survivor.wait(), 30)
        log = (tmp_path / "survivor.log").read_text()
        assert survivor.returncode == 0, log[-3000:]
        assert "Traceback" not in log, log[-3000:]
    finally:
        for process in processes:
            if process.returncode is None:
                process.kill()
                await process.wait()
        await world.bot.stop()
        await balancer.stop()
        await sandbox.stop()
