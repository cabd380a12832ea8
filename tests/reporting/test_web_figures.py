"""The web platform's SQL figures, trend and colours equal what reporting/domain compute."""

from __future__ import annotations

from collections import Counter
from dataclasses import fields
from datetime import timedelta

import pytest

from domain.colours import colour_of
from domain.models import State
from domain.stats import Scope, weekly_trend
from reporting.figures import build_figures
from reporting.web_figures import web_figures, web_trend
from storage import stats_repo, web_repo
from storage.db import Database

from .conftest import NOW, TZ, Row, insert_problems

SCOPES = [
    Scope("all"),
    Scope("team", frozenset({1})),
    Scope("team", frozenset({1, 3})),
    Scope("envoy", frozenset({1})),
    Scope("envoy", frozenset({6})),
    Scope("enterprise", frozenset({1})),
    Scope("enterprise", frozenset()),
]


def _same_duration(a: timedelta | None, b: timedelta | None) -> bool:
    if a is None or b is None:
        return a is b
    return abs((a - b).total_seconds()) < 0.01


@pytest.mark.parametrize("scope", SCOPES, ids=lambda s: f"{s.kind}{sorted(s.ids)}")
@pytest.mark.parametrize("period", ["all", "month", "week"])
async def test_sql_figures_equal_the_python_ones(
    db: Database, rows: list[Row], scope: Scope, period: str
) -> None:
    expected = await build_figures(db, scope, period, NOW, TZ)
    got = await web_figures(db, scope, period, NOW, TZ)
    for f in fields(expected):
        a, b = getattr(expected, f.name), getattr(got, f.name)
        if f.name in ("median_resolve", "p90_resolve"):
            assert _same_duration(a, b), (f.name, a, b)
        elif f.name == "satisfaction_avg" and a is not None:
            assert b == pytest.approx(a), f.name
        else:
            assert a == b, f.name
    if scope.kind == "all" and period == "all":
        assert got.counts.collected > 200 and got.median_resolve is not None


@pytest.mark.parametrize("scope", SCOPES, ids=lambda s: f"{s.kind}{sorted(s.ids)}")
async def test_sql_trend_equals_weekly_trend(db: Database, rows: list[Row], scope: Scope) -> None:
    facts = await stats_repo.fetch_facts(db, scope)
    assert await web_trend(db, scope, NOW, TZ, 12) == weekly_trend(facts, NOW, TZ, 12)


def _edge_rows(start: int) -> list[Row]:
    """Open problems on the colour boundaries: due right now, a quarter of the window left."""
    window = timedelta(days=1)
    made = []
    for i, (registered, due) in enumerate(
        [
            (NOW - window, NOW),  # due exactly now: nothing left, yet not red
            (NOW - window, NOW - timedelta(seconds=1)),  # a second late: red
            (NOW - window * 3 / 4, NOW + window / 4),  # exactly 25 % left: white
            (NOW - window * 3 / 4 - timedelta(seconds=2), NOW + window / 4 - timedelta(seconds=2)),
            (NOW, NOW),  # no window at all
            (NOW - timedelta(hours=1), NOW + timedelta(microseconds=500)),
        ]
    ):
        made.append(
            Row(start + i, 1, 1, "other", "in_progress", 1, registered, due, None, None, None)
        )
    return made


async def test_sql_colours_equal_colour_of_for_every_problem(db: Database, rows: list[Row]) -> None:
    edges = _edge_rows(len(rows) + 1)
    await insert_problems(db, edges)
    everything = rows + edges
    want = Counter(
        colour_of(State(r.state), r.due_at, r.registered_at, NOW).value for r in everything
    )
    query = web_repo.ProblemQuery(limit=10_000)
    counts = await web_repo.colour_counts(db, Scope("all"), query, NOW)
    assert {k: v for k, v in counts.items() if v} == dict(want)
    for colour in want:
        listed = await web_repo.list_problems(
            db, Scope("all"), web_repo.ProblemQuery(colours=frozenset({colour}), limit=10_000), NOW
        )
        ids = {p.id for p in listed}
        assert ids == {
            r.id
            for r in everything
            if colour_of(State(r.state), r.due_at, r.registered_at, NOW).value == colour
        }, colour
    edge_colours = [colour_of(State(r.state), r.due_at, r.registered_at, NOW) for r in edges]
    assert [c.value for c in edge_colours] == [
        "yellow",
        "red",
        "white",
        "yellow",
        "yellow",
        "yellow",
    ]
