"""The figures and the weekly trend for the web platform, aggregated by SQL.

The same Figures and WeekPoints as reporting.figures builds from every problem in Python
(tests hold them equal), without reading each of a province's 100,000 problems into
Python: a page is due in half a second, not the second and more that takes.
"""

from __future__ import annotations

import asyncio
import logging
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import datetime, timedelta, tzinfo
from typing import Any

from domain.department_stats import compute_department_figures
from domain.stats import (
    TOP_OVERDUE,
    Counts,
    Figures,
    Group,
    Scope,
    WeekPoint,
    nearest_rank,
    period_start,
    week_starts,
)
from reporting.chart import render_trend
from reporting.figures import CHART_WEEKS, scope_label
from storage import stats_repo, web_repo
from storage.db import Database

logger = logging.getLogger(__name__)


def _ordered(groups: Iterable[tuple[Any, Counts]]) -> tuple[Group, ...]:
    """Biggest first, then by key: domain.stats orders its breakdowns so."""
    made = [Group(key, counts) for key, counts in groups]
    made.sort(key=lambda g: (-g.counts.collected, -g.counts.withdrawn, str(g.key)))
    return tuple(made)


def _top_overdue(envoys: tuple[Group, ...], names: Mapping[int, str]) -> tuple[Group, ...]:
    """The envoys with most overdue problems, as domain.stats.compute_figures picks them."""

    def rank(g: Group) -> tuple[int, str, str]:
        name = names.get(g.key, "") if isinstance(g.key, int) else ""
        return (-g.counts.overdue, name, str(g.key))

    late = [g for g in envoys if g.key is not None and g.counts.overdue > 0]
    return tuple(sorted(late, key=rank)[:TOP_OVERDUE])


async def web_figures(
    db: Database, scope: Scope, period: str, now: datetime, tz: tzinfo
) -> Figures:
    """Figures of a scope for a period ("week", "month" or "all"), by registration time."""
    since = period_start(period, now, tz)
    rows = await web_repo.figure_rows(db, scope, since, now)
    envoy_names = await stats_repo.envoy_names(db)
    by_envoy = _ordered(rows.groups["envoy"])
    by_tier = sorted(_ordered(rows.groups["tier"]), key=lambda g: (g.key is None, g.key or 0))
    figures = Figures(
        scope=scope,
        period=period,
        since=since,
        now=now,
        counts=rows.counts,
        resolved=rows.resolved,
        on_time=rows.on_time,
        median_resolve=_seconds(statistics.median(rows.durations) if rows.durations else None),
        p90_resolve=_seconds(nearest_rank(rows.durations, 0.9) if rows.durations else None),
        satisfaction_avg=rows.satisfaction_avg,
        ratings=rows.ratings,
        by_category=_ordered(rows.groups["category"]),
        by_tier=tuple(by_tier),
        by_team=_ordered(rows.groups["team"]),
        by_envoy=by_envoy,
        top_overdue=_top_overdue(by_envoy, envoy_names),
        team_names=await stats_repo.team_names(db),
        envoy_names=envoy_names,
    )
    # the departments' rows as reporting.figures adds them (few dispatches: read them all)
    dispatches = await stats_repo.fetch_dispatch_facts(db, scope, since)
    if not dispatches:
        return figures
    names = await stats_repo.department_names(db)
    return replace(figures, by_department=compute_department_figures(dispatches, now, names))


def _seconds(value: float | None) -> timedelta | None:
    return None if value is None else timedelta(seconds=value)


async def web_trend(
    db: Database, scope: Scope, now: datetime, tz: tzinfo, weeks: int = CHART_WEEKS
) -> tuple[WeekPoint, ...]:
    """Per local week: registered, closed, and open-and-overdue at week end."""
    starts = week_starts(now, tz, weeks)
    ends = [min(end, now) for end in [*starts[1:], now]]
    rows = await web_repo.trend_rows(db, scope, starts, ends)
    return tuple(
        WeekPoint(start.date(), collected, closed, overdue)
        for start, (collected, closed, overdue) in zip(starts, rows, strict=True)
    )


async def web_chart(
    db: Database, scope: Scope, now: datetime, tz: tzinfo, lang: str, weeks: int = CHART_WEEKS
) -> bytes:
    """The /chart picture of a scope, drawn by reporting.chart off the event loop."""
    points = await web_trend(db, scope, now, tz, weeks)
    label = scope_label(lang, scope, await stats_repo.team_names(db))
    return await asyncio.to_thread(render_trend, points, lang, label)
