"""/web: a one-time link that signs this account in to the web platform (云平台)."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import CommandHandler

from handlers.common import Context, reply, svc, who
from texts.i18n import t
from usecases.web_access import WebAccess

logger = logging.getLogger(__name__)


async def cmd_web(update: Update, context: Context) -> None:
    actor, lang = await who(update, context)
    if actor is None:
        reply(update, t(lang, "err-not-registered"))
        return
    s = svc(context)
    if not s.settings.web_enabled:
        reply(update, t(lang, "web-off"))
        return
    link = await WebAccess(s).issue_link(actor.tg_user_id)
    if link.url is None:
        assert link.retry_at is not None
        at = link.retry_at.astimezone(s.settings.zone).strftime("%H:%M")
        reply(update, t(lang, "web-link-too-many", at=at))
        return
    reply(update, t(lang, "web-link", url=link.url, minutes=link.minutes))


def handlers() -> list[object]:
    return [CommandHandler("web", cmd_web)]
