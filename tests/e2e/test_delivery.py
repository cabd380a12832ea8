"""Issue #9: the path of an update and of a message, under load, faults and kills."""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path

import pytest

from domain.models import Role
from sandbox import SimUser
from tests.e2e.conftest import ADMIN_ID, TOKEN, World, make_world
from tests.e2e.test_kill import spawn, stop, until
from tests.e2e.test_lifecycle import act, open_card
from tests.e2e.test_story import report
from tests.pg_cluster import query

ROOT = Path(__file__).resolve().parents[2]


def count(db: str | Path, sql: str) -> int:
    return int(query(db, sql)[0][0])  # type: ignore[call-overload]


async def to_summary(user: SimUser, description: str) -> int:
    """Walk /report up to the summary; the summary's message id."""
    await user.send_text("/report")
    cats = await user.wait_for(lambda m: "类别" in m.text and bool(m.buttons), timeout=30)
    await user.press(cats.message_id, text="融资")
    await user.wait_for(lambda m: "描述" in m.text, since=0, timeout=30)
    await user.send_text(description)
    files = await user.wait_for(lambda m: "照片或文件" in m.text, timeout=30)
    await user.press(files.message_id, text="跳过附件")
    summary = await user.wait_for(lambda m: "请核对" in m.text, timeout=30)
    return summary.message_id


async def staff_beside_a_process(
    world: World, tmp_path: Path
) -> tuple[SimUser, dict[str, str], asyncio.subprocess.Process]:
    """A bound staff member, and the bot as a real `envoybot run` process instead of in-process."""
    staff = await world.join("staff", 101, "陈经理", Role.STAFF, "华光<精密>&机械")
    await world.bot.stop()
    env = run_env(world)
    return staff, env, await spawn(env, tmp_path)


