"""The reminder plan of one problem, as plain data, honouring quiet hours (SPEC §4).

Rules chosen where the brief left room:

- A reminder falling inside quiet hours moves to one minute before the quiet period starts
  (21:59 local by default) if that moment is not earlier than ``now``, else to the end of
  the quiet period (08:00).
- The overdue notice only ever moves forward, to the end of the quiet period: never before
  the deadline.
- A "before" reminder that, after moving, would fire at or after the deadline is dropped:
  the overdue notice says more.
- Anything whose (moved) time is earlier than ``now`` is skipped. A caller recovering after
  downtime passes the time it last planned from, and deduplicates by
  (problem, kind, hours_before, due_at) against what was already sent.
- Two "before" reminders moved to the same instant are sent once (the larger
  ``hours_before`` is kept).

At sending time (after downtime several of a problem's reminders can be due at once):

- A "before" reminder is moot once the deadline has passed (``moot``): the overdue notice
  replaces it, whether it goes out in the same message or went out earlier.
- Of one problem's due reminders only the most current is sent (``precedence``): the overdue
  notice, else the "before" nearest the deadline, else the latest confirmation request.
- Nothing is sent inside quiet hours (``QuietHours.held_until``): a catch-up waits for their
  end, like a planned reminder would.

Durations are read by people, so they are rounded (``round_duration``): minutes below an
hour, hours and minutes (to 5 minutes) below a day, days and hours (to the hour) above.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from domain.models import State

BEFORE = "before"
OVERDUE = "overdue"
CONFIRM = "confirm"
CONFIRM_AFTER_HOURS: tuple[int, ...] = (24, 72)
PRE_QUIET_MARGIN = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class PlannedReminder:
    """One ping to send: ``before`` the deadline (with its hours) or ``overdue`` at it."""

    kind: str  # "before" | "overdue"
    fire_at: datetime  # UTC
    hours_before: int | None


def _at(day: date, wall: time, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, wall, tzinfo=tz).astimezone(UTC)


@dataclass(frozen=True, slots=True)
class QuietHours:
    """A local time-of-day span without pings; may wrap midnight; start == end means none."""

    start: time
    end: time

    @classmethod
    def parse(cls, start: str, end: str) -> QuietHours:
        """From "HH:MM" strings as in the settings."""
        return cls(time.fromisoformat(start), time.fromisoformat(end))

    @property
    def wraps(self) -> bool:
        return self.start > self.end

    def contains(self, local_time: time) -> bool:
        """Whether a local wall time is quiet (start inclusive, end exclusive)."""
        t = local_time.replace(tzinfo=None)
        if self.start == self.end:
            return False
        if self.wraps:
            return t >= self.start or t < self.end
        return self.start <= t < self.end

    def period(self, when_utc: datetime, tz: ZoneInfo) -> tuple[datetime, datetime] | None:
        """The quiet period (start, end in UTC) containing ``when_utc``, or None."""
        local = when_utc.astimezone(tz)
        if not self.contains(local.time()):
            return None
        day = local.date()
        if self.wraps and local.time().replace(tzinfo=None) < self.end:
            day -= timedelta(days=1)  # after midnight: the period began yesterday evening
        end_day = day + timedelta(days=1) if self.wraps else day
        return _at(day, self.start, tz), _at(end_day, self.end, tz)

    def shift(self, when_utc: datetime, now_utc: datetime, tz: ZoneInfo) -> datetime:
        """Move a quiet moment to just before its quiet period if still ahead, else to its end."""
        span = self.period(when_utc, tz)
        if span is None:
            return when_utc.astimezone(UTC)
        before = span[0] - PRE_QUIET_MARGIN
        return before if before >= now_utc else span[1]

    def defer(self, when_utc: datetime, tz: ZoneInfo) -> datetime:
        """Move a quiet moment forward to the end of its quiet period (never earlier)."""
        span = self.period(when_utc, tz)
        return when_utc.astimezone(UTC) if span is None else span[1]

    def held_until(self, now_utc: datetime, tz: ZoneInfo) -> datetime | None:
        """When a ping due now may go out if now is quiet (SPEC §4: at their end), else None."""
        span = self.period(now_utc, tz)
        return None if span is None else span[1]


DEFAULT_QUIET = QuietHours(time(22, 0), time(8, 0))


def plan_for_problem(
    *,
    state: State,
    tier: int | None,
    due_at: datetime,
    now: datetime,
    hours_before: Sequence[int],
    quiet: QuietHours,
    tz: ZoneInfo,
) -> list[PlannedReminder]:
    """Every reminder still to come for one problem, in firing order.

    Only open problems get reminders. ``hours_before`` is the list for the problem's tier
    (the tier-1 list for an unclassified one; the caller picks it), so ``tier`` is only
    informative here.
    """
    del tier  # the caller already chose hours_before for it
    if not state.is_open:
        return []
    return plan_before_and_overdue(
        due_at=due_at, now=now, hours_before=hours_before, quiet=quiet, tz=tz
    )


def plan_for_dispatch(
    *,
    live: bool,
    due_at: datetime,
    now: datetime,
    hours_before: Sequence[int],
    quiet: QuietHours,
    tz: ZoneInfo,
) -> list[PlannedReminder]:
    """The department clock of one dispatch: the same rules against its own deadline, while
    the department still works it (``live``: sent or signed, on an open problem)."""
    if not live:
        return []
    return plan_before_and_overdue(
        due_at=due_at, now=now, hours_before=hours_before, quiet=quiet, tz=tz
    )


def plan_before_and_overdue(
    *,
    due_at: datetime,
    now: datetime,
    hours_before: Sequence[int],
    quiet: QuietHours,
    tz: ZoneInfo,
) -> list[PlannedReminder]:
    """ "Before" pings at the given hours and the overdue notice at the deadline, in order."""
    due = due_at.astimezone(UTC)
    plan: dict[datetime, PlannedReminder] = {}
    for hours in sorted(set(hours_before), reverse=True):
        if hours <= 0:
            continue
        fire = quiet.shift(due - timedelta(hours=hours), now, tz)
        if fire < now or fire >= due or fire in plan:
            continue
        plan[fire] = PlannedReminder(BEFORE, fire, hours)
    overdue = quiet.defer(due, tz)
    out = sorted(plan.values(), key=lambda r: r.fire_at)
    if overdue >= now:
        out.append(PlannedReminder(OVERDUE, overdue, None))
    return out


def plan_confirmations(
    *,
    resolved_at: datetime,
    now: datetime,
    quiet: QuietHours,
    tz: ZoneInfo,
    after_hours: Sequence[int] = CONFIRM_AFTER_HOURS,
) -> list[PlannedReminder]:
    """Ask the enterprise again 1 and 3 days after a resolution nobody has answered.

    ``hours_before`` carries the hours *after* the resolution here; quiet hours defer.
    """
    out = []
    for hours in sorted(set(after_hours)):
        fire = quiet.defer(resolved_at.astimezone(UTC) + timedelta(hours=hours), tz)
        if fire >= now:
            out.append(PlannedReminder(CONFIRM, fire, hours))
    return out


def next_daily_at(now: datetime, at: time, tz: ZoneInfo) -> datetime:
    """The next local ``at`` strictly after ``now`` (UTC), e.g. for the 09:00 overdue digest."""
    day = now.astimezone(tz).date()
    candidate = _at(day, at, tz)
    while candidate <= now:
        day += timedelta(days=1)
        candidate = _at(day, at, tz)
    return candidate


def moot(kind: str, due_at: datetime, now: datetime) -> bool:
    """Whether a due reminder says nothing true any more: "N left" once the deadline passed."""
    return kind == BEFORE and now >= due_at


def precedence(kind: str, hours: int) -> tuple[int, int]:
    """Sort key among one problem's due reminders, most current first, so one line is sent."""
    if kind == OVERDUE:
        return (0, 0)
    if kind == BEFORE:
        return (1, hours)  # the one nearest the deadline
    return (1, -hours)  # confirmation: the latest request


