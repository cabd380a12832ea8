"""Issue 10, items 6-9: what users meet at the edges of a report and of a problem's end."""

from __future__ import annotations

from collections.abc import Awaitable

from sandbox import SimMessage, SimUser
from tests.e2e.conftest import World, png
from tests.e2e.test_bad_input import answer_to, ask, with_button
from tests.e2e.test_lifecycle import act, open_card
from tests.e2e.test_story import report

ACCEPTS_ZH = "文字、照片和文件"
ACCEPTS_EN = "text, photos and documents"


async def to_description(user: SimUser, category: str = "融资") -> None:
    """/report up to the description step."""
    await user.send_text("/report")
    cats = await user.wait_for(lambda m: bool(m.buttons) and category in str(m.buttons))
    await user.press(cats.message_id, text=category)
    await user.wait_for(lambda m: "/cancel" in m.text and bool(m.buttons), since=0)


def rating_keyboards(user: SimUser) -> list[SimMessage]:
    """The messages that still carry 1⭐…5⭐ buttons."""
    return [m for m in user.messages if any((d or "").startswith("a:rate:") for _, d in m.buttons)]


async def resolved(people: World, description: str) -> tuple[str, SimMessage]:
    """A problem accepted and marked resolved: its number and the staff's Confirm/Reject."""
    staff, envoy = people.people["staff"], people.people["envoy"]
    number = await report(people, staff, "其他", description)
    card = await envoy.wait_for(lambda m: number in m.text and "新问题" in m.text, after_count=0)
    await act(envoy, card.message_id, "受理·1级", expect="已受理")
    seen = staff.sent_count
    await act(envoy, await open_card(envoy, number), "✅ 标记办结", "已处理完毕", "已标记办结")
    asked = await staff.wait_for(lambda m: "已处理完毕" in m.text, after_count=seen)
    return number, asked


async def test_padding_does_not_make_a_description_long_enough(people: World) -> None:
    staff, other = people.people["staff"], people.people["other_staff"]
    await to_description(staff)
    short = await ask(staff, "a" + " " * 9 + "b")
    assert "太短" in short.text and "有效字数 2 个" in short.text, short.text
    short = await ask(staff, "。。。。，，，！！！😀😀😀😀")
    assert "有效字数 0 个" in short.text
    assert "照片或文件" in (await ask(staff, "需要协调一笔过桥贷款")).text  # ten characters

    await to_description(other, "Financing")
    short = await ask(other, "a" + " " * 9 + "b")
    assert "too short: 2 letters or digits" in short.text, short.text


async def test_one_rating_keyboard_after_confirming_and_it_goes_once_used(people: World) -> None:
    staff, envoy = people.people["staff"], people.people["envoy"]
    _, asked = await resolved(people, "园区路灯坏了三盏需要维修")
    await act(staff, asked.message_id, "👍 已解决", expect="已销号")
    closed = staff.message(asked.message_id)
    assert "打分" in closed.text and "已销号" in closed.text
    assert [m.message_id for m in rating_keyboards(staff)] == [asked.message_id]

    seen = staff.sent_count
    await staff.press(asked.message_id, text="4⭐")
    await staff.wait_for(lambda m: "谢谢您的评价" in m.text, after_count=seen)
    comment = await staff.wait_for(lambda m: "意见" in m.text, after_count=seen)
    assert rating_keyboards(staff) == []
    assert "跳过" in [t for t, _ in comment.buttons]
    sent = await staff.send_text("修得很快")
    await staff.wait_for(lambda m: "留言已保存" in m.text and m.message_id > sent)
    assert staff.message(comment.message_id).buttons == []  # the Skip is spent too
    await envoy.wait_for(lambda m: "★★★★" in m.text, after_count=0)


async def test_the_files_keyboard_moves_to_the_latest_message(people: World) -> None:
    staff = people.people["staff"]
    await to_description(staff)
    describe = staff.last
    prompt = await ask(staff, "厂房屋顶漏水，需要协调维修资金")
    assert [t for t, _ in prompt.buttons] == ["跳过附件", "取消"]

    seen = staff.sent_count
    sent = await staff.send_photo(png())
    first = await answer_to(staff, sent, seen)
    assert "已收到第 1 个附件" in first.text and [t for t, _ in first.buttons] == ["完成", "取消"]
    assert staff.message(prompt.message_id).buttons == []  # "no attachments" is gone

    seen = staff.sent_count
    sent = await staff.send_document(b"%PDF-1.4 quote", "报价单.pdf", "application/pdf")
    second = await answer_to(staff, sent, seen)
    assert "已收到第 2 个附件" in second.text
    assert staff.message(first.message_id).buttons == []
    assert with_button(staff, "完成").message_id == second.message_id

    await staff.press(second.message_id, text="完成")
    summary = await staff.wait_for(lambda m: "请核对" in m.text)
    await staff.press(summary.message_id, text="✅ 提交")
    await staff.wait_for(lambda m: "已挂号" in m.text)
    # the description prompt's Cancel was good for the whole report; now it is not
    query = await staff.press(describe.message_id, text="取消")
    alert = await staff.wait_answer(query)
    assert alert.show_alert and alert.text and "已经结束" in alert.text
    await staff.wait_for(lambda m: m.message_id == describe.message_id and not m.buttons, since=0)
    assert not [m for m in staff.messages if "已取消" in m.text]


