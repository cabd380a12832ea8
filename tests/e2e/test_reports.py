"""Issue #5 in Telegram: /stats switches, /export sends an .xlsx, /chart a PNG, scoped."""

from __future__ import annotations

import io
import re

from openpyxl import load_workbook

from sandbox import SimUser
from tests.e2e.conftest import World
from tests.e2e.test_lifecycle import act, open_card
from tests.e2e.test_story import report


async def test_stats_export_and_chart_for_each_role(people: World) -> None:
    staff, other, envoy, lead, admin = (
        people.people[k] for k in ("staff", "other_staff", "envoy", "lead", "admin")
    )
    number = await report(people, staff, "融资", "贷款贴息政策落实不到位")
    card = await envoy.wait_for(lambda m: number in m.text and "新问题" in m.text, after_count=0)
    await act(envoy, card.message_id, "受理·1级", expect="已受理")

    seen = admin.sent_count
    await admin.send_text("/stats")
    stats = await admin.wait_for(lambda m: "统计" in m.text, after_count=seen)
    assert "收集问题：1" in stats.text and "融资" in stats.text
    await admin.press(stats.message_id, text="按工作队")
    switched = await admin.wait_for(lambda m: "高新区工作队" in m.text, after_count=0)
    assert "• 按工作队 •" in [t for t, _ in switched.buttons]
    await admin.press(stats.message_id, text="本周")
    await admin.wait_for(lambda m: "本周" in m.text and "自 2026-03-02 起" in m.text, after_count=0)

    # another enterprise's contact sees nothing of it
    seen = other.sent_count
    await other.send_text("/stats")
    theirs = await other.wait_for(after_count=seen)
    assert "No problems in this scope yet." in theirs.text
    assert "Financing" not in theirs.text

    seen = lead.sent_count
    await lead.send_text("/export")
    doc = await lead.wait_for(lambda m: m.document is not None, after_count=seen)
    data = await lead.download(doc.document["file_id"])
    book = load_workbook(io.BytesIO(data))
    sheet = book.worksheets[0]
    values = [c.value for c in sheet[2]]
    assert number in values and "华光<精密>&机械" in values
    assert doc.document["file_name"].endswith(".xlsx")

    seen = staff.sent_count
    await staff.send_text("/export")
    refusal = await staff.wait_for(after_count=seen)
    assert "队长" in refusal.text and refusal.document is None

    seen = envoy.sent_count
    await envoy.send_text("/chart")
    photo = await envoy.wait_for(lambda m: m.photo is not None, after_count=seen)
    png = await envoy.download(photo.photo["file_id"])
    assert png.startswith(b"\x89PNG")
    assert not people.sandbox.errors, people.sandbox.errors


async def test_monday_digest_goes_to_leads_and_admins_with_the_chart(people: World) -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from scheduler import reminders_of

    staff, envoy, lead, admin = (people.people[k] for k in ("staff", "envoy", "lead", "admin"))
    await report(people, staff, "政策落实", "稳岗补贴还没有到账，请协调")
    counts = {k: len(u.messages) for k, u in people.people.items()}
    sh = ZoneInfo("Asia/Shanghai")
    for when in (datetime(2026, 3, 8, 9, 0, tzinfo=sh), datetime(2026, 3, 9, 8, 59, tzinfo=sh)):
        people.clock.set(when)  # Sunday, and Monday a minute early: nothing
        await reminders_of(people.bot.app).tick()
        await people.bot.settle()
    assert not [m for m in lead.messages[counts["lead"] :] if m.photo]
    people.clock.set(datetime(2026, 3, 9, 9, 0, tzinfo=sh))
    await reminders_of(people.bot.app).tick()
    await reminders_of(people.bot.app).tick()  # twice: still one digest each
    await people.bot.settle()
    for user, scope in ((lead, "高新区工作队"), (admin, "全部")):
        photos = [m for m in user.messages if m.photo and "每周统计" in (m.caption or "")]
        assert len(photos) == 1, user.id
        assert scope in (photos[0].caption or "") and "收集问题：1" in (photos[0].caption or "")
    assert not [m for m in staff.messages if m.photo] and not [m for m in envoy.messages if m.photo]


HEADLINE = (
    "收集问题",
    "已销号（企业确认）",
    "已解决待确认",
    "办理中",
    "超期",
    "解决率（销号 ÷ 收集）",
)
RULE = "注：问题计入受理它的特派员；尚无人受理的问题，计入该企业的每一位特派员，直到有人受理。"


async def stats_of(user: SimUser) -> str:
    seen = user.sent_count
    await user.send_text("/stats")
    return (await user.wait_for(lambda m: "统计" in m.text, after_count=seen)).text


def headline(text: str) -> tuple[str, ...]:
    """An envoy's own figures, read back from their /stats message."""
    values = dict(line.split("：", 1) for line in text.splitlines() if "：" in line)
    return tuple(values[label] for label in HEADLINE)


def envoy_row(text: str, name: str) -> tuple[str, ...]:
    """The admin's row for one envoy in the "by envoy" breakdown."""
    pattern = (
        rf"^{name}：收集 (\d+) · 销号 (\d+) · 待确认 (\d+) · 办理中 (\d+) · 超期 (\d+)"
        r" · 解决率 (.+)$"
    )
    found = re.search(pattern, text, re.MULTILINE)
    assert found is not None, text
    return found.groups()


async def test_an_envoys_stats_equal_the_admins_row_for_them(people: World) -> None:
    staff, envoy, envoy2, admin = (people.people[k] for k in ("staff", "envoy", "envoy2", "admin"))
    # three problems of 华光<精密>&机械, which both 李雷 and 韩梅梅 serve
    numbers = [
        await report(people, staff, "融资", "贷款贴息政策落实不到位"),
        await report(people, staff, "用人用工", "技术工人招聘困难，需要对接职业院校"),
        await report(people, staff, "生产运行", "生产线用电负荷不够，需要增容"),
    ]
    for user, number in ((envoy, numbers[0]), (envoy2, numbers[1])):
        card = await user.wait_for(
            lambda m, n=number: n in m.text and "新问题" in m.text, after_count=0
        )
        await act(user, card.message_id, "受理·1级", expect="已受理")
    card = await open_card(envoy, numbers[0])
    await act(envoy, card, "✅ 标记办结", "已协调银行落实贴息", "已标记办结")
    # the third nobody has accepted: it counts for both, as the footnote says
    expected = {
        "李雷": ("2", "0", "1", "1", "0", "0.00 %"),
        "韩梅梅": ("2", "0", "0", "2", "0", "0.00 %"),
    }

    seen = admin.sent_count
    await admin.send_text("/stats")
    stats = await admin.wait_for(lambda m: "统计" in m.text, after_count=seen)
    assert "收集问题：3" in stats.text and "其中待受理：1" in stats.text
    await admin.press(stats.message_id, text="按特派员")
    rows = await admin.wait_for(
        lambda m: "• 按特派员 •" in [t for t, _ in m.buttons], after_count=0
    )
    assert RULE in rows.text
    for user, name in ((envoy, "李雷"), (envoy2, "韩梅梅")):
        own = await stats_of(user)
        assert "其中待受理：1" in own and RULE in own, name
        assert headline(own) == envoy_row(rows.text, name) == expected[name], name
    assert not people.sandbox.errors, people.sandbox.errors
