"""What each person is told about a dispatch and a department's steps, as owed messages."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from delivery.notices import Notices, edit_or_send
from domain.dispatch import Step
from domain.models import Account, Actor, Dispatch, DispatchState, Event, Problem, Role
from domain.outgoing import Outgoing
from domain.visibility import visible_dispatches, visible_events
from storage.problems_repo import NewAttachment
from texts.callbacks import DispatchPick, ProblemView
from texts.dispatch_views import (
    department_card,
    department_keyboard,
    dispatch_section,
    view_button,
)
from texts.i18n import Markup, plain, t
from texts.views import event_line, local, problem_detail, problem_keyboard
from usecases.ports import DispatchRender, Origin

HISTORY_LINES = 12  # the newest steps of the history on a department's first card


def department_actor(department_id: int) -> Actor:
    """Anyone of a department, for what the department as a whole may see and do."""
    return Actor(0, Role.DEPARTMENT, department_id=department_id)


def _names(lang: str, dispatches: Sequence[Dispatch]) -> str:
    return plain(lang, "stats-name-separator").join(d.department_name for d in dispatches)


class DispatchNotices:
    """The dispatch half of the NoticePort: reads before the change, renders after it."""

    def __init__(self, notices: Notices) -> None:
        self.n = notices
        self.s = notices.s

    @staticmethod
    def _redispatch(problem: Problem) -> Callable[[str], InlineKeyboardMarkup]:
        def markup(lang: str) -> InlineKeyboardMarkup:
            return InlineKeyboardMarkup(
                [
                    [
                        InlineKeyboardButton(
                            plain(lang, "btn-dispatch-again"),
                            callback_data=DispatchPick("start", problem.id).pack(),
                        ),
                        InlineKeyboardButton(
                            plain(lang, "btn-open"),
                            callback_data=ProblemView(problem.id, -1).pack(),
                        ),
                    ]
                ]
            )

        return markup

    async def for_dispatch(
        self,
        problem: Problem,
        actor: Actor,
        department_ids: Sequence[int],
        *,
        note: str,
        due_at: datetime,
        origin: Origin | None,
    ) -> DispatchRender:
        """The dispatcher's fresh card; each department its card with files and history;
        the envoys a notice."""
        events = await self.s.problems.events(problem.id)
        existing = await self.s.dispatches.for_problem(problem.id)
        people = {d: await self.s.accounts.department_accounts(d) for d in department_ids}
        envoys = await self.n.envoy_accounts(problem)
        tz = self.s.settings.zone
        now = self.s.clock.now()

        def render(made: Sequence[Dispatch]) -> list[Outgoing]:
            everything = [*existing, *made]
            out: list[Outgoing] = []
            if origin is not None:
                lang = origin.lang
                head = t(
                    lang,
                    "done-dispatch",
                    number=problem.number,
                    departments=_names(lang, made),
                    due=local(due_at, tz),
                )
                text = (
                    head
                    + "\n\n"
                    + problem_detail(lang, problem, now, tz)
                    + "\n\n"
                    + dispatch_section(lang, everything, now, tz)
                )
                markup = problem_keyboard(lang, actor, problem)
                out += edit_or_send(origin.chat_id, origin.message_id, text, markup)
            for d in made:
                seer = department_actor(d.department_id)
                seen = visible_events(seer, events, everything)
                files = [a for e in seen for a in e.attachments]

                def card(lang: str, d: Dispatch = d, seen: list[Event] = seen) -> str:
                    history = "\n\n".join(event_line(lang, e, tz) for e in seen[-HISTORY_LINES:])
                    return (
                        t(lang, "notify-dispatched-department", number=problem.number)
                        + "\n\n"
                        + department_card(lang, problem, d, now, tz, current=True)
                        + "\n\n"
                        + t(lang, "notify-history", history=Markup(history))
                    )

                def buttons(lang: str, d: Dispatch = d, seer: Actor = seer) -> InlineKeyboardMarkup:
                    return department_keyboard(lang, seer, problem, d)

                out += self.n.to_all(people.get(d.department_id, []), card, buttons, files=files)
            out += self.n.to_all(
                envoys,
                lambda lang: t(
                    lang,
                    "notify-dispatched-envoy",
                    number=problem.number,
                    departments=_names(lang, made),
                    due=local(due_at, tz),
                    note=note,
                ),
                lambda lang: view_button(lang, problem),
                exclude=actor.tg_user_id,
            )
            return out

        return render

    async def for_step(
        self,
        problem: Problem,
        dispatch: Dispatch,
        step: Step,
        actor: Actor,
        *,
        note: str | None,
        origin: Origin | None,
        attachments: Sequence[NewAttachment] = (),
    ) -> DispatchRender:
        """The actor's fresh card; colleagues, the envoys and (for an answer) the dispatcher
        are told."""
        envoys = await self.n.envoy_accounts(problem)
        colleagues = await self.s.accounts.department_accounts(dispatch.department_id)
        me = await self.s.accounts.get(actor.tg_user_id)
        final = step in (Step.DONE, Step.RETURN)
        dispatcher: list[Account] = []
        if final and dispatch.sent_by is not None:
            found = await self.s.accounts.get(dispatch.sent_by)
            dispatcher = [found] if found else []
        others = await self.s.dispatches.for_problem(problem.id)
        tz = self.s.settings.zone
        now = self.s.clock.now()
        who = me.display_name if me and me.display_name else ""

        def render(changed: Sequence[Dispatch]) -> list[Outgoing]:
            (updated,) = changed
            out: list[Outgoing] = []
            if origin is not None:
                lang = origin.lang
                everything = [updated if d.id == updated.id else d for d in others]
                current = step is not Step.RETURN or updated.state is not DispatchState.RETURNED
                text = t(lang, f"done-dept-{step.value}", number=problem.number)
                text += "\n\n" + department_card(lang, problem, updated, now, tz, current=current)
                shown = visible_dispatches(actor, everything)
                if current and len(shown) > 1:
                    text += "\n\n" + dispatch_section(lang, shown, now, tz)
                keyboard = department_keyboard(lang, actor, problem, updated)
                out += edit_or_send(origin.chat_id, origin.message_id, text, keyboard)

            def told(lang: str) -> str:
                return t(
                    lang,
                    f"notify-dept-{step.value}",
                    number=problem.number,
                    department=updated.department_name,
                    who=who,
                    note=note or "",
                )

            out += self.n.to_all(
                colleagues, told, lambda lang: view_button(lang, problem), exclude=actor.tg_user_id
            )
            files = attachments if step is Step.DONE else ()
            out += self.n.to_all(envoys, told, lambda lang: view_button(lang, problem), files=files)
            seen = {a.tg_user_id for a in [*envoys, *colleagues]}
            rest = [a for a in dispatcher if a.tg_user_id not in seen]
            view: Callable[[str], InlineKeyboardMarkup] = lambda lang: view_button(lang, problem)  # noqa: E731
            markup = self._redispatch(problem) if step is Step.RETURN else view
            out += self.n.to_all(rest, told, markup, files=files)
            return out

        return render
