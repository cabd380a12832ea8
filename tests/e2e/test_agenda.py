"""Issue #11: the dispatch meeting's agenda (问题分办会议) in the chat and as a sheet."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from urllib.parse import unquote

from openpyxl import load_workbook

from tests.e2e.conftest import World
from tests.e2e.test_departments import depts, dispatch, new_dispatch, step
from tests.e2e.test_lifecycle import act, open_card
from tests.e2e.test_story import report

__all__ = ["depts"]


async def accepted(world: World, description: str, tier: int) -> str:
    staff, envoy = world.people["staff"], world.people["envoy"]
    number = await report(world, staff, "项目审批", description)
    card = await envoy.wait_for(lambda m: number in m.text and "新问题" in m.text, after_count=0)
    await act(envoy, card.message_id, f"受理·{tier}级", expect="已受理")
    return number


async def test_agenda_lists_open_tier3_and_overdue_tier2_oldest_first(depts: World) -> None:
    admin, lead, customs = depts.people["admin"], depts.people["lead"], depts.people["customs"]
    late = await accepted(depts, "二级问题：排污许可证续期迟迟没有批复", 2)  # due 03-05 10:00
    depts.clock.advance(timedelta(hours=1))
    city = await accepted(depts, "三级问题：跨区输电线路走廊需要市级协调", 3)  # due 03-09 11:00
    small = await accepted(depts, "一级问题：厂区路灯损坏需要更换", 1)  # tier 1: never on it
    await dispatch(admin, await open_card(admin, city), ["海关"], "请配合核查", "同问题时限")
    await step(customs, (await new_dispatch(customs, city)).message_id, "✍️ 签收", None, "已签收")
    depts.clock.advance(timedelta(days=4))  # 03-06 11:00: the tier-2 one is overdue
    fresh = await accepted(depts, "二级问题：新的环评材料需要补正", 2)  # tier 2, not late

    seen = admin.sent_count
    await admin.send_text("/agenda")
    listing = await admin.wait_for(lambda m: "问题分办会议议程" in m.text, after_count=seen)
    text = listing.text
    assert "2 个问题" in text
    assert text.index(late) < text.index(city)  # the oldest first
    assert small not in text and fresh not in text
    assert f"1. 🔴 №{late}" in text and "已办 4.0 天" in text
    assert f"2. ⚪ №{city}" in text and "已办 4.0 天" in text
    assert "已派：海关（已签收，办理中）" in text and "最近：" in text
    labels = [label for label, _ in listing.buttons]
    assert labels == [f"📤 派单 №{late}", f"📤 派单 №{city}"]

    doc = await admin.wait_for(lambda m: m.document is not None, after_count=seen)
    assert doc.document is not None
    assert unquote(doc.document["file_name"]) == "分办会议议程-20260306.xlsx"
    book = load_workbook(io.BytesIO(await admin.download(doc.document["file_id"])))
    sheet = book["分办会议议程"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == [
        "序号",
        "编号",
        "企业",
        "类别",
        "层级",
        "状态",
        "特派员",
        "登记时间",
        "已办天数",
        "办结期限",
        "已派部门",
        "最近办理记录",
        "链接",
    ]
    assert len(rows) == 3
    first, second = rows[1], rows[2]
    assert first[:7] == [1, late, "华光<精密>&机械", "项目审批", "2 级", "办理中", "李雷"]
    assert first[7] == datetime(2026, 3, 2, 10, 0) and first[8] == 4.0
    assert first[9] == datetime(2026, 3, 5, 10, 0) and first[10] is None
    assert "受理分级" in first[11] and first[12] == "在机器人中打开"
    assert second[:7] == [2, city, "华光<精密>&机械", "项目审批", "3 级", "办理中", "李雷"]
    assert second[7] == datetime(2026, 3, 2, 11, 0) and second[8] == 4.0
    assert second[9] == datetime(2026, 3, 9, 11, 0)
    assert second[10] == "海关（已签收，办理中）"
    steps = second[11].split("\n")
    assert len(steps) == 3 and "派单（海关）" in steps[1] and "部门签收（海关）" in steps[2]
    bot = depts.sandbox.bot_username
    link = sheet.cell(row=2, column=13).hyperlink
    assert link is not None and link.target == f"https://t.me/{bot}?start=pr_2026_0001"
    assert sheet.cell(row=2, column=1).fill.fgColor.rgb.endswith("FFC7CE")  # red: overdue
    assert sheet.cell(row=3, column=1).fill.fgColor.rgb.endswith("FFFFFF")

    # one tap on the agenda opens the dispatch picker
    seen = admin.sent_count
    await admin.press(listing.message_id, text=f"📤 派单 №{late}")
    await admin.wait_for(lambda m: "请选择要派" in m.text and late in m.text, after_count=seen)
    # the sheet's link opens the problem for whoever may see it
    seen = admin.sent_count
    await admin.send_text("/start pr_2026_0001")
    card = await admin.wait_for(lambda m: "办理记录" in m.text, after_count=seen)
    assert f"№{late}" in card.text
    seen = customs.sent_count
    await customs.send_text("/start pr_2026_0001")  # not sent to customs
    assert f"找不到问题 №{late}" in (await customs.wait_for(after_count=seen)).text
    seen = customs.sent_count
    await customs.send_text(f"/start pr_{city.replace('-', '_')}")
    assert "派单 №" in (await customs.wait_for(after_count=seen)).text

    seen = lead.sent_count
    await lead.send_text("/agenda")
    assert "只供市级协调" in (await lead.wait_for(after_count=seen)).text
