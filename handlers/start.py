"""/start with invite codes, /help, /language, and friendly answers to everything else."""

from __future__ import annotations

import logging
import re

from telegram import ChatMemberUpdated, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatMemberStatus
from telegram.ext import (
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from domain.models import Actor
from handlers.common import (
    Context,
    answer,
    clear_buttons,
    deny,
    prune_buttons,
    reply,
    rt,
    svc,
    who,
)
from handlers.keyboards import HELP_BUTTON_RE, main_keyboard
from handlers.unsupported import unsupported_kind, unsupported_text
from storage.invites_repo import RedeemOutcome
from texts.callbacks import BadCallback, LangPick, ReportStep
from texts.i18n import LANGS, pick_lang, plain, t

logger = logging.getLogger(__name__)

CODE_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
# /start pr_2026_0042: a link from the agenda sheet opens that problem (never an invite code,
# which is 16 characters long)
PROBLEM_LINK_RE = re.compile(r"^pr_(\d{4})_(\d{1,6})$")


def _role_help(lang: str, actor: Actor | None) -> str:
    if actor is None:
        return t(lang, "help-guest")
    return t(lang, f"help-{actor.role.value}")


async def cmd_start(update: Update, context: Context) -> None:
    """Redeem `/start <code>` or greet with what this account can do."""
    actor, lang = await who(update, context)
    user = update.effective_user
    assert user is not None
    code = (context.args or [""])[0].strip() if context.args else ""
    if not code:
        if actor is None:
            logger.info("/start from unbound user %s", user.id)  # how an operator finds the id
            reply(update, t(lang, "start-guest") + "\n\n" + t(lang, "start-your-id", id=user.id))
        else:
            reply(
                update,
                t(lang, "start-welcome-back", name=user.full_name)
                + "\n\n"
                + _role_help(lang, actor),
                reply_markup=main_keyboard(lang, actor),
            )
        return
    link = PROBLEM_LINK_RE.match(code)
    if link is not None:
        from handlers.problems import open_number

        if actor is None:
            reply(update, t(lang, "err-not-registered"))
            return
        await open_number(update, context, actor, lang, f"{link.group(1)}-{link.group(2)}")
        return
    if actor is not None:
        reply(update, t(lang, "invite-already_bound"), reply_markup=main_keyboard(lang, actor))
        return
    if len(code) > 64 or not set(code) <= CODE_CHARS:
        reply(update, t(lang, "invite-unknown"))
        return
    s = svc(context)
    result = await s.invites.redeem(
        code,
        user.id,
        user.full_name,
        pick_lang(user.language_code, s.settings.default_lang),
        s.clock.now(),
    )
    outcome = result.outcome
    if outcome is not RedeemOutcome.OK:
        reply(update, t(lang, f"invite-{outcome.value}"))
        return
    actor, lang = await who(update, context)
    assert actor is not None
    department = ""
    if actor.department_id is not None:
        found = await s.departments.get(actor.department_id)
        department = found.name if found else ""
    reply(
        update,
        t(lang, f"invite-ok-{actor.role.value}", name=user.full_name, department=department)
        + "\n\n"
        + _role_help(lang, actor),
        reply_markup=main_keyboard(lang, actor),
    )


async def cmd_help(update: Update, context: Context) -> None:
    actor, lang = await who(update, context)
    reply(update, _role_help(lang, actor), reply_markup=main_keyboard(lang, actor))


async def cmd_language(update: Update, context: Context) -> None:
    _, lang = await who(update, context)
    buttons = [
        InlineKeyboardButton(plain(code, "lang-name"), callback_data=LangPick(code).pack())
        for code in LANGS
    ]
    reply(update, t(lang, "language-choose"), reply_markup=InlineKeyboardMarkup([buttons]))


async def on_language(update: Update, context: Context) -> None:
    actor, lang = await who(update, context)
    query = update.callback_query
    assert query is not None
    try:
        picked = LangPick.unpack(query.data or "").code
    except BadCallback:
        picked = ""
    if picked not in LANGS:
        deny(update, lang, "err-stale-button")
        return
    answer(update)
    if actor is None:
        reply(update, t(picked, "language-guest"))
        return
    await svc(context).accounts.set_lang(actor.tg_user_id, picked)
    clear_buttons(update)
    reply(update, t(picked, "language-set"), reply_markup=main_keyboard(picked, actor))


async def cmd_cancel(update: Update, context: Context) -> None:
    _, lang = await who(update, context)
    reply(update, t(lang, "cancel-nothing"))


async def unknown_command(update: Update, context: Context) -> None:
    _, lang = await who(update, context)
    reply(update, t(lang, "err-unknown-command"))


async def unknown_input(update: Update, context: Context) -> None:
    """Text, stickers, files outside any conversation: explain what the bot understands."""
    actor, lang = await who(update, context)
    kind = unsupported_kind(update.effective_message)
    if actor is None:
        text = t(lang, "start-guest")
    elif kind is None:
        text = t(lang, "err-unknown-input")
    else:
        text = t(lang, "input-what-next")
    if kind is not None:
        text = unsupported_text(lang, kind) + "\n\n" + text
    reply(update, text, reply_markup=main_keyboard(lang, actor))


async def stale_button(update: Update, context: Context) -> None:
    """A button nothing handles now: say so; that message loses its buttons of the same kind."""
    _, lang = await who(update, context)
    query = update.callback_query
    data = query.data if query is not None and query.data else ""
    key = "report-stale-button" if ReportStep.matches(data) else "err-stale-button"
    deny(update, lang, key)
    kind = data.split(":", 1)[0]
    prune_buttons(update, lambda other: other.split(":", 1)[0] != kind)


async def on_member(update: Update, context: Context) -> None:
    """Blocked → unreachable; unblocked → reachable again (SPEC §7)."""
    change: ChatMemberUpdated | None = update.my_chat_member
    if change is None:
        return
    status = change.new_chat_member.status
    reachable = status not in (ChatMemberStatus.BANNED, ChatMemberStatus.LEFT)
    account = await svc(context).accounts.get(change.from_user.id)
    if account is None:
        return
    changed = await svc(context).accounts.set_reachable(account.tg_user_id, reachable)
    logger.info("account %s reachable=%s", account.tg_user_id, reachable)
    if changed and not reachable:
        runtime = rt(context)
        notice = await runtime.notices.unreachable_notice(account)
        runtime.sender.submit(await runtime.services.outbox.add(notice, svc(context).clock.now()))


def handlers() -> list[object]:
    return [
        CommandHandler("start", cmd_start),
        CommandHandler("help", cmd_help),
        MessageHandler(filters.Regex(HELP_BUTTON_RE), cmd_help),
        CommandHandler("language", cmd_language),
        CallbackQueryHandler(on_language, pattern=LangPick.pattern()),
        CommandHandler("cancel", cmd_cancel),
    ]


def fallbacks() -> list[object]:
    """Last in the group: anything not handled elsewhere gets an answer, never silence."""
    return [
        MessageHandler(filters.COMMAND, unknown_command),
        MessageHandler(filters.ALL, unknown_input),
        CallbackQueryHandler(stale_button),
        ChatMemberHandler(on_member, ChatMemberHandler.MY_CHAT_MEMBER),
    ]
