"""Issue #2's story: roster → invites → report with a photo → envoy accepts → /my → restart."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest

from sandbox import SimUser
from tests.e2e.conftest import World, png


@pytest.fixture
def world_engine(engine: str) -> str:
    """The story runs on SQLite and on PostgreSQL."""
    return engine


async def report(
    world: World, user: SimUser, category: str, description: str, photo: bytes | None = None
) -> str:
    """Play /report through every step; return the registered number."""
    await user.send_text("/report")
    cats = await user.wait_for(lambda m: "类别" in m.text and bool(m.buttons))
    await user.press(cats.message_id, text=category)
    await user.wait_for(lambda m: "描述" in m.text, since=0)
    await user.send_text(description)
    files = await user.wait_for(lambda m: "照片或文件" in m.text)
    if photo is not None:
        await user.send_photo(photo)
        files = await user.wait_for(lambda m: "已收到第 1 个附件" in m.text)
        await user.press(files.message_id, text="完成")
    else:
        await user.press(files.message_id, text="跳过附件")
    summary = await user.wait_for(lambda m: "请核对" in m.text)
    assert html.escape(description, quote=False) in summary.html
    assert description in summary.text
    await user.press(summary.message_id, text="✅ 提交")
    done = await user.wait_for(lambda m: "已挂号" in m.text)
    number = done.text.split("№")[1].split("。")[0]
    return number


async def test_whole_story(people: World) -> None:
    staff, envoy = people.people["staff"], people.people["envoy"]
    description = "设备进口<清关>受阻 & 急需协调海关，已经耽误 3 天了 🚢"
    seen_envoy = envoy.sent_count
    number = await report(people, staff, "通关物流", description, photo=png())
    assert number.startswith("2026-")

    # the envoy gets the photo and the card with Accept buttons (both envoys of the enterprise)
    card = await envoy.wait_for(
        lambda m: number in m.text and "新问题" in m.text, after_count=seen_envoy
    )
    assert any(m.photo for m in envoy.messages), "the photo was not forwarded"
    assert "华光&lt;精密&gt;&amp;机械" in card.html
    assert description in card.text
    assert [t for t, _ in card.buttons][:3] == ["受理·1级", "受理·2级", "受理·3级"]
    other_envoy = people.people["envoy2"]
    await other_envoy.wait_for(lambda m: number in m.text, after_count=0)

    seen_staff = staff.sent_count
    await envoy.press(card.message_id, text="受理·2级")
    await envoy.wait_for(lambda m: "已受理" in m.text)
    told = await staff.wait_for(lambda m: "已由特派员" in m.text, after_count=seen_staff)
    # T0 is 10:00 Shanghai on 2026-03-02; tier 2 = 3 calendar days
    assert "2026-03-05 10:00" in told.text

    await staff.send_text("/my")
    mine = await staff.wait_for(lambda m: "本企业的问题" in m.text)
    assert number in mine.text and "办理中" in mine.text and "2026-03-05 10:00" in mine.text

    # a second report, interrupted by a restart after the description
    await staff.send_text("/report")
    cats = await staff.wait_for(lambda m: "请选择问题类别" in m.text)
    await staff.press(cats.message_id, text="融资")
    await staff.wait_for(lambda m: "请描述" in m.text)
    await staff.send_text("流动资金贷款审批慢，希望协调银行")
    await staff.wait_for(lambda m: "照片或文件" in m.text)
    await people.restart()
    people.clock.advance(timedelta(minutes=5))
    await staff.send_document(b"%PDF-1.4 test", "申请材料.pdf", "application/pdf")
    files = await staff.wait_for(lambda m: "已收到第 1 个附件" in m.text)
    await staff.press(files.message_id, text="完成")
    summary = await staff.wait_for(lambda m: "请核对" in m.text)
    assert "流动资金贷款审批慢" in summary.text and "融资" in summary.text
    await staff.press(summary.message_id, text="✅ 提交")
    second = await staff.wait_for(lambda m: "已挂号" in m.text)
    assert "2026-0002" in second.text
    assert not [c for c in people.sandbox.errors if "parse" in (c.error or "")]
