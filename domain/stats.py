"""Programme figures for /stats, the export and the chart, computed from plain records (SPEC §5)."""

from __future__ import annotations

import bisect
import logging
import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Literal

from domain.models import Actor, Role, State

if TYPE_CHECKING:
    from domain.department_stats import DepartmentFigures

logger = logging.getLogger(__name__)

ScopeKind = Literal["all", "team", "envoy", "enterprise", "department"]
Period = Literal["week", "month", "all"]
PERIODS: tuple[str, ...] = ("week", "month", "all")
TOP_OVERDUE = 10


@dataclass(frozen=True, slots=True)
class Scope:
    """Whose problems a figure covers: everything, some teams, envoys, enterprises, or the
    problems dispatched to some departments (from the moment of dispatch)."""

    kind: ScopeKind
    ids: frozenset[int] = frozenset()

    @staticmethod
    def everything() -> Scope:
        return Scope("all")


def scope_for(actor: Actor) -> Scope:
    """The widest scope an actor may see (admin: all; lead: teams; envoy: own; staff: company;
    department: what was dispatched to it)."""
    if actor.role is Role.ADMIN:
        return Scope("all")
    if actor.role is Role.DEPARTMENT and actor.department_id is not None:
        return Scope("department", frozenset({actor.department_id}))
    if actor.role is Role.LEAD:
        return Scope("team", actor.led_team_ids)
    if actor.role is Role.ENVOY and actor.envoy_id is not None:
        return Scope("envoy", frozenset({actor.envoy_id}))
    if actor.role is Role.STAFF and actor.enterprise_id is not None:
        return Scope("enterprise", frozenset({actor.enterprise_id}))
    return Scope("enterprise", frozenset())  # sees nothing


@dataclass(frozen=True, slots=True)
class ProblemFacts:
    """The columns of a problem that figures, the export and the chart need."""

    id: int
    number: str
    enterprise_id: int
    enterprise_name: str
    team_id: int | None
    envoy_id: int | None
    envoy_name: str | None
    category: str
    tier: int | None
    state: State
    registered_at: datetime
    due_at: datetime
    resolved_at: datetime | None
    closed_at: datetime | None
    satisfaction: int | None


def period_start(period: str, now: datetime, tz: tzinfo) -> datetime | None:
    """Start of a reporting period in local time (week: Monday 00:00, month: the 1st)."""
    local = now.astimezone(tz)
    if period == "all":
        return None
    if period == "week":
        day = local.date() - timedelta(days=local.weekday())
    elif period == "month":
        day = local.date().replace(day=1)
    else:
        raise ValueError(f"unknown period {period!r}")
    return datetime.combine(day, time(0), tzinfo=tz)


