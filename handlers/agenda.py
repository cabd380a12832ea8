"""/agenda: the dispatch meeting's list (问题分办会议), one tap to dispatch, and the sheet."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatAction
from telegram.ext import CommandHandler

from domain.colours import colour
from domain.models import Role
from handlers.common import Context, chat_action, file_message, reply, send, svc, who
from reporting.agenda_xlsx import agenda_workbook
from texts.callbacks import DispatchPick
from texts.dispatch_views import dispatch_state_label
from texts.i18n import plain, t
from texts.views import category_label, event_line, tier_label
from usecases.agenda import AgendaItem, agenda_items

logger = logging.getLogger(__name__)

SHOWN = 15  # problems described in the message; the sheet has them all
BUTTONS = 20


def _describe(lang: str, index: int, item: AgendaItem, context: Context) -> str:
    s = svc(context)
    now = s.clock.now()
    p = item.problem
    lines = [
        t(
            lang,
            "agenda-line",
            index=index,
            colour=colour(p.state, p.due_at, p.registered_at, now),
            number=p.number,
            enterprise=p.enterprise_name,
            category=category_label(lang, p.category),
            tier=tier_label(lang, p.tier),
            days=f"{item.days_open:.1f}",
        )
    ]
    if item.dispatches:
        involved = plain(lang, "stats-name-separator").join(
            plain(
                lang,
                "agenda-department",
                department=d.department_name,
                state=dispatch_state_label(lang, d.state),
            )
            for d in item.dispatches
        )
        lines.append(t(lang, "agenda-line-departments", departments=involved))
    if item.last_steps:
        last = event_line(lang, item.last_steps[-1], s.settings.zone).split("\n", 1)[0]
        lines.append(t(lang, "agenda-line-step") + " " + last)
    return "\n".join(lines)


async def cmd_agenda(update: Update, context: Context) -> None:
    """Admins: open tier-3 and overdue tier-2 problems, oldest first; each a Dispatch button."""
    actor, lang = await who(update, context)
    if actor is None or actor.role is not Role.ADMIN:
        reply(update, t(lang, "err-admin-only"))
        return
    s = svc(context)
    now = s.clock.now()
    tz = s.settings.zone
    items = await agenda_items(s.problems, s.dispatches, now)
    if not items:
        reply(update, t(lang, "agenda-empty"))
        return
    parts = [t(lang, "agenda-head", count=len(items))]
    parts += [_describe(lang, i, item, context) for i, item in enumerate(items[:SHOWN], 1)]
    if len(items) > SHOWN:
        parts.append(t(lang, "agenda-more", count=len(items) - SHOWN))
    buttons = [
        [
            InlineKeyboardButton(
                plain(lang, "btn-agenda-dispatch", number=item.problem.number),
                callback_data=DispatchPick("start", item.problem.id).pack(),
            )
        ]
        for item in items[:BUTTONS]
    ]
    reply(update, "\n\n".join(parts), reply_markup=InlineKeyboardMarkup(buttons))
    await chat_action(update, ChatAction.UPLOAD_DOCUMENT)
    data = agenda_workbook(items, now=now, tz=tz, lang=lang, bot_username=context.bot.username)
    name = plain(lang, "agenda-filename", date=now.astimezone(tz).strftime("%Y%m%d"))
    caption = t(lang, "agenda-caption", count=len(items))
    chat = update.effective_chat
    assert chat is not None
    send(update, [file_message(chat.id, "sendDocument", data, name, caption)])


def handlers() -> list[object]:
    return [CommandHandler("agenda", cmd_agenda)]
