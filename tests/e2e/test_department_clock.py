"""Issue #11: the department clock, to the minute, quiet hours included, under the manual clock."""

from __future__ import annotations

from datetime import timedelta

from tests.e2e.conftest import World
from tests.e2e.test_departments import depts, dispatch, new_dispatch, step, tier3
from tests.e2e.test_lifecycle import open_card
from tests.e2e.test_reminders import at, pings, tick_at

__all__ = ["depts"]  # the fixture, shared

EVERYONE = ("customs", "commerce", "land", "admin", "envoy", "lead", "staff")


async def test_reminders_overdue_and_digest_at_the_exact_minute(depts: World) -> None:
    admin, customs, commerce = (depts.people[k] for k in ("admin", "customs", "commerce"))
    number = await tier3(depts, "保税仓库扩容审批需要海关和商务局联合审核")  # due 03-09 10:00
    await dispatch(admin, await open_card(admin, number), ["海关", "商务局"], "请联合审核", "3 天")
    first = await new_dispatch(customs, number)  # department deadline 03-05 10:00
    second = await new_dispatch(commerce, number)
    assert "2026-03-05 10:00" in first.text
    await step(customs, first.message_id, "✍️ 签收", None, "已签收")
    await step(commerce, second.message_id, "✍️ 签收", None, "已签收")
    depts.clock.set(at("03-04 09:00"))
    await step(commerce, second.message_id, "✅ 本部门办结", "已审核通过", "本部门对")

    users = {k: depts.people[k] for k in EVERYONE}
    schedule = [
        # 24 h before, to the department still working it (commerce has answered)
        ("03-04 10:00", ["customs"], "离本部门时限还有 1天（"),
        # 4 h before falls at 06:00, quiet: sent before the quiet period starts
        ("03-04 21:59", ["customs"], "离本部门时限还有 12小时（"),
        # at the deadline: the department, and the admins (督办)
        ("03-05 10:00", ["customs", "admin"], "已超过本部门时限"),
        # the next morning's digest lists it for both
        ("03-06 09:00", ["customs", "admin"], "逾期派单"),
    ]
    for when, who, fragment in schedule:
        before = {k: len(pings(u)) for k, u in users.items()}
        await tick_at(depts, at(when) - timedelta(minutes=1))
        assert {k: len(pings(u)) for k, u in users.items()} == before, f"early ping before {when}"
        await tick_at(depts, at(when))
        got = {k: len(pings(u)) for k, u in users.items()}
        expected = {k: before[k] + (1 if k in who else 0) for k in users}
        assert got == expected, (when, got, expected)
        for key in who:
            assert fragment in pings(users[key])[-1] or key == "admin", (when, key)
    overdue = pings(admin)[-2]
    assert "派单督办" in overdue and "海关" in overdue and number in overdue
    digest = pings(customs)[-1]
    assert "逾期派单" in digest and number in digest and "逾期 23小时" in digest
    assert "逾期派单" in pings(admin)[-1] and "海关" in pings(admin)[-1]
    # the single reminder carries the department's own buttons
    reminder = next(m for m in customs.messages if m.text.startswith("⏰"))
    assert "✅ 本部门办结" in [label for label, _ in reminder.buttons]

    # the problem's own clock runs beside it: the envoy's tier-3 reminder, 72 h before 03-09
    await tick_at(depts, at("03-06 10:00"))
    assert len(pings(depts.people["envoy"])) == 1 and len(pings(customs)) == 4
    # nothing during the quiet night, and nothing more once the department answered
    await tick_at(depts, at("03-06 23:30"))
    await step(customs, first.message_id, "✅ 本部门办结", "审核通过", "本部门对")
    quiet = {k: len(pings(u)) for k, u in users.items()}
    await tick_at(depts, at("03-07 09:00"))
    after = {k: len(pings(u)) for k, u in users.items()}
    assert after == quiet, (quiet, after)
