"""The operator in the chat: /invite list and revoke, a revoked link's answer, the guest's user
id for ENVOYBOT_ADMINS, and /export saying at once that the file is coming."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from domain.models import Role
from handlers import reports
from tests.e2e.conftest import World
from tests.e2e.test_admin import ask


async def test_admin_lists_and_revokes_invites_and_the_link_says_so(people: World) -> None:
    admin, envoy = people.people["admin"], people.people["envoy"]
    assert "没有尚未使用的邀请码" in (await ask(admin, "/invite list")).text
    western = await people.invite(Role.STAFF, "西山化工")
    eastern = await people.invite(Role.STAFF, "东方🏭物流")
    zhao = await people.invite(Role.LEAD, "经开区工作队")

    listed = await ask(admin, "/invite list")
    assert "尚未使用的邀请码（3 个）" in listed.text
    assert f"<code>{zhao}</code>" not in listed.text  # HTML rendered, not shown as tags
    assert zhao in listed.text and "[队长] 赵强 · 经开区工作队" in listed.text
    labels = [label for label, _ in listed.buttons]
    assert f"撤销：西山化工（{western[:6]}…）" in labels
    await admin.press(listed.message_id, text=f"撤销：西山化工（{western[:6]}…）")
    redrawn = await admin.wait_for(lambda m: "（2 个）" in m.text, after_count=0)
    assert redrawn.message_id == listed.message_id and western not in redrawn.text

    done = await ask(admin, "/invite revoke 东方🏭物流")
    assert "已撤销 1 个邀请码" in done.text
    assert "没有可撤销的邀请码" in (await ask(admin, "/invite revoke 东方🏭物流")).text
    assert "市级协调" in (await ask(envoy, "/invite list")).text  # admins only

    newcomer = people.sandbox.user(778, "新联系人")
    assert "已被撤销" in (await ask(newcomer, f"/start {western}")).text
    assert "已被撤销" in (await ask(newcomer, f"/start {eastern}")).text
    assert "绑定成功" in (await ask(newcomer, f"/start {zhao}")).text
    assert not people.sandbox.errors, people.sandbox.errors


async def test_an_unbound_account_is_told_its_user_id(world: World) -> None:
    stranger = world.sandbox.user(4242, "未来的管理员")
    answer = await ask(stranger, "/start")
    assert "邀请链接" in answer.text and "您的 Telegram 用户 ID：4242" in answer.text


async def test_export_says_at_once_that_the_file_is_coming(
    people: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    admin = people.people["admin"]
    release = asyncio.Event()
    real = reports.build_export

    async def slow_export(*args: Any, **kwargs: Any) -> bytes:
        await release.wait()  # a big programme's workbook, still being written
        return await real(*args, **kwargs)

    monkeypatch.setattr(reports, "build_export", slow_export)
    seen = admin.sent_count
    await admin.send_text("/export")
    note = await admin.wait_for(after_count=seen)
    assert "正在生成 Excel 问题清单" in note.text and note.document is None
    release.set()
    doc = await admin.wait_for(lambda m: m.document is not None, after_count=seen)
    assert doc.document is not None and doc.document["file_name"].endswith(".xlsx")
    assert not people.sandbox.errors, people.sandbox.errors
