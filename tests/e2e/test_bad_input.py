"""Bad input gets a clear answer in the user's language and changes nothing."""

from __future__ import annotations

from domain.models import Role
from sandbox import SimMessage, SimUser
from tests.e2e.conftest import World
from tests.e2e.test_story import report


async def ask(user: SimUser, text: str) -> SimMessage:
    """Send text; the bot's first new message after it (not an edit of an older one)."""
    seen = user.sent_count
    sent = await user.send_text(text)
    return await answer_to(user, sent, seen)


async def answer_to(user: SimUser, sent: int, seen: int) -> SimMessage:
    """The bot's first message after the user's message `sent` (edits of older ones skipped)."""
    return await user.wait_for(lambda m: m.message_id > sent, after_count=seen)


def with_button(user: SimUser, label: str) -> SimMessage:
    """The one message that still offers this button (older copies lost theirs)."""
    found = [m for m in user.messages if label in [text for text, _ in m.buttons]]
    assert len(found) == 1, [(m.message_id, m.text[:40]) for m in found]
    return found[0]


async def test_an_invite_works_once_and_strangers_get_help(world: World) -> None:
    code = await world.invite(Role.STAFF, "西山化工")
    first = world.sandbox.user(501, "First", language_code="en")
    assert "enterprise contact" in (await ask(first, f"/start {code}")).text
    second = world.sandbox.user(502, "Second", language_code="zh-hans")
    assert "已经被使用过" in (await ask(second, f"/start {code}")).text
    assert "无效" in (await ask(second, "/start not-a-real-code")).text
    assert "无效" in (await ask(second, "/start <script>'; DROP TABLE invites;--")).text
    assert "邀请链接" in (await ask(second, "/report")).text  # not bound: nothing but help
    assert "邀请链接" in (await ask(second, "/inbox")).text
    assert "already has a role" in (await ask(first, f"/start {code}")).text
    account = await world.bot.services.accounts.get(502)
    assert account is None


async def test_unexpected_input_at_each_report_step_gets_a_hint(people: World) -> None:
    staff = people.people["staff"]
    await staff.send_text("/report")
    await staff.wait_for(lambda m: "请选择问题类别" in m.text)
    assert "按钮" in (await ask(staff, "融资")).text  # text where a button is expected
    seen = staff.sent_count
    sent = await staff.send_sticker()
    assert "按钮" in (await answer_to(staff, sent, seen)).text
    assert "/cancel" in (await ask(staff, "/inbox")).text  # a command mid-report
    await staff.press(with_button(staff, "融资").message_id, text="融资")
    await staff.wait_for(lambda m: "请描述" in m.text)
    assert "太短" in (await ask(staff, "短")).text
    assert "太长" in (await ask(staff, "长" * 3001)).text
    seen = staff.sent_count
    sent = await staff.send_photo(b"\x89PNG fake")
    assert "文字" in (await answer_to(staff, sent, seen)).text
    await staff.send_text("\u202eRTL 测试 שלום <b>粗体</b> ' OR 1=1 -- 😀 需要帮助")
    await staff.wait_for(lambda m: "照片或文件" in m.text)
    seen = staff.sent_count
    sent = await staff.send_document(b"MZ\x90\x00binary", "virus.exe", "application/x-msdownload")
    assert "只接受" in (await answer_to(staff, sent, seen)).text
    assert "照片或文件" in (await ask(staff, "hello")).text
    await staff.press(with_button(staff, "跳过附件").message_id, text="跳过附件")
    summary = await staff.wait_for(lambda m: "请核对" in m.text)
    assert "&lt;b&gt;粗体&lt;/b&gt;" in summary.html and "😀" in summary.text
    hint = await ask(staff, "提交")
    assert "请点击" in hint.text
    assert not staff.message(summary.message_id).buttons  # the hint's keyboard replaced it
    await staff.press(hint.message_id, text="取消")
    await staff.wait_for(lambda m: "已取消" in m.text)
    enterprise = await people.bot.services.org.enterprise_by_name("华光<精密>&机械")
    assert enterprise is not None
    problems, total = await people.bot.services.problems.for_enterprise(enterprise.id, limit=10)
    assert total == 0 and problems == []
    assert not [c for c in people.sandbox.errors if "parse" in (c.error or "").lower()]


async def test_unknown_commands_and_stray_input_are_answered(people: World) -> None:
    envoy, other = people.people["envoy"], people.people["other_staff"]
    assert "没有这个命令" in (await ask(envoy, "/frobnicate")).text
    assert "no such command" in (await ask(other, "/frobnicate")).text
    assert "did not understand" in (await ask(other, "hello?")).text
    assert "/problem" in (await ask(envoy, "/problem")).text
    assert "找不到" in (await ask(envoy, "/problem 2026-9999")).text
    assert "用法" in (await ask(envoy, "/problem ' OR 1=1")).text
    assert "/inbox" in (await ask(envoy, "/my")).text
    assert "nothing to cancel" in (await ask(other, "/cancel")).text.lower()
    seen = envoy.sent_count
    query = await envoy.press_forged(envoy.last.message_id, "zz:unknown")
    assert (await envoy.wait_answer(query)).show_alert
    del seen


async def test_long_lists_are_paginated_within_telegram_limits(people: World) -> None:
    staff, envoy = people.people["staff"], people.people["envoy"]
    for i in range(12):
        await report(people, staff, "其他", f"第 {i} 个问题：" + "很长的描述" * 50)
    await envoy.wait_for(lambda m: "2026-0012" in m.text, after_count=0)
    inbox = await ask(envoy, "/inbox")
    assert "第 1/2 页" in inbox.text and len(inbox.text) <= 4096
    assert any(t == "▶" for t, _ in inbox.buttons)
    await envoy.press(inbox.message_id, text="▶")
    page2 = await envoy.wait_for(lambda m: "第 2/2 页" in m.text, after_count=0)
    assert page2.message_id == inbox.message_id  # edited in place
    # the burst may meet flood control: PTB's rate limiter waited and retried, nothing else failed
    assert all(c.status == 429 for c in people.sandbox.errors), people.sandbox.errors
