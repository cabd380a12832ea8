"""Whatever people typed (names, descriptions, notes, comments, file names) shows as text."""

from __future__ import annotations

import re

from storage.db import to_db
from tests.reporting.conftest import NOW
from tests.web.conftest import ADMIN, LEAD, Site
from tests.web.test_pages import page

EVIL = '<script>alert(1)</script>"><img src=x onerror=alert(2)>&amp;'
ESCAPED = (
    "&lt;script&gt;alert(1)&lt;/script&gt;&#34;&gt;&lt;img src=x onerror=alert(2)&gt;&amp;amp;"
)


async def plant(site: Site) -> str:
    """Every user-supplied field of one problem, its people and its organisation."""
    db = site.db
    await db.execute("UPDATE enterprises SET name = ? WHERE id = 1", (f"企业{EVIL}",))
    await db.execute("UPDATE envoys SET name = ? WHERE id = 1", (f"特派员{EVIL}",))
    await db.execute("UPDATE teams SET name = ? WHERE id = 1", (f"工作队{EVIL}",))
    await db.execute("UPDATE accounts SET display_name = ? WHERE tg_user_id = ?", (EVIL, LEAD))
    pid = await db.execute(
        "INSERT INTO problems (number, enterprise_id, reporter_tg_id, category, description,"
        " state, tier, envoy_id, registered_at, due_at, resolved_at, closed_at, satisfaction,"
        " comment) VALUES ('2026-0900', 1, 101, ?, ?, 'closed', 1, 1, ?, ?, ?, ?, 4, ?)",
        (
            f"cat{EVIL}",
            f"描述{EVIL}",
            to_db(NOW),
            to_db(NOW),
            to_db(NOW),
            to_db(NOW),
            f"留言{EVIL}",
        ),
    )
    event = await db.execute(
        "INSERT INTO problem_events (problem_id, at, actor_tg_id, actor_role, action, from_state,"
        " to_state, note) VALUES (?, ?, ?, 'envoy', 'note', 'in_progress', 'in_progress', ?)",
        (pid, to_db(NOW), LEAD, f"进展{EVIL}"),
    )
    await db.execute(
        "INSERT INTO attachments (problem_id, event_id, kind, file_id, file_name, mime_type)"
        " VALUES (?, ?, 'document', 'f1', ?, 'text/html')",
        (pid, event, f"file{EVIL}.pdf"),
    )
    return "2026-0900"


def assert_escaped(text: str, where: str) -> None:
    assert "<script>" not in text and "onerror=alert(2)>" not in text, where
    assert ESCAPED in text, where


async def test_every_user_field_is_escaped_on_every_page(site: Site) -> None:
    number = await plant(site)
    admin = await site.signed_in(ADMIN)
    listing = await page(admin, f"/problems?q={number}")
    assert_escaped(listing, "list")
    for field in ("企业", "特派员", "工作队", "描述"):
        assert f"{field}{ESCAPED}" in listing, field
    detail = await page(admin, f"/problems/{number}")
    assert_escaped(detail, "problem")
    for field in ("企业", "特派员", "描述", "留言", "进展", "file"):
        assert f"{field}{ESCAPED}" in detail, field
    assert f"cat{ESCAPED}" in detail  # an unknown category shows its code, escaped
    figures = await page(admin, "/figures")
    assert_escaped(figures, "figures")
    assert f"工作队{ESCAPED}" in figures and f"特派员{ESCAPED}" in figures
    menus = await page(admin, "/problems")
    assert f"工作队{ESCAPED}" in menus  # the filter menus too
    confirm = await page(site.browser(), await site.link(LEAD))
    assert_escaped(confirm, "sign-in confirmation")
    lead = await site.signed_in(LEAD)
    assert_escaped(await page(lead, "/problems"), "the header's name")
    # no attribute anywhere is broken open: every tag the page has is one of ours
    tags = set(re.findall(r"<([a-zA-Z][a-zA-Z0-9]*)", detail))
    assert "script" not in tags and "img" not in tags, tags
