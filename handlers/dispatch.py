"""Dispatching a problem to departments (派单), and a department's buttons on its dispatch.

An admin (or a lead, for a tier-2 problem of the team) picks departments, writes the note,
picks the deadline; a department person signs for the dispatch, reports progress, finishes
its part or returns it. Every press is authorised again on the server when it comes; a press
on a problem or dispatch the person may not see is answered like one that does not exist.
These steps share the actions conversation's one pending input (handlers/actions.py).
"""

from __future__ import annotations

import logging
import re
from dataclasses import asdict
from datetime import datetime, time
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ConversationHandler

from domain.dispatch import NOTE_REQUIRED, Step, decide_step, is_own, live_departments, may_dispatch
from domain.models import Actor, Problem
from domain.permissions import can_view
from handlers.common import (
    Context,
    answer,
    deny,
    edit_in_place,
    origin_of,
    prompt,
    prune_buttons,
    reply,
    svc,
    who,
)
from handlers.report import attachment_of
from storage.problems_repo import NewAttachment
from texts.callbacks import BadCallback, Cancel, DeptStep, DispatchPick
from texts.dispatch_views import (
    dispatch_state_label,
    due_from_choice,
    due_keyboard,
    picker_keyboard,
)
from texts.i18n import plain, t
from texts.views import local, state_label
from usecases.dispatch import DispatchOutcome, dispatch_problem, take_step

logger = logging.getLogger(__name__)

AWAIT_TEXT = 10  # the actions conversation's state (handlers/actions.py)
PROMPT = "action"
MAX_NOTE = 2000
MAX_FILES = 5
DRAFT = "dispatch"  # user_data: the dispatch being put together
NOTE_CODE = "dispatch-note"
DUE_CODE = "dispatch-due"
STEP_PREFIX = "dept-"
DATE_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:\s+(\d{1,2}):(\d{2}))?$")
DEFAULT_HOUR = time(18, 0)  # a date typed without a time: the end of that working day


def owns(code: str) -> bool:
    """Whether a pending input is one of this module's."""
    return code in (NOTE_CODE, DUE_CODE) or code.startswith(STEP_PREFIX)


def _cancel_row(lang: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(plain(lang, "btn-cancel"), callback_data=Cancel("act").pack())]]
    )


def _draft(context: Context) -> dict[str, Any] | None:
    data = context.user_data
    found = data.get(DRAFT) if data is not None else None
    return found if isinstance(found, dict) else None


def forget(context: Context) -> None:
    """The dispatch being put together is given up (cancelled, or another command)."""
    if context.user_data is not None:
        context.user_data.pop(DRAFT, None)


async def _dispatchable(
    update: Update, context: Context, actor: Actor | None, lang: str, problem_id: int
) -> Problem | None:
    """The problem if this actor may dispatch it now; else the refusal is answered."""
    if actor is None:
        deny(update, lang, "err-not-registered-short")
        return None
    problem = await svc(context).problems.get(problem_id)
    if problem is None or not can_view(actor, problem):
        logger.warning("refused dispatch of %s for %s: not visible", problem_id, actor.tg_user_id)
        deny(update, lang, "err-no-such-problem")
        return None
    reason = may_dispatch(actor, problem)
    if reason is not None:
        deny(update, lang, reason, state=state_label(lang, problem.state))
        return None
    return problem


async def _show_picker(
    update: Update, context: Context, lang: str, problem: Problem, chosen: list[int], *, edit: bool
) -> bool:
    s = svc(context)
    departments = await s.departments.list_departments()
    live = live_departments(await s.dispatches.for_problem(problem.id))
    if not [d for d in departments if d.id not in live]:
        deny(update, lang, "err-no-departments")
        return False
    markup = picker_keyboard(lang, problem, departments, chosen, live)
    text = t(lang, "ask-dispatch-departments", number=problem.number)
    answer(update)
    if edit:
        edit_in_place(update, text, markup)
    else:
        reply(update, text, reply_markup=markup)
    return True


