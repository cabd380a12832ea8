"""The 137 clock: reminders planned in the database and turned into owed messages."""

from __future__ import annotations

from typing import Any

from scheduler.reminders import ReminderService

REMINDERS_KEY = "envoybot.reminders"


def reminders_of(app: Any) -> ReminderService:
    """The clock of an Application built by bot.app.build_application."""
    found = app.bot_data.get(REMINDERS_KEY)
    assert isinstance(found, ReminderService)
    return found
