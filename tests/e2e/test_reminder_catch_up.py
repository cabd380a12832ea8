"""Issue #10: catch-up reminders say true things once, wait out quiet hours, and name why a
person cannot be reached."""

from __future__ import annotations

from datetime import datetime

import pytest

from domain.reminders import BEFORE, PlannedReminder
from sandbox import SimUser
from scheduler import reminders_of
from tests.e2e.conftest import World
from tests.e2e.test_lifecycle import act, open_card
from tests.e2e.test_reminders import accepted, at, pings, tick_at


async def down_until(world: World, when: datetime) -> None:
    """The bot is stopped now and starts again at ``when``; its catch-up has been delivered."""
    await world.bot.stop()
    world.clock.set(when)
    await world.restart()
    await world.bot.settle()


def reminders(user: SimUser) -> list[str]:
    """Reminder and overdue messages, the daily digest left out."""
    return [p for p in pings(user) if "逾期问题日报" not in p]


async def test_catch_up_a_day_after_the_deadline_says_overdue_only(people: World) -> None:
    number = await accepted(people, 2)  # due Thu 03-05 10:00; 24 h and 4 h reminders before
    envoy = people.people["envoy"]
    await down_until(people, at("03-06 10:30"))
    got = reminders(envoy)
    assert len(got) == 1, got
    assert "已逾期" in got[0] and "离时限" not in got[0] and got[0].count(number) == 1


async def test_two_due_before_reminders_of_one_problem_make_one_line(people: World) -> None:
    number = await accepted(people, 2)  # 24 h (03-04 10:00) and 4 h (03-04 21:59) both missed
    envoy = people.people["envoy"]
    await down_until(people, at("03-05 08:00"))
    got = reminders(envoy)
    assert len(got) == 1 and got[0].count(number) == 1, got
    assert "离时限还有 2小时（" in got[0] and "条提醒" not in got[0]


async def test_no_stale_before_reminder_after_the_overdue_notice(people: World) -> None:
    number = await accepted(people, 1)
    envoy = people.people["envoy"]
    await tick_at(people, at("03-02 21:59"))
    await tick_at(people, at("03-03 10:00"))
    assert len(pings(envoy)) == 2 and "已逾期" in pings(envoy)[-1]
    # a "before" row still waiting after the deadline (a replan racing the clock, say)
    problem = await people.bot.services.problems.by_number(number)
    assert problem is not None
    repo = reminders_of(people.bot.app).repo
    await repo.replace_plan(
        problem.id, problem.due_at, [PlannedReminder(BEFORE, at("03-03 10:05"), 2)]
    )
    await tick_at(people, at("03-03 10:06"))
    assert len(pings(envoy)) == 2
    assert await repo.pending(problem.id) == []  # retired, not left for later


async def test_catch_up_inside_quiet_hours_waits_for_their_end(people: World) -> None:
    await accepted(people, 1)  # the 21:59 reminder is missed; the bot is back at 23:30
    envoy = people.people["envoy"]
    await down_until(people, at("03-02 23:30"))
    await tick_at(people, at("03-03 07:59"))
    assert pings(envoy) == []
    await tick_at(people, at("03-03 08:00"))
    got = pings(envoy)
    assert len(got) == 1 and "离时限还有 2小时（" in got[0], got


async def test_overdue_catch_up_inside_quiet_hours_waits_and_drops_the_moot_reminder(
    people: World,
) -> None:
    number = await accepted(people, 1)  # due 03-03 10:00; back only at 23:00 that day
    envoy, lead = people.people["envoy"], people.people["lead"]
    await down_until(people, at("03-03 23:00"))
    await tick_at(people, at("03-04 07:59"))
    assert pings(envoy) == [] and pings(lead) == []
    await tick_at(people, at("03-04 08:00"))
    got = pings(envoy)
    assert len(got) == 1 and "已逾期" in got[0] and "离时限" not in got[0], got
    assert len(pings(lead)) == 1 and "督办" in pings(lead)[0] and number in pings(lead)[0]


async def test_confirmation_catch_up_inside_quiet_hours_waits(people: World) -> None:
    number = await accepted(people, 1)
    envoy, staff = people.people["envoy"], people.people["staff"]
    people.clock.set(at("03-02 15:00"))
    await act(envoy, await open_card(envoy, number), "✅ 标记办结", "已协调完毕", "已标记办结")
    await staff.wait_for(lambda m: "已协调完毕" in m.text, after_count=0)
    await down_until(people, at("03-03 23:00"))  # the 03-03 15:00 request was missed
    await tick_at(people, at("03-04 07:59"))
    assert pings(staff) == []
    await tick_at(people, at("03-04 08:00"))
    got = pings(staff)
    assert len(got) == 1 and "已办结 1 天" in got[0], got


@pytest.mark.parametrize(
    ("description", "said", "not_said"),
    [
        ("Forbidden: bot was blocked by the user", "屏蔽", "注销"),
        ("Forbidden: user is deactivated", "注销", "屏蔽"),
    ],
)
async def test_the_lead_learns_why_the_envoy_cannot_be_reached(
    people: World, description: str, said: str, not_said: str
) -> None:
    number = await accepted(people, 1)
    lead = people.people["lead"]
    seen = lead.sent_count
    people.sandbox.inject_failure("sendMessage", 403, description)
    await tick_at(people, at("03-02 21:59"))
    notice = await lead.wait_for(lambda m: said in m.text, after_count=seen)
    assert "李雷" in notice.text
    assert not any(not_said in m.text for m in lead.messages)
    assert len(pings(lead)) == 1 and number in pings(lead)[0]


async def test_a_deactivated_account_is_reported_as_deactivated(people: World) -> None:
    number = await accepted(people, 1)
    envoy, lead = people.people["envoy"], people.people["lead"]
    seen = lead.sent_count
    envoy.deactivate()
    await tick_at(people, at("03-02 21:59"))
    notice = await lead.wait_for(lambda m: "注销" in m.text, after_count=seen)
    assert "李雷" in notice.text and not any("屏蔽" in m.text for m in lead.messages)
    got = pings(lead)
    assert len(got) == 1 and number in got[0] and "收不到消息" in got[0]
    account = await people.bot.services.accounts.get(envoy.id)
    assert account is not None and not account.reachable
    assert [c.error for c in people.sandbox.errors][-1] == "Forbidden: user is deactivated"
