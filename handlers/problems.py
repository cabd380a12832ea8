"""/my, /inbox, /overdue, /problem: colour-coded lists and the problem card with timeline."""

from __future__ import annotations

import logging
import re
from typing import Any

from telegram import Message, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from domain.dispatch import own_dispatch
from domain.models import Actor, Problem, Role
from domain.permissions import can_view
from domain.visibility import sees_current_state, visible_dispatches, visible_events
from handlers.common import Context, answer, deny, edit_in_place, reply, svc, who
from handlers.keyboards import INBOX_BUTTON_RE, MY_BUTTON_RE
from texts.callbacks import BadCallback, ListPage, ProblemView
from texts.dispatch_views import (
    department_card,
    department_keyboard,
    department_list_line,
    dispatch_section,
)
from texts.i18n import t
from texts.views import (
    LIST_PAGE,
    list_keyboard,
    problem_detail,
    problem_keyboard,
    problem_line,
    timeline,
)

logger = logging.getLogger(__name__)

NUMBER_RE = re.compile(r"^№?\s*(\d{4})-(\d{1,6})$")


async def _list(
    update: Update, context: Context, actor: Actor, lang: str, kind: str, page: int
) -> None:
    s = svc(context)
    now = s.clock.now()
    tz = s.settings.zone
    offset = page * LIST_PAGE
    if kind == "my":
        if actor.enterprise_id is None:
            deny(update, lang, "err-my-staff-only")
            return
        problems, total = await s.problems.for_enterprise(
            actor.enterprise_id, limit=LIST_PAGE, offset=offset
        )
        head, empty = "my-head", "my-empty"
    elif actor.role is Role.DEPARTMENT:
        if kind != "inbox" or actor.department_id is None:
            deny(update, lang, "err-department-inbox")
            return
        await _department_list(update, context, actor, lang, page)
        return
    else:
        scope: list[int] | None
        if actor.role is Role.ADMIN:
            scope = None
        elif actor.role in (Role.ENVOY, Role.LEAD):
            scope = sorted(actor.enterprise_ids | actor.team_enterprise_ids)
        else:
            deny(update, lang, "err-inbox-envoy-only")
            return
        overdue = now if kind == "overdue" else None
        if kind == "overdue" and actor.role is Role.ENVOY:
            deny(update, lang, "err-overdue-lead-only")
            return
        problems, total = await s.problems.open_for_scope(
            enterprise_ids=scope,
            envoy_id=actor.envoy_id,
            limit=LIST_PAGE,
            offset=offset,
            overdue_before=overdue,
        )
        head, empty = f"{kind}-head", f"{kind}-empty"
    if total == 0:
        text = t(lang, empty)
    else:
        pages = -(-total // LIST_PAGE)
        lines = [problem_line(lang, p, now, tz) for p in problems]
        text = t(lang, head, total=total, page=page + 1, pages=pages) + "\n\n" + "\n".join(lines)
    markup = list_keyboard(lang, kind, problems, page, total)
    query = update.callback_query
    if query is not None and isinstance(query.message, Message):
        answer(update)
        edit_in_place(update, text, markup)
        return
    reply(update, text, reply_markup=markup)


def _list_command(kind: str) -> Any:
    """/my, /inbox and /overdue: the first page of that list for a bound account."""

    async def command(update: Update, context: Context) -> None:
        actor, lang = await who(update, context)
        if actor is None:
            reply(update, t(lang, "err-not-registered"))
            return
        await _list(update, context, actor, lang, kind, 0)

    return command


cmd_my = _list_command("my")
cmd_inbox = _list_command("inbox")
cmd_overdue = _list_command("overdue")


async def on_list_page(update: Update, context: Context) -> None:
    actor, lang = await who(update, context)
    query = update.callback_query
    assert query is not None
    try:
        data = ListPage.unpack(query.data or "")
    except BadCallback:
        deny(update, lang, "err-stale-button")
        return
    if actor is None or data.kind not in ("my", "inbox", "overdue") or data.page < 0:
        deny(update, lang, "err-not-allowed")
        return
    await _list(update, context, actor, lang, data.kind, data.page)


async def _department_list(
    update: Update, context: Context, actor: Actor, lang: str, page: int
) -> None:
    """A department's /inbox: its dispatches still to answer, nearest deadline first."""
    assert actor.department_id is not None
    s = svc(context)
    now = s.clock.now()
    tz = s.settings.zone
    dispatches, total = await s.dispatches.live_for_department(
        actor.department_id, limit=LIST_PAGE, offset=page * LIST_PAGE
    )
    problems: list[Problem] = []
    lines: list[str] = []
    for d in dispatches:
        problem = await s.problems.get(d.problem_id)
        if problem is not None:
            problems.append(problem)
            lines.append(department_list_line(lang, d, problem, now, tz))
    if total == 0:
        text = t(lang, "department-inbox-empty")
    else:
        pages = -(-total // LIST_PAGE)
        text = t(lang, "department-inbox-head", total=total, page=page + 1, pages=pages)
        text += "\n\n" + "\n".join(lines)
    markup = list_keyboard(lang, "inbox", problems, page, total)
    query = update.callback_query
    if query is not None and isinstance(query.message, Message):
        answer(update)
        edit_in_place(update, text, markup)
        return
    reply(update, text, reply_markup=markup)


async def show_problem(
    update: Update,
    context: Context,
    actor: Actor,
    lang: str,
    problem_id: int,
    page: int,
    *,
    edit: bool,
) -> None:
    """Card (page < 0) or card plus one timeline page, with the viewer's action buttons."""
    s = svc(context)
    problem = await s.problems.get(problem_id)
    if problem is None or not can_view(actor, problem):
        deny(update, lang, "err-no-such-problem")
        return
    now = s.clock.now()
    tz = s.settings.zone
    dispatches = await s.dispatches.for_problem(problem.id) if problem.department_ids else []
    own = own_dispatch(actor, dispatches) if actor.role is Role.DEPARTMENT else None
    if own is not None:
        current = sees_current_state(actor, dispatches)
        text = department_card(lang, problem, own, now, tz, current=current)
        shown = visible_dispatches(actor, dispatches)
        if current and len(shown) > 1:
            text += "\n\n" + dispatch_section(lang, shown, now, tz)
    else:
        text = problem_detail(lang, problem, now, tz)
        if dispatches:
            text += "\n\n" + dispatch_section(lang, dispatches, now, tz)
    pages = 1
    if page >= 0:
        events = visible_events(actor, await s.problems.events(problem.id), dispatches)
        body, pages = timeline(lang, events, tz, page)
        page = min(page, pages - 1)
        text += "\n\n" + body
    shown_page = page if page >= 0 else None
    if own is not None:
        markup = department_keyboard(
            lang, actor, problem, own, timeline_page=shown_page, pages=pages
        )
    else:
        markup = problem_keyboard(lang, actor, problem, timeline_page=shown_page, pages=pages)
    query = update.callback_query
    if edit and query is not None and isinstance(query.message, Message) and query.message.text:
        answer(update)
        edit_in_place(update, text, markup)
        return
    if query is not None:
        answer(update)
    reply(update, text, reply_markup=markup)


async def cmd_problem(update: Update, context: Context) -> None:
    actor, lang = await who(update, context)
    if actor is None:
        reply(update, t(lang, "err-not-registered"))
        return
    args = context.args or []
    match = NUMBER_RE.match(" ".join(args).strip()) if args else None
    if match is None:
        reply(update, t(lang, "problem-usage"))
        return
    await open_number(update, context, actor, lang, f"{match.group(1)}-{match.group(2)}")


async def open_number(
    update: Update, context: Context, actor: Actor, lang: str, typed: str
) -> None:
    """The card and timeline of the problem of that number, if this viewer may see it."""
    year, serial = typed.split("-", 1)
    number = f"{year}-{int(serial):04d}"
    problem = await svc(context).problems.by_number(number)
    if problem is None or not can_view(actor, problem):
        reply(update, t(lang, "err-no-such-number", number=number))
        return
    await show_problem(update, context, actor, lang, problem.id, 0, edit=False)


async def on_view(update: Update, context: Context) -> None:
    actor, lang = await who(update, context)
    query = update.callback_query
    assert query is not None
    try:
        data = ProblemView.unpack(query.data or "")
    except BadCallback:
        deny(update, lang, "err-stale-button")
        return
    if actor is None:
        deny(update, lang, "err-not-allowed")
        return
    await show_problem(update, context, actor, lang, data.problem_id, data.page, edit=True)


def handlers() -> list[object]:
    return [
        CommandHandler("my", cmd_my),
        MessageHandler(filters.Regex(MY_BUTTON_RE), cmd_my),
        CommandHandler("inbox", cmd_inbox),
        MessageHandler(filters.Regex(INBOX_BUTTON_RE), cmd_inbox),
        CommandHandler("overdue", cmd_overdue),
        CommandHandler("problem", cmd_problem),
        CallbackQueryHandler(on_view, pattern=ProblemView.pattern()),
        CallbackQueryHandler(on_list_page, pattern=ListPage.pattern()),
    ]
