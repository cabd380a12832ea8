"""Issue #11: dispatch orders (派单) to departments, played end to end through Telegram."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from domain.models import DispatchState, Role
from sandbox import SimMessage, SimUser
from storage.db import Database
from tests.e2e.conftest import World, png
from tests.e2e.test_admin import ask, ask_file
from tests.e2e.test_lifecycle import act, open_card
from tests.e2e.test_story import report
from usecases.roster import import_roster

DEPARTMENTS = "部门,联系人,联系电话\n海关,刘海,13900000001\n商务局,王商,\n自然资源局,林地,\n"


@pytest.fixture
async def depts(people: World, tmp_path: Path) -> World:
    """The usual cast plus one person in each of three departments."""
    roster = tmp_path / "departments.csv"
    roster.write_text(DEPARTMENTS, encoding="utf-8")
    db = Database(people.db_path)
    await db.open()
    try:
        imported = await import_roster(db, roster)
    finally:
        await db.close()
    assert imported.ok, imported.errors
    await people.join("customs", 401, "刘海", Role.DEPARTMENT, "海关")
    await people.join("commerce", 402, "王商", Role.DEPARTMENT, "商务局")
    await people.join("land", 403, "林地", Role.DEPARTMENT, "自然资源局")
    return people


async def tier3(world: World, description: str) -> str:
    staff, envoy = world.people["staff"], world.people["envoy"]
    number = await report(world, staff, "通关物流", description)
    card = await envoy.wait_for(lambda m: number in m.text and "新问题" in m.text, after_count=0)
    await act(envoy, card.message_id, "受理·3级", expect="已受理")
    return number


async def dispatch(
    admin: SimUser, message_id: int, departments: list[str], note: str, due: str
) -> None:
    """Play the picker: departments, Next, the note, the deadline button."""
    seen = admin.sent_count
    await admin.press(message_id, text="📤 派单")
    picker = await admin.wait_for(lambda m: "请选择要派" in m.text, after_count=seen)
    for name in departments:
        await admin.press(picker.message_id, text=name)
        picker = await admin.wait_for(
            lambda m, name=name, shown=picker.message_id: (
                m.message_id == shown and any(label == f"✅ {name}" for label, _ in m.buttons)
            )
        )
    seen = admin.sent_count
    await admin.press(picker.message_id, text=f"下一步（已选 {len(departments)} 个）")
    await admin.wait_for(lambda m: "派单说明" in m.text, after_count=seen)
    seen = admin.sent_count
    await admin.send_text(note)
    ask = await admin.wait_for(lambda m: "部门办理时限" in m.text, after_count=seen)
    label = next(label for label, _ in ask.buttons if label.startswith(due))
    await admin.press(ask.message_id, text=label)
    await admin.wait_for(lambda m: "📤 已把" in m.text)


async def step(
    user: SimUser, message_id: int, button: str, note: str | None, expect: str
) -> SimUser:
    seen = user.sent_count
    await user.press(message_id, text=button)
    if note is not None:
        await user.wait_for(lambda m: "请" in m.text, after_count=seen)
        await user.send_text(note)
    await user.wait_for(lambda m: expect in m.text)
    return user


async def new_dispatch(user: SimUser, number: str) -> SimMessage:
    return await user.wait_for(lambda m: "新派单" in m.text and number in m.text, after_count=0)


async def department_stats(user: SimUser) -> str:
    """/stats, then its department breakdown."""
    seen = user.sent_count
    await user.send_text("/stats")
    shown = await user.wait_for(lambda m: "📊" in m.text, after_count=seen)
    if "按职能部门" not in shown.text:
        await user.press(shown.message_id, text="按职能部门")
        shown = await user.wait_for(
            lambda m: m.message_id == shown.message_id and "按职能部门" in m.text
        )
    return shown.text


def in_order(text: str, words: list[str]) -> None:
    cursor = 0
    for word in words:
        assert word in text[cursor:], (word, text[cursor:])
        cursor = text.index(word, cursor) + len(word)


async def whole_timeline(user: SimUser, number: str) -> str:
    """Every page of a problem's timeline as the user sees it."""
    message_id = await open_card(user, number)
    text = user.message(message_id).text
    pages = [text]
    while "▶" in [label for label, _ in user.buttons(message_id)]:
        before = user.message(message_id).text
        await user.press(message_id, text="▶")
        await user.wait_for(
            lambda m, before=before: m.message_id == message_id and m.text != before
        )
        pages.append(user.message(message_id).text)
    return "\n".join(pages)


