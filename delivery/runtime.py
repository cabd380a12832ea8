"""The running parts handlers reach through the Application: services, sender, notices."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from delivery.notices import Notices
from delivery.sender import Sender
from usecases.services import Services

RUNTIME_KEY = "envoybot.runtime"


@dataclass(frozen=True, slots=True)
class Runtime:
    """Built once by bot.app.build_application and kept in bot_data."""

    services: Services
    sender: Sender
    notices: Notices


def runtime_of(application: Any) -> Runtime:
    found = application.bot_data.get(RUNTIME_KEY)
    if not isinstance(found, Runtime):
        raise RuntimeError("Application was not built by bot.app.build_application")
    return found
