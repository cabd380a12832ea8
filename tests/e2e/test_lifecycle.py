"""Issue #3: the whole life of a problem, told to everyone, and closed only by the enterprise."""

from __future__ import annotations

from datetime import timedelta

from sandbox import SimUser
from tests.e2e.conftest import World
from tests.e2e.test_story import report


async def act(
    user: SimUser, message_id: int, button: str, note: str | None = None, expect: str = ""
) -> None:
    """Press a button; when it asks for a note, send it; wait for the confirmation."""
    seen = user.sent_count
    await user.press(message_id, text=button)
    if note is not None:
        await user.wait_for(lambda m: "请" in m.text or "?" in m.text, after_count=seen)
        seen = user.sent_count
        await user.send_text(note)
    if expect:
        await user.wait_for(lambda m: expect in m.text, after_count=seen)


async def open_card(user: SimUser, number: str) -> int:
    seen = user.sent_count
    await user.send_text(f"/problem {number}")
    card = await user.wait_for(  # the card with its timeline, not a notification racing it
        lambda m: f"№{number}" in m.text and ("办理记录" in m.text or "Timeline" in m.text),
        after_count=seen,
    )
    return card.message_id


async def test_full_lifecycle_with_rejection_rating_and_timeline(people: World) -> None:
    staff, envoy, lead = (people.people[k] for k in ("staff", "envoy", "lead"))
    number = await report(people, staff, "生产运行", "生产线用电负荷不够，需要增容")
    card = await envoy.wait_for(lambda m: number in m.text and "新问题" in m.text, after_count=0)

    await act(envoy, card.message_id, "受理·1级", expect="已受理")
    people.clock.advance(timedelta(hours=2))
    await act(envoy, await open_card(envoy, number), "📝 添加进展", "已联系供电公司", "已记录")
    await staff.wait_for(lambda m: "已联系供电公司" in m.text, after_count=0)

    seen_lead = lead.sent_count
    await act(envoy, await open_card(envoy, number), "⬆️ 升级", "需要工作队协调电网", "已升级")
    up = await lead.wait_for(lambda m: "升级到你这一级" in m.text, after_count=seen_lead)
    assert "需要工作队协调电网" in up.text and "办理记录" in up.text
    told = await staff.wait_for(lambda m: "已升级为" in m.text, after_count=0)
    assert "二级" in told.text and "2026-03-05 10:00" in told.text  # 3 days from registration

    seen_staff = staff.sent_count
    await act(
        envoy, await open_card(envoy, number), "✅ 标记办结", "已临时增容 200kVA", "已标记办结"
    )
    ask = await staff.wait_for(lambda m: "已临时增容" in m.text, after_count=seen_staff)
    await act(staff, ask.message_id, "👎 未解决", "还是跳闸", "已反馈")
    back = await envoy.wait_for(lambda m: "还是跳闸" in m.text, after_count=0)
    assert "原时限" in back.text

    seen_staff = staff.sent_count
    await act(
        envoy, await open_card(envoy, number), "✅ 标记办结", "已永久增容 500kVA", "已标记办结"
    )
    ask = await staff.wait_for(lambda m: "永久增容" in m.text, after_count=seen_staff)
    seen_staff = staff.sent_count
    await act(staff, ask.message_id, "👍 已解决", expect="已销号")
    rating = staff.message(ask.message_id)  # the confirmed card asks for the rating itself
    assert "打分" in rating.text
    await act(staff, rating.message_id, "5⭐", expect="谢谢您的评价")
    await staff.wait_for(lambda m: "意见" in m.text, after_count=0)
    await staff.send_text("响应很快，谢谢！")
    await staff.wait_for(lambda m: "留言已保存" in m.text, after_count=0)
    await envoy.wait_for(lambda m: "★★★★★" in m.text, after_count=0)

    seen = staff.sent_count
    await staff.send_text(f"/problem {number}")
    detail = await staff.wait_for(lambda m: "办理记录" in m.text, after_count=seen)
    assert "第 1/2 页" in detail.text  # ten events: the timeline pages
    first_page = detail.text
    await staff.press(detail.message_id, text="▶")
    detail = await staff.wait_for(lambda m: "第 2/2 页" in m.text, after_count=0)
    timeline_text = first_page + detail.text
    order = [
        "挂号",
        "受理分级",
        "进展",
        "升级",
        "办结",
        "企业反馈未解决",
        "办结",
        "企业确认解决",
        "评价",
        "评价留言",
    ]
    positions = []
    cursor = 0
    for word in order:
        assert word in timeline_text[cursor:], (word, timeline_text)
        cursor = timeline_text.index(word, cursor)
        positions.append(cursor)
        cursor += 1
    assert positions == sorted(positions)
    assert "已销号" in detail.text and "★★★★★" in detail.text


