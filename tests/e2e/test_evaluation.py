"""Issue #11: the bi-monthly evaluation (双月评议) reaches the admins on the 1st, as a sheet too."""

from __future__ import annotations

import io
from datetime import timedelta

from openpyxl import load_workbook

from tests.e2e.conftest import World
from tests.e2e.test_departments import depts, dispatch, new_dispatch, step, tier3
from tests.e2e.test_lifecycle import act, open_card
from tests.e2e.test_reminders import at, tick_at

__all__ = ["depts"]


def evaluations(world: World, key: str) -> list[str]:
    return [m.text for m in world.people[key].messages if "职能部门双月评议" in m.text]


async def test_ranking_by_on_time_rate_and_satisfaction_on_the_first(depts: World) -> None:
    staff, envoy, admin = (depts.people[k] for k in ("staff", "envoy", "admin"))
    customs, commerce, land = (depts.people[k] for k in ("customs", "commerce", "land"))
    first = await tier3(depts, "保税物流中心扩区需要多个部门联合审核")
    await dispatch(
        admin, await open_card(admin, first), ["海关", "商务局", "自然资源局"], "请审核", "3 天"
    )
    c1 = await new_dispatch(customs, first)
    await step(customs, c1.message_id, "✍️ 签收", None, "已签收")
    b1 = await new_dispatch(commerce, first)
    await step(commerce, b1.message_id, "↩️ 退回", "不属于本部门", "已退回")
    await step(land, (await new_dispatch(land, first)).message_id, "✍️ 签收", None, "已签收")

    second = await tier3(depts, "港区道路改线需要海关和自然资源局配合")
    await dispatch(admin, await open_card(admin, second), ["海关", "自然资源局"], "请配合", "1 天")
    c2 = await new_dispatch(customs, second)
    l2 = await new_dispatch(land, second)
    await step(customs, c2.message_id, "✍️ 签收", None, "已签收")
    await step(land, l2.message_id, "✍️ 签收", None, "已签收")
    depts.clock.advance(timedelta(hours=1))
    await step(land, l2.message_id, "✅ 本部门办结", "用地已核实", "本部门对")  # 1 h
    depts.clock.advance(timedelta(hours=1))
    await step(customs, c1.message_id, "✅ 本部门办结", "已审核", "本部门对")  # 2 h
    depts.clock.advance(timedelta(hours=2))
    await step(customs, c2.message_id, "✅ 本部门办结", "已放行", "本部门对")  # 4 h
    seen = staff.sent_count
    await act(envoy, await open_card(envoy, second), "✅ 标记办结", "道路已改线", "已标记办结")
    ask = await staff.wait_for(lambda m: "道路已改线" in m.text, after_count=seen)
    await act(staff, ask.message_id, "👍 已解决", expect="已销号")
    await act(staff, ask.message_id, "4⭐", expect="谢谢您的评价")
    # the land department never answers the first one: overdue from 03-05 10:00 on

    await tick_at(depts, at("05-01 08:59"))
    assert evaluations(depts, "admin") == []
    await tick_at(depts, at("05-01 09:00"))
    (text,) = evaluations(depts, "admin")
    assert "2026-03-01 至 2026-04-30" in text and "派单 5 个" in text
    lines = [line for line in text.split("\n") if line[:2] in ("1.", "2.", "3.")]
    assert lines == [
        "1. 海关：按时率 100.00 %（2/2）· 满意度 4.00 / 5 · 派单 2 · 逾期 0 · 退回 0"
        " · 用时中位数 3.0 小时",
        "2. 自然资源局：按时率 50.00 %（1/2）· 满意度 4.00 / 5 · 派单 2 · 逾期 1 · 退回 0"
        " · 用时中位数 1.0 小时",
        "3. 商务局：按时率 —（0/0）· 满意度 — · 派单 1 · 逾期 0 · 退回 1 · 用时中位数 —",
    ]
    doc = next(m for m in reversed(admin.messages) if m.document is not None)
    assert doc.caption == "职能部门双月评议（2026-03-01 至 2026-04-30）"
    assert doc.document is not None
    book = load_workbook(io.BytesIO(await admin.download(doc.document["file_id"])))
    sheet = book["双月评议"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows == [
        [
            "名次",
            "部门",
            "派单",
            "签收",
            "办结",
            "按时办结",
            "逾期未办",
            "退回",
            "按时率",
            "办结用时中位数（天）",
            "满意度",
            "评价数",
        ],
        [1, "海关", 2, 2, 2, 2, 0, 0, "100.00 %", 0.1, 4.0, 1],
        [2, "自然资源局", 2, 2, 1, 1, 1, 0, "50.00 %", 0.0, 4.0, 1],
        [3, "商务局", 1, 0, 0, 0, 0, 1, "—", None, None, 0],
    ]

    # once per period and only to the admins
    await tick_at(depts, at("05-01 10:00"))
    await depts.restart()
    await tick_at(depts, at("05-01 11:00"))
    assert len(evaluations(depts, "admin")) == 1
    for key in ("staff", "envoy", "lead", "customs", "commerce", "land"):
        assert evaluations(depts, key) == [], key
