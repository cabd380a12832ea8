"""The weekly trend PNG: right numbers, drawn with the shipped CJK font, no missing glyphs."""

from __future__ import annotations

import io
import warnings
from datetime import datetime, timedelta

import pytest
from fontTools.ttLib import TTFont
from matplotlib.image import imread

from domain.stats import Scope, WeekPoint, weekly_trend
from reporting.chart import bar_values, chart_labels, draw_trend, font_path
from reporting.figures import build_chart
from storage import stats_repo
from storage.db import Database

from .conftest import NOW, TZ, Row

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_shipped_font_covers_every_chart_label() -> None:
    path = font_path()
    assert path.is_file() and path.stat().st_size < 4_000_000
    cmap = TTFont(str(path), lazy=True).getBestCmap()
    for lang in ("zh", "en"):
        for scope in ("all", "team", "envoy", "enterprise"):
            from reporting.figures import scope_label

            for text in chart_labels(lang, scope_label(lang, Scope(scope))).values():
                missing = [ch for ch in text if ord(ch) not in cmap]
                assert not missing, (lang, text, missing)
    # common names of enterprises and people are covered too (GB2312)
    assert all(ord(ch) in cmap for ch in "华夏科技有限公司张伟李娜王强刘洋陈静赵磊鑫淼")


async def test_trend_numbers(db: Database, rows: list[Row]) -> None:
    facts = await stats_repo.fetch_facts(db, Scope("all"))
    points = weekly_trend(facts, NOW, TZ, weeks=12)
    assert len(points) == 12
    local_now = NOW.astimezone(TZ)
    monday = (local_now - timedelta(days=local_now.weekday())).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    for i, point in enumerate(points):
        start = monday - timedelta(weeks=11 - i)
        end = min(start + timedelta(weeks=1), NOW)
        assert point.start == start.date()
        live = [r for r in rows if r.state != "withdrawn"]
        assert point.collected == sum(start <= r.registered_at < end for r in live)
        assert point.closed == sum(
            r.state == "closed" and start <= r.closed_at < end
            for r in live  # type: ignore[operator]
        )
        assert point.overdue == sum(
            r.due_at < end and (r.resolved_at is None or r.resolved_at > end) for r in live
        )
    assert points[-1].overdue == sum(
        r.state in ("registered", "in_progress") and r.due_at < NOW for r in rows
    )
    assert sum(p.collected for p in points) > 0


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_chart_png_renders_without_missing_glyphs(
    db: Database, rows: list[Row], lang: str, tmp_path
) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png = await build_chart(db, Scope("team", frozenset({1})), NOW, TZ, lang)
    assert png.startswith(PNG_MAGIC)
    assert not [w for w in caught if "missing from font" in str(w.message)]
    image = imread(io.BytesIO(png))
    assert image.shape[0] > 400 and image.shape[1] > 800
    (tmp_path / f"trend-{lang}.png").write_bytes(png)


async def test_chart_of_empty_scope(db: Database) -> None:
    png = await build_chart(db, Scope("enterprise", frozenset({99})), NOW, TZ, "zh")
    assert png.startswith(PNG_MAGIC)


def test_week_starts_follow_local_monday() -> None:
    # Monday 00:30 Shanghai is Sunday 16:30 UTC: belongs to the new week locally
    now = datetime.fromisoformat("2026-03-08T16:30:00+00:00")
    points = weekly_trend([], now, TZ, weeks=2)
    assert [p.start.isoformat() for p in points] == ["2026-03-02", "2026-03-09"]


def test_bars_carry_their_values() -> None:
    monday = datetime(2026, 3, 2).date()
    points = [
        WeekPoint(monday - timedelta(weeks=1), 12, 0, 3),
        WeekPoint(monday, 5, 7, 1),
    ]
    fig = draw_trend(points, "zh", "全部")
    texts = [t.get_text() for t in fig.axes[0].texts if t.get_text()]
    assert sorted(texts) == sorted(["12", "5", "7"])  # an empty bar gets no "0"
    assert bar_values([0.0, 3.0, 12.0]) == ["", "3", "12"]


@pytest.mark.parametrize(
    ("lang", "title"), [("zh", "每周趋势（高新区工作队）"), ("en", "Weekly trend (高新区工作队)")]
)
async def test_a_leads_chart_names_the_team(
    db: Database, rows: list[Row], lang: str, title: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    drawn: list[str] = []

    def spy(points: object, lang: str, scope_label: str) -> bytes:
        drawn.append(chart_labels(lang, scope_label)["title"])
        return PNG_MAGIC

    monkeypatch.setattr("reporting.figures.render_trend", spy)
    await build_chart(db, Scope("team", frozenset({1})), NOW, TZ, lang)
    assert drawn == [title]
