"""Departments on the web: only what was dispatched to them and not returned, the timeline as
domain/visibility.py lets each viewer read it, and the department filter for the city side."""

from __future__ import annotations

from datetime import timedelta

from storage.db import to_db
from tests.reporting.conftest import NOW, Row
from tests.web.conftest import ADMIN, LEAD, Site
from tests.web.test_pages import all_rows, number, page

CUSTOMS, COMMERCE = 1, 2
CUSTOMS_OFFICER, COMMERCE_OFFICER, STAFF_OF_A = 701, 702, 703
INTERNAL = "海关内部意见<b>勿外传</b>"
PUBLIC = "海关已核对报关单"
LATER = "退回之后的进展"


async def _event(
    site: Site, problem: int, action: str, note: str, department: int | None, internal: int = 0
) -> int:
    return await site.db.execute(
        "INSERT INTO problem_events (problem_id, at, actor_tg_id, actor_role, action, note,"
        " department_id, internal) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (problem, to_db(NOW), ADMIN, "admin", action, note, department, internal),
    )


async def _dispatch(site: Site, problem: int, department: int, state: str) -> None:
    sent = await _event(site, problem, "dispatch", "请协调", department)
    end = None
    if state == "returned":
        end = await _event(site, problem, "dispatch_return", "非本部门职责", department)
    await site.db.execute(
        "INSERT INTO dispatches (problem_id, department_id, state, note, due_at, sent_at,"
        " sent_by, sent_event_id, end_event_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            problem,
            department,
            state,
            "请协调",
            to_db(NOW + timedelta(days=3)),
            to_db(NOW),
            ADMIN,
            sent,
            end,
        ),
    )


async def _departments(site: Site) -> tuple[Row, Row, Row]:
    """A: customs signed, commerce's internal note on it; B: customs returned it, a later step;
    C: never dispatched. All three in team 1, so the lead sees them."""
    team_one = [r for r in site.rows if r.team_id == 1]
    a, b, c = team_one[0], team_one[1], team_one[2]
    await site.db.executemany(
        "INSERT INTO departments (id, name) VALUES (?, ?)",
        [(CUSTOMS, "海关"), (COMMERCE, "商务局")],
    )
    await site.db.executemany(
        "INSERT INTO accounts (tg_user_id, role, department_id, enterprise_id, display_name,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?)",
        [
            (CUSTOMS_OFFICER, "department", CUSTOMS, None, "海关李科长", to_db(NOW)),
            (COMMERCE_OFFICER, "department", COMMERCE, None, "商务王科长", to_db(NOW)),
            (STAFF_OF_A, "staff", None, a.enterprise_id, "企业联系人", to_db(NOW)),
        ],
    )
    await _dispatch(site, a.id, CUSTOMS, "signed")
    await _dispatch(site, a.id, COMMERCE, "signed")
    await _event(site, a.id, "dispatch_progress", PUBLIC, CUSTOMS)
    await _event(site, a.id, "dispatch_internal", INTERNAL, COMMERCE, internal=1)
    await _dispatch(site, b.id, CUSTOMS, "returned")
    await _event(site, b.id, "note", LATER, None)
    return a, b, c


async def test_a_department_lists_and_opens_only_what_it_still_works(site: Site) -> None:
    a, b, c = await _departments(site)
    customs = await site.signed_in(CUSTOMS_OFFICER)
    listed = {n for n, _, _ in await all_rows(customs, "/problems")}
    assert listed == {number(a)}
    text = await page(customs, f"/problems/{number(a)}")
    assert PUBLIC in text and "勿外传" not in text  # another department's internal note
    for hidden in (b, c):  # returned, never sent: the same answer as another team's
        assert LATER not in await page(customs, f"/problems/{number(hidden)}", status=404)


async def test_internal_notes_reach_the_city_side_and_their_department_only(site: Site) -> None:
    a, _, _ = await _departments(site)
    commerce = await site.signed_in(COMMERCE_OFFICER)
    assert "海关内部意见&lt;b&gt;勿外传&lt;/b&gt;" in await page(commerce, f"/problems/{number(a)}")
    lead = await site.signed_in(LEAD)
    assert "海关内部意见&lt;b&gt;勿外传&lt;/b&gt;" in await page(lead, f"/problems/{number(a)}")
    staff = await site.signed_in(STAFF_OF_A)
    text = await page(staff, f"/problems/{number(a)}")
    assert PUBLIC in text and "勿外传" not in text


async def test_the_city_side_filters_by_department(site: Site) -> None:
    a, b, _ = await _departments(site)
    admin = await site.signed_in(ADMIN)
    text = await page(admin, "/problems")
    assert "海关" in text and "商务局" in text  # the filter's menu
    customs = {n for n, _, _ in await all_rows(admin, f"/problems?department={CUSTOMS}")}
    assert customs == {number(a), number(b)}  # everything ever sent, the returned one too
    commerce = {n for n, _, _ in await all_rows(admin, f"/problems?department={COMMERCE}")}
    assert commerce == {number(a)}
    officer = await site.signed_in(CUSTOMS_OFFICER)
    widened = {n for n, _, _ in await all_rows(officer, f"/problems?department={COMMERCE}")}
    assert widened == {number(a)}  # a filter never widens a department's own scope


async def test_the_problem_page_names_each_steps_department_and_lists_the_dispatches(
    site: Site,
) -> None:
    a, _, _ = await _departments(site)
    admin = await site.signed_in(ADMIN)
    text = await page(admin, f"/problems/{number(a)}")
    assert "派单（海关）" in text and "派单（商务局）" in text
    assert "派单（联动办理）" in text and text.count("已签收，办理中") == 2
