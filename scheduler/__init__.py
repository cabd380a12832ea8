"""The 137 clock: reminders planned in the database and sent through PTB's JobQueue."""

from __future__ import annotations

from typing import Any

from delivery.notify import notifier_of
from scheduler.reminders import ReminderService
from usecases.services import Services

SCHEDULER_KEY = "envoybot.reminders"


def install(app: Any, services: Services) -> ReminderService:
    """Create the reminder service, replan on every change, start it in post_init."""
    service = ReminderService(services, notifier_of(app))
    app.bot_data[SCHEDULER_KEY] = service
    services.extras.setdefault("change_listeners", []).append(service.on_change)
    services.extras.setdefault("post_init", []).append(service.start)
    services.extras.setdefault("post_shutdown", []).append(service.stop)
    return service


def reminders_of(app: Any) -> ReminderService:
    found = app.bot_data.get(SCHEDULER_KEY)
    assert isinstance(found, ReminderService)
    return found
