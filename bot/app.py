"""The one place that builds the Application; post_init/post_shutdown own DB and scheduler."""

from __future__ import annotations

import logging
from typing import Any

from telegram import BotCommand, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, Defaults

from bot.config import Settings
from domain.clock import Clock, SystemClock
from storage.db import Database
from storage.persistence import SQLitePersistence
from texts.i18n import plain
from usecases.services import SERVICES_KEY, Services

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
    "invite",
    "import",
    "language",
    "help",
    "cancel",
)
AnyApp = Application[Any, Any, Any, Any, Any, Any]


def rate_limiter() -> AIORateLimiter:
    """One send every 1/29 s: evenly spaced under Telegram's 30/s, not bursts of 30 that
    meet flood control (benchmarks/bench_delivery.py: 33 → 0 answers 429 per 1,000)."""
    return AIORateLimiter(overall_max_rate=1, overall_time_period=1 / 29, max_retries=5)


def file_url_for(base_url: str) -> str:
    """Derive the file URL from a Bot API base URL (…/bot → …/file/bot)."""
    if base_url.endswith("/bot"):
        return base_url[: -len("/bot")] + "/file/bot"
    return base_url.rstrip("/") + "/file/bot"


async def _post_init(app: AnyApp) -> None:
    services: Services = app.bot_data[SERVICES_KEY]
    await services.db.ensure_open()
    for lang, code in (("zh", None), ("en", "en")):
        commands = [BotCommand(c, plain(lang, f"cmd-{c}")) for c in COMMANDS]
        try:
            await app.bot.set_my_commands(commands, language_code=code)
        except Exception:  # a cosmetic call must never stop the bot from starting
            logger.warning("setMyCommands failed", exc_info=True)
    for hook in services.extras.get("post_init", []):
        await hook(app)
    logger.info("envoybot started as @%s, database %s", app.bot.username, services.db.path)


async def _post_shutdown(app: AnyApp) -> None:
    services: Services = app.bot_data[SERVICES_KEY]
    for hook in services.extras.get("post_shutdown", []):
        await hook(app)
    await services.db.close()
    logger.info("envoybot stopped")


def build_application(
    settings: Settings, *, clock: Clock | None = None, token: str | None = None
) -> AnyApp:
    """Wire settings, database, persistence, rate limiter, handlers and scheduler."""
    db = Database(settings.db)
    services = Services(settings=settings, clock=clock or SystemClock(), db=db)
    builder = (
        ApplicationBuilder()
        .token(token or settings.require_token())
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)
            )
        )
        .rate_limiter(rate_limiter())
        .persistence(SQLitePersistence(db, update_interval=2))
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
        .connect_timeout(10)
        .read_timeout(15)
        .get_updates_read_timeout(35)
    )
    if settings.telegram_base_url:
        builder = builder.base_url(settings.telegram_base_url).base_file_url(
            settings.telegram_base_file_url or file_url_for(settings.telegram_base_url)
        )
    app = builder.build()
    app.bot_data[SERVICES_KEY] = services
    from handlers import register
    from scheduler import install as install_scheduler

    install_scheduler(app, services)
    register(app)
    return app


def run_polling(settings: Settings) -> None:
    """Production entry: long polling until Ctrl-C / SIGTERM."""
    app = build_application(settings)
    app.run_polling(allowed_updates=Update.ALL_TYPES, drop_pending_updates=False)
