"""Issue #5 in Telegram: /stats switches, /export sends an .xlsx, /chart a PNG, scoped."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from tests.e2e.conftest import World
from tests.e2e.test_lifecycle import act
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
    for user, scope in ((lead, "本队"), (admin, "全部")):
        photos = [m for m in user.messages if m.photo and "每周统计" in (m.caption or "")]
        assert len(photos) == 1, user.id
        assert scope in (photos[0].caption or "") and "收集问题：1" in (photos[0].caption or "")
    assert not [m for m in staff.messages if m.photo] and not [m for m in envoy.messages if m.photo]
