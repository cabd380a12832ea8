"""Buttons that act on a problem; actions needing a note ask for it, then re-check and apply."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from domain.lifecycle import Action, Decision, decide
from domain.models import Actor, Problem
from domain.permissions import Relation, can_view, relation
from handlers.common import (
    Context,
    answer,
    clear_buttons,
    clear_prompt,
    deny,
    origin_of,
    prompt,
    prune_buttons,
    reply,
    run_again,
    svc,
    who,
)
from handlers.report import attachment_of
from handlers.unsupported import UNSUPPORTED, unsupported_prefix
from texts.callbacks import BadCallback, Cancel, DeptStep, DispatchPick, ProblemAct
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
# The question waiting for a note or a comment: its Cancel/Skip button goes once answered.
PROMPT = "action"


def _probe(actor: Actor, problem: Problem, data: ProblemAct) -> Decision:
    """Whether the pressed action is open to this actor now (a note still to come counts)."""
    action = CODES[data.action]
    return decide(
        actor,
        problem,
        action,
        tier=data.arg if action is Action.ACCEPT else None,
        note="-" if data.action in NEEDS_TEXT else None,
        rating=data.arg if action is Action.RATE else None,
    )


def _open(decision: Decision, action: Action) -> bool:
    """Allowed, or a reassignment whose envoy is picked next (the team is checked then)."""
    return decision.allowed or (action is Action.REASSIGN and decision.reason == "err-other-team")


def _still_open(actor: Actor, problem: Problem) -> Callable[[str], bool]:
    """For pruning a message: keep every button but actions on this problem closed to the actor."""

    def keep(raw: str) -> bool:
        try:
            data = ProblemAct.unpack(raw)
            action = CODES[data.action]
        except (BadCallback, KeyError):
            return True
        return data.problem_id != problem.id or _open(_probe(actor, problem, data), action)

    return keep


def _refuse_stale(update: Update, lang: str, actor: Actor, problem: Problem, reason: str) -> None:
    """Answer at once with why, and take the now-wrong buttons off the pressed message."""
    deny(update, lang, reason, state=state_label(lang, problem.state))
    prune_buttons(update, _still_open(actor, problem))


def _ask(update: Update, lang: str, key: str, button: str, what: str, **kwargs: Any) -> None:
    """The question for a note or a comment, with its Cancel/Skip button."""
    markup = InlineKeyboardMarkup(
        [[InlineKeyboardButton(plain(lang, button), callback_data=Cancel(what).pack())]]
    )
    prompt(update, t(lang, key, **kwargs), markup, PROMPT)


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
    probe = _probe(actor, problem, data)
    if not _open(probe, action):
        _refuse_stale(update, lang, actor, problem, probe.reason or "err-not-allowed")
        return ConversationHandler.END
    if data.action in NEEDS_TEXT:
        if context.user_data is not None:
            context.user_data["pending"] = {"code": data.action, "problem_id": problem.id}
        answer(update)
        _ask(update, lang, f"ask-{data.action}", "btn-cancel", "act", number=problem.number)
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
        if outcome.problem is not None:
            prune_buttons(update, _still_open(actor, outcome.problem))
        return ConversationHandler.END
    answer(update)
    if action is Action.RATE and context.user_data is not None:
        context.user_data["pending"] = {"code": "comment", "problem_id": problem.id}
        _ask(update, lang, "ask-comment", "btn-skip", "comment")
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
    from handlers import dispatch

    if dispatch.owns(code):
        return await dispatch.on_input(update, context, actor, lang, pending)
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
        _finish(update, context)
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
        _finish(update, context)
        reply(
            update,
            t(
                lang,
                outcome.reason or "err-not-allowed",
                state=state_label(lang, outcome.problem.state) if outcome.problem else "",
            ),
        )
        return ConversationHandler.END
    _finish(update, context)
    return ConversationHandler.END


def _finish(update: Update, context: Context) -> dict[str, Any] | None:
    """The awaited note is in (or given up): forget it, and its question loses its button."""
    clear_prompt(update, PROMPT)
    if context.user_data is None:
        return None
    context.user_data.pop("dispatch", None)  # a dispatch being put together goes with it
    pending: dict[str, Any] | None = context.user_data.pop("pending", None)
    return pending


async def on_unsupported(update: Update, context: Context) -> int:
    """Voice, video, a sticker… while a note is awaited: say what is accepted, keep waiting."""
    _, lang = await who(update, context)
    pending = context.user_data.get("pending") if context.user_data else None
    text = unsupported_prefix(lang, update.effective_message)
    if not (pending and pending.get("code") == "info"):
        text += t(lang, "err-text-expected")
    reply(update, text.strip())
    return AWAIT_TEXT


async def on_cancel(update: Update, context: Context) -> int:
    _, lang = await who(update, context)
    pending = _finish(update, context)
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
    pending = _finish(update, context)
    if not (pending and pending.get("code") == "comment"):
        clear = t(lang, "action-abandoned")
        reply(update, clear)
    run_again(update, context)
    return ConversationHandler.END


def conversation() -> ConversationHandler[Any]:
    from handlers import dispatch

    presses: list[CallbackQueryHandler[Any, Any]] = [
        CallbackQueryHandler(on_press, pattern=ProblemAct.pattern()),
        CallbackQueryHandler(dispatch.on_pick, pattern=DispatchPick.pattern()),
        CallbackQueryHandler(dispatch.on_step, pattern=DeptStep.pattern()),
    ]
    return ConversationHandler(
        entry_points=list(presses),
        states={
            AWAIT_TEXT: [
                *presses,
                CallbackQueryHandler(on_cancel, pattern=Cancel.pattern()),
                CommandHandler("cancel", on_cancel),
                MessageHandler(UNSUPPORTED, on_unsupported),
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
