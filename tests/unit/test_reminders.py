"""The reminder plan: exact times per tier, quiet hours, skipping, and small time helpers."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from domain.deadlines import DayCounting, due_at
from domain.models import State
from domain.reminders import (
    DEFAULT_QUIET,
    PlannedReminder,
    QuietHours,
    moot,
    next_daily_at,
    plan_for_problem,
    precedence,
    round_duration,
    split_duration,
    time_left,
)

SH = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")
QUIET = QuietHours(time(22, 0), time(8, 0))
HOURS = {1: [4], 2: [24, 4], 3: [72, 24, 4]}


def utc(mo: int, d: int, h: int, mi: int = 0) -> datetime:
    return datetime(2026, mo, d, h, mi, tzinfo=UTC)


def sh(mo: int, d: int, h: int, mi: int = 0) -> datetime:
    return datetime(2026, mo, d, h, mi, tzinfo=SH)


def before(at: datetime, hours: int) -> PlannedReminder:
    return PlannedReminder("before", at, hours)


def overdue(at: datetime) -> PlannedReminder:
    return PlannedReminder("overdue", at, None)


def plan(
    due: datetime,
    now: datetime,
    hours: list[int],
    state: State = State.IN_PROGRESS,
    quiet: QuietHours = QUIET,
    tz: ZoneInfo = SH,
) -> list[PlannedReminder]:
    return plan_for_problem(
        state=state, tier=None, due_at=due, now=now, hours_before=hours, quiet=quiet, tz=tz
    )


# --- defaults per tier, registration Monday 2026-03-02 10:00 Shanghai (02:00 UTC) ----------

REGISTERED = sh(3, 2, 10)


@pytest.mark.parametrize(
    ("tier", "want"),
    [
        (
            1,  # due Tue 10:00; 4 h before = 06:00, quiet -> Mon 21:59 local
            [before(utc(3, 2, 13, 59), 4), overdue(utc(3, 3, 2))],
        ),
        (
            2,  # due Thu 10:00; 24 h = Wed 10:00; 4 h = Thu 06:00 -> Wed 21:59
            [before(utc(3, 4, 2), 24), before(utc(3, 4, 13, 59), 4), overdue(utc(3, 5, 2))],
        ),
        (
            3,  # due next Mon 10:00; 72 h = Fri 10:00; 24 h = Sun 10:00; 4 h -> Sun 21:59
            [
                before(utc(3, 6, 2), 72),
                before(utc(3, 8, 2), 24),
                before(utc(3, 8, 13, 59), 4),
                overdue(utc(3, 9, 2)),
            ],
        ),
    ],
)
def test_default_plan_per_tier(tier: int, want: list[PlannedReminder]) -> None:
    due = due_at(REGISTERED, tier, counting=DayCounting.CALENDAR, tz=SH)
    got = plan_for_problem(
        state=State.IN_PROGRESS,
        tier=tier,
        due_at=due,
        now=REGISTERED,
        hours_before=HOURS[tier],
        quiet=DEFAULT_QUIET,
        tz=SH,
    )
    assert got == want
    assert all(r.fire_at.tzinfo is UTC for r in got)


def test_unclassified_registered_problem_uses_tier1_list() -> None:
    due = due_at(REGISTERED, None, counting=DayCounting.CALENDAR, tz=SH)
    got = plan(due, REGISTERED, HOURS[1], state=State.REGISTERED)
    assert got == [before(utc(3, 2, 13, 59), 4), overdue(utc(3, 3, 2))]


def test_afternoon_registration_needs_no_moving() -> None:
    registered = sh(3, 2, 14)
    due = due_at(registered, 2, counting=DayCounting.CALENDAR, tz=SH)  # Thu 14:00
    got = plan(due, registered, HOURS[2])
    assert got == [before(sh(3, 4, 14), 24), before(sh(3, 5, 10), 4), overdue(sh(3, 5, 14))]


# --- quiet hours --------------------------------------------------------------------------


def test_reminder_at_2330_moves_before_quiet_and_overdue_moves_to_end() -> None:
    due = sh(3, 4, 3, 30)  # 4 h before = Tue 23:30
    got = plan(due, sh(3, 3, 12), [4])
    assert got == [before(sh(3, 3, 21, 59), 4), overdue(sh(3, 4, 8))]


def test_reminder_at_0200_with_pre_quiet_moment_past_moves_to_0800() -> None:
    due = sh(3, 5, 2)  # 24 h before = Wed 02:00
    now = sh(3, 4, 1)  # inside the quiet period already
    got = plan(due, now, [24])
    assert got == [before(sh(3, 4, 8), 24), overdue(sh(3, 5, 8))]


def test_reminder_at_0200_planned_the_afternoon_before_goes_at_2159() -> None:
    due = sh(3, 5, 2)
    got = plan(due, sh(3, 3, 15), [24])
    assert got == [before(sh(3, 3, 21, 59), 24), overdue(sh(3, 5, 8))]


def test_pre_quiet_moment_exactly_now_is_still_ahead() -> None:
    due = sh(3, 5, 2)
    got = plan(due, sh(3, 3, 21, 59), [24])
    assert got[0] == before(sh(3, 3, 21, 59), 24)


def test_moved_reminder_after_deadline_is_dropped() -> None:
    due = sh(3, 5, 6)  # 4 h before = 02:00; pre-quiet past; 08:00 is after the deadline
    got = plan(due, sh(3, 5, 1), [4])
    assert got == [overdue(sh(3, 5, 8))]


def test_overdue_never_before_deadline() -> None:
    due = sh(3, 4, 23)  # quiet: deferred to 08:00, not pulled to 21:59
    got = plan(due, sh(3, 4, 9), [])
    assert got == [overdue(sh(3, 5, 8))]


def test_overdue_in_quiet_still_planned_after_deadline_passed() -> None:
    due = sh(3, 4, 23)
    assert plan(due, sh(3, 5, 1), []) == [overdue(sh(3, 5, 8))]


def test_two_reminders_moved_to_same_instant_sent_once() -> None:
    due = sh(3, 5, 1)  # 3 h -> 22:00, 2 h -> 23:00, both -> 21:59
    got = plan(due, sh(3, 4, 9), [2, 3])
    assert got == [before(sh(3, 4, 21, 59), 3), overdue(sh(3, 5, 8))]


def test_no_quiet_hours_when_start_equals_end() -> None:
    none = QuietHours(time(0, 0), time(0, 0))
    due = sh(3, 5, 3)
    assert plan(due, sh(3, 4, 9), [4], quiet=none) == [before(sh(3, 4, 23), 4), overdue(due)]


def test_quiet_hours_in_a_dst_zone() -> None:
    due = datetime(2026, 3, 30, 2, tzinfo=BERLIN)  # CEST; 4 h before = Sun 29 Mar 22:00 CEST
    got = plan(due, datetime(2026, 3, 29, 12, tzinfo=BERLIN), [4], tz=BERLIN)
    assert got == [
        before(datetime(2026, 3, 29, 19, 59, tzinfo=UTC), 4),  # 21:59 CEST
        overdue(datetime(2026, 3, 30, 6, tzinfo=UTC)),  # 08:00 CEST
    ]


@pytest.mark.parametrize(
    ("t", "quiet"),
    [
        (time(22, 0), True),
        (time(21, 59), False),
        (time(0, 0), True),
        (time(7, 59), True),
        (time(8, 0), False),
        (time(12, 0), False),
    ],
)
def test_contains_wrapping(t: time, quiet: bool) -> None:
    assert QUIET.contains(t) is quiet


@pytest.mark.parametrize(
    ("t", "quiet"), [(time(12, 59), False), (time(13, 0), True), (time(14, 0), False)]
)
def test_contains_non_wrapping(t: time, quiet: bool) -> None:
    assert QuietHours(time(13, 0), time(14, 0)).contains(t) is quiet


def test_shift_non_wrapping_period() -> None:
    lunch = QuietHours(time(13, 0), time(14, 0))
    when = sh(3, 4, 13, 30)
    assert lunch.shift(when, sh(3, 4, 9), SH) == sh(3, 4, 12, 59)
    assert lunch.shift(when, sh(3, 4, 13, 10), SH) == sh(3, 4, 14)
    assert lunch.shift(sh(3, 4, 15), sh(3, 4, 9), SH) == sh(3, 4, 15)


def test_parse() -> None:
    assert QuietHours.parse("22:00", "08:00") == QUIET


# --- which problems, which moments --------------------------------------------------------


@pytest.mark.parametrize("state", [State.RESOLVED, State.CLOSED, State.WITHDRAWN])
def test_no_reminders_for_finished_problems(state: State) -> None:
    assert plan(sh(3, 9, 10), REGISTERED, [72, 24, 4], state=state) == []


def test_past_reminders_skipped() -> None:
    due = sh(3, 9, 10)
    got = plan(due, sh(3, 7, 12), [72, 24, 4])  # the 72 h one (Fri 10:00) is gone
    assert got == [before(sh(3, 8, 10), 24), before(sh(3, 8, 21, 59), 4), overdue(due)]


def test_everything_past_when_overdue_outside_quiet() -> None:
    assert plan(sh(3, 9, 10), sh(3, 9, 11), [72, 24, 4]) == []


def test_reminder_exactly_now_kept() -> None:
    due = sh(3, 9, 10)
    got = plan(due, sh(3, 8, 10), [24])
    assert got == [before(sh(3, 8, 10), 24), overdue(due)]


# --- helpers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "want"),
    [
        (sh(3, 4, 8), sh(3, 4, 9)),
        (sh(3, 4, 9), sh(3, 5, 9)),  # strictly after
        (sh(3, 4, 9, 1), sh(3, 5, 9)),
        (sh(3, 4, 23, 30), sh(3, 5, 9)),
        (utc(3, 4, 0, 30), sh(3, 4, 9)),  # 08:30 local
    ],
)
def test_next_daily_at(now: datetime, want: datetime) -> None:
    got = next_daily_at(now, time(9, 0), SH)
    assert got == want
    assert got.tzinfo is UTC


def test_next_daily_at_over_dst_change() -> None:
    now = datetime(2026, 3, 28, 10, tzinfo=BERLIN)  # CET
    got = next_daily_at(now, time(9, 0), BERLIN)
    assert got == datetime(2026, 3, 29, 7, tzinfo=UTC)  # 09:00 CEST


def test_time_left_sign() -> None:
    due = utc(3, 4, 12)
    assert time_left(due, utc(3, 4, 10)) == timedelta(hours=2)
    assert time_left(due, utc(3, 4, 13)) == timedelta(hours=-1)


@pytest.mark.parametrize(
    ("td", "want"),
    [
        (timedelta(days=1, hours=3, minutes=25, seconds=40), (1, 3, 25)),
        (timedelta(hours=-2, minutes=-5), (0, 2, 5)),
        (timedelta(seconds=59), (0, 0, 0)),
        (timedelta(days=8), (8, 0, 0)),
        (timedelta(0), (0, 0, 0)),
    ],
)
def test_split_duration(td: timedelta, want: tuple[int, int, int]) -> None:
    assert split_duration(td) == want


def test_confirmation_reminders_one_and_three_days_after_resolution_deferred_from_quiet() -> None:
    from domain.reminders import CONFIRM, plan_confirmations

    sh = ZoneInfo("Asia/Shanghai")
    resolved = datetime(2026, 3, 2, 23, 30, tzinfo=sh)  # in quiet hours
    plan = plan_confirmations(resolved_at=resolved, now=resolved, quiet=DEFAULT_QUIET, tz=sh)
    assert [(r.kind, r.hours_before) for r in plan] == [(CONFIRM, 24), (CONFIRM, 72)]
    assert [r.fire_at.astimezone(sh) for r in plan] == [
        datetime(2026, 3, 4, 8, 0, tzinfo=sh),
        datetime(2026, 3, 6, 8, 0, tzinfo=sh),
    ]
    later = plan_confirmations(
        resolved_at=resolved, now=resolved + timedelta(days=2), quiet=DEFAULT_QUIET, tz=sh
    )
    assert [r.hours_before for r in later] == [72]


# --- reading durations: rounded, never "0 minutes" ---------------------------------------


@pytest.mark.parametrize(
    ("td", "want"),
    [
        (timedelta(hours=3, minutes=59), (0, 4, 0)),  # the 4 h reminder a minute late
        (timedelta(hours=3, minutes=57), (0, 3, 55)),
        (timedelta(hours=3, minutes=57, seconds=30), (0, 4, 0)),  # halves round up
        (timedelta(hours=12, minutes=1), (0, 12, 0)),  # moved to 21:59 for a 10:00 deadline
        (timedelta(hours=23, minutes=50), (1, 0, 0)),
        (timedelta(hours=23, minutes=29), (0, 23, 30)),
        (timedelta(hours=23, minutes=30), (1, 0, 0)),
        (timedelta(days=1, minutes=29), (1, 0, 0)),
        (timedelta(days=1, hours=2, minutes=30), (1, 3, 0)),
        (timedelta(days=2, hours=23, minutes=45), (3, 0, 0)),
        (timedelta(minutes=59, seconds=29), (0, 0, 59)),
        (timedelta(minutes=59, seconds=30), (0, 1, 0)),
        (timedelta(minutes=1, seconds=29), (0, 0, 1)),
        (timedelta(seconds=20), (0, 0, 1)),  # still ahead: never "0 minutes"
        (timedelta(0), (0, 0, 1)),
        (timedelta(hours=-5, minutes=-2), (0, 5, 0)),  # overdue: magnitude, same rules
    ],
)
def test_round_duration(td: timedelta, want: tuple[int, int, int]) -> None:
    assert round_duration(td) == want


@pytest.mark.parametrize(
    ("td", "zh", "en"),
    [
        (timedelta(hours=3, minutes=59), "4小时", "4h"),
        (timedelta(hours=23, minutes=50), "1天", "1d"),
        (timedelta(days=1, hours=3, minutes=10), "1天3小时", "1d 3h"),
        (timedelta(hours=2, minutes=25), "2小时25分", "2h 25m"),
        (timedelta(seconds=10), "1分钟", "1 min"),
    ],
)
def test_duration_text_leaves_zero_parts_out(td: timedelta, zh: str, en: str) -> None:
    from texts.views import duration

    assert (duration("zh", td), duration("en", td)) == (zh, en)


# --- at sending time: moot and superseded reminders, quiet hours ---------------------------


def test_before_reminder_is_moot_once_the_deadline_passed() -> None:
    due = sh(3, 4, 10)
    assert not moot("before", due, sh(3, 4, 9, 59))
    assert moot("before", due, due)
    assert moot("before", due, sh(3, 5, 10))
    assert not moot("overdue", due, sh(3, 5, 10))
    assert not moot("confirm", due, sh(3, 5, 10))


def test_precedence_prefers_overdue_then_nearest_before_then_latest_confirmation() -> None:
    due = [("before", 72), ("overdue", 0), ("before", 4), ("before", 24)]
    assert sorted(due, key=lambda r: precedence(*r)) == [
        ("overdue", 0),
        ("before", 4),
        ("before", 24),
        ("before", 72),
    ]
    asked = [("confirm", 24), ("confirm", 72)]
    assert min(asked, key=lambda r: precedence(*r)) == ("confirm", 72)


@pytest.mark.parametrize(
    ("now", "want"),
    [
        (sh(3, 4, 23, 30), sh(3, 5, 8)),
        (sh(3, 5, 2), sh(3, 5, 8)),
        (sh(3, 4, 22), sh(3, 5, 8)),
        (sh(3, 5, 8), None),
        (sh(3, 4, 21, 59), None),
    ],
)
def test_catch_up_inside_quiet_hours_is_held_until_their_end(
    now: datetime, want: datetime | None
) -> None:
    assert QUIET.held_until(now, SH) == want


@pytest.mark.parametrize(
    ("description", "reason"),
    [
        ("Forbidden: bot was blocked by the user", "blocked"),
        ("Forbidden: user is deactivated", "deactivated"),
        ("Forbidden: bot can't initiate conversation with a user", "blocked"),
    ],
)
def test_unreachable_reason_from_telegrams_403(description: str, reason: str) -> None:
    from delivery.notices import unreachable_reason

    assert unreachable_reason(description) == reason
