"""Buttons that act on a problem; actions needing a note ask for it, then re-check and apply."""

from __future__ import annotations

import logging
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from domain.lifecycle import Action, decide
from domain.models import Actor, Problem
from domain.permissions import Relation, can_view, relation
from handlers.common import (
    Context,
    answer,
    clear_buttons,
    deny,
    origin_of,
    reply,
    run_again,
    svc,
    who,
)
from handlers.report import attachment_of
from texts.callbacks import BadCallback, Cancel, ProblemAct
from texts.i18n import plain, t
from texts.views import state_label
from usecases.workflow import Outcome, perform

logger = logging.getLogger(__name__)

AWAIT_TEXT = 10
CODES: dict[str, Action] = {
    "accept": Action.ACCEPT,
    "note": Action.NOTE,
    "escalate": Action.ESCALATE,
    "resolve": Action.RESOLVE,
    "confirm": Action.CONFIRM,
    "reject": Action.REJECT,
    "rate": Action.RATE,
    "info": Action.ADD_INFO,
    "reassign": Action.REASSIGN,
    "withdraw": Action.WITHDRAW,
}
NEEDS_TEXT = {"note", "escalate", "resolve", "reject", "info", "withdraw"}
MAX_NOTE = 2000


def _refusal(lang: str, outcome: Outcome) -> str:
    state = state_label(lang, outcome.problem.state) if outcome.problem else ""
    return plain(lang, outcome.reason or "err-not-allowed", state=state)


async def _reassign_choices(
    update: Update, context: Context, lang: str, actor: Actor, problem: Problem
) -> None:
    s = svc(context)
    if problem.team_id is None:
        deny(update, lang, "err-pick-envoy")
        return
    envoys = [e for e in await s.org.envoys_of_team(problem.team_id) if e.id != problem.envoy_id]
    if not envoys:
        deny(update, lang, "err-no-other-envoy")
        return
    rows = [
        [
            InlineKeyboardButton(
                e.name[:40], callback_data=ProblemAct("reassign", problem.id, e.id).pack()
            )
        ]
        for e in envoys[:50]
    ]
    rows.append(
        [InlineKeyboardButton(plain(lang, "btn-cancel"), callback_data=Cancel("act").pack())]
    )
    answer(update)
    reply(
        update,
        t(lang, "ask-reassign", number=problem.number),
        reply_markup=InlineKeyboardMarkup(rows),
    )


async def on_press(update: Update, context: Context) -> int:
    """Any action button: authorise now; act at once or ask for the note."""
    query = update.callback_query
    assert query is not None
    actor, lang = await who(update, context)
    try:
        data = ProblemAct.unpack(query.data or "")
        action = CODES[data.action]
    except (BadCallback, KeyError):
        deny(update, lang, "err-stale-button")
        return ConversationHandler.END
    if actor is None:
        deny(update, lang, "err-not-registered-short")
        return ConversationHandler.END
    s = svc(context)
    problem = await s.problems.get(data.problem_id)
    if problem is None or not can_view(actor, problem):
        logger.warning(
            "refused %s on %s for %s: not visible", data.action, data.problem_id, actor.tg_user_id
        )
        deny(update, lang, "err-no-such-problem")
        return ConversationHandler.END
    probe = decide(
        actor,
        problem,
        action,
        tier=data.arg if action is Action.ACCEPT else None,
        note="-" if data.action in NEEDS_TEXT else None,
        rating=data.arg if action is Action.RATE else None,
    )
    if not probe.allowed and not (action is Action.REASSIGN and probe.reason == "err-other-team"):
        deny(
            update, lang, probe.reason or "err-not-allowed", state=state_label(lang, problem.state)
        )
        return ConversationHandler.END
    if data.action in NEEDS_TEXT:
        if context.user_data is not None:
            context.user_data["pending"] = {"code": data.action, "problem_id": problem.id}
        answer(update)
        reply(
            update,
            t(lang, f"ask-{data.action}", number=problem.number),
            reply_markup=InlineKeyboardMarkup(
                [
                    [
                        InlineKeyboardButton(
                            plain(lang, "btn-cancel"), callback_data=Cancel("act").pack()
                        )
                    ]
                ]
            ),
        )
        return AWAIT_TEXT
    if action is Action.REASSIGN and data.arg == 0:
        await _reassign_choices(update, context, lang, actor, problem)
        return ConversationHandler.END
    outcome = await perform(
        s,
        actor,
        problem.id,
        action,
        tier=data.arg if action is Action.ACCEPT else None,
        rating=data.arg if action is Action.RATE else None,
        target_envoy_id=data.arg if action is Action.REASSIGN else None,
        origin=origin_of(update, lang),
        current=problem,
    )
    if not outcome.ok:
        answer(update, _refusal(lang, outcome), alert=True)
        return ConversationHandler.END
    answer(update)
    if action is Action.RATE and context.user_data is not None:
        context.user_data["pending"] = {"code": "comment", "problem_id": problem.id}
        reply(
            update,
            t(lang, "ask-comment"),
            reply_markup=InlineKeyboardMarkup(
                [
                    [
                        InlineKeyboardButton(
                            plain(lang, "btn-skip"), callback_data=Cancel("comment").pack()
                        )
                    ]
                ]
            ),
        )
        return AWAIT_TEXT
    return ConversationHandler.END


