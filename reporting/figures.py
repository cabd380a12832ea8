"""Figures, export and chart for a scope: shared by /stats, /export, /chart and the CLI."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime, tzinfo

from domain.department_stats import DepartmentFigures, compute_department_figures
from domain.stats import (
    Figures,
    Group,
    ProblemFacts,
    Scope,
    compute_figures,
    period_start,
    weekly_trend,
)
from reporting.chart import render_trend
from reporting.export_xlsx import (
    build_workbook,
    category_label,
    duration_text,
    satisfaction_text,
    summary_rows,
    tier_label,
)
from storage import stats_repo
from storage.db import Database
from texts.i18n import plain, t
from usecases.progress import SILENT, Progress

logger = logging.getLogger(__name__)

GROUP_LIMIT = 10  # rows per breakdown in a chat message; the export has them all
CHART_WEEKS = 12


async def _compute(
    db: Database,
    facts: list[ProblemFacts],
    now: datetime,
    scope: Scope,
    period: str = "all",
    since: datetime | None = None,
) -> Figures:
    """Figures of fetched facts with the names and assignments every view needs alike, and
    the departments' rows for the same scope (dispatches sent since ``since``)."""
    figures = compute_figures(
        facts,
        now,
        scope=scope,
        period=period,
        since=since,
        team_names=await stats_repo.team_names(db),
        assigned=await stats_repo.assignments(db),
        envoy_names=await stats_repo.envoy_names(db),
    )
    dispatches = await stats_repo.fetch_dispatch_facts(db, scope, since)
    if not dispatches:
        return figures
    names = await stats_repo.department_names(db)
    rows = compute_department_figures(dispatches, now, names)
    return replace(figures, by_department=rows)


async def build_figures(
    db: Database, scope: Scope, period: str, now: datetime, tz: tzinfo
) -> Figures:
    """Figures of a scope for a period ("week", "month" or "all"), by registration time."""
    since = period_start(period, now, tz)
    facts = await stats_repo.fetch_facts(db, scope, since)
    return await _compute(db, facts, now, scope, period, since)


async def build_export(
    db: Database,
    scope: Scope,
    now: datetime,
    tz: tzinfo,
    lang: str = "zh",
    progress: Progress = SILENT,
) -> bytes:
    """The .xlsx file (all time) for a scope, as bytes ready to send."""
    facts = await stats_repo.fetch_facts(db, scope)
    envoy_teams = await stats_repo.envoy_teams(db)
    figures = await _compute(db, facts, now, scope)
    label = scope_label(lang, scope, figures.team_names)

    def build() -> bytes:
        return build_workbook(
            facts,
            figures,
            now=now,
            tz=tz,
            lang=lang,
            scope_label=label,
            envoy_teams=envoy_teams,
            progress=progress,
        )

    return await asyncio.to_thread(build)  # seconds of CPU for big scopes: off the event loop


async def build_chart(
    db: Database, scope: Scope, now: datetime, tz: tzinfo, lang: str, weeks: int = CHART_WEEKS
) -> bytes:
    """PNG of the weekly trend of the last ``weeks`` weeks for a scope."""
    facts = await stats_repo.fetch_facts(db, scope)
    points = weekly_trend(facts, now, tz, weeks)
    label = scope_label(lang, scope, await stats_repo.team_names(db))
    return await asyncio.to_thread(render_trend, points, lang, label)


def scope_label(lang: str, scope: Scope, team_names: Mapping[int, str] | None = None) -> str:
    """Whose figures these are; a team scope names its teams (a lead's chart, /stats, export)."""
    if scope.kind == "team" and team_names:
        names = [team_names[i] for i in sorted(scope.ids) if i in team_names]
        if names:
            return plain(lang, "stats-name-separator").join(names)
    return plain(lang, f"stats-scope-{scope.kind}")


def _rate(lang: str, rate: str | None) -> str:
    if rate is None:
        return plain(lang, "stats-none")
    return plain(lang, "stats-percent", value=rate)


def group_name(lang: str, kind: str, key: object, figures: Figures) -> str:
    """A row's name in a by-category/tier/team/envoy table: the chat's, the sheet's, the web's."""
    if kind == "category":
        return category_label(lang, str(key))
    if kind == "tier":
        return tier_label(lang, key if isinstance(key, int) else None)
    if kind == "team":
        if isinstance(key, int):
            return figures.team_names.get(key, str(key))
        return plain(lang, "stats-no-team")
    if isinstance(key, int):
        return figures.envoy_names.get(key, str(key))
    return plain(lang, "stats-no-envoy")


