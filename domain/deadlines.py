"""The 137 clock: when a problem of a tier is due, in calendar or working days (SPEC §4)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

import chinese_calendar

logger = logging.getLogger(__name__)

END_OF_DAY = time(23, 59, 59)

_warned_years: set[int] = set()


class DayCounting(StrEnum):
    """How tier days are counted."""

    CALENDAR = "calendar"
    WORKDAYS = "workdays"


def reset_fallback_warnings() -> None:
    """Forget which years were warned about (tests; a long-running process never needs it)."""
    _warned_years.clear()


def is_workday(day: date) -> bool:
    """Mainland-China working day (holidays, 调休), or Mon–Fri for years the calendar lacks."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        if day.year not in _warned_years:
            _warned_years.add(day.year)
            logger.warning(
                "chinesecalendar has no data for %s: counting Monday-Friday as working days "
                "(upgrade chinesecalendar for holidays and adjusted workdays)",
                day.year,
            )
        return day.weekday() < 5


def _next_workday(day: date) -> date:
    day += timedelta(days=1)
    while not is_workday(day):
        day += timedelta(days=1)
    return day


def _aware(value: datetime, name: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware")


def due_at(
    registered_at: datetime,
    tier: int | None,
    *,
    tier_days: Sequence[int] = (1, 3, 7),
    counting: DayCounting,
    tz: ZoneInfo,
) -> datetime:
    """The deadline (aware, UTC) for a problem registered at ``registered_at``.

    An unclassified problem (tier None) is due like tier 1. N = tier_days[tier - 1].

    CALENDAR: the same local wall-clock time N local calendar days later (so across a DST
    change the interval is 23 or 25 hours; a wall time that does not exist is read with
    the offset before the change, as zoneinfo does).

    WORKDAYS (mainland China, statutory holidays and 调休 included):
    - registered on a working day: the same local wall-clock time on the N-th working
      day after the local registration date;
    - registered on a non-working day: counting starts with the next working day, which is
      day 1, and the problem is due at the end of day N (23:59:59 local). So a report on
      Sunday with tier 1 is due Monday 23:59:59 — never earlier than one made on the Friday
      before at any time, and the envoy always gets N whole working days.
    """
    _aware(registered_at, "registered_at")
    if tier is None:
        tier = 1
    if tier not in (1, 2, 3):
        raise ValueError(f"tier must be 1, 2, 3 or None, got {tier!r}")
    days = tier_days[tier - 1]
    local = registered_at.astimezone(tz)
    if counting is DayCounting.CALENDAR:
        target_day = local.date() + timedelta(days=days)
        wall = local.time().replace(tzinfo=None)
    elif is_workday(local.date()):
        target_day = local.date()
        for _ in range(days):
            target_day = _next_workday(target_day)
        wall = local.time().replace(tzinfo=None)
    else:
        target_day = _next_workday(local.date())
        for _ in range(days - 1):
            target_day = _next_workday(target_day)
        wall = END_OF_DAY
    return datetime.combine(target_day, wall, tzinfo=tz).astimezone(UTC)


def window_fraction_left(registered_at: datetime, due_at: datetime, now: datetime) -> float:
    """Share of the registration→deadline window still ahead, clamped to 0.0–1.0."""
    window = (due_at - registered_at).total_seconds()
    if window <= 0:
        return 0.0
    left = (due_at - now).total_seconds() / window
    return max(0.0, min(1.0, left))
