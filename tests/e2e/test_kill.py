"""Issue #4: a SIGKILL around a reminder loses none and sends none twice (real process, clock)."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from domain.models import Role
from tests.e2e.conftest import ADMIN_ID, TOKEN, make_world
from tests.e2e.test_lifecycle import act
from tests.e2e.test_story import report
from tests.pg_cluster import query

ROOT = Path(__file__).resolve().parents[2]


def persisted_step(db_path: str | Path, user_id: int) -> object:
    rows = query(
        db_path,
        "SELECT state FROM ptb_conversations WHERE name = 'report' AND key = ?",
        (json.dumps([user_id, user_id], separators=(",", ":")),),
    )
    return json.loads(str(rows[0][0])) if rows and rows[0][0] is not None else None


async def until(condition: Callable[[], object], limit: float = 10.0) -> None:
    """Poll a condition another process makes true (bounded; no fixed sleep)."""
    deadline = asyncio.get_running_loop().time() + limit
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError("condition not met")
        await asyncio.sleep(0.02)


async def spawn(env: dict[str, str], cwd: Path) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "run",
        env=env,
        cwd=cwd,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )


STOP_SECONDS = 60


async def stop(proc: asyncio.subprocess.Process) -> bytes:
    """SIGTERM and wait for exit 0; a bot that does not stop is killed and its log shown."""
    proc.send_signal(signal.SIGTERM)
    try:
        _, err = await asyncio.wait_for(proc.communicate(), STOP_SECONDS)
    except TimeoutError:
        proc.kill()
        _, err = await proc.communicate()
        log = err.decode()[-3000:]
        raise AssertionError(f"no exit {STOP_SECONDS} s after SIGTERM:\n{log}") from None
    assert proc.returncode == 0, err.decode()[-3000:]
    return err


@pytest.mark.e2e
async def test_sigkill_right_after_a_send_and_while_reminders_come_due(tmp_path: Path) -> None:
    quiet_off = {"ENVOYBOT_QUIET_START": "00:00", "ENVOYBOT_QUIET_END": "00:00"}
    sandbox, world = await make_world(tmp_path, **quiet_off)
    try:
        start = datetime.now(UTC)
        world.clock.set(start)
        await world.join("staff", 101, "陈经理", Role.STAFF, "华光<精密>&机械")
        envoy = await world.join("envoy", 201, "李雷", Role.ENVOY, "李雷")
        numbers = []
        # tier 1 = 24 h, reminder 4 h before: registering 20 h ago puts it `lead` seconds ahead
        for lead in (6, 12):
            world.clock.set(start - timedelta(hours=20) + timedelta(seconds=lead))
            number = await report(
                world, world.people["staff"], "其他", f"需要协调的园区问题编号 {lead}"
            )
            card = await envoy.wait_for(
                lambda m, n=number: n in m.text and "新问题" in m.text, after_count=0
            )
            await act(envoy, card.message_id, "受理·1级", expect="已受理")
            numbers.append(number)
        await world.bot.stop()

        env = {k: v for k, v in os.environ.items() if not k.startswith(("ENVOYBOT_", "TELEGRAM_"))}
        env.update(
            {
                "TELEGRAM_BOT_TOKEN": TOKEN,
                "TELEGRAM_BASE_URL": sandbox.base_url,
                "ENVOYBOT_DB": str(world.db_path),
                "ENVOYBOT_ADMINS": str(ADMIN_ID),
                "PYTHONPATH": str(ROOT),
                **quiet_off,
            }
        )

        def reminders_of(number: str) -> int:
            return sum(m.text.startswith("⏰") and number in m.text for m in envoy.messages)

        first = await spawn(env, tmp_path)
        try:
            await envoy.wait_for(
                lambda m: m.text.startswith("⏰") and numbers[0] in m.text,
                after_count=0,
                timeout=30,
            )
        except TimeoutError:
            first.kill()
            _, err = await first.communicate()
            raise AssertionError(err.decode()[-3000:]) from None
        first.send_signal(signal.SIGKILL)  # right after the send, before anything else
        await first.wait()
        assert reminders_of(numbers[1]) == 0

        # the second reminder comes due while the bot is dead
        wait = (start + timedelta(seconds=13) - datetime.now(UTC)).total_seconds()
        await asyncio.sleep(max(0.0, wait))

        second = await spawn(env, tmp_path)
        await envoy.wait_for(
            lambda m: m.text.startswith("⏰") and numbers[1] in m.text, after_count=0, timeout=30
        )
        await asyncio.sleep(1.5)  # room for a wrong second send to show up
        second.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(second.communicate(), 30)
        assert second.returncode == 0, err.decode()[-2000:]
        assert "Traceback" not in err.decode()
        assert reminders_of(numbers[0]) == 1 and reminders_of(numbers[1]) == 1
    finally:
        await world.bot.stop()
        await sandbox.stop()


@pytest.mark.e2e
async def test_sigkill_loses_no_acknowledged_report_and_no_draft_step(tmp_path: Path) -> None:
    sandbox, world = await make_world(tmp_path)
    try:
        world.clock.set(datetime.now(UTC))
        staff = await world.join("staff", 101, "陈经理", Role.STAFF, "华光<精密>&机械")
        await world.bot.stop()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("ENVOYBOT_", "TELEGRAM_"))}
        env.update(
            {
                "TELEGRAM_BOT_TOKEN": TOKEN,
                "TELEGRAM_BASE_URL": sandbox.base_url,
                "ENVOYBOT_DB": str(world.db_path),
                "PYTHONPATH": str(ROOT),
            }
        )
        bot = await spawn(env, tmp_path)
        await staff.send_text("/report")
        cats = await staff.wait_for(lambda m: "请选择问题类别" in m.text, timeout=30)
        await staff.press(cats.message_id, text="融资")
        await staff.wait_for(lambda m: "请描述" in m.text)
        await staff.send_text("贷款到期需要续贷，银行要求追加担保")
        await staff.wait_for(lambda m: "照片或文件" in m.text)
        # the step is written right after its handler returns (milliseconds after the reply)
        await until(lambda: persisted_step(world.db_path, staff.id) == 2)
        bot.send_signal(signal.SIGKILL)  # mid-report: the step just answered must survive
        await bot.wait()

        bot = await spawn(env, tmp_path)
        files = [m for m in staff.messages if "照片或文件" in m.text][-1]
        await staff.press(files.message_id, text="跳过附件")
        summary = await staff.wait_for(lambda m: "请核对" in m.text, after_count=0, timeout=30)
        assert "续贷" in summary.text
        await staff.press(summary.message_id, text="✅ 提交")
        ack = await staff.wait_for(lambda m: "已挂号" in m.text)
        bot.send_signal(signal.SIGKILL)  # right after the acknowledgement
        await bot.wait()

        number = ack.text.split("№")[1].split("。")[0]
        bot = await spawn(env, tmp_path)
        seen = staff.sent_count
        await staff.send_text("/my")
        # the first command after the restart is answered, never swallowed
        mine = await staff.wait_for(
            lambda m: "本企业的问题" in m.text, after_count=seen, timeout=30
        )
        assert number in mine.text and mine.text.count("№") == 1  # once, not twice
        await stop(bot)
    finally:
        await world.bot.stop()
        await sandbox.stop()