def percent(numerator: int, denominator: int) -> str | None:
    """A share as a percentage with two decimals, rounded half up (142/180 → '78.89')."""
    if denominator <= 0:
        return None
    value = (Decimal(numerator) * 100 / Decimal(denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    return f"{value}"


@dataclass(frozen=True, slots=True)
class Counts:
    """Headline counts of a set of problems; withdrawn ones count only as withdrawn."""

    collected: int = 0  # every problem except withdrawn
    closed: int = 0  # enterprise confirmed
    waiting: int = 0  # resolved, waiting for the enterprise
    in_progress: int = 0  # open: registered or in_progress
    unaccepted: int = 0  # registered, not yet taken (part of in_progress)
    overdue: int = 0  # open and past due_at
    withdrawn: int = 0

    @property
    def resolution_rate(self) -> str | None:
        return percent(self.closed, self.collected)


class _Tally:
    """Mutable accumulator turned into Counts at the end."""

    __slots__ = (
        "closed",
        "collected",
        "in_progress",
        "overdue",
        "unaccepted",
        "waiting",
        "withdrawn",
    )

    def __init__(self) -> None:
        self.collected = self.closed = self.waiting = self.in_progress = 0
        self.unaccepted = self.overdue = self.withdrawn = 0

    def add(self, state: State, overdue: bool) -> None:
        if state is State.WITHDRAWN:
            self.withdrawn += 1
            return
        self.collected += 1
        if state is State.CLOSED:
            self.closed += 1
        elif state is State.RESOLVED:
            self.waiting += 1
        else:
            self.in_progress += 1
            if state is State.REGISTERED:
                self.unaccepted += 1
            if overdue:
                self.overdue += 1

    def freeze(self) -> Counts:
        return Counts(
            collected=self.collected,
            closed=self.closed,
            waiting=self.waiting,
            in_progress=self.in_progress,
            unaccepted=self.unaccepted,
            overdue=self.overdue,
            withdrawn=self.withdrawn,
        )


GroupKey = str | int | None


@dataclass(frozen=True, slots=True)
class Group:
    """Counts for one category, tier, team or envoy (key None: unclassified / none)."""

    key: GroupKey
    counts: Counts


@dataclass(frozen=True, slots=True)
class Figures:
    """Everything /stats shows for one scope and period."""

    scope: Scope
    period: str
    since: datetime | None
    now: datetime
    counts: Counts
    resolved: int  # reached resolved at some time (closed ones included)
    on_time: int  # of those, resolved by due_at
    median_resolve: timedelta | None
    p90_resolve: timedelta | None
    satisfaction_avg: float | None
    ratings: int
    by_category: tuple[Group, ...]
    by_tier: tuple[Group, ...]
    by_team: tuple[Group, ...]
    by_envoy: tuple[Group, ...]
    top_overdue: tuple[Group, ...]  # envoys with the most overdue problems, most first
    team_names: Mapping[int, str] = field(default_factory=dict)
    envoy_names: Mapping[int, str] = field(default_factory=dict)
    # the departments' rows (domain/department_stats.py), filled in by reporting/figures.py
    by_department: tuple[DepartmentFigures, ...] = ()

    @property
    def resolution_rate(self) -> str | None:
        return self.counts.resolution_rate

    @property
    def on_time_rate(self) -> str | None:
        return percent(self.on_time, self.resolved)


def is_overdue(state: State, due_at: datetime, now: datetime) -> bool:
    """Open and past its deadline (same rule as the red colour)."""
    return state.is_open and now > due_at


def nearest_rank(sorted_values: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile: the smallest value with at least ``fraction`` at or below."""
    if not sorted_values:
        raise ValueError("no values")
    rank = max(1, math.ceil(fraction * len(sorted_values)))
    return sorted_values[rank - 1]


def _groups(tallies: Mapping[GroupKey, _Tally]) -> tuple[Group, ...]:
    """Groups, biggest first, then by key for a stable order."""
    frozen = [Group(key, tally.freeze()) for key, tally in tallies.items()]
    frozen.sort(key=lambda g: (-g.counts.collected, -g.counts.withdrawn, str(g.key)))
    return tuple(frozen)


def envoy_keys(
    p: ProblemFacts, assigned: Mapping[int, Sequence[int]], scope: Scope
) -> tuple[GroupKey, ...]:
    """Whose envoy row a problem counts in, so an envoy's own /stats equals their row.

    The envoy who accepted it; while nobody has, every envoy assigned to its enterprise
    (None when it has none). In an envoy scope only the scope's envoys get rows.
    """
    if p.envoy_id is not None:
        keys: tuple[GroupKey, ...] = (p.envoy_id,)
    else:
        keys = tuple(assigned.get(p.enterprise_id, ())) or (None,)
    if scope.kind == "envoy":
        keys = tuple(k for k in keys if k in scope.ids)
    return keys


def _tally_of(table: dict[GroupKey, _Tally], key: GroupKey) -> _Tally:
    tally = table.get(key)
    if tally is None:
        tally = table[key] = _Tally()
    return tally


def compute_figures(
    facts: Iterable[ProblemFacts],
    now: datetime,
    *,
    scope: Scope | None = None,
    period: str = "all",
    since: datetime | None = None,
    team_names: Mapping[int, str] | None = None,
    assigned: Mapping[int, Sequence[int]] | None = None,
    envoy_names: Mapping[int, str] | None = None,
) -> Figures:
    """All figures in one pass over the records (callers pass the scope's and period's rows).

    ``assigned`` (enterprise id → its envoys) decides the envoy rows of problems nobody has
    accepted yet (see envoy_keys); ``envoy_names`` names envoys that accepted nothing.
    """
    scope = scope or Scope("all")
    assigned = assigned or {}
    total = _Tally()
    by_category: dict[GroupKey, _Tally] = {}
    by_tier: dict[GroupKey, _Tally] = {}
    by_team: dict[GroupKey, _Tally] = {}
    by_envoy: dict[GroupKey, _Tally] = {}
    names: dict[int, str] = dict(envoy_names or {})
    durations: list[float] = []
    on_time = 0
    rating_sum = 0
    ratings = 0
    for p in facts:
        if since is not None and p.registered_at < since:
            continue
        state = p.state
        overdue = state.is_open and now > p.due_at
        total.add(state, overdue)
        for table, key in (
            (by_category, p.category),
            (by_tier, p.tier),
            (by_team, p.team_id),
        ):
            _tally_of(table, key).add(state, overdue)
        for key in envoy_keys(p, assigned, scope):
            _tally_of(by_envoy, key).add(state, overdue)
        if p.envoy_id is not None and p.envoy_name is not None:
            names[p.envoy_id] = p.envoy_name
        if state is State.WITHDRAWN:
            continue
        if p.resolved_at is not None:
            durations.append((p.resolved_at - p.registered_at).total_seconds())
            if p.resolved_at <= p.due_at:
                on_time += 1
        if p.satisfaction is not None:
            rating_sum += p.satisfaction
            ratings += 1
    durations.sort()
    envoys = _groups(by_envoy)
    top = sorted(
        (g for g in envoys if g.key is not None and g.counts.overdue > 0),
        key=lambda g: (
            -g.counts.overdue,
            names.get(g.key, "") if isinstance(g.key, int) else "",
            str(g.key),
        ),
    )[:TOP_OVERDUE]
    return Figures(
        scope=scope,
        period=period,
        since=since,
        now=now,
        counts=total.freeze(),
        resolved=len(durations),
        on_time=on_time,
        median_resolve=timedelta(seconds=statistics.median(durations)) if durations else None,
        p90_resolve=timedelta(seconds=nearest_rank(durations, 0.9)) if durations else None,
        satisfaction_avg=(rating_sum / ratings) if ratings else None,
        ratings=ratings,
        by_category=_groups(by_category),
        by_tier=tuple(sorted(_groups(by_tier), key=lambda g: (g.key is None, g.key or 0))),
        by_team=_groups(by_team),
        by_envoy=envoys,
        top_overdue=tuple(top),
        team_names=dict(team_names or {}),
        envoy_names=names,
    )


@dataclass(frozen=True, slots=True)
class WeekPoint:
    """One week of the trend: collected and closed in the week, overdue at its end."""

    start: date  # local Monday
    collected: int
    closed: int
    overdue: int


def week_starts(now: datetime, tz: tzinfo, weeks: int) -> list[datetime]:
    """Local Monday 00:00 of the last ``weeks`` weeks, oldest first, this week last."""
    this_monday = period_start("week", now, tz)
    assert this_monday is not None
    first = this_monday.date() - timedelta(weeks=weeks - 1)
    return [datetime.combine(first + timedelta(weeks=i), time(0), tzinfo=tz) for i in range(weeks)]


def weekly_trend(
    facts: Iterable[ProblemFacts], now: datetime, tz: tzinfo, weeks: int = 12
) -> tuple[WeekPoint, ...]:
    """Per local week: problems registered, problems closed, and open-and-overdue at week end."""
    if weeks < 1:
        raise ValueError("weeks must be positive")
    starts = week_starts(now, tz, weeks)
    ends = [*starts[1:], now]
    ends = [min(end, now) for end in ends]
    collected = [0] * weeks
    closed = [0] * weeks
    overdue_diff = [0] * (weeks + 1)
    for p in facts:
        if p.state is State.WITHDRAWN:
            continue
        i = bisect.bisect_right(starts, p.registered_at) - 1
        if i >= 0 and p.registered_at < ends[i]:
            collected[i] += 1
        if p.state is State.CLOSED and p.closed_at is not None:
            j = bisect.bisect_right(starts, p.closed_at) - 1
            if j >= 0 and p.closed_at < ends[j]:
                closed[j] += 1
        # overdue at week end T: due_at < T and not yet resolved at T
        lo = bisect.bisect_right(ends, p.due_at)
        hi = weeks if p.resolved_at is None else bisect.bisect_left(ends, p.resolved_at)
        if lo < hi:
            overdue_diff[lo] += 1
            overdue_diff[hi] -= 1
    points: list[WeekPoint] = []
    running = 0
    for i in range(weeks):
        running += overdue_diff[i]
        points.append(WeekPoint(starts[i].date(), collected[i], closed[i], running))
    return tuple(points)


def days_overdue(p: ProblemFacts, now: datetime) -> float | None:
    """Days past the deadline: open ones until now, resolved ones until resolved; else None."""
    if p.state is State.WITHDRAWN:
        return None
    end = p.resolved_at if p.resolved_at is not None else (now if p.state.is_open else None)
    if end is None or end <= p.due_at:
        return None
    return round((end - p.due_at).total_seconds() / 86400, 1)