async def on_pick(update: Update, context: Context) -> int | None:
    """A button of the dispatch picker: start, toggle a department, next, or a deadline."""
    query = update.callback_query
    assert query is not None
    actor, lang = await who(update, context)
    try:
        data = DispatchPick.unpack(query.data or "")
    except BadCallback:
        deny(update, lang, "err-stale-button")
        return ConversationHandler.END
    problem = await _dispatchable(update, context, actor, lang, data.problem_id)
    if problem is None or actor is None or context.user_data is None:
        return ConversationHandler.END
    draft = _draft(context)
    if draft is None or draft.get("problem_id") != problem.id or data.op == "start":
        draft = {"problem_id": problem.id, "chosen": []}
        context.user_data[DRAFT] = draft
    if data.op == "start":
        await _show_picker(update, context, lang, problem, [], edit=False)
        return None
    if data.op == "t":
        known = await svc(context).departments.names()
        chosen: list[int] = list(draft.get("chosen", []))
        if data.arg not in known:
            deny(update, lang, "err-pick-department")
            return None
        chosen = [d for d in chosen if d != data.arg] if data.arg in chosen else [*chosen, data.arg]
        draft["chosen"] = chosen
        await _show_picker(update, context, lang, problem, chosen, edit=True)
        return None
    if data.op == "next":
        if not draft.get("chosen"):
            deny(update, lang, "err-pick-department")
            return None
        answer(update)
        names = await svc(context).departments.names()
        picked = plain(lang, "stats-name-separator").join(
            names.get(d, "?") for d in draft["chosen"]
        )
        edit_in_place(update, t(lang, "dispatch-picked", number=problem.number, departments=picked))
        context.user_data["pending"] = {"code": NOTE_CODE, "problem_id": problem.id}
        prompt(
            update, t(lang, "ask-dispatch-note", number=problem.number), _cancel_row(lang), PROMPT
        )
        return AWAIT_TEXT
    if data.op == "due":
        pending = context.user_data.get("pending") or {}
        if pending.get("code") != DUE_CODE or not draft.get("note"):
            deny(update, lang, "err-stale-button")
            return None
        s = svc(context)
        due = due_from_choice(problem, data.arg, s.clock.now())
        return await _dispatch(update, context, actor, lang, problem, draft, due)
    deny(update, lang, "err-stale-button")
    return None


async def _dispatch(
    update: Update,
    context: Context,
    actor: Actor,
    lang: str,
    problem: Problem,
    draft: dict[str, Any],
    due: datetime | None,
) -> int:
    s = svc(context)
    outcome = await dispatch_problem(
        s,
        actor,
        problem.id,
        [int(d) for d in draft.get("chosen", [])],
        note=str(draft.get("note") or ""),
        due_at=due,
        origin=origin_of(update, lang),
    )
    if not outcome.ok:
        if outcome.reason == "err-due-past":
            deny(update, lang, "err-due-past")
            return AWAIT_TEXT
        finish(update, context)
        deny(update, lang, _reason(outcome), state=_state(lang, outcome))
        return ConversationHandler.END
    answer(update)
    finish(update, context)
    return ConversationHandler.END


def _reason(outcome: DispatchOutcome) -> str:
    return outcome.reason or "err-not-allowed"


def _state(lang: str, outcome: DispatchOutcome) -> str:
    if outcome.dispatches:
        return dispatch_state_label(lang, outcome.dispatches[0].state)
    return state_label(lang, outcome.problem.state) if outcome.problem else ""


def finish(update: Update, context: Context) -> None:
    """The awaited input is in (or given up): forget it and the draft; the question's button
    goes (the actions conversation's own rule)."""
    from handlers.actions import _finish

    _finish(update, context)
    forget(context)


def parse_due(text: str, tz: Any) -> datetime | None:
    """A typed deadline: YYYY-MM-DD [HH:MM] in local time; None when it does not parse."""
    match = DATE_RE.match(text.strip())
    if match is None:
        return None
    year, month, day, hour, minute = match.groups()
    try:
        wall = time(int(hour), int(minute)) if hour is not None else DEFAULT_HOUR
        return datetime(int(year), int(month), int(day), wall.hour, wall.minute, tzinfo=tz)
    except ValueError:
        return None


async def on_step(update: Update, context: Context) -> int | None:
    """A department's button on its dispatch: sign at once, or ask for the note."""
    query = update.callback_query
    assert query is not None
    actor, lang = await who(update, context)
    try:
        data = DeptStep.unpack(query.data or "")
        step = Step(data.step)
    except (BadCallback, ValueError):
        deny(update, lang, "err-stale-button")
        return ConversationHandler.END
    if actor is None:
        deny(update, lang, "err-not-registered-short")
        return ConversationHandler.END
    s = svc(context)
    dispatch = await s.dispatches.get(data.dispatch_id)
    problem = await s.problems.get(dispatch.problem_id) if dispatch else None
    if dispatch is None or problem is None or not can_view(actor, problem):
        logger.warning("refused %s on dispatch %s for %s", step, data.dispatch_id, actor.tg_user_id)
        deny(update, lang, "err-no-such-problem")
        return ConversationHandler.END
    if not is_own(actor, dispatch):
        deny(update, lang, "err-no-such-problem")
        return ConversationHandler.END
    probe = decide_step(actor, problem, dispatch, step, note="-")
    if not probe.allowed:
        state = (
            state_label(lang, problem.state)
            if probe.reason == "err-wrong-state"
            else dispatch_state_label(lang, dispatch.state)
        )
        deny(update, lang, probe.reason or "err-not-allowed", state=state)
        prune_buttons(update, lambda raw: not DeptStep.matches(raw))
        return ConversationHandler.END
    if step in NOTE_REQUIRED:
        if context.user_data is not None:
            code = f"{STEP_PREFIX}{step.value}"
            context.user_data["pending"] = {"code": code, "dispatch_id": dispatch.id, "files": []}
        answer(update)
        prompt(
            update,
            t(lang, f"ask-dept-{step.value}", number=problem.number),
            _cancel_row(lang),
            PROMPT,
        )
        return AWAIT_TEXT
    outcome = await take_step(s, actor, dispatch.id, step, origin=origin_of(update, lang))
    if not outcome.ok:
        deny(update, lang, _reason(outcome), state=_state(lang, outcome))
        return ConversationHandler.END
    answer(update)
    return ConversationHandler.END


