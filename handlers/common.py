"""Small helpers every handler uses: services, the acting user, language, replies."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from telegram import CallbackQuery, InlineKeyboardMarkup, Message, Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from delivery.notices import edit_or_send, text_messages
from delivery.runtime import Runtime, runtime_of
from domain.models import Actor
from domain.outgoing import TO_ACTOR, Outgoing, Queued
from texts.i18n import pick_lang, plain, t
from usecases.ports import Origin
from usecases.services import Services

logger = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE


class Outbound(list[Queued]):
    """What one update's handlers send: delivered after the update's conversation step is
    saved. Closed once delivered: a task the update started and that runs on afterwards
    sends straight to the sender instead of into a box nobody reads any more."""

    closed = False


OUTBOUND: ContextVar[Outbound | None] = ContextVar("envoybot_outbound", default=None)
ANSWER_TIMEOUT = 5.0
_answers: set[asyncio.Task[Any]] = set()


def svc(context: Context) -> Services:
    return runtime_of(context.application).services


def rt(context: Context) -> Runtime:
    return runtime_of(context.application)


def queue(items: list[Queued], fallback: Runtime | None = None) -> None:
    """Into this update's outbound box; outside an update straight to the sender."""
    box = OUTBOUND.get()
    if box is not None and not box.closed:
        box.extend(items)
    elif fallback is not None:
        fallback.sender.submit(items)
    else:
        raise RuntimeError("nothing to deliver through outside an update")


def send(update: Update, messages: list[Outgoing]) -> None:
    """Queue replies that no change owes; they go out once this update is saved."""
    del update
    queue([Queued(m) for m in messages])


def origin_of(update: Update, lang: str) -> Origin | None:
    """The actor's chat and the message whose button they pressed, for owed replies."""
    chat = update.effective_chat
    if chat is None:
        return None
    query = update.callback_query
    message_id = None
    if query is not None and isinstance(query.message, Message):
        message_id = query.message.message_id
    return Origin(chat.id, message_id, lang)


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
    if account is not None and not account.reachable:
        await s.accounts.set_reachable(user.id, True)  # they write to us: they can be reached
    if account is not None and account.lang:
        lang = account.lang
    else:
        lang = pick_lang(user.language_code, s.settings.default_lang)
    actor = await s.accounts.load_actor(user.id, s.settings.admins, account) if account else None
    return actor, lang


def reply(update: Update, text: str, **kwargs: Any) -> None:
    """Answer in the chat of the update (split when long); markup goes on the last part."""
    chat = update.effective_chat
    if chat is None:
        return
    markup = kwargs.pop("reply_markup", None)
    messages = text_messages(chat.id, text, markup, priority=TO_ACTOR)
    if kwargs:
        for m in messages:
            m.params.update(kwargs)
    send(update, messages)


def pressed_message(update: Update) -> Message | None:
    query = update.callback_query
    if query is not None and isinstance(query.message, Message):
        return query.message
    return None


def edit_in_place(update: Update, text: str, markup: Any = None) -> None:
    """Replace the pressed message (a list page, a card); a new message when it is gone."""
    message = pressed_message(update)
    chat = update.effective_chat
    if chat is None:
        return
    send(update, edit_or_send(chat.id, message.message_id if message else None, text, markup))


def clear_buttons(update: Update) -> None:
    """The step is over: the pressed message loses its buttons (no stale presses)."""
    message = pressed_message(update)
    if message is None or message.reply_markup is None:
        return
    send(
        update,
        [
            Outgoing(
                message.chat.id,
                "editMessageReplyMarkup",
                {"message_id": message.message_id},
                TO_ACTOR,
            )
        ],
    )


def prompt(update: Update, text: str, markup: Any, label: str) -> None:
    """A prompt whose keyboard is the only live one of its kind: the previous one's go first."""
    chat = update.effective_chat
    if chat is None:
        return
    *head, last = text_messages(chat.id, text, markup, priority=TO_ACTOR)
    items = [_unlabel(update, chat.id, label), *(Queued(m) for m in head)]
    queue([*items, Queued(last, meta={"label": label})])


