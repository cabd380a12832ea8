"""The one place that builds the Application; post_init/post_stop/post_shutdown own the parts."""

from __future__ import annotations

import asyncio
import gc
import logging
import sys
from collections.abc import Sequence
from typing import Any

from telegram import Bot, BotCommand, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import Application, ApplicationBuilder, Defaults

from bot.config import Settings
from bot.updates import AckedQueue, ChatOrderedProcessor, UpdateState
from delivery.aiohttp_request import AiohttpRequest
from delivery.notices import Notices
from delivery.pacing import Pacer
from delivery.runtime import RUNTIME_KEY, Runtime
from delivery.sender import Sender
from domain.clock import Clock, SystemClock
from domain.outgoing import Queued
from handlers.common import queue
from scheduler import REMINDERS_KEY, reminders_of
from scheduler.reminders import ReminderService
from storage.db import SESSIONS, Database
from storage.persistence import SQLitePersistence
from texts.i18n import plain
from usecases.services import Services

logger = logging.getLogger(__name__)

COMMANDS = (
    "report",
    "my",
    "inbox",
    "problem",
    "overdue",
    "stats",
    "export",
    "chart",
    "web",
    "agenda",
    "invite",
    "import",
    "language",
    "help",
    "cancel",
)
AnyApp = Application[Any, Any, Any, Any, Any, Any]
WEB_KEY = "envoybot_web"
# The sender keeps IN_FLIGHT calls going and button answers a few more: a small pool is
# enough, and httpcore's cost per request grows with the pool (benchmarks/README.md).
CONNECTIONS = 16
FIRST_RETRY = 1.0
MAX_RETRY = 60.0


def file_url_for(base_url: str) -> str:
    """Derive the file URL from a Bot API base URL (…/bot → …/file/bot)."""
    if base_url.endswith("/bot"):
        return base_url[: -len("/bot")] + "/file/bot"
    return base_url.rstrip("/") + "/file/bot"


class Dispatch:
    """The DispatchPort: committed owed messages to the sender; a changed plan wakes the clock."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.reminders: ReminderService | None = None

    def deliver(self, queued: Sequence[Queued]) -> None:
        # inside an update they leave with its replies, in order, once its step is saved
        queue(list(queued), fallback=self.runtime)

    def replanned(self) -> None:
        if self.reminders is not None:
            self.reminders.wake()


async def _post_init(app: AnyApp) -> None:
    runtime: Runtime = app.bot_data[RUNTIME_KEY]
    await runtime.services.db.ensure_open()
    for lang, code in (("zh", None), ("en", "en")):
        commands = [BotCommand(c, plain(lang, f"cmd-{c}")) for c in COMMANDS]
        try:
            await app.bot.set_my_commands(commands, language_code=code)
        except TelegramError:  # a cosmetic call must never stop the bot from starting
            logger.warning("setMyCommands failed", exc_info=True)
    await runtime.sender.start()
    await reminders_of(app).start(app)
    await _start_web(app, runtime)
    logger.info("envoybot started as @%s, database %s", app.bot.username, runtime.services.db.label)


async def _post_init_process(app: AnyApp) -> None:
    """As _post_init; then what start-up built, kept for the process's life, leaves the GC's walk.

    Measured under load: full collections went from 65 ms every second or so to 1.5 ms.
    """
    await _post_init(app)
    gc.freeze()


async def _post_stop(app: AnyApp) -> None:
    """Updates have stopped: let the clock finish and the sender drain while the bot can send."""
    runtime: Runtime = app.bot_data[RUNTIME_KEY]
    await reminders_of(app).stop(app)
    await runtime.sender.stop(drain=3.0)


async def _start_web(app: AnyApp, runtime: Runtime) -> None:
    """The web platform in this process, on the same database, when ENVOYBOT_WEB_PORT is set."""
    settings = runtime.services.settings
    if settings.web_port is None:
        return
    from bot.web_files import BotFiles
    from web.app import WebServer

    server = WebServer(
        runtime.services, BotFiles(app.bot), host=settings.web_host, port=settings.web_port
    )
    try:
        await server.start()
    except OSError as exc:  # the bot is worth more than its web pages: it runs on
        logger.error(
            "web platform cannot listen on %s:%s (%s); the bot runs without it",
            settings.web_host,
            settings.web_port,
            exc.strerror or exc,
        )
        return
    if settings.web_url is None and settings.web_port == 0:  # tests, the demo: a free port
        runtime.services.settings = settings.model_copy(update={"web_url": server.url})
    app.bot_data[WEB_KEY] = server


def web_server_of(app: AnyApp) -> Any:
    """The running web platform of an Application, or None (ENVOYBOT_WEB_PORT unset)."""
    return app.bot_data.get(WEB_KEY)


async def _post_shutdown(app: AnyApp) -> None:
    runtime: Runtime = app.bot_data[RUNTIME_KEY]
    server = app.bot_data.pop(WEB_KEY, None)
    if server is not None:
        await server.stop()
    await runtime.services.db.close()
    logger.info("envoybot stopped")


def build_application(
    settings: Settings,
    *,
    clock: Clock | None = None,
    token: str | None = None,
    webhook: bool = False,
) -> AnyApp:
    """Wire settings, database, persistence, update order, sender, handlers and the clock.

    With ``webhook`` the updates come from Telegram's POSTs, each answered once handled."""
    from handlers import register
    from handlers.errors import on_error

    db = Database(settings.db)
    if settings.instance:
        db.instance = settings.instance
    services = Services(settings=settings, clock=clock or SystemClock(), db=db)
    # on a server every update in progress holds a connection: as many as the pool has
    processor = ChatOrderedProcessor(max_chats=SESSIONS if db.shared else 64)
    persistence = SQLitePersistence(db, update_interval=30)
    builder = (
        ApplicationBuilder()
        .token(token or settings.require_token())
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)
            )
        )
        .concurrent_updates(processor)
        .persistence(persistence)
        .post_init(_post_init)
        .post_stop(_post_stop)
        .post_shutdown(_post_shutdown)
        .request(AiohttpRequest(connections=CONNECTIONS))
        .get_updates_request(AiohttpRequest(connections=1, read_timeout=35))
    )
    if webhook:
        builder = builder.update_queue(AckedQueue(processor))
    if settings.telegram_base_url:
        builder = builder.base_url(settings.telegram_base_url).base_file_url(
            settings.telegram_base_file_url or file_url_for(settings.telegram_base_url)
        )
    app = builder.build()
    notices = Notices(services)
    sender = Sender(
        app.bot, services.outbox, Pacer(settings.send_rate), services.clock, shared=db.shared
    )
    runtime = Runtime(services, sender, notices)
    dispatch = Dispatch(runtime)
    reminders = ReminderService(services, notices, dispatch)
    dispatch.reminders = reminders
    sender.on_forbidden = reminders.on_forbidden
    services.notices = notices
    services.dispatch = dispatch
    app.bot_data[RUNTIME_KEY] = runtime
    app.bot_data[REMINDERS_KEY] = reminders
    processor.persist = app.update_persistence
    processor.state = UpdateState(app, persistence, db, services.clock, marks=webhook)
    processor.flush = sender.submit
    processor.process = app.process_update
    register(app)
    app.add_error_handler(on_error)
    return app