async def test_joint_handling_return_redispatch_resolve_confirm(depts: World) -> None:
    staff, envoy, admin = (depts.people[k] for k in ("staff", "envoy", "admin"))
    customs, commerce, land = (depts.people[k] for k in ("customs", "commerce", "land"))
    number = await tier3(depts, "进口设备滞留港口两周，需要海关和商务部门联合协调")
    problem = await depts.bot.services.problems.by_number(number)
    assert problem is not None

    # the admin dispatches to two departments, deadline = the problem's own
    seen_envoy = envoy.sent_count
    await dispatch(
        admin, await open_card(admin, number), ["海关", "商务局"], "请协调<清关>", "同问题时限"
    )
    card1 = await customs.wait_for(lambda m: "新派单" in m.text and number in m.text, after_count=0)
    card2 = await commerce.wait_for(
        lambda m: "新派单" in m.text and number in m.text, after_count=0
    )
    assert "请协调&lt;清关&gt;" in card1.html and "进口设备滞留港口" in card1.text
    assert "办理记录" in card1.text and "受理分级" in card1.text  # the history comes along
    assert [label for label, _ in card1.buttons][:2] == ["✍️ 签收", "↩️ 退回"]
    told = await envoy.wait_for(lambda m: "已派给" in m.text, after_count=seen_envoy)
    assert "海关" in told.text and "商务局" in told.text and "2026-03-09 10:00" in told.text
    assert not [m for m in land.messages if number in m.text]  # not theirs

    # customs signs and finishes with a file; commerce returns it
    await step(customs, card1.message_id, "✍️ 签收", None, "已签收")
    signed = customs.message(card1.message_id)
    assert "已签收，办理中" in signed.text and "✅ 本部门办结" in [b for b, _ in signed.buttons]
    depts.clock.advance(timedelta(hours=2))  # customs answers two hours after the dispatch
    seen = customs.sent_count
    await customs.press(card1.message_id, text="✅ 本部门办结")
    await customs.wait_for(lambda m: "办结说明" in m.text, after_count=seen)
    await customs.send_photo(png())
    await customs.wait_for(lambda m: "已收到第 1 个附件" in m.text)
    await customs.send_text("设备已查验放行")
    await customs.wait_for(lambda m: "本部门对" in m.text and "已办结" in m.text)
    done = await envoy.wait_for(lambda m: "海关 已办结" in m.text, after_count=0)
    assert "设备已查验放行" in done.text
    assert any(m.photo for m in envoy.messages)

    seen_admin = admin.sent_count
    await step(commerce, card2.message_id, "↩️ 退回", "不属于本部门，应由自然资源局办理", "已退回")
    back = await admin.wait_for(lambda m: "退回了" in m.text, after_count=seen_admin)
    assert "自然资源局" in back.text
    await envoy.wait_for(lambda m: "商务局 退回了" in m.text, after_count=0)

    # the admin sends it on to the third department, straight from the return notice
    seen = admin.sent_count
    await admin.press(back.message_id, text="📤 改派其他部门")
    picker = await admin.wait_for(lambda m: "请选择要派" in m.text, after_count=seen)
    assert "海关" in [label for label, _ in picker.buttons]  # done ones may be sent again
    await admin.press(picker.message_id, text="自然资源局")
    await admin.wait_for(lambda m: any(b == "✅ 自然资源局" for b, _ in m.buttons))
    seen = admin.sent_count
    await admin.press(picker.message_id, text="下一步（已选 1 个）")
    await admin.wait_for(lambda m: "派单说明" in m.text, after_count=seen)
    seen = admin.sent_count
    await admin.send_text("请核实用地手续")
    ask = await admin.wait_for(lambda m: "部门办理时限" in m.text, after_count=seen)
    await admin.press(ask.message_id, text="3 天")
    await admin.wait_for(lambda m: "📤 已把" in m.text and "自然资源局" in m.text)
    card3 = await new_dispatch(land, number)
    assert "2026-03-05 12:00" in card3.text  # three days from now (T0 + 2 h)
    await step(land, card3.message_id, "✍️ 签收", None, "已签收")
    depts.clock.advance(timedelta(hours=3))  # land answers three hours after its dispatch
    await step(land, card3.message_id, "✅ 本部门办结", "用地手续已补齐", "本部门对")

    # the envoy still resolves; the enterprise still confirms
    seen_staff = staff.sent_count
    await act(envoy, await open_card(envoy, number), "✅ 标记办结", "各部门均已办结", "已标记办结")
    ask = await staff.wait_for(lambda m: "各部门均已办结" in m.text, after_count=seen_staff)
    await act(staff, ask.message_id, "👍 已解决", expect="已销号")
    await act(staff, ask.message_id, "4⭐", expect="谢谢您的评价")

    timeline = await whole_timeline(admin, number)
    in_order(
        timeline,
        [
            "挂号",
            "受理分级",
            "派单（海关）",
            "派单（商务局）",
            "部门签收（海关）",
            "部门办结（海关）",
            "设备已查验放行",
            "部门退回（商务局）",
            "不属于本部门",
            "派单（自然资源局）",
            "部门签收（自然资源局）",
            "部门办结（自然资源局）",
            "办结",
            "企业确认解决",
        ],
    )
    dispatches = await depts.bot.services.dispatches.for_problem(problem.id)
    assert [(d.department_name, d.state) for d in dispatches] == [
        ("海关", DispatchState.DONE),
        ("商务局", DispatchState.RETURNED),
        ("自然资源局", DispatchState.DONE),
    ]

    # after its return, commerce sees the problem as it let it go, and no later step
    seen_view = await whole_timeline(commerce, number)
    assert "部门退回（商务局）" in seen_view and "已退回" in seen_view
    for later in ("派单（自然资源局）", "用地手续", "企业确认解决", "已销号", "各部门均已办结"):
        assert later not in seen_view, later
    assert not [b for b, _ in commerce.buttons(commerce.last) if b.startswith(("✍️", "✅", "↩️"))]
    # while the land department, sent it later, reads the history before it came
    assert "部门退回（商务局）" in await whole_timeline(land, number)

    # the department figures, as the test played them: customs answered in 2 h, land in 3 h,
    # both before their deadlines; commerce returned it unsigned; the enterprise gave 4 stars
    expected = {
        "海关": "派单 1 · 签收 1 · 办结 1（按时 1）· 逾期 0 · 退回 0 · 按时率 100.00 %"
        " · 用时中位数 2.0 小时 · 满意度 4.00 / 5",
        "商务局": "派单 1 · 签收 0 · 办结 0（按时 0）· 逾期 0 · 退回 1 · 按时率 —"
        " · 用时中位数 — · 满意度 —",
        "自然资源局": "派单 1 · 签收 1 · 办结 1（按时 1）· 逾期 0 · 退回 0 · 按时率 100.00 %"
        " · 用时中位数 3.0 小时 · 满意度 4.00 / 5",
    }
    figures = await department_stats(admin)
    for name, line in expected.items():
        assert f"{name}：{line}" in figures, (name, figures)
    own = await department_stats(customs)
    assert f"海关：{expected['海关']}" in own and "商务局" not in own and "自然资源局" not in own


