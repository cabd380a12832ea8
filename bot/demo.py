"""`envoybot demo`: sandbox Bot API + seeded programme + the real bot + a chat page, no token."""

from __future__ import annotations

import asyncio
import errno
import logging
import re
import shutil
import signal
import socket
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from aiohttp import web

from bot.config import Settings
from bot.demo_seed import (
    demo_people,
    play_story,
    redeem_all,
    seed_database,
    sim_users,
)
from bot.local import LocalBot
from domain.clock import ManualClock
from sandbox import BotApiSandbox
from texts.i18n import plain
from usecases.errors import OperatorError, os_reason

logger = logging.getLogger(__name__)

DEMO_TOKEN = "4242424242:envoybot-demo-token-not-a-real-one"
DEMO_USERNAME = "envoybot_demo_bot"
MAX_ADVANCE_HOURS = 24 * 7
HTML_LANGS = {"zh": "zh-CN", "en": "en"}  # BCP 47 tags for <html lang>, as demo.js sets them
_HTML_LANG = re.compile(r'<html lang="[^"]*">')


def static_dir() -> Path:
    """The chat page's files, shipped as package data of sandbox/."""
    return Path(str(resources.files("sandbox") / "static"))


@dataclass
class Demo:
    """Everything `envoybot demo` runs in one event loop."""

    sandbox: BotApiSandbox
    clock: ManualClock
    lang: str
    settings: Settings | None = None
    bot: LocalBot | None = None
    started_at: datetime = field(init=False)
    temp_dir: Path | None = None
    startup_seconds: float = 0.0

    def __post_init__(self) -> None:
        self.started_at = self.clock.now()

    @property
    def url(self) -> str:
        return f"{self.sandbox.root_url}/"

    @property
    def web_url(self) -> str | None:
        """The web platform of the demo (the chat page links to it), once the bot runs."""
        if self.bot is None or self.bot.app is None:
            return None
        from bot.app import web_server_of

        server = web_server_of(self.bot.app)
        return f"{server.url}/" if server is not None else None

    @property
    def db_path(self) -> str:
        assert self.settings is not None
        return self.settings.db

    def clock_json(self) -> dict[str, Any]:
        assert self.settings is not None
        now = self.clock.now()
        local = now.astimezone(self.settings.zone)
        return {
            "utc": now.isoformat(timespec="seconds"),
            "local": local.strftime("%Y-%m-%d %H:%M"),
            "weekday": local.weekday(),
            "tz": self.settings.tz,
            "hours_ahead": round((now - self.started_at).total_seconds() / 3600, 2),
        }

    async def advance(self, hours: float) -> int:
        """Move the bot's clock and send whatever became due, as the scheduler would."""
        from scheduler import reminders_of

        self.clock.advance(timedelta(hours=hours))
        assert self.bot is not None and self.bot.app is not None
        sent = await reminders_of(self.bot.app).tick()
        await self.bot.settle()
        logger.info("demo clock +%sh → %s; %s people reminded", hours, self.clock.now(), sent)
        return sent

    async def stop(self) -> None:
        """Bot first (flushes persistence, closes the database), then the sandbox."""
        if self.bot is not None:
            await self.bot.stop()
            self.bot = None
        await self.sandbox.stop()
        if self.temp_dir is not None:
            shutil.rmtree(self.temp_dir, ignore_errors=True)
            self.temp_dir = None


def page_html(folder: Path, lang: str) -> str:
    """index.html with <html lang> of the demo's language, right from the first paint."""
    page = (folder / "index.html").read_text(encoding="utf-8")
    return _HTML_LANG.sub(f'<html lang="{HTML_LANGS.get(lang, "zh-CN")}">', page, count=1)


def _json(data: Any, status: int = 200) -> web.Response:
    return web.json_response(data, status=status)


def add_demo_routes(app: web.Application, demo: Demo) -> None:
    """The page, the people list and the demo clock, on the sandbox's own server."""
    folder = static_dir()

    async def index(request: web.Request) -> web.Response:
        return web.Response(
            text=page_html(folder, demo.lang),
            content_type="text/html",
            headers={"Cache-Control": "no-store"},
        )

    async def info(request: web.Request) -> web.Response:
        return _json(
            {
                "lang": demo.lang,
                "bot": demo.sandbox.bot_username,
                "people": [p.as_json() for p in demo_people()],
                "web": demo.web_url,
                "clock": demo.clock_json(),
            }
        )

    async def clock_get(request: web.Request) -> web.Response:
        return _json(demo.clock_json())

    async def clock_post(request: web.Request) -> web.Response:
        try:
            body = await request.json()
            hours = float(body["hours"])
        except (ValueError, KeyError, TypeError):
            return _json({"error": 'JSON {"hours": number} expected'}, 400)
        if not 0 < hours <= MAX_ADVANCE_HOURS:
            return _json({"error": f"hours must be in (0, {MAX_ADVANCE_HOURS}]"}, 400)
        sent = await demo.advance(hours)
        return _json({**demo.clock_json(), "reminded": sent})

    app.router.add_get("/", index)
    app.router.add_get("/demo/api/info", info)
    app.router.add_get("/demo/api/clock", clock_get)
    app.router.add_post("/demo/api/clock", clock_post)
    app.router.add_static("/demo/static/", folder)


