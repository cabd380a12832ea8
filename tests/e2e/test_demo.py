"""`envoybot demo`: the seeded programme, the demo routes, start-up time and a clean Ctrl-C."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import pytest

from bot.cli_parser import parse_args
from bot.config import Settings
from bot.demo import Demo, page_html, start_demo, static_dir
from bot.demo_seed import (
    ADMIN_ID,
    DEPARTMENTS,
    ENTERPRISES,
    ENVOYS,
    JOINT_HANDLING,
    STORY,
    TEAMS,
    demo_people,
)
from domain.colours import Colour, colour_of
from domain.models import Role, State

START = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # Monday 10:00 in Shanghai
ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite_only]  # the demo's own SQLite file


def _settings() -> Settings:
    return Settings(_env_file=None)  # type: ignore[call-arg]


@pytest.fixture
async def demo(tmp_path: Path) -> AsyncIterator[Demo]:
    running = await start_demo(
        _settings(), port=0, db=str(tmp_path / "demo.db"), lang="zh", start=START
    )
    try:
        yield running
    finally:
        await running.stop()


async def test_seeded_programme_has_everyone_and_every_colour(demo: Demo) -> None:
    assert demo.startup_seconds < 5.0, f"demo took {demo.startup_seconds:.2f} s to start"
    people = demo_people()
    assert len(TEAMS) == 3 and len(ENVOYS) == 6 and len(ENTERPRISES) == 10
    assert len(people) == 10 + 6 + 3 + 1 + 3
    services = demo.bot.services if demo.bot else None
    assert services is not None
    roles = {}
    for person in people:
        actor = await services.accounts.load_actor(person.user_id, services.settings.admins)
        assert actor is not None, f"{person.name} has no account"
        roles[person.user_id] = actor.role
        # each account was made by the real bot answering "/start CODE"
        assert any("✅" in m.text for m in demo.sandbox.users[person.user_id].messages)
    assert roles[ADMIN_ID] is Role.ADMIN
    assert {roles[t.lead_id] for t in TEAMS} == {Role.LEAD}
    assert {roles[uid] for uid, _ in ENVOYS.values()} == {Role.ENVOY}
    assert {roles[e.staff_id] for e in ENTERPRISES} == {Role.STAFF}
    assert {roles[d.person_id] for d in DEPARTMENTS} == {Role.DEPARTMENT}
    # one problem is under joint handling: two departments, each in its own state
    joint = [i for i, story in enumerate(STORY, start=1) if story[0] == JOINT_HANDLING]
    dispatches = await services.dispatches.for_problem(joint[0])
    assert sorted((d.department_name, d.state.value) for d in dispatches) == [
        ("商务局", "signed"),
        ("自然资源局", "done"),
    ]
    land = demo.sandbox.users[4003]
    assert any("新派单" in m.text for m in land.messages)

    problems = [await services.problems.get(i) for i in range(1, len(STORY) + 1)]
    assert all(p is not None for p in problems)
    now = demo.clock.now()
    assert now == START, "seeding must leave the clock where it started"
    states = {p.state for p in problems if p}
    assert {State.REGISTERED, State.IN_PROGRESS, State.RESOLVED, State.CLOSED} <= states
    colours = {colour_of(p.state, p.due_at, p.registered_at, now) for p in problems if p}
    assert colours == set(Colour), colours
    assert {p.tier for p in problems if p} >= {1, 2, 3}
    # the overdue one was reported to its envoy when the demo started
    assert any("已逾期" in m.text for m in demo.sandbox.users[2003].messages)


async def test_demo_routes_page_people_and_clock(demo: Demo) -> None:
    async with aiohttp.ClientSession(demo.sandbox.root_url) as http:
        async with http.get("/") as r:
            page = await r.text()
            assert r.status == 200 and "/demo/static/demo.js" in page
            assert '<html lang="zh-CN">' in page
        for name in ("demo.js", "demo.css"):
            async with http.get(f"/demo/static/{name}") as r:
                assert r.status == 200
        async with http.get("/demo/api/info") as r:
            info = await r.json()
        assert info["lang"] == "zh" and len(info["people"]) == 23
        assert {"id": 4001, "name": "关明", "role": "department", "org": "海关"} in info["people"]
        staff = next(p for p in info["people"] if p["id"] == 1001)
        assert staff == {"id": 1001, "name": "陈静", "role": "staff", "org": "华光精密机械有限公司"}
        assert info["clock"]["local"] == "2026-03-02 10:00"
        for bad in ({"hours": 0}, {"hours": -1}, {"hours": 1000}, {"x": 1}):
            async with http.post("/demo/api/clock", json=bad) as r:
                assert r.status == 400
        async with http.post("/demo/api/clock", json={"hours": 4}) as r:
            moved = await r.json()
        assert moved["local"] == "2026-03-02 14:00" and moved["hours_ahead"] == 4
        # the 🟡 tier-1 problem (due 14:00) is now overdue and its envoy was told
        assert moved["reminded"] >= 1
    assert any(
        "已逾期" in m.text and "航港冷链物流" in m.text for m in demo.sandbox.users[2005].messages
    )


async def test_reusing_the_database_does_not_seed_twice(tmp_path: Path) -> None:
    db = str(tmp_path / "again.db")
    first = await start_demo(_settings(), port=0, db=db, lang="en", start=START)
    await first.stop()
    second = await start_demo(_settings(), port=0, db=db, lang="en", start=START)
    try:
        assert second.bot is not None
        services = second.bot.services
        assert await services.problems.get(len(STORY)) is not None
        assert await services.problems.get(len(STORY) + 1) is None
        user = second.sandbox.users[1001]
        seen = user.sent_count
        await user.send_text("/start")
        welcome = await user.wait_for(after_count=seen)
        assert "陈静" in welcome.text  # still bound: the account survived the restart
    finally:
        await second.stop()


def test_cli_demo_starts_fast_and_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    began = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "demo", "--port", "0", "--db", str(db)],
        cwd=tmp_path,
        env={**env, "PYTHONPATH": str(ROOT), "ENVOYBOT_LANG": "en"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        url = ""
        for line in proc.stdout:
            if "http://127.0.0.1:" in line:
                url = line.split()[-1]
                break
        elapsed = time.monotonic() - began
        assert url.startswith("http://127.0.0.1:"), "no URL line printed"
        assert elapsed < 5.0, f"demo took {elapsed:.2f} s (process start included)"
        # no --lang: ENVOYBOT_LANG=en decides, for the page as for the terminal
        with urllib.request.urlopen(url + "demo/api/info", timeout=5) as r:
            assert json.load(r)["lang"] == "en"
        with urllib.request.urlopen(url, timeout=5) as r:
            assert '<html lang="en">' in r.read().decode()
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=15)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    assert "Traceback" not in err, err
    assert "stopped" in out
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT COUNT(*) FROM accounts").fetchone()[0] == 23


@pytest.mark.parametrize(
    ("argv", "operator", "lang"),
    [
        (["demo"], "en", "en"),
        (["demo"], "zh", "zh"),
        (["demo", "--lang", "zh"], "en", "zh"),
        (["demo", "--lang", "en"], "zh", "en"),
    ],
)
def test_demo_language_is_lang_else_envoybot_lang(
    argv: list[str], operator: str, lang: str
) -> None:
    assert parse_args(argv, operator).lang == lang


def test_the_page_declares_the_demo_language() -> None:
    assert page_html(static_dir(), "en").count('<html lang="en">') == 1
    assert '<html lang="zh-CN">' in page_html(static_dir(), "zh")


def _pictographic(ch: str) -> bool:
    """Characters that need an emoji font (or a symbol font most systems lack)."""
    code = ord(ch)
    return (
        0x1F000 <= code <= 0x1FAFF
        or 0x2300 <= code <= 0x23FF
        or 0x2600 <= code <= 0x27BF
        or 0x2B00 <= code <= 0x2BFF
        or code == 0xFE0F
    )


def test_the_pages_own_files_need_no_emoji_font() -> None:
    for path in static_dir().iterdir():
        found = sorted({ch for ch in path.read_text(encoding="utf-8") if _pictographic(ch)})
        assert not found, (path.name, found)


def test_the_readme_screenshot_is_a_wide_one() -> None:
    head = (ROOT / "docs" / "demo.png").read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(head[16:20], "big") == 1280