async def test_other_enterprise_cannot_see_or_act_even_with_forged_buttons(people: World) -> None:
    staff, other, envoy2 = (people.people[k] for k in ("staff", "other_staff", "envoy2"))
    number = await report(people, staff, "融资", "需要协调一笔过桥贷款")
    problem = await people.bot.services.problems.by_number(number)
    assert problem is not None

    seen = other.sent_count
    await other.send_text(f"/problem {number}")
    refusal = await other.wait_for(after_count=seen)
    assert "There is no problem" in refusal.text and "过桥贷款" not in refusal.text

    # forged presses on any message of theirs: accept, resolve, confirm, withdraw, view
    for data in (
        f"a:accept:{problem.id}:1",
        f"a:confirm:{problem.id}:0",
        f"a:withdraw:{problem.id}:0",
        f"v:{problem.id}:0",
        f"a:rate:{problem.id}:5",
    ):
        query = await other.press_forged(refusal.message_id, data)
        answer = await other.wait_answer(query)
        assert answer.show_alert and ("No such problem" in answer.text or "not" in answer.text)
    # the staff of the right enterprise cannot accept their own problem either
    seen = staff.sent_count
    query = await staff.press_forged(staff.last.message_id, f"a:accept:{problem.id}:1")
    answer = await staff.wait_answer(query)
    assert "权限" in answer.text
    after = await people.bot.services.problems.get(problem.id)
    assert after is not None and after.state.value == "registered" and after.version == 0
    events = await people.bot.services.problems.events(problem.id)
    assert [e.action for e in events] == ["register"]
    del envoy2, seen


async def test_double_press_and_stale_buttons_change_nothing(people: World) -> None:
    staff, envoy, envoy2 = (people.people[k] for k in ("staff", "envoy", "envoy2"))
    number = await report(people, staff, "其他", "园区道路照明坏了需要修")
    card1 = await envoy.wait_for(lambda m: number in m.text and "新问题" in m.text, after_count=0)
    card2 = await envoy2.wait_for(lambda m: number in m.text and "新问题" in m.text, after_count=0)

    await act(envoy, card1.message_id, "受理·1级", expect="已受理")
    # the other envoy's notification still carries Accept buttons: pressing it now is refused
    query = await envoy2.press(card2.message_id, text="受理·3级")
    answer = await envoy2.wait_answer(query)
    assert answer.show_alert and "办理中" in answer.text
    # the first envoy presses an old button again (forged from the same data)
    query = await envoy.press_forged(card1.message_id, card1.buttons[0][1] or "")
    answer = await envoy.wait_answer(query)
    assert answer.show_alert
    problem = await people.bot.services.problems.by_number(number)
    assert problem is not None and problem.tier == 1 and problem.envoy_name == "李雷"
    assert [e.action for e in await people.bot.services.problems.events(problem.id)] == [
        "register",
        "accept",
    ]
    # garbage callback data gets a clear alert, not silence
    query = await envoy.press_forged(card1.message_id, "a:accept:notanumber:1")
    assert (await envoy.wait_answer(query)).show_alert