def time_left(due_at: datetime, now: datetime) -> timedelta:
    """Time until the deadline; negative once overdue."""
    return due_at - now


def split_duration(td: timedelta) -> tuple[int, int, int]:
    """(days, hours, minutes) of the magnitude of ``td``, seconds dropped; sign is the caller's."""
    total_minutes = int(abs(td).total_seconds()) // 60
    days, rest = divmod(total_minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    return days, hours, minutes


MINUTE = timedelta(minutes=1)
FIVE_MINUTES = timedelta(minutes=5)
HOUR = timedelta(hours=1)


def _nearest(td: timedelta, unit: timedelta) -> int:
    """Whole units in a non-negative span, halves rounded up."""
    return (td + unit / 2) // unit


def round_duration(td: timedelta) -> tuple[int, int, int]:
    """(days, hours, minutes) of the magnitude of ``td`` as people read it; never all zero.

    From about a day (23 h 30 min) on: days and hours, to the nearest hour (23 h 50 min is
    1 day). From about an hour (59 min 30 s) on: hours and minutes, to the nearest 5 minutes
    (3 h 59 min is 4 h, 12 h 1 min is 12 h). Below: minutes, to the nearest minute, at
    least one, so something still ahead never reads "0 minutes".
    """
    span = abs(td)
    hours = _nearest(span, HOUR)
    if hours >= 24:
        days, rest = divmod(hours, 24)
        return days, rest, 0
    if _nearest(span, MINUTE) >= 60:
        hours, minutes = divmod(_nearest(span, FIVE_MINUTES) * 5, 60)
        return 0, hours, minutes
    return 0, 0, max(1, _nearest(span, MINUTE))
