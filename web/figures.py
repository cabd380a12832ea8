"""Figures of the viewer's scope: headline, weekly chart, tables; and the .xlsx export."""

from __future__ import annotations

import logging
from typing import Any

from aiohttp import web

from domain.stats import PERIODS, Figures, Group, scope_for
from reporting.export_xlsx import duration_text, satisfaction_text, summary_rows
from reporting.figures import build_export, group_name, scope_label
from reporting.web_figures import web_chart, web_figures
from texts.i18n import plain
from web.context import can_export, ctx_of, lang_of, not_found, render, viewer_of
from web.files import content_disposition

logger = logging.getLogger(__name__)

TABLE_LIMIT = 100  # rows per table on the page; the export has them all


def _table(lang: str, kind: str, groups: tuple[Group, ...], figures: Figures) -> dict[str, Any]:
    shown = [g for g in groups if g.counts.collected > 0]
    return {
        "kind": kind,
        "title": plain(lang, f"stats-by-{kind}"),
        "rows": [
            {
                "name": group_name(lang, kind, g.key, figures),
                "key": g.key,
                "c": g.counts,
                "rate": g.counts.resolution_rate,
            }
            for g in shown[:TABLE_LIMIT]
        ],
        "more": max(0, len(shown) - TABLE_LIMIT),
    }


async def figures_page(request: web.Request) -> web.StreamResponse:
    s = ctx_of(request).services
    viewer = viewer_of(request)
    lang = lang_of(request)
    period = request.query.get("period", "all")
    period = period if period in PERIODS else "all"
    scope = scope_for(viewer.actor)
    figures = await web_figures(s.db, scope, period, s.clock.now(), s.settings.zone)
    sections: list[tuple[str, tuple[Group, ...]]] = [
        ("category", figures.by_category),
        ("tier", figures.by_tier),
    ]
    if scope.kind in ("all", "team"):
        sections.append(("team", figures.by_team))
    if scope.kind != "department":  # as /stats: a department's figures are its own work
        sections.append(("envoy", figures.by_envoy))
    tables = [_table(lang, kind, groups, figures) for kind, groups in sections]
    return render(
        request,
        "figures.html",
        {
            "section": "figures",
            "period": period,
            "periods": [(p, plain(lang, f"stats-period-{p}")) for p in PERIODS],
            "scope_name": scope_label(lang, scope, figures.team_names),
            "scope_kind": scope.kind,
            "since": figures.since.astimezone(s.settings.zone).strftime("%Y-%m-%d")
            if figures.since
            else None,
            "summary": summary_rows(figures, lang),
            "tables": [t for t in tables if t["rows"]],
            "departments": [
                {
                    "d": d,
                    "rate": d.on_time_rate,
                    "median": duration_text(lang, d.median_answer),
                    "satisfaction": satisfaction_text(lang, d.satisfaction_avg),
                }
                for d in figures.by_department[:TABLE_LIMIT]
            ],
            "departments_more": max(0, len(figures.by_department) - TABLE_LIMIT),
            "department_rule": plain(lang, "stats-department-rule"),
            "top": [
                (group_name(lang, "envoy", g.key, figures), g.counts.overdue)
                for g in figures.top_overdue
            ]
            if scope.kind != "department"
            else [],
            "empty": figures.counts.collected == 0
            and figures.counts.withdrawn == 0
            and not figures.by_department,
            "rule": plain(lang, "stats-envoy-rule"),
        },
    )


async def chart_png(request: web.Request) -> web.StreamResponse:
    s = ctx_of(request).services
    scope = scope_for(viewer_of(request).actor)
    png = await web_chart(s.db, scope, s.clock.now(), s.settings.zone, lang_of(request))
    return web.Response(
        body=png, content_type="image/png", headers={"Cache-Control": "private, max-age=60"}
    )


async def export_xlsx(request: web.Request) -> web.StreamResponse:
    """The same workbook as /export, for the same people (team leads, the city office)."""
    viewer = viewer_of(request)
    if not can_export(viewer):
        return not_found(request)
    s = ctx_of(request).services
    lang = lang_of(request)
    now = s.clock.now()
    data = await build_export(s.db, scope_for(viewer.actor), now, s.settings.zone, lang)
    name = plain(
        lang, "stats-export-filename", date=now.astimezone(s.settings.zone).strftime("%Y%m%d")
    )
    return web.Response(
        body=data,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": content_disposition("attachment", name)},
    )


def add_routes(app: web.Application) -> None:
    app.router.add_get("/figures", figures_page)
    app.router.add_get("/figures/chart.png", chart_png)
    app.router.add_get("/export.xlsx", export_xlsx)