async def on_input(
    update: Update, context: Context, actor: Actor, lang: str, pending: dict[str, Any]
) -> int:
    """The note, deadline or department answer this module asked for."""
    message = update.effective_message
    assert message is not None
    code = str(pending["code"])
    text = (message.text or message.caption or "").strip()
    has_file = bool(message.photo or message.document)
    if len(text) > MAX_NOTE:
        reply(update, t(lang, "err-note-too-long", maximum=MAX_NOTE, length=len(text)))
        return AWAIT_TEXT
    if code == NOTE_CODE:
        return await _on_note(update, context, lang, text, has_file)
    if code == DUE_CODE:
        return await _on_due(update, context, actor, lang, text)
    return await _on_answer(update, context, actor, lang, pending, text)


async def _on_note(update: Update, context: Context, lang: str, text: str, has_file: bool) -> int:
    draft = _draft(context)
    if draft is None or context.user_data is None:
        finish(update, context)
        reply(update, t(lang, "err-nothing-pending"))
        return ConversationHandler.END
    if has_file or not text:
        reply(update, t(lang, "err-text-expected"))
        return AWAIT_TEXT
    draft["note"] = text
    s = svc(context)
    problem = await s.problems.get(int(draft["problem_id"]))
    if problem is None:
        finish(update, context)
        reply(update, t(lang, "err-no-such-problem"))
        return ConversationHandler.END
    context.user_data["pending"] = {"code": DUE_CODE, "problem_id": problem.id}
    now = s.clock.now()
    tz = s.settings.zone
    prompt(
        update,
        t(lang, "ask-dispatch-due", number=problem.number, example=local(now, tz)[:10]),
        due_keyboard(lang, problem, now, tz),
        PROMPT,
    )
    return AWAIT_TEXT


async def _on_due(update: Update, context: Context, actor: Actor, lang: str, text: str) -> int:
    draft = _draft(context)
    s = svc(context)
    if draft is None:
        finish(update, context)
        reply(update, t(lang, "err-nothing-pending"))
        return ConversationHandler.END
    due = parse_due(text, s.settings.zone)
    if due is None:
        today = local(s.clock.now(), s.settings.zone)[:10]
        reply(update, t(lang, "err-bad-due", example=today))
        return AWAIT_TEXT
    problem = await s.problems.get(int(draft["problem_id"]))
    if problem is None or may_dispatch(actor, problem) is not None:
        finish(update, context)
        reply(update, t(lang, "err-no-such-problem"))
        return ConversationHandler.END
    return await _dispatch(update, context, actor, lang, problem, draft, due)


async def _on_answer(
    update: Update,
    context: Context,
    actor: Actor,
    lang: str,
    pending: dict[str, Any],
    text: str,
) -> int:
    message = update.effective_message
    assert message is not None
    try:
        step = Step(str(pending["code"])[len(STEP_PREFIX) :])
    except ValueError:
        finish(update, context)
        return ConversationHandler.END
    files: list[dict[str, Any]] = list(pending.get("files") or [])
    if message.photo or message.document:
        if step is not Step.DONE:
            reply(update, t(lang, "err-text-expected"))
            return AWAIT_TEXT
        found = attachment_of(message)
        if isinstance(found, str):
            reply(update, t(lang, found))
            return AWAIT_TEXT
        if len(files) >= MAX_FILES:
            reply(update, t(lang, "dept-files-full", maximum=MAX_FILES))
            return AWAIT_TEXT
        files.append(asdict(found))
        pending["files"] = files
        if not text:
            reply(update, t(lang, "dept-file-kept", count=len(files)))
            return AWAIT_TEXT
    elif not text:
        reply(update, t(lang, "err-text-expected"))
        return AWAIT_TEXT
    outcome = await take_step(
        svc(context),
        actor,
        int(pending["dispatch_id"]),
        step,
        note=text,
        attachments=[NewAttachment(**f) for f in files],
        origin=origin_of(update, lang),
    )
    finish(update, context)
    if not outcome.ok:
        reply(update, t(lang, _reason(outcome), state=_state(lang, outcome)))
    return ConversationHandler.END