def _shown(groups: tuple[Group, ...]) -> tuple[Group, ...]:
    """Rows worth a line in a chat message: a row of only withdrawn problems is all zeros."""
    return tuple(g for g in groups if g.counts.collected > 0)


def _group_lines(
    lang: str,
    kind: str,
    groups: tuple[Group, ...],
    figures: Figures,
    fmt: Callable[..., str],
    limit: int,
) -> list[str]:
    lines = []
    for g in groups[:limit]:
        gc = g.counts
        lines.append(
            fmt(
                lang,
                "stats-group-line",
                name=group_name(lang, kind, g.key, figures),
                collected=gc.collected,
                closed=gc.closed,
                waiting=gc.waiting,
                open=gc.in_progress,
                overdue=gc.overdue,
                rate=_rate(lang, gc.resolution_rate),
            )
        )
    if len(groups) > limit:
        lines.append(fmt(lang, "stats-more", count=len(groups) - limit))
    return lines


def _department_line(lang: str, d: DepartmentFigures, fmt: Callable[..., str]) -> str:
    return fmt(
        lang,
        "stats-department-line",
        name=d.name,
        dispatched=d.dispatched,
        signed=d.signed,
        done=d.done,
        on_time=d.on_time,
        overdue=d.overdue,
        returned=d.returned,
        rate=_rate(lang, d.on_time_rate),
        median=duration_text(lang, d.median_answer),
        satisfaction=satisfaction_text(lang, d.satisfaction_avg),
    )


def format_figures(
    figures: Figures,
    lang: str,
    *,
    html: bool = False,
    limit: int = GROUP_LIMIT,
    only: str | None = None,
) -> str:
    """The /stats message (html=True: Telegram HTML, names escaped) or terminal text.

    ``only`` keeps one breakdown (category / tier / team / envoy); "none" keeps none. Whenever
    envoy figures show, a footnote says how problems nobody has accepted yet are counted.
    """
    fmt = t if html else plain

    def heading(key: str, **kw: object) -> str:
        text = fmt(lang, key, **kw)
        return f"<b>{text}</b>" if html else text

    lines = [
        heading(
            "stats-title",
            scope=scope_label(lang, figures.scope, figures.team_names),
            period=plain(lang, f"stats-period-{figures.period}"),
        )
    ]
    if figures.since is not None:
        lines.append(fmt(lang, "stats-since", since=figures.since.strftime("%Y-%m-%d")))
    c = figures.counts
    if c.collected == 0 and c.withdrawn == 0:
        lines.append(fmt(lang, "stats-empty"))
        return "\n".join(lines)
    lines.append("")
    for label, value in summary_rows(figures, lang):
        lines.append(fmt(lang, "stats-line", label=label, value=str(value)))
    envoy_rows = figures.scope.kind == "envoy"
    sections: tuple[tuple[str, str, tuple[Group, ...]], ...] = (
        ("category", "stats-by-category", figures.by_category),
        ("tier", "stats-by-tier", figures.by_tier),
        ("team", "stats-by-team", figures.by_team),
        ("envoy", "stats-by-envoy", figures.by_envoy),
    )
    for kind, key, groups in sections:
        shown = _shown(groups)
        if not shown or (kind == "team" and figures.scope.kind in ("envoy", "enterprise")):
            continue
        if kind in ("team", "envoy") and figures.scope.kind == "department":
            continue
        if only is not None and kind != only:
            continue
        envoy_rows = envoy_rows or kind == "envoy"
        lines += ["", heading(key), *_group_lines(lang, kind, shown, figures, fmt, limit)]
    if figures.by_department and only in (None, "department"):
        lines += ["", heading("stats-by-department")]
        lines += [_department_line(lang, d, fmt) for d in figures.by_department[:limit]]
        if len(figures.by_department) > limit:
            lines.append(fmt(lang, "stats-more", count=len(figures.by_department) - limit))
        lines += ["", fmt(lang, "stats-footnote", rule=plain(lang, "stats-department-rule"))]
    if figures.top_overdue and only in (None, "envoy") and figures.scope.kind != "department":
        envoy_rows = True
        lines += ["", heading("stats-top-overdue")]
        for g in figures.top_overdue:
            lines.append(
                fmt(
                    lang,
                    "stats-top-line",
                    name=group_name(lang, "envoy", g.key, figures),
                    count=g.counts.overdue,
                )
            )
    if envoy_rows:
        lines += ["", fmt(lang, "stats-footnote", rule=plain(lang, "stats-envoy-rule"))]
    return "\n".join(lines)