async def test_a_department_cannot_see_or_act_on_what_was_not_sent_to_it(depts: World) -> None:
    admin, customs, commerce = (depts.people[k] for k in ("admin", "customs", "commerce"))
    sent = await tier3(depts, "出口退税迟迟未到账，需要海关出具证明材料")
    other = await tier3(depts, "新厂区用地指标不足，影响二期项目开工建设")
    await dispatch(admin, await open_card(admin, sent), ["海关"], "请出具证明", "同问题时限")
    card = await new_dispatch(customs, sent)
    services = depts.bot.services
    hidden = await services.problems.by_number(other)
    visible = await services.problems.by_number(sent)
    assert hidden is not None and visible is not None
    (mine,) = await services.dispatches.for_problem(visible.id)

    for user in (customs, commerce):
        seen = user.sent_count
        await user.send_text(f"/problem {other}")
        refusal = await user.wait_for(after_count=seen)
        assert f"找不到问题 №{other}" in refusal.text and "用地指标" not in refusal.text
    seen = commerce.sent_count
    await commerce.send_text(f"/problem {sent}")  # dispatched, but to another department
    assert f"找不到问题 №{sent}" in (await commerce.wait_for(after_count=seen)).text

    forged = [
        f"v:{hidden.id}:0",
        f"dp:start:{hidden.id}:0",
        f"a:note:{hidden.id}:0",
        f"a:accept:{hidden.id}:1",
    ]
    for data in forged:
        query = await customs.press_forged(card.message_id, data)
        answer = await customs.wait_answer(query)
        assert answer.show_alert and "找不到这个问题" in answer.text, (data, answer.text)
    for data in (f"ds:sign:{mine.id}", f"ds:return:{mine.id}", f"v:{visible.id}:0"):
        query = await commerce.press_forged(commerce.last.message_id, data)
        answer = await commerce.wait_answer(query)
        assert answer.show_alert and "找不到这个问题" in answer.text, (data, answer.text)
    # on its own problem a department takes no lifecycle action and cannot dispatch
    for data in (f"a:resolve:{visible.id}:0", f"dp:start:{visible.id}:0"):
        query = await customs.press_forged(card.message_id, data)
        answer = await customs.wait_answer(query)
        assert answer.show_alert and "权限" in answer.text, (data, answer.text)
    query = await customs.press_forged(card.message_id, f"ds:done:{mine.id}")  # not signed yet
    assert "不能这样操作" in (await customs.wait_answer(query)).text
    query = await customs.press_forged(card.message_id, "ds:sign:notanumber")
    assert (await customs.wait_answer(query)).show_alert

    after = await services.dispatches.for_problem(visible.id)
    assert [(d.state, d.version) for d in after] == [(DispatchState.SENT, 0)]
    events = await services.problems.events(hidden.id)
    assert [e.action for e in events] == ["register", "accept"]

    # /inbox lists only what was sent to the department
    seen = customs.sent_count
    await customs.send_text("/inbox")
    listing = await customs.wait_for(lambda m: "派给本部门的问题" in m.text, after_count=seen)
    assert sent in listing.text and other not in listing.text
    seen = commerce.sent_count
    await commerce.send_text("/inbox")
    assert "没有待办的派单" in (await commerce.wait_for(after_count=seen)).text