def run_env(world: World) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ENVOYBOT_", "TELEGRAM_"))}
    env.update(
        {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_BASE_URL": world.sandbox.base_url,
            "ENVOYBOT_DB": str(world.db_path),
            "ENVOYBOT_ADMINS": str(ADMIN_ID),
            "ENVOYBOT_SEND_RATE": "0",
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


async def test_a_command_ends_the_optional_comment_prompt_and_runs(people: World) -> None:
    staff, envoy = people.people["staff"], people.people["envoy"]
    number = await report(people, staff, "生产运行", "空压机故障需要厂家上门维修")
    card = await envoy.wait_for(lambda m: number in m.text and "新问题" in m.text, after_count=0)
    await act(envoy, card.message_id, "受理·1级", expect="已受理")
    await act(envoy, await open_card(envoy, number), "✅ 标记办结", "厂家已修好", "已标记办结")
    resolved = await staff.wait_for(lambda m: "特派员已办结" in m.text, after_count=0)
    await act(staff, resolved.message_id, "👍 已解决", expect="已销号")
    rating = await staff.wait_for(lambda m: "打分" in m.text, after_count=0)
    await staff.press(rating.message_id, text="5⭐")
    await staff.wait_for(lambda m: "意见" in m.text, after_count=0)
    seen = staff.sent_count
    await staff.send_text("/my")  # not a comment: the prompt ends and /my runs
    mine = await staff.wait_for(lambda m: "本企业的问题" in m.text, after_count=seen)
    assert number in mine.text
    problem = await people.bot.services.problems.by_number(number)
    assert problem is not None and problem.comment is None


async def test_a_command_while_a_note_is_awaited_drops_it_and_runs(people: World) -> None:
    staff, envoy = people.people["staff"], people.people["envoy"]
    number = await report(people, staff, "融资", "流动资金贷款审批太慢需要协调")
    card = await envoy.wait_for(lambda m: number in m.text and "新问题" in m.text, after_count=0)
    await act(envoy, card.message_id, "受理·1级", expect="已受理")
    seen = envoy.sent_count
    await envoy.press(await open_card(envoy, number), text="✅ 标记办结")
    await envoy.wait_for(lambda m: "请" in m.text, after_count=seen)
    seen = envoy.sent_count
    await envoy.send_text("/inbox")
    await envoy.wait_for(lambda m: "已放弃" in m.text, after_count=seen)
    inbox = await envoy.wait_for(lambda m: "待办问题" in m.text, after_count=seen)
    assert number in inbox.text
    problem = await people.bot.services.problems.by_number(number)
    assert problem is not None and problem.state.value == "in_progress"


async def test_unexpected_errors_reach_one_handler_and_the_user_is_reassured(
    people: World, caplog: pytest.LogCaptureFixture
) -> None:
    admin = people.people["admin"]
    await admin.send_text("/import")
    await admin.wait_for(lambda m: "发送" in m.text, after_count=0)
    people.sandbox.inject_failure("getFile", 400, "Bad Request: file is too big")
    seen = admin.sent_count
    await admin.send_document(b"enterprise,envoy\n", "roster.csv", "text/csv")
    told = await admin.wait_for(lambda m: "没有丢失" in m.text, after_count=seen)
    assert "出了点问题" in told.text
    failures = [r for r in caplog.records if r.name == "handlers.errors"]
    assert len(failures) == 1 and str(admin.id) in failures[0].getMessage()
    assert not [r for r in caplog.records if "No error handlers" in r.getMessage()]


@pytest.mark.e2e
async def test_many_submits_at_once_under_flood_control_all_get_their_number(
    tmp_path: Path,
) -> None:
    sandbox, world = await make_world(tmp_path, flood=True)
    try:
        staff = [
            await world.join(f"s{i}", 1000 + i, f"员工{i}", Role.STAFF, "华光<精密>&机械")
            for i in range(20)
        ]
        await world.join("envoy", 201, "李雷", Role.ENVOY, "李雷")
        summaries = await asyncio.gather(
            *(to_summary(u, f"第{i}号问题：厂房消防验收需要协调") for i, u in enumerate(staff))
        )
        presses = [u.press(m, text="✅ 提交") for u, m in zip(staff, summaries, strict=True)]
        await asyncio.gather(*presses)  # all in the same instant
        acks = await asyncio.gather(
            *(u.wait_for(lambda m: "已挂号" in m.text, timeout=30) for u in staff)
        )
        numbers = {a.text.split("№")[1].split("。")[0] for a in acks}
        assert len(numbers) == 20
        assert count(world.db_path, "SELECT COUNT(*) FROM problems") == 20
        # Telegram's limits were met by pacing: no 429 reached the bot, or it was obeyed
        assert all(c.status in (0, 429) for c in sandbox.errors), sandbox.errors[:3]
        answers = sandbox.calls_of("answerCallbackQuery")
        assert answers and all(c.ok for c in answers)
    finally:
        await world.bot.stop()
        await sandbox.stop()


@pytest.mark.e2e
async def test_a_fault_mix_loses_no_acknowledged_action(tmp_path: Path) -> None:
    sandbox, world = await make_world(tmp_path)
    try:
        staff = await world.join("staff", 101, "陈经理", Role.STAFF, "华光<精密>&机械")
        envoy = await world.join("envoy", 201, "李雷", Role.ENVOY, "李雷")
        sandbox.set_faults(rate=0.1, seed=9, timeout_seconds=0.3)
        numbers = [
            await report(world, staff, "其他", f"园区道路积水影响运输 {i}") for i in range(6)
        ]
        for number in numbers:
            card = await envoy.wait_for(
                lambda m, n=number: n in m.text and "新问题" in m.text, after_count=0, timeout=20
            )
            await act(envoy, card.message_id, "受理·1级", expect="已受理")
            await staff.wait_for(
                lambda m, n=number: n in m.text and "已由特派员" in m.text,
                after_count=0,
                timeout=20,
            )
        sandbox.clear_faults()
        await world.bot.settle(20)
        assert sandbox.faults.stats()["injected"] > 0
        assert count(world.db_path, "SELECT COUNT(*) FROM problems") == 6
        assert count(world.db_path, "SELECT COUNT(*) FROM outbox WHERE failed_at IS NOT NULL") == 0
    finally:
        await world.bot.stop()
        await sandbox.stop()


@pytest.mark.e2e
async def test_killed_between_commit_and_number_the_number_arrives_after_restart(
    tmp_path: Path,
) -> None:
    sandbox, world = await make_world(tmp_path)
    try:
        staff, env, bot = await staff_beside_a_process(world, tmp_path)
        summary = await to_summary(staff, "厂区变压器容量不足影响投产")
        sandbox.set_delay("editMessageText", 30)  # the number's edit hangs in flight
        await staff.press(summary, text="✅ 提交")
        await until(lambda: count(world.db_path, "SELECT COUNT(*) FROM problems") == 1, 30)
        bot.send_signal(signal.SIGKILL)  # committed, number not shown
        await bot.wait()
        assert not [m for m in staff.messages if "已挂号" in m.text]
        sandbox.set_delay("editMessageText", 0)
        bot = await spawn(env, tmp_path)
        ack = await staff.wait_for(lambda m: "已挂号" in m.text, after_count=0, timeout=30)
        assert "-0001" in ack.text  # the first problem of the year
        await stop(bot)
        assert count(world.db_path, "SELECT COUNT(*) FROM problems") == 1
    finally:
        await world.bot.stop()
        await sandbox.stop()


@pytest.mark.e2e
async def test_killed_the_instant_a_prompt_appears_the_step_was_saved(tmp_path: Path) -> None:
    sandbox, world = await make_world(tmp_path)
    try:
        staff, env, bot = await staff_beside_a_process(world, tmp_path)
        await staff.send_text("/report")
        cats = await staff.wait_for(lambda m: "类别" in m.text and bool(m.buttons), timeout=30)
        await staff.press(cats.message_id, text="融资")
        await staff.wait_for(lambda m: "描述" in m.text, since=0, timeout=30)
        await staff.send_text("设备更新贷款贴息政策迟迟未落实")
        await staff.wait_for(lambda m: "照片或文件" in m.text, timeout=30)
        bot.send_signal(signal.SIGKILL)  # the very moment the attachments prompt is seen
        await bot.wait()
        bot = await spawn(env, tmp_path)
        seen = staff.sent_count
        await staff.send_document(b"%PDF-1.4\n", "invoice.pdf", "application/pdf")
        got = await staff.wait_for(after_count=seen, timeout=30)
        assert "已收到第 1 个附件" in got.text, got.text  # not "please describe" again
        await stop(bot)
    finally:
        await world.bot.stop()
        await sandbox.stop()
