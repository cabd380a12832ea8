"""Small helpers every handler uses: services, the acting user, language, replies."""

from __future__ import annotations

import logging
from typing import Any

from telegram import Message, Update
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from domain.models import Actor
from texts.i18n import pick_lang, plain, t
from usecases.services import Services, services_of

logger = logging.getLogger(__name__)

TG_TEXT_LIMIT = 4096
Context = ContextTypes.DEFAULT_TYPE


def svc(context: Context) -> Services:
    return services_of(context.application)


async def who(update: Update, context: Context) -> tuple[Actor | None, str]:
    """Load the acting user's role and scope from the database, now, and their language."""
    s = svc(context)
    user = update.effective_user
    if user is None:
        return None, s.settings.default_lang
    account = await s.accounts.get(user.id)
    if account is None and user.id in s.settings.admins:
        account = await s.accounts.ensure_admin(
            user.id, user.full_name, pick_lang(user.language_code), s.clock.now()
        )
    if account is not None and account.lang:
        lang = account.lang
    else:
        lang = pick_lang(user.language_code, s.settings.default_lang)
    actor = await s.accounts.load_actor(user.id, s.settings.admins, account) if account else None
    return actor, lang


def split_text(text: str, limit: int = TG_TEXT_LIMIT) -> list[str]:
    """Cut long HTML on line boundaries so no part exceeds Telegram's limit."""
    if len(text) <= limit:
        return [text]
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:  # a single huge line: cut hard (lines carry no open tags)
            if current:
                parts.append(current)
                current = ""
            parts.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            parts.append(current)
            current = line
        else:
            current = candidate
    if current:
        parts.append(current)
    return parts


async def reply(update: Update, text: str, **kwargs: Any) -> Message | None:
    """Answer in the chat of the update, splitting long text; markup goes on the last part."""
    message = update.effective_message
    chat = update.effective_chat
    if chat is None:
        return None
    parts = split_text(text)
    markup = kwargs.pop("reply_markup", None)
    sent: Message | None = None
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        if message is not None and update.callback_query is None:
            sent = await message.reply_text(
                part, reply_markup=markup if last else None, do_quote=False, **kwargs
            )
        else:
            sent = await chat.send_message(part, reply_markup=markup if last else None, **kwargs)
    return sent


async def edit_in_place(message: Message, text: str, markup: Any = None) -> None:
    """Edit a list or card where it stands; pressing the same page twice is not an error."""
    try:
        await message.edit_text(text, reply_markup=markup)
    except BadRequest as exc:
        if "not modified" not in exc.message.lower():
            raise


async def deny(update: Update, lang: str, key: str = "err-not-allowed", **kwargs: Any) -> None:
    """Refuse politely: as a callback alert when it was a button, else as a message."""
    query = update.callback_query
    if query is not None:
        await query.answer(plain(lang, key, **kwargs)[:200], show_alert=True)
        return
    await reply(update, t(lang, key, **kwargs))
