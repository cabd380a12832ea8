"""The one error handler: every unexpected failure is logged once and the user reassured."""

from __future__ import annotations

import logging

from telegram import Update

from handlers.common import Context, answer, reply
from texts.i18n import pick_lang, t

logger = logging.getLogger(__name__)


async def on_error(update: object, context: Context) -> None:
    """Log with the update id and user; tell the user in their language nothing was lost."""
    error = context.error
    if not isinstance(update, Update):
        logger.error("background work failed: %s", error, exc_info=error)
        return
    user = update.effective_user
    logger.error(
        "update %s from user %s failed: %s",
        update.update_id,
        user.id if user else None,
        error,
        exc_info=error,
    )
    lang = pick_lang(user.language_code if user else None)
    if update.callback_query is not None:
        answer(update)
    if update.effective_chat is not None:
        reply(update, t(lang, "err-unexpected"))
