"""Issue #4: the 137 clock, to the minute, quiet, supervised, and restart-safe."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from sandbox import SimUser
from scheduler import reminders_of
from tests.e2e.conftest import World
from tests.e2e.test_lifecycle import act, open_card
from tests.e2e.test_story import report

SH = ZoneInfo("Asia/Shanghai")
PINGS = ("⏰", "🔴")


def at(text: str) -> datetime:
    """A Shanghai wall time, e.g. '03-02 21:59' (2026)."""
    return datetime.strptime(f"2026-{text}", "%Y-%m-%d %H:%M").replace(tzinfo=SH)


def pings(user: SimUser) -> list[str]:
    """Reminders, overdue notices and digests (a rerouted one starts with its ⚠️ note)."""
    return [
        m.text
        for m in user.messages
        if m.text.startswith(PINGS)
        or (m.text.startswith("⚠️") and any(p in m.text for p in PINGS))
        or (m.text.startswith("🔵") and "等您确认" in m.text)
    ]


async def tick_at(world: World, when: datetime) -> None:
    world.clock.set(when)
    await reminders_of(world.bot.app).tick()
    await world.bot.settle()  # ticking only queues: wait until the sender has delivered


async def accepted(world: World, tier: int) -> str:
    staff, envoy = world.people["staff"], world.people["envoy"]
    number = await report(world, staff, "项目审批", f"环评批复迟迟未下，需要协调 tier {tier}")
    card = await envoy.wait_for(lambda m: number in m.text and "新问题" in m.text, after_count=0)
    seen = staff.sent_count
    await act(envoy, card.message_id, f"受理·{tier}级", expect="已受理")
    await staff.wait_for(lambda m: number in m.text and "已由特派员" in m.text, after_count=seen)
    return number


async def expect_schedule(
    world: World, schedule: Sequence[tuple[str, Sequence[str], str]], everyone: Sequence[str]
) -> None:
    """For each (time, who, fragment): nothing a minute before; exactly one new ping at it."""
    users = {k: world.people[k] for k in everyone}
    for when, who, fragment in schedule:
        before = {k: len(pings(u)) for k, u in users.items()}
        await tick_at(world, at(when) - timedelta(minutes=1))
        assert {k: len(pings(u)) for k, u in users.items()} == before, f"early ping before {when}"
        await tick_at(world, at(when))
        for key, user in users.items():
            expected = before[key] + (1 if key in who else 0)
            if key in who:
                await user.wait_for_count(0)  # messages are stored synchronously by the sandbox
            got = pings(user)
            assert len(got) == expected, (when, key, got[before[key] :])
            if key in who:
                assert fragment in got[-1] or key != who[0], (when, key, got[-1])


EVERYONE = ("envoy", "envoy2", "lead", "admin", "staff")


async def test_tier1_reminder_moves_out_of_quiet_hours_then_overdue_then_digest(
    people: World,
) -> None:
    number = await accepted(people, 1)  # registered Mon 10:00 → due Tue 10:00
    await expect_schedule(
        people,
        [
            (
                "03-02 21:59",
                ["envoy"],
                "离时限还有 12小时（",
            ),  # 06:00 is quiet → the evening before; 12 h 1 min reads "12小时"
            ("03-03 10:00", ["envoy", "lead"], "已逾期"),
            ("03-04 09:00", ["envoy", "lead"], "逾期问题日报"),
            ("03-05 09:00", ["envoy", "lead"], "逾期问题日报"),
        ],
        EVERYONE,
    )
    lead_texts = pings(people.people["lead"])
    assert "督办" in lead_texts[0] and number in lead_texts[0] and "李雷" in lead_texts[0]
    # nothing at 06:00 (quiet) and nothing else all day
    await tick_at(people, at("03-05 23:00"))
    assert len(pings(people.people["envoy"])) == 4


async def test_tier2_and_tier3_exact_times_and_admins(people: World) -> None:
    await accepted(people, 2)  # due Thu 03-05 10:00
    await accepted(people, 3)  # due Mon 03-09 10:00
    await expect_schedule(
        people,
        [
            ("03-04 10:00", ["envoy"], "离时限还有 1天（"),  # tier 2, 24 h
            ("03-04 21:59", ["envoy"], "离时限还有 12小时（"),  # tier 2, 4 h → before quiet
            ("03-05 10:00", ["envoy", "lead"], "已逾期"),  # tier 2 overdue
            ("03-06 09:00", ["envoy", "lead"], "逾期问题日报"),
            ("03-06 10:00", ["envoy"], "离时限还有 3天（"),  # tier 3, 72 h
            ("03-07 09:00", ["envoy", "lead"], "逾期问题日报"),
            ("03-08 09:00", ["envoy", "lead"], "逾期问题日报"),
            ("03-08 10:00", ["envoy"], "离时限还有 1天（"),  # tier 3, 24 h
            ("03-08 21:59", ["envoy"], "离时限还有 12小时（"),  # tier 3, 4 h
            ("03-09 09:00", ["envoy", "lead"], "逾期问题日报"),
            ("03-09 10:00", ["envoy", "lead", "admin"], "已逾期"),  # tier 3 overdue → admins too
            ("03-10 09:00", ["envoy", "lead", "admin"], "逾期问题日报"),
        ],
        EVERYONE,
    )
    assert "市级督办" in pings(people.people["admin"])[0]
    digest = pings(people.people["envoy"])[-1]
    assert digest.index("2026-0001") < digest.index("2026-0002")  # most overdue first


async def test_no_reminder_after_resolution(people: World) -> None:
    number = await accepted(people, 1)
    envoy = people.people["envoy"]
    await act(envoy, await open_card(envoy, number), "✅ 标记办结", "已协调完毕", "已标记办结")
    for when in ("03-02 21:59", "03-03 10:00", "03-04 09:00"):
        await tick_at(people, at(when))
    assert pings(envoy) == [] and pings(people.people["lead"]) == []


async def test_blocked_envoy_falls_back_to_the_lead(people: World) -> None:
    number = await accepted(people, 1)
    envoy, lead = people.people["envoy"], people.people["lead"]
    seen_lead = lead.sent_count
    envoy.block()
    notice = await lead.wait_for(lambda m: "屏蔽" in m.text, after_count=seen_lead)
    assert "李雷" in notice.text
    await tick_at(people, at("03-02 21:59"))
    got = pings(lead)
    assert len(got) == 1 and number in got[0] and "收不到消息" in lead.messages[-1].text
    assert pings(envoy) == []
    # unblocking makes them reachable again; the next reminder reaches the envoy
    envoy.unblock()
    await envoy.send_text("/help")
    await envoy.wait_for(lambda m: "特派员" in m.text)
    await tick_at(people, at("03-03 10:00"))
    assert len(pings(envoy)) == 1
    assert sum("屏蔽" in m.text for m in lead.messages) == 1  # told once


async def test_a_403_on_send_marks_unreachable_and_reroutes(people: World) -> None:
    await accepted(people, 1)
    envoy, lead = people.people["envoy"], people.people["lead"]
    people.sandbox.inject_failure("sendMessage", 403, "Forbidden: bot was blocked by the user")
    await tick_at(people, at("03-02 21:59"))
    assert len(pings(lead)) == 1 and pings(envoy) == []
    account = await people.bot.services.accounts.get(envoy.id)
    assert account is not None and not account.reachable


async def test_reminders_missed_while_down_come_once_combined(people: World) -> None:
    await accepted(people, 1)
    await accepted(people, 1)
    envoy, lead = people.people["envoy"], people.people["lead"]
    await people.bot.stop()
    people.clock.set(at("03-03 10:30"))  # both 21:59 reminders and both overdue notices missed
    await people.restart()
    # each problem once, as overdue: the 21:59 "12 hours left" is moot after the deadline
    combined = await envoy.wait_for(lambda m: "2 条提醒" in m.text, after_count=0)
    assert combined.text.count("2026-000") == 2 and "离时限" not in combined.text
    await lead.wait_for(lambda m: "2 条提醒" in m.text, after_count=0)
    await people.bot.settle()  # and nothing else follows
    assert len(pings(lead)) == 1 and "2 条提醒" in pings(lead)[0]
    await people.restart()
    await tick_at(people, at("03-03 10:31"))
    assert len(pings(envoy)) == 1 and len(pings(lead)) == 1


@pytest.mark.parametrize("lang_key", ["envoy"])
async def test_reminder_carries_buttons_to_act(people: World, lang_key: str) -> None:
    await accepted(people, 1)
    user = people.people[lang_key]
    await tick_at(people, at("03-02 21:59"))
    ping = [m for m in user.messages if m.text.startswith("⏰")][-1]
    labels = [t for t, _ in ping.buttons]
    assert "✅ 标记办结" in labels and "⬆️ 升级" in labels


async def test_resolved_problem_is_reminded_to_the_enterprise_and_never_closed_alone(
    people: World,
) -> None:
    number = await accepted(people, 1)
    envoy, staff = people.people["envoy"], people.people["staff"]
    people.clock.set(at("03-02 15:00"))
    await act(envoy, await open_card(envoy, number), "✅ 标记办结", "已协调完毕", "已标记办结")
    await staff.wait_for(lambda m: "已协调完毕" in m.text, after_count=0)
    await expect_schedule(
        people,
        [
            ("03-03 15:00", ["staff"], "已办结 1 天"),
            ("03-05 15:00", ["staff"], "已办结 3 天"),
        ],
        EVERYONE,
    )
    last = [m for m in staff.messages if m.text.startswith("🔵")][-1]
    assert "👍 已解决" in [t for t, _ in last.buttons]
    await tick_at(people, at("03-20 15:00"))
    problem = await people.bot.services.problems.by_number(number)
    assert problem is not None and problem.state.value == "resolved"  # still waiting, 🔵
    assert len([m for m in staff.messages if m.text.startswith("🔵")]) == 2


async def test_5xx_is_retried_with_back_off_and_nothing_is_lost(people: World) -> None:
    number = await accepted(people, 1)
    envoy = people.people["envoy"]
    people.sandbox.inject_failure("sendMessage", 502, "Bad Gateway", times=2)
    await tick_at(people, at("03-02 21:59"))
    got = pings(envoy)
    assert len(got) == 1 and number in got[0]
    assert [c.status for c in people.sandbox.errors][-2:] == [502, 502]


async def test_a_reassigned_problem_reminds_the_new_envoy(people: World) -> None:
    number = await accepted(people, 1)
    lead, envoy, envoy2 = (people.people[k] for k in ("lead", "envoy", "envoy2"))
    card = await open_card(lead, number)
    seen = lead.sent_count
    await lead.press(card, text="🔁 转派")
    choice = await lead.wait_for(lambda m: "新特派员" in m.text, after_count=seen)
    await act(lead, choice.message_id, "韩梅梅", expect="已转派")
    await tick_at(people, at("03-02 21:59"))
    assert pings(envoy) == [] and len(pings(envoy2)) == 1
