"""The figures page has the departments' table, equal to /stats's, and for a department only
its own work (no envoy table, no team table)."""

from __future__ import annotations

from dataclasses import fields

from domain.stats import Scope
from reporting.figures import build_figures
from reporting.web_figures import web_figures
from tests.reporting.conftest import NOW, TZ
from tests.web.conftest import ADMIN, LEAD, Site
from tests.web.test_departments import CUSTOMS, CUSTOMS_OFFICER, _departments
from tests.web.test_pages import page


async def test_sql_figures_carry_the_same_department_rows(site: Site) -> None:
    await _departments(site)
    for scope in (
        Scope("all"),
        Scope("team", frozenset({1})),
        Scope("department", frozenset({CUSTOMS})),
    ):
        expected = await build_figures(site.db, scope, "all", NOW, TZ)
        got = await web_figures(site.db, scope, "all", NOW, TZ)
        assert got.by_department == expected.by_department and got.by_department, scope
        for f in fields(expected):
            if f.name not in ("median_resolve", "p90_resolve", "satisfaction_avg"):
                assert getattr(got, f.name) == getattr(expected, f.name), (scope, f.name)


async def test_the_figures_page_shows_the_departments(site: Site) -> None:
    await _departments(site)
    admin = await site.signed_in(ADMIN)
    text = await page(admin, "/figures")
    table = text.split('id="departments"', 1)[1].split("</section>", 1)[0]
    assert "海关" in table and "商务局" in table
    assert f'href="/problems?department={CUSTOMS}"' in table
    lead = await site.signed_in(LEAD)
    assert 'id="departments"' in await page(lead, "/figures")
    customs = await site.signed_in(CUSTOMS_OFFICER)
    own = await page(customs, "/figures")
    assert 'id="departments"' in own and "商务局" not in own
    assert "按特派员" not in own and "按工作队" not in own
    assert "/problems?department=" not in own
