"""The department clock: reminders before a dispatch's deadline, 督办 at it, daily digest lines.

Run by the 137 clock (scheduler/reminders.py) in the same tick, under the same quiet hours:
a department is reminded before its deadline; at the deadline the department, the admins and
the lead who dispatched it are told it is overdue; while overdue the daily digest lists it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from delivery.dispatch_notices import department_actor
from delivery.notices import Notices, text_messages
from domain.dispatch import dispatch_colour
from domain.models import Account, Dispatch, Problem, Role
from domain.outgoing import FROM_CLOCK, Outgoing
from domain.reminders import OVERDUE, moot, precedence
from storage.dispatch_reminders_repo import DispatchRemindersRepo, DueDispatchReminder
from texts.callbacks import ProblemView
from texts.dispatch_views import department_keyboard, view_button
from texts.i18n import t
from texts.views import duration, local
from usecases.ports import DispatchPort
from usecases.services import Services

logger = logging.getLogger(__name__)

MAX_LIST_BUTTONS = 20


@dataclass(frozen=True, slots=True)
class DispatchItem:
    """One dispatch reminder as one recipient sees it."""

    reminder: DueDispatchReminder
    as_role: str  # department / admin (督办, also the lead who dispatched it)


class DispatchClock:
    """Turns the department clock's due reminders into owed messages; digest lines."""

    def __init__(self, services: Services, notices: Notices, dispatch: DispatchPort) -> None:
        self.s = services
        self.notices = notices
        self.dispatch = dispatch
        self.repo = DispatchRemindersRepo(services.db)
        self._departments: dict[int, list[Account]] = {}

    async def _department(self, department_id: int) -> list[Account]:
        if department_id not in self._departments:
            found = await self.s.accounts.department_accounts(department_id)
            self._departments[department_id] = found
        return self._departments[department_id]

    async def tick(self, now: datetime, admins: Sequence[Account]) -> int:
        """Queue every dispatch reminder due by now, combined per person; how many people."""
        self._departments = {}
        due, stale = await self.repo.due(now)
        current, dropped = _current(due, now)
        stale += dropped
        if not current and not stale:
            return 0
        per_person: dict[int, tuple[Account, list[DispatchItem]]] = {}
        reached: dict[int, list[int]] = {r.id: [] for r in current}
        for reminder in current:
            for account, role in await self._route(reminder, admins):
                entry = per_person.setdefault(account.tg_user_id, (account, []))
                if reminder.id not in [i.reminder.id for i in entry[1]]:
                    entry[1].append(DispatchItem(reminder, role))
                    reached[reminder.id].append(account.tg_user_id)
        messages: list[Outgoing] = []
        for account, items in per_person.values():
            messages += self._compose(account, items, now)
        queued = await self.repo.claim_and_queue(reached, stale, messages, now)
        self.dispatch.deliver(queued)
        return len(per_person)

    async def _route(
        self, reminder: DueDispatchReminder, admins: Sequence[Account]
    ) -> list[tuple[Account, str]]:
        """The department; at the deadline also the admins and the lead who dispatched it."""
        out = [(a, "department") for a in await self._department(reminder.dispatch.department_id)]
        if reminder.kind == OVERDUE:
            out += [(a, "admin") for a in admins]
            sent_by = reminder.dispatch.sent_by
            if sent_by is not None and sent_by not in {a.tg_user_id for a in admins}:
                dispatcher = await self.s.accounts.get(sent_by)
                if dispatcher is not None:
                    out.append((dispatcher, "admin"))
        return [(a, role) for a, role in out if a.reachable]

    def _line(self, lang: str, item: DispatchItem, now: datetime) -> str:
        d, p = item.reminder.dispatch, item.reminder.problem
        if item.as_role == "admin":
            key = "remind-dispatch-overdue-admin"
        elif item.reminder.kind == OVERDUE:
            key = "remind-dispatch-overdue"
        else:
            key = "remind-dispatch-before"
        return t(
            lang,
            key,
            colour=dispatch_colour(d, now).emoji,
            number=p.number,
            enterprise=p.enterprise_name,
            department=d.department_name,
            due=local(d.due_at, self.s.settings.zone),
            left=duration(lang, d.due_at - now),
        )

    def _compose(
        self, account: Account, items: list[DispatchItem], now: datetime
    ) -> list[Outgoing]:
        items.sort(key=lambda i: i.reminder.dispatch.due_at)
        lang = self.notices.lang(account)
        lines = [self._line(lang, i, now) for i in items]
        if len(items) > 1:
            lines.insert(0, t(lang, "remind-combined", count=len(items)))
        first = items[0].reminder
        markup: InlineKeyboardMarkup
        if len(items) > 1:
            markup = list_markup([i.reminder.problem for i in items])
        elif account.role is Role.DEPARTMENT and account.department_id is not None:
            seer = department_actor(account.department_id)
            markup = department_keyboard(lang, seer, first.problem, first.dispatch)
        else:
            markup = view_button(lang, first.problem)
        return text_messages(account.tg_user_id, "\n\n".join(lines), markup, priority=FROM_CLOCK)

    # --- the daily digest ------------------------------------------------------------

    async def digest(
        self, cutoff: datetime, admins: Sequence[Account]
    ) -> dict[int, tuple[Account, list[tuple[Dispatch, Problem]]]]:
        """Who gets which overdue dispatches in today's digest: the department, the admins."""
        self._departments = {}
        people: dict[int, tuple[Account, list[tuple[Dispatch, Problem]]]] = {}
        for dispatch, problem in await self.repo.overdue(cutoff):
            recipients = [*await self._department(dispatch.department_id), *admins]
            for account in recipients:
                if account.reachable:
                    entry = people.setdefault(account.tg_user_id, (account, []))
                    entry[1].append((dispatch, problem))
        return people

    def digest_text(
        self, lang: str, items: Sequence[tuple[Dispatch, Problem]], now: datetime
    ) -> str:
        lines = [
            t(
                lang,
                "digest-dispatch-line",
                colour=dispatch_colour(d, now).emoji,
                number=p.number,
                enterprise=p.enterprise_name,
                department=d.department_name,
                by=duration(lang, now - d.due_at),
            )
            for d, p in items
        ]
        return t(lang, "digest-dispatch-head", count=len(items)) + "\n\n" + "\n".join(lines)


def _current(
    due: Sequence[DueDispatchReminder], now: datetime
) -> tuple[list[DueDispatchReminder], list[int]]:
    """One reminder per dispatch, never a moot "N left" (the 137 clock's rule)."""
    best: dict[int, DueDispatchReminder] = {}
    dropped: list[int] = []
    for reminder in due:
        if moot(reminder.kind, reminder.dispatch.due_at, now):
            dropped.append(reminder.id)
            continue
        rival = best.get(reminder.dispatch.id)
        rank = precedence(reminder.kind, reminder.hours_before)
        if rival is not None and precedence(rival.kind, rival.hours_before) <= rank:
            dropped.append(reminder.id)
            continue
        if rival is not None:
            dropped.append(rival.id)
        best[reminder.dispatch.id] = reminder
    return [r for r in due if best.get(r.dispatch.id) is r], dropped


def list_markup(problems: Sequence[Problem]) -> InlineKeyboardMarkup:
    """A button per problem (no duplicates), for combined messages."""
    seen: dict[int, Problem] = {p.id: p for p in problems}
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(f"№{p.number}", callback_data=ProblemView(p.id, -1).pack())]
            for p in list(seen.values())[:MAX_LIST_BUTTONS]
        ]
    )