def web_port_for(port: int) -> int:
    """The web platform's port: the chat page's plus one, or any free one (0) if taken."""
    if not port or port >= 65535:
        return 0
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port + 1))
        except OSError:
            return 0
    return port + 1


def demo_settings(settings: Settings, sandbox: BotApiSandbox, db: Path, lang: str) -> Settings:
    """A copy of the operator's settings pointed at the sandbox, with a fake token."""
    return settings.model_copy(
        update={
            "telegram_bot_token": DEMO_TOKEN,
            "telegram_base_url": sandbox.base_url,
            "telegram_base_file_url": sandbox.base_file_url,
            "bot_username": sandbox.bot_username,
            "db": str(db),
            "admins": [],
            "default_lang": lang,
            "send_rate": 0.0,  # the demo's stand-in has no flood control: no pacing either
            # the web platform beside the chat page, on this machine only
            "web_port": web_port_for(sandbox.port),
            "web_host": "127.0.0.1",
            "web_url": None,
            "web_login_widget": False,
        }
    )


async def start_demo(
    settings: Settings,
    *,
    port: int = 8080,
    db: str | None = None,
    lang: str = "zh",
    host: str = "127.0.0.1",
    start: datetime | None = None,
) -> Demo:
    """Start sandbox, seed (unless --db already holds the demo) and run the bot."""
    began = time.perf_counter()
    sandbox = BotApiSandbox(DEMO_USERNAME, flood_control=False)
    demo = Demo(sandbox, ManualClock(start), lang)
    add_demo_routes(sandbox.app, demo)
    workdir = Path(tempfile.mkdtemp(prefix="envoybot-demo-"))
    demo.temp_dir = workdir
    db_path = Path(db) if db else workdir / "demo.db"
    try:
        await sandbox.start(host, port)
        demo.settings = demo_settings(settings, sandbox, db_path, lang)
        codes = await seed_database(demo.settings, workdir, demo.clock, sandbox.bot_username)
        users = sim_users(sandbox, lang)
        demo.bot = LocalBot(demo.settings, clock=demo.clock)
        app = await demo.bot.start()
        if codes:
            await redeem_all(users, codes)
            await play_story(app, demo.bot.services, demo.clock, sandbox, lang)
        from scheduler import reminders_of

        await reminders_of(app).tick()
        await demo.bot.settle()
        if db is not None:  # the user's file stays; only the scratch folder goes
            shutil.rmtree(workdir, ignore_errors=True)
            demo.temp_dir = None
    except BaseException:
        await demo.stop()
        raise
    demo.startup_seconds = time.perf_counter() - began
    logger.info("demo ready in %.2f s, database %s", demo.startup_seconds, db_path)
    return demo


def _listen_failure(exc: OSError, port: int) -> OperatorError:
    """Why the chat page could not start; a busy port names --port as the way out."""
    if exc.errno == errno.EADDRINUSE:
        other = port + 1 if port < 65535 else 8081
        return OperatorError("cli-demo-port-in-use", port=port, other=other)
    return OperatorError(
        "cli-demo-cannot-listen", address=f"127.0.0.1:{port}", detail=os_reason(exc)
    )


async def _serve(settings: Settings, port: int, db: str | None, lang: str) -> int:
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    shell = lang  # the operator asked for this language with --lang
    try:
        try:
            demo = await start_demo(settings, port=port, db=db, lang=lang)
        except OSError as exc:
            reason = _listen_failure(exc, port).render(shell)
            print(plain(shell, "cli-failed", command="demo", reason=reason), file=sys.stderr)
            return 1
        where = "cli-demo-database" if db else "cli-demo-database-temporary"
        lines = [
            plain(shell, "cli-demo-running", seconds=f"{demo.startup_seconds:.1f}"),
            "  " + plain(shell, "cli-demo-chat-page", url=demo.url),
            *(["  " + plain(shell, "cli-demo-web-page", url=demo.web_url)] if demo.web_url else []),
            "  " + plain(shell, where, path=str(demo.db_path)),
            plain(shell, "cli-demo-how-to-stop"),
        ]
        print("\n".join(lines), flush=True)
        await stop.wait()
        print(plain(shell, "cli-demo-stopping"), flush=True)
        await demo.stop()
        print(plain(shell, "cli-demo-stopped"), flush=True)
        return 0
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)


def run_demo(settings: Settings, *, port: int, db: str | None, lang: str) -> int:
    """`envoybot demo`: no token, no internet; Ctrl-C stops everything cleanly."""
    for noisy in ("aiohttp.access", "apscheduler"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return asyncio.run(_serve(settings, port, db, lang))
