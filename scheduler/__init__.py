"""The 137 clock: reminders planned from the database and sent by PTB's JobQueue."""

from __future__ import annotations

from typing import Any

from bot.services import Services


def install(app: Any, services: Services) -> None:
    """Hook the reminder scheduler into the Application (filled in by the clock module)."""
    try:
        from scheduler.clock import install as install_clock
    except ImportError:
        return
    install_clock(app, services)