def clear_prompt(update: Update, label: str) -> None:
    """The prompt's step is over (answered, cancelled): its buttons go."""
    chat = update.effective_chat
    if chat is not None:
        queue([_unlabel(update, chat.id, label)])


def _unlabel(update: Update, chat_id: int, label: str) -> Queued:
    """Remove the labelled message's buttons; a pressed one is spared: its handler sees to it."""
    pressed = pressed_message(update)
    meta: dict[str, Any] = {"at_label": label}
    if pressed is not None:
        meta["spare"] = pressed.message_id
    return Queued(Outgoing(chat_id, "editMessageReplyMarkup", {}, TO_ACTOR), meta=meta)


def prune_buttons(update: Update, keep: Callable[[str], bool]) -> None:
    """Drop the pressed message's buttons that no longer make sense and leave the others.

    Nothing happens unless the pressed button is on that message (a forged press changes
    no message), or when every button is to stay."""
    message = pressed_message(update)
    query = update.callback_query
    if message is None or query is None or message.reply_markup is None:
        return
    rows = message.reply_markup.inline_keyboard
    if query.data not in [b.callback_data for row in rows for b in row]:
        return
    kept = [
        [b for b in row if b.callback_data is None or keep(str(b.callback_data))] for row in rows
    ]
    kept = [row for row in kept if row]
    if sum(map(len, kept)) == sum(map(len, rows)):
        return
    params: dict[str, Any] = {"message_id": message.message_id}
    if kept:
        params["reply_markup"] = InlineKeyboardMarkup(kept).to_dict()
    send(update, [Outgoing(message.chat.id, "editMessageReplyMarkup", params, TO_ACTOR)])


def answer(update: Update, text: str | None = None, *, alert: bool = False) -> None:
    """Answer a button press at once and best effort: never paced, never decides anything."""
    query = update.callback_query
    if query is None:
        return
    task = asyncio.get_running_loop().create_task(_answer(query, text, alert))
    _answers.add(task)
    task.add_done_callback(_answers.discard)


async def _answer(query: CallbackQuery, text: str | None, alert: bool) -> None:
    try:
        await query.answer(
            text[:200] if text else None,
            show_alert=alert,
            read_timeout=ANSWER_TIMEOUT,
            write_timeout=ANSWER_TIMEOUT,
            connect_timeout=ANSWER_TIMEOUT,
        )
    except TelegramError as exc:
        logger.debug("answerCallbackQuery failed (%s); the press still counts", exc)


def deny(update: Update, lang: str, key: str = "err-not-allowed", **kwargs: Any) -> None:
    """Refuse politely: as a callback alert when it was a button, else as a message."""
    if update.callback_query is not None:
        answer(update, plain(lang, key, **kwargs), alert=True)
        return
    reply(update, t(lang, key, **kwargs))


def file_message(chat_id: int, method: str, data: bytes, filename: str, caption: str) -> Outgoing:
    """A generated file (export, chart) as a reply: uploaded, paced like any message."""
    return Outgoing(
        chat_id, method, {"caption": caption, "filename": filename}, TO_ACTOR, upload=data
    )


async def chat_action(update: Update, action: str) -> None:
    """ "Sending a file…" in the chat header: cosmetic, so failures are ignored."""
    chat = update.effective_chat
    if chat is None:
        return
    try:
        await chat.send_action(action, read_timeout=ANSWER_TIMEOUT)
    except TelegramError as exc:
        logger.debug("sendChatAction failed: %s", exc)


def run_again(update: Update, context: Context) -> bool:
    """Hand the update back to run once more after this one: a command that ended a prompt
    or a finished conversation runs as a command instead of being swallowed."""
    from bot.updates import ChatOrderedProcessor

    processor = context.application.update_processor
    return isinstance(processor, ChatOrderedProcessor) and processor.resubmit(update)