async def test_confirm_on_a_closed_problem_answers_at_once_and_loses_its_buttons(
    people: World,
) -> None:
    staff = people.people["staff"]
    number, asked = await resolved(people, "厂区门口的排水沟堵塞了")
    await act(staff, await open_card(staff, number), "👍 已解决", expect="已销号")

    query = await staff.press(asked.message_id, text="👎 未解决")  # the old notification
    alert = await staff.wait_answer(query)
    assert alert.show_alert and alert.text and "已销号" in alert.text
    left = await staff.wait_for(
        lambda m: m.message_id == asked.message_id and "👎 未解决" not in str(m.buttons), since=0
    )
    assert [t for t, _ in left.buttons] == ["查看详情"]  # what still makes sense stays
    problem = await people.bot.services.problems.by_number(number)
    assert problem is not None and problem.state.value == "closed"
    events = await people.bot.services.problems.events(problem.id)
    assert [e.action for e in events][-1] == "confirm"


async def test_voice_video_and_stickers_are_told_what_the_bot_accepts(people: World) -> None:
    staff, other, envoy = (people.people[k] for k in ("staff", "other_staff", "envoy"))

    async def answer(user: SimUser, send: Awaitable[int]) -> str:
        seen = user.sent_count
        sent = await send
        return (await answer_to(user, sent, seen)).text

    # outside any conversation, in each person's language
    for send, kind in (
        (staff.send_voice(), "语音消息"),
        (staff.send_video(), "视频"),
        (staff.send_video_note(), "圆形视频消息"),
        (staff.send_audio(), "音频"),
        (staff.send_sticker(), "表情贴纸"),
        (staff.send_location(), "位置"),
        (staff.send_contact(), "联系人名片"),
    ):
        text = await answer(staff, send)
        assert kind in text and ACCEPTS_ZH in text and "/help" in text, text
    text = await answer(other, other.send_voice())
    assert "voice messages" in text and ACCEPTS_EN in text
    guest = people.sandbox.user(555, "Guest", language_code="zh-hans")
    text = await answer(guest, guest.send_video())
    assert "视频" in text and ACCEPTS_ZH in text and "邀请链接" in text

    # at every step of /report: what arrived, what is accepted, and what the step wants
    await staff.send_text("/report")
    await staff.wait_for(lambda m: "请选择问题类别" in m.text)
    text = await answer(staff, staff.send_voice())
    assert "语音消息" in text and ACCEPTS_ZH in text and "按钮" in text
    await staff.press(with_button(staff, "融资").message_id, text="融资")
    await staff.wait_for(lambda m: "请描述" in m.text)
    text = await answer(staff, staff.send_video_note())
    assert "圆形视频消息" in text and "用文字描述" in text
    await ask(staff, "资金周转困难，需要对接银行")
    text = await answer(staff, staff.send_audio())
    assert "音频" in text and "照片或文件" in text
    await staff.press(with_button(staff, "跳过附件").message_id, text="跳过附件")
    await staff.wait_for(lambda m: "请核对" in m.text)
    text = await answer(staff, staff.send_location())
    assert "位置" in text and "请点击" in text
    await ask(staff, "/cancel")

    # while a note is awaited
    number = await report(people, staff, "其他", "园区食堂需要办理许可证")
    card = await envoy.wait_for(lambda m: number in m.text and "新问题" in m.text, after_count=0)
    await act(envoy, card.message_id, "受理·1级", expect="已受理")
    seen = envoy.sent_count
    await envoy.press(await open_card(envoy, number), text="📝 添加进展")
    await envoy.wait_for(lambda m: "进展说明" in m.text, after_count=seen)
    text = await answer(envoy, envoy.send_voice())
    assert "语音消息" in text and "请发送文字" in text
    await act(envoy, with_button(envoy, "取消").message_id, "取消", expect="已取消")
