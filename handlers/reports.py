"""/stats with period and breakdown buttons, /export (.xlsx) and /chart (PNG)."""

from __future__ import annotations

import logging
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatAction
from telegram.ext import CallbackQueryHandler, CommandHandler

from delivery.notices import text_messages
from domain.models import Role
from domain.outgoing import TO_ACTOR
from domain.stats import scope_for
from handlers.common import (
    Context,
    answer,
    chat_action,
    deny,
    edit_in_place,
    file_message,
    reply,
    rt,
    send,
    svc,
    who,
)
from reporting.figures import build_chart, build_export, build_figures, format_figures
from storage.stats_repo import count_problems
from texts.callbacks import BadCallback, StatsView
from texts.i18n import plain, t

logger = logging.getLogger(__name__)

PERIODS = ("week", "month", "all")
BREAKDOWNS = ("category", "tier", "team", "envoy", "department")


def _keyboard(lang: str, period: str, breakdown: str) -> InlineKeyboardMarkup:
    def mark(label: str, on: bool) -> str:
        return f"• {label} •" if on else label

    periods = [
        InlineKeyboardButton(
            mark(plain(lang, f"stats-period-{p}"), p == period),
            callback_data=StatsView(p, breakdown).pack(),
        )
        for p in PERIODS
    ]
    breakdowns = [
        InlineKeyboardButton(
            mark(plain(lang, f"stats-by-{b}"), b == breakdown),
            callback_data=StatsView(period, b).pack(),
        )
        for b in BREAKDOWNS
    ]
    return InlineKeyboardMarkup([periods, breakdowns[:2], breakdowns[2:]])


async def _stats_text(context: Context, actor: Any, lang: str, period: str, breakdown: str) -> str:
    s = svc(context)
    figures = await build_figures(s.db, scope_for(actor), period, s.clock.now(), s.settings.zone)
    return format_figures(figures, lang, html=True, only=breakdown)


async def cmd_stats(update: Update, context: Context) -> None:
    actor, lang = await who(update, context)
    if actor is None:
        reply(update, t(lang, "err-not-registered"))
        return
    first = "department" if actor.role is Role.DEPARTMENT else "category"
    text = await _stats_text(context, actor, lang, "all", first)
    reply(update, text, reply_markup=_keyboard(lang, "all", first))


async def on_stats_view(update: Update, context: Context) -> None:
    actor, lang = await who(update, context)
    query = update.callback_query
    assert query is not None
    try:
        view = StatsView.unpack(query.data or "")
    except BadCallback:
        view = StatsView("?", "?")
    if view.period not in PERIODS or view.breakdown not in BREAKDOWNS:
        deny(update, lang, "err-stale-button")
        return
    if actor is None:
        deny(update, lang, "err-not-registered-short")
        return
    answer(update)
    text = await _stats_text(context, actor, lang, view.period, view.breakdown)
    if isinstance(query.message, Message):
        edit_in_place(update, text, _keyboard(lang, view.period, view.breakdown))


async def cmd_export(update: Update, context: Context) -> None:
    """Leads get their team, admins everything; others are told who may export."""
    actor, lang = await who(update, context)
    if actor is None:
        reply(update, t(lang, "err-not-registered"))
        return
    if actor.role not in (Role.LEAD, Role.ADMIN):
        reply(update, t(lang, "err-export-lead-only"))
        return
    s = svc(context)
    scope = scope_for(actor)
    chat = update.effective_chat
    assert chat is not None
    # A big scope takes seconds: say so now, not together with the file after the handler.
    preparing = text_messages(chat.id, t(lang, "stats-export-preparing"), priority=TO_ACTOR)
    rt(context).sender.reply(preparing)
    await chat_action(update, ChatAction.UPLOAD_DOCUMENT)
    now = s.clock.now()
    data = await build_export(s.db, scope, now, s.settings.zone, lang)
    count = await count_problems(s.db, scope)
    name = plain(
        lang, "stats-export-filename", date=now.astimezone(s.settings.zone).strftime("%Y%m%d")
    )
    caption = t(lang, "stats-export-caption", count=count)
    send(update, [file_message(chat.id, "sendDocument", data, name, caption)])


async def cmd_chart(update: Update, context: Context) -> None:
    actor, lang = await who(update, context)
    if actor is None:
        reply(update, t(lang, "err-not-registered"))
        return
    s = svc(context)
    chat = update.effective_chat
    assert chat is not None
    await chat_action(update, ChatAction.UPLOAD_PHOTO)
    png = await build_chart(s.db, scope_for(actor), s.clock.now(), s.settings.zone, lang)
    name = plain(
        lang,
        "stats-chart-filename",
        date=s.clock.now().astimezone(s.settings.zone).strftime("%Y%m%d"),
    )
    send(update, [file_message(chat.id, "sendPhoto", png, name, t(lang, "chart-caption"))])


def handlers() -> list[object]:
    return [
        CommandHandler("stats", cmd_stats),
        CallbackQueryHandler(on_stats_view, pattern=StatsView.pattern()),
        CommandHandler("export", cmd_export),
        CommandHandler("chart", cmd_chart),
    ]
