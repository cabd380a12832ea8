"""The 137 clock in calendar and mainland-China working days."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest

from domain.deadlines import (
    DayCounting,
    due_at,
    is_workday,
    reset_fallback_warnings,
    window_fraction_left,
)

SH = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")
CAL, WORK = DayCounting.CALENDAR, DayCounting.WORKDAYS


def local(
    y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0, tz: ZoneInfo = SH
) -> datetime:
    return datetime(y, mo, d, h, mi, s, tzinfo=tz)


@pytest.fixture(autouse=True)
def _fresh_warnings() -> Iterator[None]:
    reset_fallback_warnings()
    yield
    reset_fallback_warnings()


def test_calendar_facts_2025_national_day() -> None:
    """What the expectations below rely on, checked against chinesecalendar itself."""
    assert chinese_calendar.is_workday(date(2025, 9, 28))  # Sunday, adjusted workday
    assert all(not chinese_calendar.is_workday(date(2025, 10, d)) for d in range(1, 9))
    assert chinese_calendar.is_workday(date(2025, 10, 9))
    assert chinese_calendar.is_workday(date(2025, 10, 11))  # Saturday, adjusted workday
    assert not chinese_calendar.is_workday(date(2025, 10, 12))


def test_chinesecalendar_does_not_know_2031() -> None:
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(date(2031, 3, 3))


# --- working days -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tier", "want"),
    [
        (None, local(2025, 10, 9, 20)),  # unclassified = tier 1
        (1, local(2025, 10, 9, 20)),  # Oct 1-8 off: the first working day is Oct 9
        (2, local(2025, 10, 11, 20)),  # Oct 10, then Saturday Oct 11 (调休) counts
        (3, local(2025, 10, 16, 20)),  # 9, 10, 11, 13, 14, 15, 16
    ],
)
def test_evening_before_national_day(tier: int | None, want: datetime) -> None:
    got = due_at(local(2025, 9, 30, 20), tier, counting=WORK, tz=SH)
    assert got == want
    assert got.tzinfo is UTC


def test_tier1_exact_utc_before_national_day() -> None:
    got = due_at(local(2025, 9, 30, 20), 1, counting=WORK, tz=SH)
    assert got == datetime(2025, 10, 9, 12, 0, tzinfo=UTC)


def test_adjusted_sunday_counts_as_working_day() -> None:
    # Friday 26 Sep -> Saturday off -> Sunday 28 Sep is an adjusted workday
    assert due_at(local(2025, 9, 26, 10), 1, counting=WORK, tz=SH) == local(2025, 9, 28, 10)


def test_registered_on_adjusted_workday_counts_normally() -> None:
    assert due_at(local(2025, 9, 28, 10), 1, counting=WORK, tz=SH) == local(2025, 9, 29, 10)


def test_ordinary_weekend_skipped() -> None:
    # Friday 2025-03-07 15:00: tier 1 -> Monday 10th; tier 2 (3 days) -> Mon, Tue, Wed 12th
    assert due_at(local(2025, 3, 7, 15), 1, counting=WORK, tz=SH) == local(2025, 3, 10, 15)
    assert due_at(local(2025, 3, 7, 15), 2, counting=WORK, tz=SH) == local(2025, 3, 12, 15)


@pytest.mark.parametrize(
    ("registered", "tier", "want"),
    [
        # on a holiday: day 1 is the next working day, due at the end of day N
        (local(2025, 10, 3, 15), 1, local(2025, 10, 9, 23, 59, 59)),
        (local(2025, 10, 3, 15), 2, local(2025, 10, 11, 23, 59, 59)),  # 9, 10, 11 (调休)
        (local(2025, 10, 3, 15), 3, local(2025, 10, 16, 23, 59, 59)),  # 9..11, 13..16
        # on an ordinary Saturday / Sunday
        (local(2025, 3, 8, 0, 5), 1, local(2025, 3, 10, 23, 59, 59)),
        (local(2025, 3, 9, 23, 55), 1, local(2025, 3, 10, 23, 59, 59)),
    ],
)
def test_registered_on_non_working_day(registered: datetime, tier: int, want: datetime) -> None:
    assert due_at(registered, tier, counting=WORK, tz=SH) == want


def test_non_working_day_never_earlier_than_the_friday_before() -> None:
    friday_late = due_at(local(2025, 3, 7, 23, 59), 1, counting=WORK, tz=SH)
    saturday = due_at(local(2025, 3, 8, 0, 1), 1, counting=WORK, tz=SH)
    monday_early = due_at(local(2025, 3, 10, 0, 1), 1, counting=WORK, tz=SH)
    assert friday_late < saturday < monday_early


def test_local_date_decides_not_utc_date() -> None:
    # 2025-09-30 17:00 UTC is already 1 Oct 01:00 in Shanghai: a holiday
    got = due_at(datetime(2025, 9, 30, 17, tzinfo=UTC), 1, counting=WORK, tz=SH)
    assert got == local(2025, 10, 9, 23, 59, 59)


def test_custom_tier_days() -> None:
    got = due_at(local(2025, 3, 3, 9), 2, tier_days=(2, 5, 10), counting=WORK, tz=SH)
    assert got == local(2025, 3, 10, 9)  # Mon + 5 working days


def test_unknown_year_falls_back_to_weekdays_with_one_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="domain.deadlines")
    # Friday 2031-01-03 10:00, tier 3: Mon-Fri only -> 6,7,8,9,10,13,14 January
    assert due_at(local(2031, 1, 3, 10), 3, counting=WORK, tz=SH) == local(2031, 1, 14, 10)
    assert due_at(local(2031, 1, 10, 10), 1, counting=WORK, tz=SH) == local(2031, 1, 13, 10)
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "2031" in warnings[0].getMessage()
    assert warnings[0].args == (2031,)  # lazy %s formatting


def test_fallback_warns_once_per_year(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="domain.deadlines")
    is_workday(date(2031, 5, 5))
    is_workday(date(2032, 5, 5))
    is_workday(date(2031, 6, 6))
    assert sorted(r.args for r in caplog.records) == [(2031,), (2032,)]  # type: ignore[type-var]


def test_fallback_across_year_boundary(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="domain.deadlines")
    last_known = date(2026, 12, 31)
    chinese_calendar.is_workday(last_known)  # 2026 is known
    got = due_at(local(2026, 12, 31, 10), 2, counting=WORK, tz=SH)
    # tier 2 = 3 days; 2027-01-01 is a Friday: fallback says Fri 1, Mon 4, Tue 5
    assert got == local(2027, 1, 5, 10)
    assert [r.args for r in caplog.records] == [(2027,)]


def test_known_year_does_not_warn(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="domain.deadlines")
    due_at(local(2025, 9, 30, 20), 3, counting=WORK, tz=SH)
    assert caplog.records == []


# --- calendar days ------------------------------------------------------------------------


@pytest.mark.parametrize(("tier", "days"), [(None, 1), (1, 1), (2, 3), (3, 7)])
def test_calendar_ignores_weekends_and_holidays(tier: int | None, days: int) -> None:
    registered = local(2025, 10, 3, 10)  # a holiday Friday
    assert due_at(registered, tier, counting=CAL, tz=SH) == registered + timedelta(days=days)


def test_calendar_weekend_plain() -> None:
    # Friday 2025-03-07 18:00 tier 1 -> Saturday 18:00, weekend irrelevant
    got = due_at(local(2025, 3, 7, 18), 1, counting=CAL, tz=SH)
    assert got == datetime(2025, 3, 8, 10, tzinfo=UTC)


def test_calendar_keeps_wall_clock_across_dst_spring() -> None:
    registered = local(2025, 3, 29, 10, tz=BERLIN)  # CET, 09:00 UTC
    got = due_at(registered, 1, counting=CAL, tz=BERLIN)
    assert got == datetime(2025, 3, 30, 8, tzinfo=UTC)  # 10:00 CEST
    assert got - registered == timedelta(hours=23)


def test_calendar_keeps_wall_clock_across_dst_autumn() -> None:
    registered = local(2025, 10, 25, 10, tz=BERLIN)  # CEST, 08:00 UTC
    got = due_at(registered, 1, counting=CAL, tz=BERLIN)
    assert got == datetime(2025, 10, 26, 9, tzinfo=UTC)  # 10:00 CET
    assert got - registered == timedelta(hours=25)


def test_calendar_nonexistent_wall_time() -> None:
    registered = local(2025, 3, 29, 2, 30, tz=BERLIN)  # 01:30 UTC
    got = due_at(registered, 1, counting=CAL, tz=BERLIN)
    assert got == datetime(2025, 3, 30, 1, 30, tzinfo=UTC)  # read with the CET offset


def test_shanghai_has_no_dst() -> None:
    registered = local(2025, 3, 29, 10)
    assert due_at(registered, 3, counting=CAL, tz=SH) - registered == timedelta(days=7)


def test_result_is_utc_whatever_the_input_zone() -> None:
    registered = datetime(2025, 3, 3, 2, tzinfo=UTC)
    got = due_at(registered, 1, counting=CAL, tz=SH)
    assert got.tzinfo is UTC
    assert got == datetime(2025, 3, 4, 2, tzinfo=UTC)


def test_naive_rejected() -> None:
    with pytest.raises(ValueError, match="aware"):
        due_at(datetime(2025, 3, 3, 10), 1, counting=CAL, tz=SH)


@pytest.mark.parametrize("tier", [0, 4])
def test_bad_tier_rejected(tier: int) -> None:
    with pytest.raises(ValueError, match="tier"):
        due_at(local(2025, 3, 3, 10), tier, counting=CAL, tz=SH)


# --- window fraction ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hours_in", "want"),
    [(0, 1.0), (6, 0.75), (18, 0.25), (24, 0.0), (30, 0.0), (-5, 1.0)],
)
def test_window_fraction_left(hours_in: float, want: float) -> None:
    reg = datetime(2025, 3, 3, 2, tzinfo=UTC)
    due = reg + timedelta(hours=24)
    assert window_fraction_left(reg, due, reg + timedelta(hours=hours_in)) == pytest.approx(want)


def test_window_fraction_degenerate_window() -> None:
    reg = datetime(2025, 3, 3, 2, tzinfo=UTC)
    assert window_fraction_left(reg, reg, reg) == 0.0