async def on_input(update: Update, context: Context) -> int:
    """The note / reason / information the pending action asked for."""
    actor, lang = await who(update, context)
    pending: dict[str, Any] | None = context.user_data.get("pending") if context.user_data else None
    message = update.effective_message
    if pending is None or actor is None or message is None:
        reply(update, t(lang, "err-nothing-pending"))
        return ConversationHandler.END
    code = str(pending["code"])
    problem_id = int(pending["problem_id"])
    s = svc(context)
    files = []
    text = (message.text or message.caption or "").strip()
    if message.photo or message.document:
        if code != "info":
            reply(update, t(lang, "err-text-expected"))
            return AWAIT_TEXT
        found = attachment_of(message)
        if isinstance(found, str):
            reply(update, t(lang, found))
            return AWAIT_TEXT
        files.append(found)
    elif not text:
        reply(update, t(lang, "err-text-expected"))
        return AWAIT_TEXT
    if len(text) > MAX_NOTE:
        reply(update, t(lang, "err-note-too-long", maximum=MAX_NOTE, length=len(text)))
        return AWAIT_TEXT
    if code == "comment":
        assert context.user_data is not None
        context.user_data.pop("pending", None)
        problem = await s.problems.get(problem_id)
        if problem is None or relation(actor, problem) is not Relation.REPORTER_ENTERPRISE:
            reply(update, t(lang, "err-not-allowed"))
            return ConversationHandler.END
        await s.problems.set_comment(problem, text, actor_tg_id=actor.tg_user_id, at=s.clock.now())
        reply(update, t(lang, "done-comment"))
        return ConversationHandler.END
    action = CODES[code]
    outcome = await perform(
        s,
        actor,
        problem_id,
        action,
        note=text or None,
        attachments=files,
        origin=origin_of(update, lang),
    )
    if not outcome.ok:
        if outcome.reason == "err-note-required":
            reply(update, t(lang, "err-note-required"))
            return AWAIT_TEXT
        assert context.user_data is not None
        context.user_data.pop("pending", None)
        reply(
            update,
            t(
                lang,
                outcome.reason or "err-not-allowed",
                state=state_label(lang, outcome.problem.state) if outcome.problem else "",
            ),
        )
        return ConversationHandler.END
    assert context.user_data is not None
    context.user_data.pop("pending", None)
    return ConversationHandler.END


async def on_cancel(update: Update, context: Context) -> int:
    _, lang = await who(update, context)
    pending = context.user_data.pop("pending", None) if context.user_data is not None else None
    if update.callback_query is not None:
        answer(update)
        clear_buttons(update)
    key = "comment-skipped" if pending and pending.get("code") == "comment" else "action-cancelled"
    reply(update, t(lang, key))
    return ConversationHandler.END


async def on_other_command(update: Update, context: Context) -> int:
    """A command while a note is awaited: drop the pending action, say so, run the command.

    The optional rating comment ends quietly: the command simply runs."""
    _, lang = await who(update, context)
    pending = context.user_data.pop("pending", None) if context.user_data is not None else None
    if not (pending and pending.get("code") == "comment"):
        clear = t(lang, "action-abandoned")
        reply(update, clear)
    run_again(update, context)
    return ConversationHandler.END


def conversation() -> ConversationHandler[Any]:
    return ConversationHandler(
        entry_points=[CallbackQueryHandler(on_press, pattern=ProblemAct.pattern())],
        states={
            AWAIT_TEXT: [
                CallbackQueryHandler(on_press, pattern=ProblemAct.pattern()),
                CallbackQueryHandler(on_cancel, pattern=Cancel.pattern()),
                CommandHandler("cancel", on_cancel),
                MessageHandler(
                    (filters.TEXT & ~filters.COMMAND) | filters.PHOTO | filters.Document.ALL,
                    on_input,
                ),
            ],
        },
        fallbacks=[
            CommandHandler("cancel", on_cancel),
            MessageHandler(filters.COMMAND, on_other_command),
        ],
        name="actions",
        persistent=True,
        allow_reentry=True,
    )


def stray_cancel() -> CallbackQueryHandler[Any, Any]:
    """Cancel/Skip pressed when nothing is pending (e.g. after a restart)."""
    return CallbackQueryHandler(on_cancel, pattern=Cancel.pattern())
