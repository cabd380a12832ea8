"""Figures from a real SQLite file, checked against answers computed here independently."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import timedelta
from fractions import Fraction
from functools import partial

import pytest

from domain.stats import Counts, Scope
from reporting.figures import build_figures, format_figures
from storage import stats_repo
from storage.db import Database
from texts.i18n import plain

from .conftest import ASSIGNMENTS, ENVOYS, NOW, TZ, Row, insert_problems

OPEN = ("registered", "in_progress")


def pct(num: int, den: int) -> str | None:
    """Half-up rounding with fractions, written differently from the code under test."""
    if den == 0:
        return None
    hundredths = Fraction(num * 10000, den)
    rounded = math.floor(hundredths + Fraction(1, 2))
    return f"{rounded // 100}.{rounded % 100:02d}"


def expected(rows: list[Row], keep: Callable[[Row], bool]) -> dict[str, object]:
    mine = [r for r in rows if keep(r)]
    live = [r for r in mine if r.state != "withdrawn"]
    resolved = [r for r in live if r.resolved_at is not None]
    hours = sorted((r.resolved_at - r.registered_at) for r in resolved)  # type: ignore[operator]
    rated = [r.satisfaction for r in live if r.satisfaction is not None]
    n = len(hours)
    closed = sum(r.state == "closed" for r in live)
    return {
        "collected": len(live),
        "closed": closed,
        "waiting": sum(r.state == "resolved" for r in live),
        "in_progress": sum(r.state in OPEN for r in live),
        "unaccepted": sum(r.state == "registered" for r in live),
        "overdue": sum(r.state in OPEN and r.due_at < NOW for r in live),
        "withdrawn": len(mine) - len(live),
        "rate": pct(closed, len(live)),
        "resolved": n,
        "on_time": pct(sum(r.resolved_at <= r.due_at for r in resolved), n),  # type: ignore[operator]
        "median": (hours[n // 2] if n % 2 else (hours[n // 2 - 1] + hours[n // 2]) / 2)
        if n
        else None,
        "p90": hours[math.ceil(n * 9 / 10) - 1] if n else None,
        "ratings": len(rated),
        "avg": sum(rated) / len(rated) if rated else None,
        "ids": {r.id for r in mine},
    }


def _has_key(key_of: Callable[[Row], object], key: object, r: Row) -> bool:
    return key_of(r) == key


def counts_for_envoy(envoy_id: int | None, r: Row) -> bool:
    """The stated rule, written out here: the accepting envoy, else every assigned one."""
    if r.envoy_id is not None:
        return r.envoy_id == envoy_id
    assigned = {v for v, e in ASSIGNMENTS if e == r.enterprise_id}
    return envoy_id in assigned if assigned else envoy_id is None


def assert_matches(fig, exp: dict[str, object]) -> None:
    c = fig.counts
    assert c.collected == exp["collected"]
    assert c.closed == exp["closed"]
    assert c.waiting == exp["waiting"]
    assert c.in_progress == exp["in_progress"]
    assert c.unaccepted == exp["unaccepted"]
    assert c.overdue == exp["overdue"]
    assert c.withdrawn == exp["withdrawn"]
    assert fig.resolution_rate == exp["rate"]
    assert fig.resolved == exp["resolved"]
    assert fig.on_time_rate == exp["on_time"]
    assert fig.median_resolve == exp["median"]
    assert fig.p90_resolve == exp["p90"]
    assert fig.ratings == exp["ratings"]
    if exp["avg"] is None:
        assert fig.satisfaction_avg is None
    else:
        assert fig.satisfaction_avg == pytest.approx(exp["avg"])


async def test_all_scope_every_figure(db: Database, rows: list[Row]) -> None:
    exp = expected(rows, lambda r: True)
    assert exp["withdrawn"] and exp["overdue"] and exp["waiting"]  # the data exercises them
    fig = await build_figures(db, Scope("all"), "all", NOW, TZ)
    assert_matches(fig, exp)


async def test_breakdowns_add_up_and_match(db: Database, rows: list[Row]) -> None:
    fig = await build_figures(db, Scope("all"), "all", NOW, TZ)
    for attr, key_of in (
        ("by_category", lambda r: r.category),
        ("by_tier", lambda r: r.tier),
        ("by_team", lambda r: r.team_id),
    ):
        groups = {g.key: g.counts for g in getattr(fig, attr)}
        keys = {key_of(r) for r in rows}
        assert set(groups) == keys, attr
        for key in keys:
            exp = expected(rows, partial(_has_key, key_of, key))
            assert_group(groups[key], exp, (attr, key))
    envoys = {g.key: g.counts for g in fig.by_envoy}
    assert set(envoys) == set(ENVOYS)  # every enterprise has an envoy: no "unassigned" row
    for envoy_id in ENVOYS:
        assert_group(
            envoys[envoy_id], expected(rows, partial(counts_for_envoy, envoy_id)), envoy_id
        )
    assert fig.team_names[1] == "高新区工作队"
    overdue_by_envoy: dict[int, int] = {}
    for envoy_id in ENVOYS:
        late = [r for r in rows if counts_for_envoy(envoy_id, r) and r.state in OPEN]
        if n := sum(r.due_at < NOW for r in late):
            overdue_by_envoy[envoy_id] = n
    top = [(g.key, g.counts.overdue) for g in fig.top_overdue]
    assert sorted(top, key=lambda kv: -kv[1]) == top
    assert dict(top) == overdue_by_envoy


def assert_group(counts, exp: dict[str, object], where: object) -> None:
    assert counts.collected == exp["collected"], where
    assert counts.closed == exp["closed"], where
    assert counts.waiting == exp["waiting"], where
    assert counts.in_progress == exp["in_progress"], where
    assert counts.overdue == exp["overdue"], where
    assert counts.withdrawn == exp["withdrawn"], where
    assert counts.resolution_rate == exp["rate"], where


@pytest.mark.parametrize("period", ["week", "month", "all"])
async def test_an_envoys_own_figures_are_their_row_in_the_admins(
    db: Database, rows: list[Row], period: str
) -> None:
    admin = await build_figures(db, Scope("all"), period, NOW, TZ)
    rows_of = {g.key: g.counts for g in admin.by_envoy}
    unaccepted = [r for r in rows if r.envoy_id is None]
    shared = {e for _, e in ASSIGNMENTS if sum(e == x for _, x in ASSIGNMENTS) > 1}
    assert any(r.enterprise_id in shared for r in unaccepted)  # the rule is exercised
    for envoy_id in ENVOYS:
        own = await build_figures(db, Scope("envoy", frozenset({envoy_id})), period, NOW, TZ)
        assert own.counts == rows_of.get(envoy_id, Counts()), (period, envoy_id)
        assert [g.key for g in own.by_envoy] in ([envoy_id], [])
        assert [g.counts for g in own.by_envoy] in ([own.counts], [])


@pytest.mark.parametrize(
    ("scope", "keep"),
    [
        (Scope("team", frozenset({1})), lambda r: r.team_id == 1),
        (Scope("team", frozenset({2, 3})), lambda r: r.team_id in (2, 3)),
        (Scope("enterprise", frozenset({7})), lambda r: r.enterprise_id == 7),
        (Scope("envoy", frozenset({1})), partial(counts_for_envoy, 1)),
        (Scope("envoy", frozenset({6})), partial(counts_for_envoy, 6)),
        (Scope("team", frozenset()), lambda r: False),
    ],
)
async def test_scopes_never_leak(db: Database, rows: list[Row], scope: Scope, keep) -> None:
    exp = expected(rows, keep)
    facts = await stats_repo.fetch_facts(db, scope)
    assert {f.id for f in facts} == exp["ids"]
    fig = await build_figures(db, scope, "all", NOW, TZ)
    assert_matches(fig, exp)


async def test_envoy_scope_includes_cross_team_assignment(db: Database, rows: list[Row]) -> None:
    base = NOW - timedelta(days=1)
    waiting = Row(1001, 5, None, "market", "registered", None, base, base, None, None, None)
    taken = Row(1002, 5, 3, "market", "in_progress", 1, base, base, None, None, None)
    await insert_problems(db, [waiting, taken])
    facts = await stats_repo.fetch_facts(db, Scope("envoy", frozenset({1})))
    ids = {f.id for f in facts}
    assert 1001 in ids  # assigned outside its team, and nobody has accepted it yet
    assert 1002 not in ids  # a colleague accepted it: it is theirs
    assert {f.team_id for f in facts} <= {1, 2}


@pytest.mark.parametrize("period", ["week", "month"])
async def test_period_counts_by_local_registration_time(
    db: Database, rows: list[Row], period: str
) -> None:
    local = NOW.astimezone(TZ)
    if period == "week":
        start = (local - timedelta(days=local.weekday())).replace(hour=0, minute=0)
    else:
        start = local.replace(day=1, hour=0, minute=0)
    exp = expected(rows, lambda r: r.registered_at >= start)
    fig = await build_figures(db, Scope("all"), period, NOW, TZ)
    assert fig.since == start
    assert_matches(fig, exp)


async def test_180_collected_142_closed_is_78_89(db: Database) -> None:
    base = NOW - timedelta(days=20)
    made: list[Row] = []
    for i in range(1, 188):
        state = "closed" if i <= 142 else ("withdrawn" if i > 180 else "in_progress")
        resolved = base + timedelta(hours=5) if state == "closed" else None
        made.append(
            Row(
                i,
                1 + i % 12,
                1,
                "market",
                state,
                1,
                base,
                base + timedelta(days=1),
                resolved,
                resolved,
                None,
            )
        )
    await insert_problems(db, made)
    fig = await build_figures(db, Scope("all"), "all", NOW, TZ)
    assert (fig.counts.collected, fig.counts.closed, fig.counts.withdrawn) == (180, 142, 7)
    assert fig.resolution_rate == "78.89"
    assert "78.89 %" in format_figures(fig, "zh")
    assert "78.89 %" in format_figures(fig, "en", html=True)


async def test_late_resolution_lowers_on_time_rate(db: Database) -> None:
    base = NOW - timedelta(days=10)
    due = base + timedelta(days=3)
    made = [
        Row(i, 1, 1, "policy", "resolved", 2, base, due, base + timedelta(days=1), None, None)
        for i in range(1, 5)
    ]
    await insert_problems(db, made)
    fig = await build_figures(db, Scope("all"), "all", NOW, TZ)
    assert fig.on_time_rate == "100.00"
    late = Row(
        5,
        1,
        1,
        "policy",
        "closed",
        2,
        base,
        due,
        due + timedelta(minutes=1),
        due + timedelta(hours=2),
        4,
    )
    await insert_problems(db, [late])
    fig = await build_figures(db, Scope("all"), "all", NOW, TZ)
    assert fig.on_time_rate == "80.00"
    assert fig.resolved == 5
    # exactly at the deadline still counts as on time
    on_the_dot = Row(6, 1, 1, "policy", "resolved", 2, base, due, due, None, None)
    await insert_problems(db, [on_the_dot])
    fig = await build_figures(db, Scope("all"), "all", NOW, TZ)
    assert fig.on_time_rate == pct(5, 6) == "83.33"


async def test_withdrawn_reports_are_excluded_everywhere(db: Database) -> None:
    base = NOW - timedelta(days=10)
    made = [
        Row(
            1,
            1,
            1,
            "market",
            "closed",
            1,
            base,
            base + timedelta(days=1),
            base + timedelta(hours=2),
            base + timedelta(hours=3),
            5,
        ),
        # withdrawn after being resolved late and rated: must not move any figure
        Row(
            2,
            1,
            1,
            "market",
            "withdrawn",
            1,
            base,
            base + timedelta(days=1),
            base + timedelta(days=4),
            base + timedelta(days=5),
            1,
        ),
    ]
    await insert_problems(db, made)
    fig = await build_figures(db, Scope("all"), "all", NOW, TZ)
    assert fig.counts.collected == 1 and fig.counts.withdrawn == 1
    assert fig.resolution_rate == "100.00"
    assert fig.on_time_rate == "100.00"
    assert fig.median_resolve == timedelta(hours=2)
    assert (fig.ratings, fig.satisfaction_avg) == (1, 5)
    assert fig.counts.overdue == 0


async def test_empty_scope_renders(db: Database) -> None:
    fig = await build_figures(db, Scope("enterprise", frozenset({3})), "week", NOW, TZ)
    assert fig.resolution_rate is None and fig.on_time_rate is None
    text = format_figures(fig, "zh")
    assert "暂无" in text


async def test_stats_message_is_html_safe_and_localised(db: Database, rows: list[Row]) -> None:
    await db.execute("UPDATE envoys SET name = '<b>坏</b>' WHERE id = 2")
    fig = await build_figures(db, Scope("all"), "all", NOW, TZ)
    html = format_figures(fig, "zh", html=True)
    assert "&lt;b&gt;坏&lt;/b&gt;" in html and "<b>坏</b>" not in html
    assert "解决率" in html and "按类别" in html and "市场采购" in html
    english = format_figures(fig, "en")
    assert "Resolution rate" in english and "Market & procurement" in english


async def test_stats_leaves_out_rows_of_only_withdrawn_problems(db: Database) -> None:
    base = NOW - timedelta(days=3)
    made = [
        Row(1, 1, 1, "market", "in_progress", 1, base, base, None, None, None),
        Row(2, 1, 1, "financing", "withdrawn", None, base, base, None, base, None),
        Row(3, 3, 2, "policy", "in_progress", 3, base, base, None, None, None),
    ]
    await insert_problems(db, made)
    fig = await build_figures(db, Scope("all"), "all", NOW, TZ)
    assert {g.key for g in fig.by_category} == {"market", "financing", "policy"}  # export: all
    for lang, shown, hidden in (
        ("zh", "市场采购：", "融资："),
        ("en", "Market & procurement:", "Financing:"),
    ):
        text = format_figures(fig, lang, only="category")
        assert shown in text and hidden not in text, lang
    tiers = format_figures(fig, "zh", only="tier")
    assert "未分级：" not in tiers and "1 级：" in tiers


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_envoy_rule_is_stated_wherever_envoy_figures_show(
    db: Database, rows: list[Row], lang: str
) -> None:
    rule = plain(lang, "stats-envoy-rule")
    admin = await build_figures(db, Scope("all"), "all", NOW, TZ)
    assert rule in format_figures(admin, lang, only="envoy")
    assert rule in format_figures(admin, lang, html=True)
    assert rule not in format_figures(admin, lang, only="category")
    own = await build_figures(db, Scope("envoy", frozenset({1})), "all", NOW, TZ)
    for only in ("category", "none", "envoy"):
        assert rule in format_figures(own, lang, only=only), only


async def test_a_team_scope_is_named_after_its_teams(db: Database, rows: list[Row]) -> None:
    one = await build_figures(db, Scope("team", frozenset({1})), "all", NOW, TZ)
    assert format_figures(one, "zh").splitlines()[0] == "📊 统计 · 高新区工作队 · 全部时间"
    two = await build_figures(db, Scope("team", frozenset({2, 3})), "all", NOW, TZ)
    assert "经开区工作队, 新城区工作队 · all time" in format_figures(two, "en").splitlines()[0]
    assert "经开区工作队、新城区工作队" in format_figures(two, "zh").splitlines()[0]
    nameless = await build_figures(db, Scope("team", frozenset({99})), "all", NOW, TZ)
    assert "本队" in format_figures(nameless, "zh").splitlines()[0]
