"""Figures, export and chart for a scope: shared by /stats, /export, /chart and the CLI."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, tzinfo

from domain.stats import Figures, Group, Scope, compute_figures, period_start, weekly_trend
from reporting.chart import render_trend
from reporting.export_xlsx import build_workbook, category_label, summary_rows, tier_label
from storage import stats_repo
from storage.db import Database
from texts.i18n import plain, t
from usecases.progress import SILENT, Progress

logger = logging.getLogger(__name__)

GROUP_LIMIT = 10  # rows per breakdown in a chat message; the export has them all
CHART_WEEKS = 12


async def build_figures(
    db: Database, scope: Scope, period: str, now: datetime, tz: tzinfo
) -> Figures:
    """Figures of a scope for a period ("week", "month" or "all"), by registration time."""
    since = period_start(period, now, tz)
    facts = await stats_repo.fetch_facts(db, scope, since)
    teams = await stats_repo.team_names(db)
    return compute_figures(facts, now, scope=scope, period=period, since=since, team_names=teams)


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
    teams = await stats_repo.team_names(db)
    envoy_teams = await stats_repo.envoy_teams(db)
    figures = compute_figures(facts, now, scope=scope, team_names=teams)
    label = scope_label(lang, scope)

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
    return await asyncio.to_thread(render_trend, points, lang, scope_label(lang, scope))


def scope_label(lang: str, scope: Scope) -> str:
    return plain(lang, f"stats-scope-{scope.kind}")


def _rate(lang: str, rate: str | None) -> str:
    if rate is None:
        return plain(lang, "stats-none")
    return plain(lang, "stats-percent", value=rate)


def _group_name(lang: str, kind: str, key: object, figures: Figures) -> str:
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


def format_figures(
    figures: Figures,
    lang: str,
    *,
    html: bool = False,
    limit: int = GROUP_LIMIT,
    only: str | None = None,
) -> str:
    """The /stats message (html=True: Telegram HTML, names escaped) or terminal text.

    ``only`` keeps one breakdown (category / tier / team / envoy); "none" keeps none.
    """
    fmt = t if html else plain

    def heading(key: str, **kw: object) -> str:
        text = fmt(lang, key, **kw)
        return f"<b>{text}</b>" if html else text

    lines = [
        heading(
            "stats-title",
            scope=scope_label(lang, figures.scope),
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
    sections: tuple[tuple[str, str, tuple[Group, ...]], ...] = (
        ("category", "stats-by-category", figures.by_category),
        ("tier", "stats-by-tier", figures.by_tier),
        ("team", "stats-by-team", figures.by_team),
        ("envoy", "stats-by-envoy", figures.by_envoy),
    )
    for kind, key, groups in sections:
        if not groups or (kind == "team" and figures.scope.kind in ("envoy", "enterprise")):
            continue
        if only is not None and kind != only:
            continue
        lines += ["", heading(key)]
        for g in groups[:limit]:
            gc = g.counts
            lines.append(
                fmt(
                    lang,
                    "stats-group-line",
                    name=_group_name(lang, kind, g.key, figures),
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
    if figures.top_overdue and only in (None, "envoy"):
        lines += ["", heading("stats-top-overdue")]
        for g in figures.top_overdue:
            lines.append(
                fmt(
                    lang,
                    "stats-top-line",
                    name=_group_name(lang, "envoy", g.key, figures),
                    count=g.counts.overdue,
                )
            )
    return "\n".join(lines)
