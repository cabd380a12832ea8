"""Time the web platform's pages on a generated province: 100,000 problems.

Run: python benchmarks/bench_web.py [--problems N] [--repeat R] [--keep FILE.db]

The platform runs in this process on the province of bench_stats.populate (14 teams, 2,000
envoys, 10,000 enterprises), signed in over HTTP as the city office, a team lead, an envoy
and an enterprise contact. Each page is fetched once to warm up, then R times; the table
shows the server's time (its Server-Timing header: from the request reaching the
application to the answer being ready) and the wall time a local client saw, median and
worst, with the size of the page.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import aiohttp

from benchmarks.bench_stats import NOW, TEAMS, populate
from bot.config import Settings
from domain.clock import ManualClock
from storage.db import Database, to_db
from usecases.services import Services
from usecases.web_access import WebAccess
from web.app import WebServer

ADMIN, LEAD, ENVOY, STAFF = 900, 3_000_001, 3_000_017, 2_000_042
LEAD_TEAM = 3
LIST_TARGET_MS = 300.0
FIGURES_TARGET_MS = 500.0
TIMING = re.compile(r"app;dur=([\d.]+)")


@dataclass
class Case:
    who: int
    label: str
    path: str
    kind: str  # list / figures / other


CASES = [
    Case(ADMIN, "list, all, page 1", "/problems", "list"),
    Case(ADMIN, "list, red", "/problems?colour=red", "list"),
    Case(ADMIN, "list, team 3 + red", f"/problems?team={LEAD_TEAM}&colour=red", "list"),
    Case(
        ADMIN,
        "list, month + in progress by due",
        "/problems?period=month&state=in_progress&sort=due",
        "list",
    ),
    Case(
        ADMIN,
        "list, category + tier 2, newest",
        "/problems?category=financing&tier=2&sort=registered&dir=desc",
        "list",
    ),
    Case(ADMIN, "list, search an enterprise", "/problems?q=示范企业00042", "list"),
    Case(ADMIN, "list, envoy 17", "/problems?envoy=17", "list"),
    Case(ADMIN, "list, page 500", "/problems?page=500", "list"),
    Case(ADMIN, "list, live refresh (partial)", "/problems?colour=red&partial=1", "list"),
    Case(LEAD, "lead: list, the team", "/problems", "list"),
    Case(LEAD, "lead: list, red", "/problems?colour=red", "list"),
    Case(ENVOY, "envoy: list", "/problems", "list"),
    Case(STAFF, "staff: list", "/problems", "list"),
    Case(ADMIN, "figures, all / all time", "/figures", "figures"),
    Case(ADMIN, "figures, all / month", "/figures?period=month", "figures"),
    Case(LEAD, "lead: figures, the team", "/figures", "figures"),
    Case(ENVOY, "envoy: figures", "/figures", "figures"),
    Case(ADMIN, "weekly chart PNG, all", "/figures/chart.png", "other"),
    Case(LEAD, "lead: weekly chart PNG", "/figures/chart.png", "other"),
    Case(ADMIN, "poll stamp, all", "/problems/stamp", "other"),
    Case(LEAD, "lead: poll stamp", "/problems/stamp", "other"),
    Case(ADMIN, "a problem's page", "/problems/2025-000042", "other"),
]


async def prepare(db: Database, problems: int) -> None:
    await populate(db, problems)
    # envoy 3 serves team 3 (bench_stats: envoy v is in team (v - 1) % 14 + 1)
    await db.execute("UPDATE teams SET lead_envoy_id = 3 WHERE id = ?", (LEAD_TEAM,))
    await db.executemany(
        "INSERT INTO accounts (tg_user_id, role, envoy_id, enterprise_id, display_name,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?)",
        [
            (ADMIN, "admin", None, None, "市协调办", to_db(NOW)),
            (LEAD, "envoy", 3, None, "第3队队长", to_db(NOW)),
            (ENVOY, "envoy", 17, None, "特派员0017", to_db(NOW)),
            (STAFF, "staff", None, 42, "企业联系人", to_db(NOW)),
        ],
    )


async def sign_in(access: WebAccess, url: str, who: int) -> aiohttp.ClientSession:
    made = await access.issue_link(who)
    assert made.url is not None
    path = made.url.split("/signin/", 1)[1]
    browser = aiohttp.ClientSession(base_url=url, cookie_jar=aiohttp.CookieJar(unsafe=True))
    async with browser.post(f"/signin/{path}", allow_redirects=False) as response:
        assert response.status == 303, response.status
    return browser


async def measure(
    browser: aiohttp.ClientSession, path: str, repeat: int
) -> tuple[list[float], list[float], int]:
    server: list[float] = []
    wall: list[float] = []
    size = 0
    for i in range(repeat + 1):
        began = time.perf_counter()
        async with browser.get(path, allow_redirects=False) as response:
            body = await response.read()
            assert response.status == 200, (path, response.status)
            timing = TIMING.search(response.headers.get("Server-Timing", ""))
        if i == 0:
            continue  # warm-up
        wall.append((time.perf_counter() - began) * 1000)
        server.append(float(timing.group(1)) if timing else float("nan"))
        size = len(body)
    return server, wall, size


async def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--problems", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", help="write the database here instead of a temp file")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(args.keep) if args.keep else Path(tmp) / "bench-web.db"
        for stale in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            stale.unlink(missing_ok=True)
        db = Database(path)
        await db.open()
        began = time.perf_counter()
        await prepare(db, args.problems)
        print(
            f"{args.problems:,} problems, 10,000 enterprises, 2,000 envoys, {TEAMS} teams"
            f"   (generated in {time.perf_counter() - began:.1f} s)"
        )
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            TELEGRAM_BOT_TOKEN="123456789:AAE" + "b" * 32,
            ENVOYBOT_DB=str(path),
            ENVOYBOT_WEB_PORT="0",
        )
        services = Services(settings, ManualClock(NOW), db)
        server = await WebServer(services).start()
        access = WebAccess(services)
        browsers = {
            who: await sign_in(access, server.url, who) for who in (ADMIN, LEAD, ENVOY, STAFF)
        }
        worst = {"list": 0.0, "figures": 0.0}
        print(f"\n{'page':<40} {'server ms':>18} {'wall ms':>18} {'kB':>7}")
        print(f"{'':<40} {'median':>8} {'worst':>9} {'median':>8} {'worst':>9}")
        try:
            for case in CASES:
                server_ms, wall_ms, size = await measure(browsers[case.who], case.path, args.repeat)
                med, top = statistics.median(server_ms), max(server_ms)
                if case.kind in worst:
                    worst[case.kind] = max(worst[case.kind], med)
                print(
                    f"{case.label:<40} {med:8.1f} {top:9.1f} {statistics.median(wall_ms):8.1f}"
                    f" {max(wall_ms):9.1f} {size / 1024:7.1f}"
                )
        finally:
            for browser in browsers.values():
                await browser.close()
            await server.stop()
            await db.close()
    print()
    for kind, target in (("list", LIST_TARGET_MS), ("figures", FIGURES_TARGET_MS)):
        verdict = "within" if worst[kind] <= target else "OVER"
        print(
            f"slowest {kind} page (median server time) {worst[kind]:7.1f} ms"
            f"   target {target:.0f} ms: {verdict}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
