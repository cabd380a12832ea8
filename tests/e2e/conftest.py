"""The real Application against the sandbox Bot API, a real database and a manual clock.

Every test here runs on both engines (tests/engines.py)."""

from __future__ import annotations

import struct
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.config import Settings
from bot.local import LocalBot
from domain.clock import ManualClock
from domain.models import Role
from sandbox import BotApiSandbox, SimUser
from storage.db import Database
from tests.engines import e2e_engine, pytest_generate_tests  # noqa: F401  (both engines)
from tests.pg_cluster import database_url, default_engine
from usecases.invites import make_invite
from usecases.roster import import_roster

TOKEN = "123456789:AAE" + "x" * 32
ADMIN_ID = 900
# 2026-03-02 is a Monday; 10:00 in Shanghai.
T0 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)

ROSTER_HEADER = "企业名称,特派员,联系电话,工作队,队长\n"
ROSTER_ROWS = [
    ("华光<精密>&机械", "李雷", "13800000001", "高新区工作队", "王芳"),
    ("华光<精密>&机械", "韩梅梅", "13800000002", "高新区工作队", "王芳"),
    ("东方🏭物流", "李雷", "13800000001", "高新区工作队", "王芳"),
    ("西山化工", "赵强", "13800000003", "经开区工作队", "赵强"),
]


def png() -> bytes:
    """A tiny PNG the sandbox accepts as an image."""
    ihdr = struct.pack(">IIBBBBB", 4, 3, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + ihdr + b"\0" * 4


def settings_for(sandbox: BotApiSandbox, db_path: str | Path, **extra: object) -> Settings:
    values: dict[str, object] = {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_BASE_URL": sandbox.base_url,
        "ENVOYBOT_DB": str(db_path),
        "ENVOYBOT_ADMINS": str(ADMIN_ID),
        "ENVOYBOT_BOT_USERNAME": sandbox.bot_username,
    }
    values.update(extra)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@dataclass
class World:
    """One programme: sandbox, database file, clock, the running bot and its people."""

    sandbox: BotApiSandbox
    db_path: str | Path  # ENVOYBOT_DB: a file, or a postgresql:// URL
    clock: ManualClock
    settings: Settings
    bot: LocalBot
    people: dict[str, SimUser] = field(default_factory=dict)

    async def restart(self) -> None:
        await self.bot.stop()
        self.bot = LocalBot(self.settings, clock=self.clock)
        await self.bot.start()

    async def invite(self, kind: Role, name: str | None = None) -> str:
        db = Database(self.db_path)
        await db.open()
        try:
            issued = await make_invite(
                db,
                kind,
                name,
                now=self.clock.now(),
                days=14,
                bot_username=self.sandbox.bot_username,
            )
        finally:
            await db.close()
        return issued.invite.code

    async def join(
        self,
        key: str,
        user_id: int,
        name: str,
        kind: Role,
        target: str | None,
        lang: str = "zh-hans",
    ) -> SimUser:
        """A person redeems their invite through /start like a real user."""
        code = await self.invite(kind, target)
        user = self.sandbox.user(user_id, name, language_code=lang)
        seen = user.sent_count
        await user.send_text(f"/start {code}")
        await user.wait_for(lambda m: "✅" in m.text, after_count=seen)
        self.people[key] = user
        return user


async def make_world(
    tmp_path: Path, *, flood: bool = False, engine: str | None = None, **extra: object
) -> tuple[BotApiSandbox, World]:
    """Flood control is off unless asked for: most tests are about behaviour, not pacing
    (tests/e2e/test_load.py plays Telegram's limits with the bot's pacing on)."""
    db_path = database_url(engine or default_engine(), tmp_path)
    sandbox = await BotApiSandbox().start()
    sandbox.set_flood(enabled=flood)
    if not flood:
        extra.setdefault("ENVOYBOT_SEND_RATE", "0")
    roster = tmp_path / "roster.csv"
    roster.write_text(
        ROSTER_HEADER + "".join(",".join(r) + "\n" for r in ROSTER_ROWS), encoding="utf-8"
    )
    db = Database(db_path)
    await db.open()
    report = await import_roster(db, roster)
    await db.close()
    assert report.ok, report.errors
    clock = ManualClock(T0)
    settings = settings_for(sandbox, db_path, **extra)
    bot = LocalBot(settings, clock=clock)
    await bot.start()
    return sandbox, World(sandbox, db_path, clock, settings, bot)


@pytest.fixture
def world_engine() -> str:
    """The engine of the world fixture; a module overrides it to run on both."""
    return default_engine()


@pytest.fixture
async def world(tmp_path: Path, world_engine: str) -> AsyncIterator[World]:
    sandbox, w = await make_world(tmp_path, engine=world_engine)
    try:
        yield w
    finally:
        await w.bot.stop()
        await sandbox.stop()


@pytest.fixture
async def people(world: World) -> World:
    """The usual cast, all bound: staff of two enterprises, two envoys, a lead, an admin."""
    await world.join("staff", 101, "陈经理", Role.STAFF, "华光<精密>&机械")
    await world.join("other_staff", 102, "Other Co", Role.STAFF, "西山化工", lang="en")
    await world.join("envoy", 201, "李雷", Role.ENVOY, "李雷")
    await world.join("envoy2", 202, "韩梅梅", Role.ENVOY, "韩梅梅")
    await world.join("lead", 301, "王芳", Role.LEAD, "高新区工作队")
    admin = world.sandbox.user(ADMIN_ID, "市协调办", language_code="zh-hans")
    seen = admin.sent_count
    await admin.send_text("/start")
    await admin.wait_for(after_count=seen)
    world.people["admin"] = admin
    return world