async def test_a_lead_dispatches_tier_two_only_and_internal_notes_stay_internal(
    depts: World,
) -> None:
    staff, envoy, lead = (depts.people[k] for k in ("staff", "envoy", "lead"))
    customs, commerce = depts.people["customs"], depts.people["commerce"]
    number = await report(depts, staff, "政策落实", "外贸补贴申报材料被退回两次，原因不清楚")
    card = await envoy.wait_for(lambda m: number in m.text and "新问题" in m.text, after_count=0)
    await act(envoy, card.message_id, "受理·2级", expect="已受理")
    await dispatch(
        lead, await open_card(lead, number), ["海关", "商务局"], "请说明退回原因", "1 天"
    )
    first = await customs.wait_for(lambda m: "新派单" in m.text and number in m.text, after_count=0)
    second = await commerce.wait_for(
        lambda m: "新派单" in m.text and number in m.text, after_count=0
    )
    await step(customs, first.message_id, "✍️ 签收", None, "已签收")
    await step(customs, first.message_id, "🔒 内部备注", "材料缺少报关单号（内部）", "内部备注")
    await step(customs, first.message_id, "📝 添加进展", "已联系企业补交报关单", "已记录")
    await step(commerce, second.message_id, "✍️ 签收", None, "已签收")

    for_commerce = await whole_timeline(commerce, number)
    for_staff = await whole_timeline(staff, number)
    for_envoy = await whole_timeline(envoy, number)
    for_customs = await whole_timeline(customs, number)
    for text in (for_commerce, for_staff):
        assert "已联系企业补交报关单" in text and "缺少报关单号" not in text
    for text in (for_envoy, for_customs):
        assert "缺少报关单号" in text and "部门内部备注（海关，内部）" in text

    # a tier-3 problem is not the lead's to dispatch, even with a forged button
    other = await tier3(depts, "港口堆场收费标准不透明，需要市级统一协调")
    hidden = await depts.bot.services.problems.by_number(other)
    assert hidden is not None
    card = lead.message(await open_card(lead, other))
    assert "📤 派单" not in [label for label, _ in card.buttons]
    query = await lead.press_forged(card.message_id, f"dp:start:{hidden.id}:0")
    assert "队长只能派二级问题" in (await lead.wait_answer(query)).text


