"""The web pages over HTTP: scope, colours, filters, search, order, pages, figures, export."""

from __future__ import annotations

import io
import re
from collections import Counter
from datetime import timedelta

import aiohttp
import pytest
from openpyxl import load_workbook

from domain.colours import colour_of
from domain.models import State
from domain.stats import Scope
from reporting.figures import build_figures
from tests.reporting.conftest import NOW, TZ, Row
from tests.web.conftest import ADMIN, ENVOY, LEAD, OTHER_LEAD, STAFF, Site
from web.filters import PAGE_SIZE

ROW_RE = re.compile(r'data-number="([^"]+)" data-colour="([a-z]+)" data-state="([a-z_]+)"')


def colour(r: Row) -> str:
    return colour_of(State(r.state), r.due_at, r.registered_at, NOW).value


def number(r: Row) -> str:
    return f"2026-{r.id:04d}"


async def page(browser: aiohttp.ClientSession, path: str, status: int = 200) -> str:
    async with browser.get(path, allow_redirects=False) as response:
        text = await response.text()
        assert response.status == status, (path, response.status, text[:500])
        return text


async def all_rows(browser: aiohttp.ClientSession, path: str) -> list[tuple[str, str, str]]:
    """Every listed row across the pages of a list."""
    found: list[tuple[str, str, str]] = []
    for n in range(1, 50):
        sep = "&" if "?" in path else "?"
        rows = ROW_RE.findall(await page(browser, f"{path}{sep}page={n}"))
        if not rows:
            return found
        found += rows
    raise AssertionError("too many pages")


async def test_a_lead_sees_exactly_the_teams_problems_colour_coded(site: Site) -> None:
    lead = await site.signed_in(LEAD)
    listed = await all_rows(lead, "/problems")
    team = [r for r in site.rows if r.team_id == 1]
    assert sorted(n for n, _, _ in listed) == sorted(number(r) for r in team)
    want = {number(r): (colour(r), r.state) for r in team}
    assert {n: (c, s) for n, c, s in listed} == want
    text = await page(lead, "/problems")
    counts = Counter(colour(r) for r in team)
    for c in ("red", "yellow", "white", "blue", "green", "grey"):
        assert re.search(
            rf'data-colour="{c}"><span class="dot dot-{c}"></span>[^<]+<b>{counts[c]}</b>', text
        ), c
    collected = sum(1 for r in team if r.state != "withdrawn")
    closed = sum(1 for r in team if r.state == "closed")
    assert f'<span class="num">{collected}</span>' in text
    assert f'<span class="num">{closed}</span>' in text
    rate = f"{closed * 100 / collected:.2f}"
    assert f"{rate}<small> %</small>" in text


async def test_urgent_first_and_the_pages_cover_the_list_once(site: Site) -> None:
    admin = await site.signed_in(ADMIN)
    listed = await all_rows(admin, "/problems")
    assert len(listed) == len(site.rows) == len({n for n, _, _ in listed})
    order = ["red", "yellow", "white", "blue", "green", "grey"]
    ranks = [order.index(c) for _, c, _ in listed]
    assert ranks == sorted(ranks)
    first = await page(admin, "/problems")
    assert len(ROW_RE.findall(first)) == PAGE_SIZE
    assert "第 1/6 页" in first and 'rel="next"' in first and 'rel="prev"' not in first


@pytest.mark.parametrize("wanted", ["red", "yellow", "blue", "green", "grey", "white"])
async def test_filter_by_colour(site: Site, wanted: str) -> None:
    admin = await site.signed_in(ADMIN)
    listed = await all_rows(admin, f"/problems?colour={wanted}")
    assert sorted(n for n, _, _ in listed) == sorted(
        number(r) for r in site.rows if colour(r) == wanted
    )


async def test_filters_combine_and_never_widen_the_scope(site: Site) -> None:
    admin = await site.signed_in(ADMIN)
    listed = await all_rows(admin, "/problems?team=2&category=financing&state=in_progress")
    want = [
        r
        for r in site.rows
        if r.team_id == 2 and r.category == "financing" and r.state == "in_progress"
    ]
    assert sorted(n for n, _, _ in listed) == sorted(number(r) for r in want) and want
    unclassified = await all_rows(admin, "/problems?tier=none")
    assert {n for n, _, _ in unclassified} == {number(r) for r in site.rows if r.tier is None}
    lead = await site.signed_in(LEAD)
    other_team = await all_rows(lead, "/problems?team=2")
    assert other_team == []  # the filter asks for another team: the scope still holds
    envoy = await all_rows(lead, "/problems?envoy=1")
    assert {n for n, _, _ in envoy} == {
        number(r)
        for r in site.rows
        if r.team_id == 1
        and (r.envoy_id == 1 or (r.envoy_id is None and r.enterprise_id in (1, 2, 5)))
    }


async def test_period_filter_counts_by_registration(site: Site) -> None:
    admin = await site.signed_in(ADMIN)
    listed = await all_rows(admin, "/problems?period=week")
    monday = NOW.astimezone(TZ).replace(hour=0, minute=0, second=0) - timedelta(
        days=NOW.astimezone(TZ).weekday()
    )
    assert sorted(n for n, _, _ in listed) == sorted(
        number(r) for r in site.rows if r.registered_at >= monday
    )


