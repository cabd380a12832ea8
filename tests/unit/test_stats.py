"""Pure figure computations: periods, rounding, percentiles, scopes, overdue days, trend."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from domain.models import Actor, Role, State
from domain.stats import (
    ProblemFacts,
    Scope,
    compute_figures,
    days_overdue,
    nearest_rank,
    percent,
    period_start,
    scope_for,
    weekly_trend,
)

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 3, 11, 2, 0, tzinfo=UTC)  # Wednesday 10:00 local
_ids = iter(range(1, 10_000))


def fact(
    state: State,
    registered: datetime,
    due_in: timedelta = timedelta(days=1),
    resolve_after: timedelta | None = None,
    *,
    envoy: int | None = 1,
    team: int | None = 1,
    category: str = "market",
    tier: int | None = 1,
    satisfaction: int | None = None,
) -> ProblemFacts:
    resolved = registered + resolve_after if resolve_after is not None else None
    closed = resolved if state is State.CLOSED else None
    i = next(_ids)
    return ProblemFacts(
        i,
        f"2026-{i:04d}",
        1,
        "企业",
        team,
        envoy,
        "张伟" if envoy else None,
        category,
        tier,
        state,
        registered,
        registered + due_in,
        resolved,
        closed,
        satisfaction,
    )


@pytest.mark.parametrize(
    ("num", "den", "text"),
    [
        (142, 180, "78.89"),
        (1, 8, "12.50"),
        (2, 3, "66.67"),
        (1, 3, "33.33"),
        (1, 200, "0.50"),
        (1, 16, "6.25"),
        (1, 1600, "0.06"),
        (0, 5, "0.00"),
        (5, 5, "100.00"),
    ],
)
def test_percent_two_decimals_half_up(num: int, den: int, text: str) -> None:
    assert percent(num, den) == text


def test_percent_of_nothing_is_none() -> None:
    assert percent(0, 0) is None


def test_period_start_local_week_and_month() -> None:
    assert period_start("all", NOW, TZ) is None
    week = period_start("week", NOW, TZ)
    month = period_start("month", NOW, TZ)
    assert week == datetime(2026, 3, 9, tzinfo=TZ)
    assert week is not None and week.astimezone(UTC) == datetime(2026, 3, 8, 16, tzinfo=UTC)
    assert month == datetime(2026, 3, 1, tzinfo=TZ)
    # 1 March 01:00 local is still 28 February in UTC: the local month has begun
    early = datetime(2026, 2, 28, 17, 0, tzinfo=UTC)
    assert period_start("month", early, TZ) == datetime(2026, 3, 1, tzinfo=TZ)
    with pytest.raises(ValueError):
        period_start("year", NOW, TZ)


def test_nearest_rank() -> None:
    values = [float(v) for v in range(1, 11)]
    assert nearest_rank(values, 0.9) == 9.0
    assert nearest_rank(values, 0.5) == 5.0
    assert nearest_rank([7.0], 0.9) == 7.0
    assert nearest_rank([float(v) for v in range(1, 12)], 0.9) == 10.0
    with pytest.raises(ValueError):
        nearest_rank([], 0.5)


def test_median_even_and_p90() -> None:
    base = NOW - timedelta(days=20)
    hours = [1, 2, 3, 4, 5, 6, 7, 8, 9, 30]
    facts = [fact(State.RESOLVED, base, resolve_after=timedelta(hours=h)) for h in hours]
    fig = compute_figures(facts, NOW)
    assert fig.median_resolve == timedelta(hours=5.5)
    assert fig.p90_resolve == timedelta(hours=9)
    assert fig.resolved == 10
    assert fig.on_time == 9  # the 30-hour one missed its 1-day deadline
    assert fig.on_time_rate == "90.00"


def test_since_filters_and_counts() -> None:
    old = fact(State.CLOSED, NOW - timedelta(days=40), resolve_after=timedelta(hours=2))
    new = fact(State.IN_PROGRESS, NOW - timedelta(days=3))
    fig = compute_figures([old, new], NOW, since=NOW - timedelta(days=7))
    assert fig.counts.collected == 1 and fig.counts.overdue == 1 and fig.counts.closed == 0


def test_overdue_is_strictly_after_due_and_only_open() -> None:
    due_now = fact(State.IN_PROGRESS, NOW - timedelta(days=1))
    late_open = fact(State.REGISTERED, NOW - timedelta(days=2))
    late_waiting = fact(State.RESOLVED, NOW - timedelta(days=5), resolve_after=timedelta(days=3))
    fig = compute_figures([due_now, late_open, late_waiting], NOW)
    assert fig.counts.overdue == 1
    assert fig.counts.unaccepted == 1 and fig.counts.in_progress == 2 and fig.counts.waiting == 1


def test_top_overdue_envoys_ordered() -> None:
    base = NOW - timedelta(days=5)
    facts = (
        [fact(State.IN_PROGRESS, base, envoy=2)] * 1
        + [fact(State.IN_PROGRESS, base, envoy=3) for _ in range(3)]
        + [fact(State.IN_PROGRESS, NOW, envoy=4), fact(State.IN_PROGRESS, base, envoy=None)]
    )
    fig = compute_figures(facts, NOW)
    assert [(g.key, g.counts.overdue) for g in fig.top_overdue] == [(3, 3), (2, 1)]


def test_scope_for_roles() -> None:
    assert scope_for(Actor(1, Role.ADMIN)) == Scope("all")
    lead = Actor(2, Role.LEAD, envoy_id=5, led_team_ids=frozenset({7}))
    assert scope_for(lead) == Scope("team", frozenset({7}))
    assert scope_for(Actor(3, Role.ENVOY, envoy_id=5)) == Scope("envoy", frozenset({5}))
    assert scope_for(Actor(4, Role.STAFF, enterprise_id=9)) == Scope("enterprise", frozenset({9}))
    assert scope_for(Actor(5, Role.STAFF)) == Scope("enterprise", frozenset())


def test_days_overdue() -> None:
    base = NOW - timedelta(days=3)
    assert days_overdue(fact(State.IN_PROGRESS, base), NOW) == 2.0
    assert days_overdue(fact(State.IN_PROGRESS, NOW - timedelta(hours=2)), NOW) is None
    late = fact(State.CLOSED, base, resolve_after=timedelta(hours=36))
    assert days_overdue(late, NOW) == 0.5
    assert days_overdue(fact(State.WITHDRAWN, base), NOW) is None
    on_time = fact(State.RESOLVED, base, resolve_after=timedelta(hours=3))
    assert days_overdue(on_time, NOW) is None


def test_trend_overdue_window_ends_when_resolved() -> None:
    # registered Mon 9 Feb 01:00, due 10 Feb, resolved and closed Mon 23 Feb 03:00:
    # overdue at the ends of the weeks of 9 and 16 Feb (16 Feb and 23 Feb 00:00), not after
    monday = datetime(2026, 3, 9, tzinfo=TZ)
    p = fact(
        State.CLOSED,
        monday - timedelta(weeks=4) + timedelta(hours=1),
        resolve_after=timedelta(weeks=2, hours=2),
    )
    points = weekly_trend([p], NOW, TZ, weeks=6)
    assert points[1].start.isoformat() == "2026-02-09"
    assert [pt.overdue for pt in points] == [0, 1, 1, 0, 0, 0]
    assert [pt.collected for pt in points] == [0, 1, 0, 0, 0, 0]
    assert [pt.closed for pt in points] == [0, 0, 0, 1, 0, 0]
    with pytest.raises(ValueError):
        weekly_trend([], NOW, TZ, weeks=0)


def test_tiers_listed_in_order_unclassified_last() -> None:
    base = NOW - timedelta(days=1)
    facts = (
        [fact(State.IN_PROGRESS, base, tier=3) for _ in range(3)]
        + [fact(State.REGISTERED, base, tier=None) for _ in range(4)]
        + [fact(State.IN_PROGRESS, base, tier=1)]
    )
    assert [g.key for g in compute_figures(facts, NOW).by_tier] == [1, 3, None]


def test_a_problem_nobody_accepted_counts_for_every_envoy_of_its_enterprise() -> None:
    base = NOW - timedelta(days=2)
    taken = fact(State.IN_PROGRESS, base, envoy=1)
    waiting = fact(State.REGISTERED, base, envoy=None, tier=None)
    assigned = {1: [1, 2]}
    fig = compute_figures([taken, waiting], NOW, assigned=assigned, envoy_names={2: "李娜"})
    rows = {g.key: (g.counts.collected, g.counts.unaccepted) for g in fig.by_envoy}
    assert rows == {1: (2, 1), 2: (1, 1)}
    assert fig.envoy_names == {1: "张伟", 2: "李娜"}
    assert fig.counts.collected == 2  # the headline counts each problem once
    own = compute_figures([waiting], NOW, scope=Scope("envoy", frozenset({2})), assigned=assigned)
    assert [g.key for g in own.by_envoy] == [2]
    # an enterprise nobody serves: the "unassigned" row
    assert [g.key for g in compute_figures([waiting], NOW).by_envoy] == [None]