async def test_a_typed_deadline_and_the_chat_import_and_invite(people: World) -> None:
    admin = people.people["admin"]
    # the departments roster through the chat's /import, told by its columns
    await ask(admin, "/import")
    bad = "部门,联系人,联系电话\n海关,刘海,1\n,王,2\n"
    failed = await ask_file(admin, bad.encode(), "departments.csv")
    assert "没有做任何修改" in failed.text and "第 3 行：缺少部门" in failed.text
    await ask(admin, "/import")
    done = await ask_file(admin, DEPARTMENTS.encode(), "departments.csv")
    assert "已导入 3 行" in done.text
    made = await ask(admin, "/invite department 海关")
    assert "职能部门“海关”" in made.text
    code = next(w for w in made.text.split() if w.startswith("https://t.me/")).split("start=")[1]
    customs = people.sandbox.user(401, "刘海")
    joined = await ask(customs, f"/start {code}")
    assert "海关的联系人" in joined.text and "/inbox" in joined.text
    mine = (await ask(customs, "/my")).text  # the staff's list: pointed to their own
    assert "/inbox" in mine and "特派员" not in mine
    assert "找不到" in (await ask(admin, "/invite department 税务局")).text

    number = await tier3(people, "海关监管仓库迁址需要重新验收")
    seen = admin.sent_count
    await admin.press(await open_card(admin, number), text="📤 派单")
    picker = await admin.wait_for(lambda m: "请选择要派" in m.text, after_count=seen)
    seen = admin.sent_count
    query = await admin.press(picker.message_id, text="下一步（已选 0 个）")  # none picked yet
    assert "请至少选择一个职能部门" in (await admin.wait_answer(query)).text
    await admin.press(picker.message_id, text="海关")
    await admin.wait_for(lambda m: any(b == "✅ 海关" for b, _ in m.buttons))
    await admin.press(picker.message_id, text="下一步（已选 1 个）")
    await admin.wait_for(lambda m: "派单说明" in m.text, after_count=seen)
    await admin.send_text("请重新验收")
    await admin.wait_for(lambda m: "部门办理时限" in m.text)
    today = people.clock.now().astimezone(people.bot.services.settings.zone).date().isoformat()
    unread = f"没看懂这个时限。请点按钮，或发送日期和时间，例如 {today} 18:00"
    for typed, answer in (("下周三", unread), ("2026-03-01 09:00", "必须在现在之后")):
        seen = admin.sent_count
        await admin.send_text(typed)
        assert answer in (await admin.wait_for(after_count=seen)).text
    seen = admin.sent_count
    await admin.send_text("2026-03-04")  # a date alone: 18:00 that day
    await admin.wait_for(lambda m: "📤 已把" in m.text, after_count=seen)
    card = await new_dispatch(customs, number)
    assert "2026-03-04 18:00" in card.text
