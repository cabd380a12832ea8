"""The 137 clock: plans reminders in the database and turns what is due into owed messages."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from delivery.notices import Notices, text_messages, unreachable_reason
from domain.colours import colour
from domain.models import Account, Problem
from domain.outgoing import FROM_CLOCK, Outgoing, Queued
from domain.reminders import CONFIRM, OVERDUE, PlannedReminder, QuietHours, moot, precedence
from scheduler.dispatch_clock import DispatchClock, list_markup
from storage.reminders_repo import ClaimedElsewhere, DueReminder, RemindersRepo
from texts.callbacks import ProblemView
from texts.i18n import plain, t
from texts.views import duration, local, problem_keyboard
from usecases.ports import DispatchPort
from usecases.services import Services
from usecases.workflow import plan_reminders

logger = logging.getLogger(__name__)

SWEEP_SECONDS = 60
PLAN_BATCH = 2000
MAX_LIST_BUTTONS = 20
CAPTION_LIMIT = 1024


@dataclass(frozen=True, slots=True)
class Item:
    """One reminder as one recipient sees it."""

    reminder: DueReminder
    as_role: str  # envoy / lead / admin / fallback / staff


class Recipients:
    """Who to tell about a problem, looked up once per tick: many problems share few people."""

    def __init__(self, notices: Notices) -> None:
        self.notices = notices
        self._envoys: dict[tuple[str, int], list[Account]] = {}
        self._leads: dict[int | None, list[Account]] = {}
        self._admins: list[Account] | None = None
        self._staff: dict[int, list[Account]] = {}

    async def envoys(self, problem: Problem) -> list[Account]:
        key = ("envoy", problem.envoy_id) if problem.envoy_id else ("ent", problem.enterprise_id)
        if key not in self._envoys:
            self._envoys[key] = await self.notices.envoy_accounts(problem)
        return self._envoys[key]

    async def leads(self, problem: Problem) -> list[Account]:
        if problem.team_id not in self._leads:
            self._leads[problem.team_id] = await self.notices.lead_accounts(problem.team_id)
        return self._leads[problem.team_id]

    async def admins(self) -> list[Account]:
        if self._admins is None:
            self._admins = await self.notices.admin_accounts()
        return self._admins

    async def staff(self, problem: Problem) -> list[Account]:
        if problem.enterprise_id not in self._staff:
            self._staff[problem.enterprise_id] = await self.notices.accounts.staff_of_enterprise(
                problem.enterprise_id
            )
        return self._staff[problem.enterprise_id]


def _rank(reminder: DueReminder) -> tuple[int, int]:
    """Which of a problem's due reminders says the most now (smaller first)."""
    return precedence(reminder.kind, reminder.hours_before)


