"""Run the real Application in this event loop against a given Bot API (tests, demo)."""

from __future__ import annotations

import logging
from typing import Any

from telegram import Update

from bot.app import AnyApp, build_application, webhook_kwargs
from bot.config import Settings
from delivery.runtime import Runtime, runtime_of
from domain.clock import Clock
from scheduler import reminders_of
from usecases.services import Services

logger = logging.getLogger(__name__)


class LocalBot:
    """Start/stop the Application the way run_polling does, without owning the event loop."""

    def __init__(self, settings: Settings, *, clock: Clock | None = None) -> None:
        self.settings = settings
        self.clock = clock
        self.app: AnyApp | None = None

    @property
    def runtime(self) -> Runtime:
        assert self.app is not None
        return runtime_of(self.app)

    @property
    def services(self) -> Services:
        return self.runtime.services

    async def settle(self, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        """Wait until every queued message has left (tests and the demo clock)."""
        await self.runtime.sender.idle(timeout)

    async def start(self) -> AnyApp:
        """Poll, or with ENVOYBOT_WEBHOOK_URL set take the updates as a webhook."""
        webhook = self.settings.webhook_url is not None
        app = build_application(self.settings, clock=self.clock, webhook=webhook)
        self.app = app
        await runtime_of(app).services.db.ensure_open()
        await app.initialize()
        if app.post_init is not None:
            await app.post_init(app)
        await app.start()
        assert app.updater is not None
        if webhook:
            await app.updater.start_webhook(**webhook_kwargs(self.settings))
        else:
            await app.updater.start_polling(
                poll_interval=0, timeout=5, allowed_updates=Update.ALL_TYPES
            )
        await reminders_of(app).caught_up.wait()  # deterministic for tests and the demo
        return app

    async def stop(self) -> None:
        """Graceful stop: finish polling, flush persistence, close the database."""
        app = self.app
        if app is None:
            return
        self.app = None
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
            if app.post_stop is not None:
                await app.post_stop(app)
        await app.shutdown()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)

    async def __aenter__(self) -> LocalBot:
        await self.start()
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.stop()