async def test_lead_reassigns_and_admin_withdraws(people: World) -> None:
    staff, envoy, envoy2, lead, admin = (
        people.people[k] for k in ("staff", "envoy", "envoy2", "lead", "admin")
    )
    number = await report(people, staff, "用人用工", "招工难，需要对接职业院校")
    card = await envoy.wait_for(lambda m: number in m.text and "新问题" in m.text, after_count=0)
    await act(envoy, card.message_id, "受理·2级", expect="已受理")

    msg = await open_card(lead, number)
    seen = lead.sent_count
    await lead.press(msg, text="🔁 转派")
    choice = await lead.wait_for(lambda m: "新特派员" in m.text, after_count=seen)
    assert next(t for t, _ in choice.buttons) == "韩梅梅"
    seen2 = envoy2.sent_count
    await act(lead, choice.message_id, "韩梅梅", expect="已转派")
    await envoy2.wait_for(lambda m: "转派给你" in m.text, after_count=seen2)
    await envoy.wait_for(lambda m: "不再负责" in m.text, after_count=0)
    problem = await people.bot.services.problems.by_number(number)
    assert problem is not None and problem.envoy_name == "韩梅梅"

    seen_staff = staff.sent_count
    await act(admin, await open_card(admin, number), "🗑 撤销", "与 2026-0001 重复", "已撤销")
    await staff.wait_for(
        lambda m: "已被撤销" in m.text and "重复" in m.text, after_count=seen_staff
    )
    problem = await people.bot.services.problems.by_number(number)
    assert (
        problem is not None and problem.state.value == "withdrawn" and problem.resolved_at is None
    )


async def test_staff_adds_information_with_a_file_and_the_envoy_gets_it(people: World) -> None:
    from tests.e2e.conftest import png

    staff, envoy = people.people["staff"], people.people["envoy"]
    number = await report(people, staff, "项目建设", "施工许可证办理卡在消防审查环节")
    card = await envoy.wait_for(lambda m: number in m.text and "新问题" in m.text, after_count=0)
    await act(envoy, card.message_id, "受理·2级", expect="已受理")

    seen = staff.sent_count
    await staff.press(await open_card(staff, number), text="➕ 补充信息")
    await staff.wait_for(lambda m: "补充" in m.text, after_count=seen)
    seen_envoy = envoy.sent_count
    await staff.send_photo(png(), caption="消防图纸<修改版>")
    await staff.wait_for(lambda m: "已补充" in m.text, after_count=seen)
    told = await envoy.wait_for(lambda m: "补充了信息" in m.text, after_count=seen_envoy)
    assert "消防图纸&lt;修改版&gt;" in told.html
    assert any(m.photo for m in envoy.messages[-3:])
    problem = await people.bot.services.problems.by_number(number)
    assert problem is not None
    events = await people.bot.services.problems.events(problem.id)
    assert events[-1].action == "add_info" and len(events[-1].attachments) == 1


async def test_lead_sees_overdue_list_colour_coded(people: World) -> None:
    from datetime import timedelta

    staff, envoy, lead = (people.people[k] for k in ("staff", "envoy", "lead"))
    number = await report(people, staff, "其他", "厂区门口道路积水严重需要处理")
    people.clock.advance(timedelta(days=2))  # unclassified: due like tier 1 → overdue now
    seen = lead.sent_count
    await lead.send_text("/overdue")
    listing = await lead.wait_for(lambda m: "逾期问题" in m.text, after_count=seen)
    assert f"🔴 №{number}" in listing.text
    seen = envoy.sent_count
    await envoy.send_text("/overdue")
    assert "/inbox" in (await envoy.wait_for(after_count=seen)).text  # envoys use /inbox
    seen = envoy.sent_count
    await envoy.send_text("/inbox")
    assert f"🔴 №{number}" in (await envoy.wait_for(after_count=seen)).text