class ReminderService:
    """Owns the due-sweep, the daily overdue digest, the Monday figures and rerouting."""

    def __init__(self, services: Services, notices: Notices, dispatch: DispatchPort) -> None:
        self.s = services
        self.notices = notices
        self.dispatch = dispatch
        self.repo = RemindersRepo(services.db)
        self.dispatch_clock = DispatchClock(services, notices, dispatch)
        self.quiet = QuietHours.parse(services.settings.quiet_start, services.settings.quiet_end)
        self.digest_at = time.fromisoformat(services.settings.digest_time)
        self._lock = asyncio.Lock()
        self._app: Any = None
        self._catch_up: asyncio.Task[None] | None = None
        self._wake_pending = False
        self._wakes: set[asyncio.Task[None]] = set()
        self.caught_up = asyncio.Event()
        self._digest_done: str | None = None  # local date whose digests went out
        self._weekly_done: str | None = None
        self._evaluation_done: str | None = None

    # --- planning -------------------------------------------------------------------

    def plan(self, problem: Problem, now: datetime) -> tuple[datetime, list[PlannedReminder]]:
        """What to send for a problem from now on, and the moment the plan hangs on."""
        return plan_reminders(self.s, problem, now)

    async def plan_missing(self) -> int:
        """At start: plan every open problem that has no plan yet (first run, upgrade)."""
        total = 0
        last_id = 0
        now = self.s.clock.now()
        while True:
            batch = await self.repo.open_problems_without_plan(PLAN_BATCH, last_id)
            if not batch:
                return total
            total += len(batch)
            last_id = batch[-1].id
            # a problem already past its deadline gets its overdue notice now, once
            plans = [
                (p.id, p.due_at, self.plan(p, now)[1] or [PlannedReminder(OVERDUE, p.due_at, None)])
                for p in batch
            ]
            await self.repo.replace_plans(plans)

    # --- waking up ------------------------------------------------------------------

    def attach(self, app: Any) -> None:
        self._app = app

    async def start(self, app: Any) -> None:
        """post_init: rebuild from the database, then catch up in the background and sweep."""
        self.attach(app)
        planned = await self.plan_missing()
        logger.info("reminder scheduler rebuilt: %s problems planned", planned)
        if app.job_queue is not None:
            app.job_queue.run_repeating(
                self._job, interval=SWEEP_SECONDS, first=SWEEP_SECONDS, name="reminder-sweep"
            )
        # what came due while the bot was down goes out now, while the bot already answers
        self._catch_up = asyncio.get_running_loop().create_task(self._first_tick())

    async def _first_tick(self) -> None:
        try:
            await self.tick()
        except Exception:
            logger.exception("catch-up after start failed; the sweep will retry")
        finally:
            self.caught_up.set()

    async def stop(self, app: Any) -> None:
        """post_shutdown: let a running catch-up finish before the database closes."""
        del app
        if self._catch_up is not None:
            await self._catch_up

    def wake(self) -> None:
        """Schedule one exact run at the next planned reminder (the sweep is the safety net)."""
        if self._app is None or self._app.job_queue is None or self._wake_pending:
            return  # one look at the plan serves every change made before it runs
        self._wake_pending = True
        task = asyncio.get_running_loop().create_task(self._schedule_next())
        self._wakes.add(task)
        task.add_done_callback(self._wakes.discard)

    async def _schedule_next(self) -> None:
        self._wake_pending = False
        next_at = await self.repo.next_fire_at()
        jq = self._app.job_queue
        for job in jq.get_jobs_by_name("reminder-next"):
            job.schedule_removal()
        if next_at is None:
            return
        now = self.s.clock.now()
        # what is held by quiet hours goes at their end, not in a busy loop until then
        next_at = self.quiet.defer(max(next_at, now), self.s.settings.zone)
        delay = max(0.0, (next_at - now).total_seconds())
        if delay <= SWEEP_SECONDS * 2:
            jq.run_once(self._job, when=delay, name="reminder-next")

    async def _job(self, context: Any) -> None:
        del context
        await self.tick()

    # --- turning what is due into owed messages ---------------------------------------

    async def tick(self) -> int:
        """Queue everything due by now, combined per person; then the daily digest if due.

        Instances sharing a database take turns: one ticking now is enough (each claim would
        keep a second from sending anything twice anyway)."""
        async with self._lock, self.s.db.exclusive("clock") as mine:
            if not mine:
                return 0
            return await self._tick()

    async def _tick(self) -> int:
        now = self.s.clock.now()
        due, stale = await self._due(now)
        who = Recipients(self.notices)
        sent = 0
        if due or stale:
            per_person = await self._group(due, who)
            messages: list[Outgoing] = []
            reached: dict[int, list[int]] = {r.id: [] for r in due}
            for account, items in per_person.values():
                messages += await self._compose(account, items, now)
                for item in items:
                    reached[item.reminder.id].append(account.tg_user_id)
            try:
                queued = await self.repo.claim_and_queue(reached, stale, messages, now)
            except ClaimedElsewhere:  # another instance sent them meanwhile
                logger.info("reminders claimed elsewhere meanwhile; reading again next tick")
                queued = []
            self.dispatch.deliver(queued)
            sent = len(per_person) if queued else 0
        if self.quiet.held_until(now, self.s.settings.zone) is None:
            admins = [a for a in await who.admins() if a.reachable]
            sent += await self.dispatch_clock.tick(now, admins)
        sent += await self._digest_if_due(now, who)
        sent += await self._weekly_if_due(now)
        sent += await self._evaluation_if_due(now)
        self.wake()
        return sent

    async def _due(self, now: datetime) -> tuple[list[DueReminder], list[int]]:
        """What to send now and what to retire; nothing while quiet hours hold it (SPEC §4)."""
        if self.quiet.held_until(now, self.s.settings.zone) is not None:
            return [], []
        due, stale = await self.repo.due(now)
        current, superseded = self._current(due, now)
        return current, stale + superseded

    @staticmethod
    def _current(due: Sequence[DueReminder], now: datetime) -> tuple[list[DueReminder], list[int]]:
        """One reminder per problem, never a moot "N left": a catch-up says each thing once."""
        best: dict[int, DueReminder] = {}
        dropped: list[int] = []
        for reminder in due:
            if moot(reminder.kind, reminder.problem.due_at, now):
                dropped.append(reminder.id)
                continue
            rival = best.get(reminder.problem.id)
            if rival is not None and _rank(rival) <= _rank(reminder):
                dropped.append(reminder.id)
                continue
            if rival is not None:
                dropped.append(rival.id)
            best[reminder.problem.id] = reminder
        kept = [r for r in due if best.get(r.problem.id) is r]
        return kept, dropped

    async def _route(self, reminder: DueReminder, who: Recipients) -> list[tuple[Account, str]]:
        """Who hears of a reminder: the envoy, or the lead when the envoy is unreachable."""
        problem = reminder.problem
        if reminder.kind == CONFIRM:
            return [(a, "staff") for a in await who.staff(problem) if a.reachable]
        envoys = [a for a in await who.envoys(problem) if a.reachable]
        leads = [a for a in await who.leads(problem) if a.reachable]
        out: list[tuple[Account, str]] = [(a, "envoy") for a in envoys]
        if not envoys:
            out += [(a, "fallback") for a in leads]
        if reminder.kind == OVERDUE:
            out += [
                (a, "lead") for a in leads if a.tg_user_id not in {e.tg_user_id for e in envoys}
            ]
            if (problem.tier or 1) >= 3:
                out += [(a, "admin") for a in await who.admins() if a.reachable]
        return out

    async def _group(
        self, due: Sequence[DueReminder], who: Recipients
    ) -> dict[int, tuple[Account, list[Item]]]:
        per_person: dict[int, tuple[Account, list[Item]]] = {}
        seen: set[tuple[int, int]] = set()
        for reminder in due:
            for account, role in await self._route(reminder, who):
                if (account.tg_user_id, reminder.id) in seen:
                    continue
                seen.add((account.tg_user_id, reminder.id))
                entry = per_person.setdefault(account.tg_user_id, (account, []))
                entry[1].append(Item(reminder, role))
        return per_person

    def _line(self, lang: str, item: Item, now: datetime) -> str:
        p = item.reminder.problem
        tz = self.s.settings.zone
        key = {
            "envoy": "remind-overdue" if item.reminder.kind == OVERDUE else "remind-before",
            "fallback": "remind-overdue-lead"
            if item.reminder.kind == OVERDUE
            else "remind-before-lead",
            "lead": "remind-overdue-lead",
            "admin": "remind-overdue-admin",
            "staff": "remind-confirm",
        }[item.as_role]
        return t(
            lang,
            key,
            colour=colour(p.state, p.due_at, p.registered_at, now),
            number=p.number,
            enterprise=p.enterprise_name,
            due=local(p.due_at, tz),
            left=duration(lang, p.due_at - now),
            envoy=p.envoy_name or plain(lang, "envoy-unassigned"),
            days=max(1, item.reminder.hours_before // 24),
        )

    async def _compose(self, account: Account, items: list[Item], now: datetime) -> list[Outgoing]:
        """One combined message for one person; an envoy's can be rerouted to the lead."""
        items.sort(key=lambda i: i.reminder.problem.due_at)
        lang = self.notices.lang(account)
        actor = await self.s.accounts.load_actor(account.tg_user_id, self.s.settings.admins)
        lines = [self._line(lang, i, now) for i in items]
        head = []
        fallback = [i for i in items if i.as_role == "fallback"]
        if fallback:
            names = sorted({i.reminder.problem.envoy_name or "—" for i in fallback})
            head.append(t(lang, "remind-fallback", envoy="、".join(names)))
        if len(items) > 1:
            head.append(t(lang, "remind-combined", count=len(items)))
        if len(items) == 1 and actor is not None:
            markup = problem_keyboard(lang, actor, items[0].reminder.problem)
        else:
            markup = self._list_markup([i.reminder.problem for i in items])
        envoy_items = [i.reminder.id for i in items if i.as_role == "envoy"]
        reroute = {"kind": "reminders", "ids": envoy_items} if envoy_items else None
        return text_messages(
            account.tg_user_id,
            "\n\n".join(head + lines),
            markup,
            priority=FROM_CLOCK,
            reroute=reroute,
        )

    @staticmethod
    def _list_markup(problems: Sequence[Problem]) -> InlineKeyboardMarkup:
        return InlineKeyboardMarkup(
            [
                [InlineKeyboardButton(f"№{p.number}", callback_data=ProblemView(p.id, -1).pack())]
                for p in problems[:MAX_LIST_BUTTONS]
            ]
        )

    # --- a person turned out to have blocked the bot or deleted their account ------------

    async def on_forbidden(
        self, chat_id: int, dropped: list[Queued], description: str = ""
    ) -> list[Outgoing]:
        """Mark them unreachable; their reminders and new-problem cards go to the lead.

        ``description`` is Telegram's 403 text, so the lead learns why (blocked/deactivated).
        """
        changed = await self.s.accounts.set_reachable(chat_id, False)
        account = await self.s.accounts.get(chat_id)
        out: list[Outgoing] = []
        if account is None:
            return out
        if changed:
            out += await self.notices.unreachable_notice(account, unreachable_reason(description))
        reminder_ids: list[int] = []
        card_ids: list[int] = []
        for queued in dropped:
            reroute = queued.message.reroute or {}
            if reroute.get("kind") == "reminders":
                reminder_ids += [int(i) for i in reroute.get("ids", [])]
            elif reroute.get("kind") == "card":
                card_ids.append(int(reroute["problem_id"]))
        if reminder_ids:
            now = self.s.clock.now()
            who = Recipients(self.notices)
            reminders = await self.repo.by_ids(sorted(set(reminder_ids)))
            reminders = [r for r in reminders if not moot(r.kind, r.problem.due_at, now)]
            for problem_lead in await self._fallback(reminders, who):
                lead, items = problem_lead
                out += await self._compose(lead, items, now)
        for problem_id in sorted(set(card_ids)):
            problem = await self.s.problems.get(problem_id)
            if problem is not None and problem.state.is_open:
                out += await self._card_to_lead(problem)
        return out

    async def _fallback(
        self, reminders: Sequence[DueReminder], who: Recipients
    ) -> list[tuple[Account, list[Item]]]:
        by_lead: dict[int, tuple[Account, list[Item]]] = {}
        for reminder in reminders:
            for lead in await who.leads(reminder.problem):
                if lead.reachable:
                    entry = by_lead.setdefault(lead.tg_user_id, (lead, []))
                    entry[1].append(Item(reminder, "fallback"))
        return list(by_lead.values())

    async def _card_to_lead(self, problem: Problem) -> list[Outgoing]:
        accept = self.notices.buttons(
            problem,
            ("accept", "btn-accept-tier", 1),
            ("accept", "btn-accept-tier", 2),
            ("accept", "btn-accept-tier", 3),
        )
        leads = await self.notices.lead_accounts(problem.team_id)
        if not [a for a in leads if a.reachable]:
            leads = await self.notices.admin_accounts()
        return self.notices.to_all(leads, self.notices.card(problem, "notify-new-problem"), accept)

    # --- the daily overdue digest ---------------------------------------------------

    async def _digest_if_due(self, now: datetime, who: Recipients) -> int:
        tz = self.s.settings.zone
        local_now = now.astimezone(tz)
        if local_now.time() < self.digest_at or self.quiet.contains(local_now.time()):
            return 0
        day = local_now.date().isoformat()
        if self._digest_done == day:
            return 0
        # the digest lists what was already overdue at digest time; a problem that turns
        # overdue later today got its own notice and is in tomorrow's digest
        cutoff = datetime.combine(local_now.date(), self.digest_at, tzinfo=tz)
        overdue = await self.repo.overdue(cutoff)
        served = await self.repo.digest_sent(day, "overdue")  # e.g. before a restart
        people: dict[int, tuple[Account, dict[int, Problem]]] = {}
        for problem in overdue:
            recipients = [a for a in await who.envoys(problem) if a.reachable]
            recipients += [a for a in await who.leads(problem) if a.reachable]
            if (problem.tier or 1) >= 3:
                recipients += [a for a in await who.admins() if a.reachable]
            for account in recipients:
                if account.tg_user_id not in served:
                    people.setdefault(account.tg_user_id, (account, {}))[1][problem.id] = problem
        # departments' overdue dispatches: to the department and the admins, in the same digest
        admins = [a for a in await who.admins() if a.reachable]
        late = await self.dispatch_clock.digest(cutoff, admins)
        for tg_user_id, (account, _) in late.items():
            if tg_user_id not in served:
                people.setdefault(tg_user_id, (account, {}))
        sent = 0
        for account, by_id in people.values():
            problems = sorted(by_id.values(), key=lambda p: p.due_at)
            dispatches = late.get(account.tg_user_id, (account, []))[1]
            lang = self.notices.lang(account)
            parts = [self._digest_text(problems, now)(lang)] if problems else []
            if dispatches:
                parts.append(self.dispatch_clock.digest_text(lang, dispatches, now))
            listed = [*problems, *(p for _, p in dispatches)]
            messages = text_messages(
                account.tg_user_id, "\n\n".join(parts), list_markup(listed), priority=FROM_CLOCK
            )
            count = len(problems) + len(dispatches)
            queued = await self.repo.claim_digest_and_queue(
                account.tg_user_id, day, "overdue", now, count, messages
            )
            if queued:
                self.dispatch.deliver(queued)
                sent += 1
        self._digest_done = day
        return sent

    # --- the departments' evaluation (双月评议) for admins ---------------------------------

    async def _evaluation_if_due(self, now: datetime) -> int:
        """On the 1st of a month closing an evaluation period, at digest time: each admin gets
        the departments' ranking for the period as a message and a sheet, once."""
        from domain.department_stats import evaluation_period
        from reporting.evaluation import (
            build_evaluation,
            evaluation_sheet,
            evaluation_text,
            evaluation_title,
        )

        tz = self.s.settings.zone
        local_now = now.astimezone(tz)
        if local_now.time() < self.digest_at or self.quiet.contains(local_now.time()):
            return 0
        period = evaluation_period(local_now.date(), self.s.settings.evaluation_months)
        day = local_now.date().isoformat()
        if period is None or self._evaluation_done == day:
            return 0
        served = await self.repo.digest_sent(day, "evaluation")
        admins = [a for a in await self.s.accounts.admin_accounts() if a.reachable]
        evaluation = await build_evaluation(self.s.db, period[0], period[1], now, tz)
        sent = 0
        for account in admins:
            if account.tg_user_id in served:
                continue
            lang = self.notices.lang(account)
            messages = text_messages(
                account.tg_user_id, evaluation_text(lang, evaluation), priority=FROM_CLOCK
            )
            if evaluation.ranked:
                name = plain(lang, "evaluation-filename", end=period[1].isoformat())
                caption = evaluation_title(lang, evaluation)
                messages.append(
                    Outgoing(
                        account.tg_user_id,
                        "sendDocument",
                        {"caption": caption, "filename": name},
                        FROM_CLOCK,
                        upload=evaluation_sheet(lang, evaluation),
                    )
                )
            queued = await self.repo.claim_digest_and_queue(
                account.tg_user_id, day, "evaluation", now, len(evaluation.ranked), messages
            )
            if queued:
                self.dispatch.deliver(queued)
                sent += 1
        self._evaluation_done = day
        logger.info("evaluation %s–%s sent to %s admin(s)", period[0], period[1], sent)
        return sent

    # --- the Monday figures for leads and admins ---------------------------------------

    async def _weekly_if_due(self, now: datetime) -> int:
        """Monday at digest time: leads get their team's figures, admins the programme's."""
        tz = self.s.settings.zone
        local_now = now.astimezone(tz)
        if local_now.weekday() != 0 or local_now.time() < self.digest_at:
            return 0
        if self.quiet.contains(local_now.time()):
            return 0
        day = local_now.date().isoformat()
        if self._weekly_done == day:
            return 0
        served = await self.repo.digest_sent(day, "weekly")
        recipients: dict[int, Account] = {}
        for team in await self.s.org.list_teams():
            if team.lead_envoy_id is not None:
                lead = await self.s.accounts.account_of_envoy(team.lead_envoy_id)
                if lead is not None:
                    recipients[lead.tg_user_id] = lead
        for admin in await self.s.accounts.admin_accounts():
            recipients[admin.tg_user_id] = admin
        sent = 0
        for account in recipients.values():
            if not account.reachable or account.tg_user_id in served:
                continue
            actor = await self.s.accounts.load_actor(account.tg_user_id, self.s.settings.admins)
            if actor is None:
                continue
            messages = await self._weekly_messages(account, actor, now)
            queued = await self.repo.claim_digest_and_queue(
                account.tg_user_id, day, "weekly", now, 0, messages
            )
            if queued:
                self.dispatch.deliver(queued)
                sent += 1
        self._weekly_done = day
        return sent

    async def _weekly_messages(self, account: Account, actor: Any, now: datetime) -> list[Outgoing]:
        from domain.stats import scope_for
        from reporting.figures import build_chart, build_figures, format_figures

        lang = self.notices.lang(account)
        tz = self.s.settings.zone
        scope = scope_for(actor)
        figures = await build_figures(self.s.db, scope, "all", now, tz)
        summary = format_figures(figures, lang, html=True, only="none")
        caption = t(lang, "weekly-head") + "\n" + summary
        png = await build_chart(self.s.db, scope, now, tz, lang)
        extra: list[Outgoing] = []
        if len(caption) > CAPTION_LIMIT:
            caption = t(lang, "weekly-head")
            extra = text_messages(account.tg_user_id, summary, priority=FROM_CLOCK)
        photo = Outgoing(
            account.tg_user_id,
            "sendPhoto",
            {"caption": caption, "filename": "weekly.png"},
            FROM_CLOCK,
            upload=png,
        )
        return [photo, *extra]

    def _digest_text(self, problems: list[Problem], now: datetime) -> Any:
        def text(lang: str) -> str:
            lines = [
                t(
                    lang,
                    "digest-line",
                    colour=colour(p.state, p.due_at, p.registered_at, now),
                    number=p.number,
                    enterprise=p.enterprise_name,
                    by=duration(lang, now - p.due_at),
                    envoy=p.envoy_name or plain(lang, "envoy-unassigned"),
                )
                for p in problems
            ]
            return t(lang, "digest-head", count=len(problems)) + "\n\n" + "\n".join(lines)

        return text
