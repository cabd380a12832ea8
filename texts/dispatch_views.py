"""Render dispatches: the lines on a problem card, a department's card, the pickers."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from domain.colours import colour
from domain.dispatch import Step, default_due, dispatch_colour, open_steps
from domain.models import Actor, Department, Dispatch, DispatchState, Problem
from texts.callbacks import Cancel, DeptStep, DispatchPick, ProblemView
from texts.i18n import Markup, plain, t
from texts.views import category_label, duration, local, nav_row, state_label

DUE_CHOICES_HOURS: tuple[int, ...] = (24, 72, 168)  # 1, 3 and 7 days from now
MAX_PICKER = 40


def dispatch_state_label(lang: str, state: DispatchState) -> str:
    return plain(lang, f"dispatch-state-{state.value}")


def dispatch_deadline(lang: str, dispatch: Dispatch, now: datetime, tz: ZoneInfo) -> str:
    """The department's deadline, with time left or overdue while it is live."""
    due = local(dispatch.due_at, tz)
    if not dispatch.state.is_live:
        return t(lang, "deadline-was", due=due)
    left = dispatch.due_at - now
    if left.total_seconds() < 0:
        return t(lang, "deadline-overdue", due=due, by=duration(lang, left))
    return t(lang, "deadline-left", due=due, left=duration(lang, left))


def dispatch_line(lang: str, dispatch: Dispatch, now: datetime, tz: ZoneInfo) -> str:
    """One department on a problem card: colour, name, state and what it answered."""
    line = t(
        lang,
        "dispatch-line",
        colour=dispatch_colour(dispatch, now).emoji,
        department=dispatch.department_name,
        state=dispatch_state_label(lang, dispatch.state),
        deadline=Markup(dispatch_deadline(lang, dispatch, now, tz)),
    )
    if dispatch.answer:
        line += "\n" + t(lang, "event-note", note=dispatch.answer)
    return line


def dispatch_section(lang: str, dispatches: Sequence[Dispatch], now: datetime, tz: ZoneInfo) -> str:
    """The departments working (or who worked) a problem, for its card; "" when none."""
    if not dispatches:
        return ""
    lines = [dispatch_line(lang, d, now, tz) for d in dispatches]
    return t(lang, "dispatch-section") + "\n" + "\n".join(lines)


def department_card(
    lang: str, problem: Problem, dispatch: Dispatch, now: datetime, tz: ZoneInfo, *, current: bool
) -> str:
    """The problem as a department sees it: its dispatch first; the problem's own state only
    while it may still follow the problem (``current``)."""
    text = t(
        lang,
        "department-card",
        colour=dispatch_colour(dispatch, now).emoji,
        number=problem.number,
        department=dispatch.department_name,
        enterprise=problem.enterprise_name,
        category=category_label(lang, problem.category),
        dstate=dispatch_state_label(lang, dispatch.state),
        deadline=Markup(dispatch_deadline(lang, dispatch, now, tz)),
        note=dispatch.note or "",
        description=problem.description,
    )
    if current:
        text += "\n" + t(
            lang,
            "department-card-problem",
            colour=colour(problem.state, problem.due_at, problem.registered_at, now),
            state=state_label(lang, problem.state),
            envoy=problem.envoy_name or plain(lang, "envoy-unassigned"),
        )
    if dispatch.answer:
        key = (
            "department-card-done"
            if dispatch.state is DispatchState.DONE
            else "department-card-returned"
        )
        text += "\n" + t(lang, key, answer=dispatch.answer)
    return text


_STEP_KEYS: dict[Step, str] = {
    Step.SIGN: "btn-dept-sign",
    Step.PROGRESS: "btn-dept-progress",
    Step.INTERNAL: "btn-dept-internal",
    Step.DONE: "btn-dept-done",
    Step.RETURN: "btn-dept-return",
}


