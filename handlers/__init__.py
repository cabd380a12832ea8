"""Telegram handlers; register() is the one place that orders them."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import Application, BaseHandler, TypeHandler

from storage.persistence import persist_now


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Conversations first, then commands and views, then the answers to everything else."""
    import warnings

    from telegram.warnings import PTBUserWarning

    from handlers import actions, admin, problems, report, reports, start

    # per_message=False is deliberate: a conversation follows the user, not one message
    warnings.filterwarnings("ignore", message="If 'per_message=False'", category=PTBUserWarning)

    ordered: list[Any] = [
        report.conversation(),
        actions.conversation(),
        admin.conversation(),
        *start.handlers(),
        *problems.handlers(),
        *reports.handlers(),
        *admin.handlers(),
        actions.stray_cancel(),
    ]
    extra = app.bot_data.get("envoybot.extra_handlers", [])
    ordered.extend(extra)
    ordered.extend(start.fallbacks())
    for handler in ordered:
        assert isinstance(handler, BaseHandler)
        app.add_handler(handler)
    # every conversation step is durable as soon as its handler returns (kill -9 safe)
    app.add_handler(TypeHandler(Update, persist_now), group=1000)