async def wait_for_telegram(settings: Settings) -> int:
    """Before polling: a rejected token is one line and exit 2; no route is retried calmly."""
    lang = settings.default_lang
    kwargs: dict[str, Any] = {}
    if settings.telegram_base_url:
        kwargs["base_url"] = settings.telegram_base_url
    delay = FIRST_RETRY
    while True:
        bot = Bot(settings.require_token(), **kwargs)
        try:
            async with bot:
                print(plain(lang, "run-connected", username=bot.username), file=sys.stderr)
                return 0
        except InvalidToken:
            print(plain(lang, "run-token-rejected"), file=sys.stderr)
            return 2
        except (NetworkError, OSError) as exc:
            reason = str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__
            print(
                plain(lang, "run-unreachable", reason=reason, seconds=round(delay)),
                file=sys.stderr,
            )
            await asyncio.sleep(delay)
            delay = min(MAX_RETRY, delay * 2)


def run_polling(settings: Settings) -> int:
    """Production entry: long polling until Ctrl-C / SIGTERM; the process's exit code."""
    code = asyncio.run(wait_for_telegram(settings))
    if code:
        return code
    app = build_application(settings)
    app.post_init = _post_init_process  # the whole process is this bot's (tests build many)
    app.run_polling(allowed_updates=Update.ALL_TYPES, drop_pending_updates=False)
    return 0


WEBHOOK_CONNECTIONS = 40  # Telegram's default: requests in flight to one webhook


def webhook_kwargs(settings: Settings) -> dict[str, Any]:
    """What PTB's start_webhook/run_webhook take, from the settings (the secret included)."""
    assert settings.webhook_url is not None
    return {
        "listen": settings.webhook_listen,
        "port": settings.webhook_port,
        "url_path": settings.webhook_path,
        "webhook_url": settings.webhook_url,
        "secret_token": settings.webhook_secret_token,
        "allowed_updates": Update.ALL_TYPES,
        "drop_pending_updates": False,
        "max_connections": WEBHOOK_CONNECTIONS,
    }


def run_webhook(settings: Settings) -> int:
    """Production entry behind a reverse proxy: Telegram POSTs each update to
    ENVOYBOT_WEBHOOK_URL (set on start; every instance sets the same); SIGTERM stops."""
    code = asyncio.run(wait_for_telegram(settings))
    if code:
        return code
    app = build_application(settings, webhook=True)
    app.post_init = _post_init_process
    logger.info(
        "webhook %s, listening on %s:%s/%s",
        settings.webhook_url,
        settings.webhook_listen,
        settings.webhook_port,
        settings.webhook_path,
    )
    app.run_webhook(**webhook_kwargs(settings))
    return 0
