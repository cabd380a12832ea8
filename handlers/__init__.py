"""Telegram handlers; register() is the one place that orders them."""

from __future__ import annotations

from typing import Any

from telegram.ext import Application, BaseHandler


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Conversations first, then commands and views, then the answers to everything else."""
    import warnings

    from telegram.warnings import PTBUserWarning

    from handlers import actions, admin, agenda, problems, report, reports, start, web

    # per_message=False is deliberate: a conversation follows the user, not one message
    warnings.filterwarnings("ignore", message="If 'per_message=False'", category=PTBUserWarning)

    ordered: list[Any] = [
        report.conversation(),
        actions.conversation(),
        admin.conversation(),
        *start.handlers(),
        *problems.handlers(),
        *reports.handlers(),
        *web.handlers(),
        *admin.handlers(),
        *agenda.handlers(),
        actions.stray_cancel(),
    ]
    ordered.extend(start.fallbacks())
    for handler in ordered:
        assert isinstance(handler, BaseHandler)
        app.add_handler(handler)
