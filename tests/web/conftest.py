"""The web platform over real HTTP on a real SQLite file: the generated programme of
tests/reporting, people bound to it, a manual clock, and browsers as aiohttp client sessions."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import pytest

from bot.config import Settings
from domain.clock import ManualClock
from storage.db import Database, to_db
from tests.engines import e2e_engine, pytest_generate_tests  # noqa: F401  (both engines)
from tests.pg_cluster import database_url, default_engine
from tests.reporting.conftest import NOW, Row, generate, insert_problems, insert_world
from usecases.services import Services
from usecases.web_access import WebAccess
from web.app import WebServer
from web.files import FileSource

TOKEN = "123456789:AAE" + "x" * 32
ADMIN, LEAD, ENVOY, STAFF, OTHER_LEAD = 900, 301, 203, 101, 305
# team 1 (高新区) is led by envoy 1; team 3 by envoy 5; envoy 3 works in team 2; staff of firm 1
ACCOUNTS = [
    (ADMIN, "admin", None, None, "市协调办"),
    (LEAD, "envoy", 1, None, "张伟"),
    (ENVOY, "envoy", 3, None, "王强"),
    (STAFF, "staff", None, 1, "陈经理"),
    (OTHER_LEAD, "envoy", 5, None, "陈静"),
]
SIGNIN_RE = re.compile(r"/signin/([A-Za-z0-9_-]+)$")


def web_settings(db_path: Path, **extra: object) -> Settings:
    values: dict[str, object] = {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "ENVOYBOT_DB": str(db_path),
        "ENVOYBOT_ADMINS": str(ADMIN),
        "ENVOYBOT_WEB_PORT": "0",
    }
    values.update(extra)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


async def bind_people(db: Database) -> None:
    await db.execute("UPDATE teams SET lead_envoy_id = 1 WHERE id = 1")
    await db.execute("UPDATE teams SET lead_envoy_id = 5 WHERE id = 3")
    await db.executemany(
        "INSERT INTO accounts (tg_user_id, role, envoy_id, enterprise_id, display_name,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?)",
        [(*a, to_db(NOW)) for a in ACCOUNTS],
    )


@dataclass
class Site:
    """A running web platform and what the test knows about its programme."""

    services: Services
    server: WebServer
    clock: ManualClock
    rows: list[Row]
    sessions: list[aiohttp.ClientSession] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def db(self) -> Database:
        return self.services.db

    def browser(self) -> aiohttp.ClientSession:
        """A fresh browser: its own cookie jar (IP-address cookies allowed, as browsers do)."""
        session = aiohttp.ClientSession(
            base_url=self.url, cookie_jar=aiohttp.CookieJar(unsafe=True)
        )
        self.sessions.append(session)
        return session

    async def link(self, tg_user_id: int) -> str:
        """What /web would send this person: the path of a fresh sign-in link."""
        made = await WebAccess(self.services).issue_link(tg_user_id)
        assert made.url is not None
        match = SIGNIN_RE.search(made.url)
        assert match is not None, made.url
        return f"/signin/{match.group(1)}"

    async def signed_in(self, tg_user_id: int) -> aiohttp.ClientSession:
        """A browser that opened its link and pressed Sign in."""
        browser = self.browser()
        path = await self.link(tg_user_id)
        async with browser.post(path, allow_redirects=False) as response:
            assert response.status == 303, await response.text()
        return browser


async def start_site(
    tmp_path: Path, files: FileSource | None = None, count: int = 300, **extra: object
) -> Site:
    db = Database(database_url(default_engine(), tmp_path, "web.db"))
    await db.open()
    await insert_world(db)
    rows = generate(count)
    await insert_problems(db, rows)
    await bind_people(db)
    clock = ManualClock(NOW)
    services = Services(web_settings(db.path, **extra), clock, db)
    server = await WebServer(services, files, poll_seconds=0.2).start()
    return Site(services, server, clock, rows)


@pytest.fixture
async def site(tmp_path: Path) -> AsyncIterator[Site]:
    running = await start_site(tmp_path)
    try:
        yield running
    finally:
        for session in running.sessions:
            await session.close()
        await running.server.stop()
        await running.db.close()