async def test_search_by_number_or_name(site: Site) -> None:
    admin = await site.signed_in(ADMIN)
    assert [n for n, _, _ in await all_rows(admin, "/problems?q=2026-0042")] == ["2026-0042"]
    by_name = await all_rows(admin, "/problems?q=华夏07号")
    assert sorted(n for n, _, _ in by_name) == sorted(
        number(r) for r in site.rows if r.enterprise_id == 7
    )
    assert await all_rows(admin, "/problems?q=%25") == []  # a LIKE wildcard is just a character
    assert await all_rows(admin, "/problems?q=%27%20OR%201%3D1%20--") == []


async def test_sort_by_due_either_way(site: Site) -> None:
    admin = await site.signed_in(ADMIN)
    due = {number(r): r.due_at for r in site.rows}
    ascending = [due[n] for n, _, _ in await all_rows(admin, "/problems?sort=due")]
    assert ascending == sorted(ascending)
    descending = [due[n] for n, _, _ in await all_rows(admin, "/problems?sort=due&dir=desc")]
    assert descending == sorted(descending, reverse=True)


async def test_nonsense_in_the_address_still_shows_a_list(site: Site) -> None:
    admin = await site.signed_in(ADMIN)
    for query in (
        "?colour=purple&state=lost&tier=9&team=abc&page=-3&sort=evil&period=year",
        "?page=99999",
        "?q=" + "长" * 500,
        "?enterprise=99999999999999999999",
    ):
        await page(admin, "/problems" + query)


async def test_another_scopes_problem_is_a_404_page_and_files_too(site: Site) -> None:
    outside = next(r for r in site.rows if r.team_id == 2)
    inside = next(r for r in site.rows if r.team_id == 1)
    lead = await site.signed_in(LEAD)
    await page(lead, f"/problems/{number(inside)}")
    text = await page(lead, f"/problems/{number(outside)}", status=404)
    assert outside.category not in text and "不在您的查看范围" in text
    await page(lead, f"/problems/{number(outside)}/files/1", status=404)
    await page(lead, "/problems/2026-9999", status=404)  # does not exist: the same answer
    other = await site.signed_in(OTHER_LEAD)
    await page(other, f"/problems/{number(inside)}", status=404)
    staff = await site.signed_in(STAFF)
    own = next(r for r in site.rows if r.enterprise_id == 1)
    await page(staff, f"/problems/{number(own)}")
    await page(staff, f"/problems/{number(inside if inside.enterprise_id != 1 else outside)}", 404)


async def test_figures_are_the_scopes_and_the_export_is_for_leads_and_admins(
    site: Site,
) -> None:
    lead = await site.signed_in(LEAD)
    text = await page(lead, "/figures")
    figures = await build_figures(site.db, Scope("team", frozenset({1})), "all", NOW, TZ)
    assert f"<td>{figures.counts.collected}</td>" in text
    assert f"{figures.resolution_rate} %" in text
    assert "高新区工作队" in text and "经开区工作队" not in text
    async with lead.get("/figures/chart.png") as chart:
        assert chart.status == 200 and (await chart.read()).startswith(b"\x89PNG")
    async with lead.get("/export.xlsx") as export:
        assert export.status == 200
        assert "filename*=UTF-8''" in export.headers["Content-Disposition"]
        book = load_workbook(io.BytesIO(await export.read()), read_only=True)
        sheet = book.worksheets[0]
        numbers = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
        assert numbers == {number(r) for r in site.rows if r.team_id == 1}
    for who in (ENVOY, STAFF):
        browser = await site.signed_in(who)
        await page(browser, "/export.xlsx", status=404)
        assert "/export.xlsx" not in await page(browser, "/problems")


async def test_the_stamp_moves_with_changes_in_the_scope_only(site: Site) -> None:
    lead = await site.signed_in(LEAD)

    async def stamp() -> str:
        async with lead.get("/problems/stamp") as response:
            return str((await response.json())["stamp"])

    before = await stamp()
    assert await stamp() == before
    inside = next(r for r in site.rows if r.team_id == 1)
    outside = next(r for r in site.rows if r.team_id == 2)
    await site.db.execute(
        "INSERT INTO problem_events (problem_id, at, action) VALUES (?, '2026-03-11', 'note')",
        (outside.id,),
    )
    assert await stamp() == before
    await site.db.execute(
        "INSERT INTO problem_events (problem_id, at, action) VALUES (?, '2026-03-11', 'note')",
        (inside.id,),
    )
    assert await stamp() != before


async def test_the_partial_list_is_the_live_part_only(site: Site) -> None:
    admin = await site.signed_in(ADMIN)
    part = await page(admin, "/problems?colour=red&partial=1")
    assert part.lstrip().startswith('<section class="headline">')
    assert "<form" not in part and "<html" not in part
    assert set(c for _, c, _ in ROW_RE.findall(part)) == {"red"}


async def test_english_on_request_chinese_by_default(site: Site) -> None:
    admin = await site.signed_in(ADMIN)
    assert "问题清单" in await page(admin, "/problems")
    async with admin.get("/lang/en?next=/figures", allow_redirects=False) as response:
        assert response.status == 303 and response.headers["Location"] == "/figures"
    text = await page(admin, "/problems")
    assert "Problems" in text and "Overdue" in text and "问题清单" not in text
    assert '<html lang="en">' in text
    async with admin.get("/lang/zh?next=https://evil.example/", allow_redirects=False) as r:
        assert r.headers["Location"] == "/problems"  # never off the site
