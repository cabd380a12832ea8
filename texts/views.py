"""Render problems, lists and timelines as HTML in the viewer's language."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from domain.colours import colour
from domain.dispatch import may_dispatch
from domain.lifecycle import Action, allowed_actions
from domain.models import Actor, Event, Problem, State
from domain.reminders import round_duration
from texts.callbacks import DispatchPick, ListPage, ProblemAct, ProblemView
from texts.i18n import Markup, plain, t

TIMELINE_PAGE = 8
TG_TEXT_LIMIT = 4096
LIST_PAGE = 10


def local(when: datetime | None, tz: ZoneInfo) -> str:
    if when is None:
        return "—"
    return when.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def category_label(lang: str, code: str) -> str:
    return plain(lang, f"category-{code}")


def state_label(lang: str, state: State) -> str:
    return plain(lang, f"state-{state.value}")


def tier_label(lang: str, tier: int | None) -> str:
    return plain(lang, f"tier-{tier}") if tier else plain(lang, "tier-none")


def duration(lang: str, delta: timedelta) -> str:
    """A short, rounded 'N days M hours' for time left or overdue; a zero part is left out."""
    days, hours, minutes = round_duration(delta)
    if days:
        if not hours:
            return plain(lang, "dur-days", days=days)
        return plain(lang, "dur-days-hours", days=days, hours=hours)
    if hours:
        if not minutes:
            return plain(lang, "dur-hours", hours=hours)
        return plain(lang, "dur-hours-minutes", hours=hours, minutes=minutes)
    return plain(lang, "dur-minutes", minutes=minutes)


def deadline_text(lang: str, problem: Problem, now: datetime, tz: ZoneInfo) -> str:
    if not problem.state.is_open:
        return t(lang, "deadline-was", due=local(problem.due_at, tz))
    left = problem.due_at - now
    if left.total_seconds() < 0:
        return t(lang, "deadline-overdue", due=local(problem.due_at, tz), by=duration(lang, left))
    return t(lang, "deadline-left", due=local(problem.due_at, tz), left=duration(lang, left))


def problem_line(lang: str, problem: Problem, now: datetime, tz: ZoneInfo) -> str:
    """One list row: colour, number, enterprise, category, state, due."""
    return t(
        lang,
        "list-line",
        colour=colour(problem.state, problem.due_at, problem.registered_at, now),
        number=problem.number,
        enterprise=problem.enterprise_name,
        category=category_label(lang, problem.category),
        state=state_label(lang, problem.state),
        due=local(problem.due_at, tz),
    )


def problem_detail(lang: str, problem: Problem, now: datetime, tz: ZoneInfo) -> str:
    """The problem card shown by /problem and in notifications."""
    text = t(
        lang,
        "problem-card",
        colour=colour(problem.state, problem.due_at, problem.registered_at, now),
        number=problem.number,
        enterprise=problem.enterprise_name,
        category=category_label(lang, problem.category),
        state=state_label(lang, problem.state),
        tier=tier_label(lang, problem.tier),
        envoy=problem.envoy_name or plain(lang, "envoy-unassigned"),
        registered=local(problem.registered_at, tz),
        deadline=Markup(deadline_text(lang, problem, now, tz)),
        description=problem.description,
    )
    if problem.satisfaction:
        text += "\n" + t(
            lang, "problem-rating", stars="★" * problem.satisfaction, comment=problem.comment or ""
        )
    return text


def event_action(lang: str, event: Event) -> str:
    """What a step was, naming its department ("派单（海关）"): the chat's and the web's words."""
    action = plain(lang, f"action-{event.action}")
    if event.department_name:
        key = "event-department-internal" if event.internal else "event-department"
        action = plain(lang, key, action=action, department=event.department_name)
    return action


def event_line(lang: str, event: Event, tz: ZoneInfo) -> str:
    actor = event.actor_name or plain(lang, "actor-system")
    role = plain(lang, f"role-{event.actor_role}") if event.actor_role else ""
    moved = ""
    if event.from_state and event.to_state and event.from_state != event.to_state:
        moved = plain(
            lang,
            "event-moved",
            src=state_label(lang, event.from_state),
            dst=state_label(lang, event.to_state),
        )
    action = event_action(lang, event)
    line = t(
        lang,
        "event-line",
        at=local(event.at, tz),
        action=action,
        actor=actor,
        role=role,
        moved=moved,
    )
    if event.note:
        line += "\n" + t(lang, "event-note", note=event.note)
    if event.attachments:
        line += "\n" + t(lang, "event-files", count=len(event.attachments))
    return line


def timeline(lang: str, events: Sequence[Event], tz: ZoneInfo, page: int) -> tuple[str, int]:
    """One page of the timeline, oldest first, and the number of pages."""
    pages = max(1, -(-len(events) // TIMELINE_PAGE))
    page = min(max(page, 0), pages - 1)
    chunk = events[page * TIMELINE_PAGE : (page + 1) * TIMELINE_PAGE]
    head = t(lang, "timeline-head", page=page + 1, pages=pages)
    body = "\n\n".join(event_line(lang, e, tz) for e in chunk)
    return f"{head}\n{body}", pages


def action_buttons(lang: str, actor: Actor, problem: Problem) -> list[list[InlineKeyboardButton]]:
    """The buttons for what this viewer may do with this problem right now."""
    rows: list[list[InlineKeyboardButton]] = []
    pid = problem.id
    allowed = allowed_actions(actor, problem)
    if Action.ACCEPT in allowed:
        rows.append(
            [
                InlineKeyboardButton(
                    plain(lang, "btn-accept-tier", tier=tier),
                    callback_data=ProblemAct("accept", pid, tier).pack(),
                )
                for tier in (1, 2, 3)
            ]
        )
    simple = [
        (Action.NOTE, "note", "btn-note"),
        (Action.ESCALATE, "escalate", "btn-escalate"),
        (Action.RESOLVE, "resolve", "btn-resolve"),
        (Action.CONFIRM, "confirm", "btn-confirm"),
        (Action.REJECT, "reject", "btn-reject"),
        (Action.ADD_INFO, "info", "btn-info"),
        (Action.REASSIGN, "reassign", "btn-reassign"),
        (Action.WITHDRAW, "withdraw", "btn-withdraw"),
    ]
    row: list[InlineKeyboardButton] = []
    for action, code, key in simple:
        if action in allowed:
            row.append(
                InlineKeyboardButton(plain(lang, key), callback_data=ProblemAct(code, pid).pack())
            )
            if len(row) == 2:
                rows.append(row)
                row = []
    if row:
        rows.append(row)
    if Action.RATE in allowed:
        rows.append(rating_row(problem))
    if may_dispatch(actor, problem) is None:
        rows.append(
            [
                InlineKeyboardButton(
                    plain(lang, "btn-dispatch"),
                    callback_data=DispatchPick("start", pid).pack(),
                )
            ]
        )
    return rows


def rating_row(problem: Problem) -> list[InlineKeyboardButton]:
    """1⭐ … 5⭐, the same wherever the enterprise is asked to rate."""
    return [
        InlineKeyboardButton(f"{n}⭐", callback_data=ProblemAct("rate", problem.id, n).pack())
        for n in range(1, 6)
    ]


def problem_keyboard(
    lang: str, actor: Actor, problem: Problem, *, timeline_page: int | None = None, pages: int = 1
) -> InlineKeyboardMarkup:
    rows = action_buttons(lang, actor, problem)
    rows.append(nav_row(lang, problem, timeline_page, pages))
    return InlineKeyboardMarkup(rows)


def nav_row(
    lang: str, problem: Problem, timeline_page: int | None, pages: int
) -> list[InlineKeyboardButton]:
    """Timeline (or its page arrows) and refresh, under every card."""
    nav: list[InlineKeyboardButton] = []
    if timeline_page is None:
        nav.append(
            InlineKeyboardButton(
                plain(lang, "btn-timeline"), callback_data=ProblemView(problem.id, 0).pack()
            )
        )
    else:
        if timeline_page > 0:
            nav.append(
                InlineKeyboardButton(
                    "◀", callback_data=ProblemView(problem.id, timeline_page - 1).pack()
                )
            )
        if timeline_page + 1 < pages:
            nav.append(
                InlineKeyboardButton(
                    "▶", callback_data=ProblemView(problem.id, timeline_page + 1).pack()
                )
            )
    nav.append(
        InlineKeyboardButton(
            plain(lang, "btn-refresh"), callback_data=ProblemView(problem.id, -1).pack()
        )
    )
    return nav


def list_keyboard(
    lang: str, kind: str, problems: Sequence[Problem], page: int, total: int
) -> InlineKeyboardMarkup | None:
    """A button per listed problem plus page arrows."""
    rows = [
        [InlineKeyboardButton(f"№{p.number}", callback_data=ProblemView(p.id, -1).pack())]
        for p in problems
    ]
    pages = max(1, -(-total // LIST_PAGE))
    nav: list[InlineKeyboardButton] = []
    if page > 0:
        nav.append(InlineKeyboardButton("◀", callback_data=ListPage(kind, page - 1).pack()))
    if page + 1 < pages:
        nav.append(InlineKeyboardButton("▶", callback_data=ListPage(kind, page + 1).pack()))
    if nav:
        rows.append(nav)
    return InlineKeyboardMarkup(rows) if rows else None


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