def step_buttons(
    lang: str, actor: Actor, problem: Problem, dispatch: Dispatch
) -> list[list[InlineKeyboardButton]]:
    """The department's open steps, two to a row."""
    buttons = [
        InlineKeyboardButton(
            plain(lang, _STEP_KEYS[step]), callback_data=DeptStep(step.value, dispatch.id).pack()
        )
        for step in open_steps(actor, problem, dispatch)
    ]
    return [buttons[i : i + 2] for i in range(0, len(buttons), 2)]


def department_keyboard(
    lang: str,
    actor: Actor,
    problem: Problem,
    dispatch: Dispatch,
    *,
    timeline_page: int | None = None,
    pages: int = 1,
) -> InlineKeyboardMarkup:
    rows = step_buttons(lang, actor, problem, dispatch)
    rows.append(nav_row(lang, problem, timeline_page, pages))
    return InlineKeyboardMarkup(rows)


def picker_keyboard(
    lang: str,
    problem: Problem,
    departments: Sequence[Department],
    chosen: Collection[int],
    live: Collection[int],
) -> InlineKeyboardMarkup:
    """A toggle per department (those still working the problem are left out), then Next."""
    rows: list[list[InlineKeyboardButton]] = []
    for d in [d for d in departments if d.id not in live][:MAX_PICKER]:
        mark = "✅ " if d.id in chosen else ""
        rows.append(
            [
                InlineKeyboardButton(
                    f"{mark}{d.name}"[:60],
                    callback_data=DispatchPick("t", problem.id, d.id).pack(),
                )
            ]
        )
    rows.append(
        [
            InlineKeyboardButton(
                plain(lang, "btn-dispatch-next", count=len(chosen)),
                callback_data=DispatchPick("next", problem.id).pack(),
            ),
            InlineKeyboardButton(
                plain(lang, "btn-cancel"), callback_data=Cancel("dispatch").pack()
            ),
        ]
    )
    return InlineKeyboardMarkup(rows)


def due_keyboard(lang: str, problem: Problem, now: datetime, tz: ZoneInfo) -> InlineKeyboardMarkup:
    """The problem's own deadline (while ahead), or 1, 3 or 7 days from now."""
    rows: list[list[InlineKeyboardButton]] = []
    if default_due(problem, now) is not None:
        rows.append(
            [
                InlineKeyboardButton(
                    plain(lang, "btn-dispatch-due-problem", due=local(problem.due_at, tz)),
                    callback_data=DispatchPick("due", problem.id, 0).pack(),
                )
            ]
        )
    rows.append(
        [
            InlineKeyboardButton(
                plain(lang, "btn-dispatch-due-days", days=hours // 24),
                callback_data=DispatchPick("due", problem.id, hours).pack(),
            )
            for hours in DUE_CHOICES_HOURS
        ]
    )
    rows.append(
        [InlineKeyboardButton(plain(lang, "btn-cancel"), callback_data=Cancel("dispatch").pack())]
    )
    return InlineKeyboardMarkup(rows)


def due_from_choice(problem: Problem, hours: int, now: datetime) -> datetime | None:
    """The deadline a due button stands for (0: the problem's own, while ahead)."""
    if hours == 0:
        return default_due(problem, now)
    if hours not in DUE_CHOICES_HOURS:
        return None
    return now + timedelta(hours=hours)


def department_list_line(
    lang: str, dispatch: Dispatch, problem: Problem, now: datetime, tz: ZoneInfo
) -> str:
    """One row of a department's /inbox."""
    return t(
        lang,
        "department-list-line",
        colour=dispatch_colour(dispatch, now).emoji,
        number=problem.number,
        enterprise=problem.enterprise_name,
        category=category_label(lang, problem.category),
        state=dispatch_state_label(lang, dispatch.state),
        due=local(dispatch.due_at, tz),
    )


def view_button(lang: str, problem: Problem) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    plain(lang, "btn-open"), callback_data=ProblemView(problem.id, -1).pack()
                )
            ]
        ]
    )
