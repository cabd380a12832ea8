"""What each person is told about a change, rendered in their language as owed messages."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any, Literal

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from domain.dispatch import Step
from domain.lifecycle import Action, allowed_actions
from domain.models import Account, Actor, Dispatch, Event, Problem
from domain.outgoing import TO_ACTOR, TO_OTHERS, Outgoing
from storage.accounts_repo import AccountsRepo
from storage.org_repo import OrgRepo
from storage.problems_repo import NewAttachment, ProblemsRepo
from texts.callbacks import ProblemAct, ProblemView
from texts.i18n import Markup, plain, t
from texts.views import (
    duration,
    event_line,
    local,
    problem_detail,
    problem_keyboard,
    split_text,
    tier_label,
)
from usecases.ports import DispatchRender, Origin, Render
from usecases.services import Services

logger = logging.getLogger(__name__)

TextFn = Callable[[str], str]
MarkupFn = Callable[[str], InlineKeyboardMarkup | None]
UnreachableReason = Literal["blocked", "deactivated"]
UNREACHABLE_KEYS: dict[UnreachableReason, str] = {
    "blocked": "unreachable-lead",
    "deactivated": "unreachable-lead-deactivated",
}


def unreachable_reason(description: str) -> UnreachableReason:
    """Why a 403 came, from Telegram's text: a deleted account, else the bot was blocked."""
    return "deactivated" if "deactivated" in description.lower() else "blocked"


def text_messages(
    chat_id: int,
    text: str,
    markup: Any = None,
    *,
    priority: int = TO_OTHERS,
    reroute: dict[str, Any] | None = None,
) -> list[Outgoing]:
    """A text as sendMessage calls within Telegram's length limit; markup on the last."""
    parts = split_text(text)
    data = markup.to_dict() if markup is not None else None
    out: list[Outgoing] = []
    for i, part in enumerate(parts):
        params: dict[str, Any] = {"text": part}
        if data is not None and i == len(parts) - 1:
            params["reply_markup"] = data
        out.append(Outgoing(chat_id, "sendMessage", params, priority, reroute=reroute))
    return out


def edit_or_send(
    chat_id: int, message_id: int | None, text: str, markup: Any = None, *, priority: int = TO_ACTOR
) -> list[Outgoing]:
    """Replace the pressed message in place (one call); send anew when it is gone or long."""
    parts = split_text(text)
    if message_id is None or len(parts) > 1:
        return text_messages(chat_id, text, markup, priority=priority)
    params: dict[str, Any] = {"message_id": message_id, "text": text}
    send: dict[str, Any] = {"text": text}
    if markup is not None:
        params["reply_markup"] = send["reply_markup"] = markup.to_dict()
    return [
        Outgoing(
            chat_id,
            "editMessageText",
            params,
            priority,
            fallback={"method": "sendMessage", "params": send},
        )
    ]


def file_messages(
    chat_id: int, caption: str, files: Iterable[Any], *, priority: int = TO_OTHERS
) -> list[Outgoing]:
    """Forward stored attachments (photos and documents) by their Telegram file_id."""
    out: list[Outgoing] = []
    for f in files:
        method, key = ("sendPhoto", "photo") if f.kind == "photo" else ("sendDocument", "document")
        out.append(Outgoing(chat_id, method, {key: f.file_id, "caption": caption}, priority))
    return out


class Notices:
    """The NoticePort: reads who is concerned before the change, renders after it."""

    def __init__(self, services: Services) -> None:
        self.s = services
        self.accounts: AccountsRepo = services.accounts
        self.org: OrgRepo = services.org
        self.problems: ProblemsRepo = services.problems

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
        from delivery.dispatch_notices import DispatchNotices  # it builds on this module

        return await DispatchNotices(self).for_dispatch(
            problem, actor, department_ids, note=note, due_at=due_at, origin=origin
        )

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
        from delivery.dispatch_notices import DispatchNotices

        return await DispatchNotices(self).for_step(
            problem, dispatch, step, actor, note=note, origin=origin, attachments=attachments
        )

    def lang(self, account: Account | None) -> str:
        if account is not None and account.lang:
            return account.lang
        return self.s.settings.default_lang

    # --- who is concerned --------------------------------------------------------------

    async def envoy_accounts(self, problem: Problem) -> list[Account]:
        """The responsible envoy, else every envoy of the enterprise who has an account."""
        if problem.envoy_id is not None:
            account = await self.accounts.account_of_envoy(problem.envoy_id)
            return [account] if account else []
        return await self.enterprise_envoys(problem.enterprise_id)

    async def enterprise_envoys(self, enterprise_id: int) -> list[Account]:
        return await self.accounts.envoy_accounts_of_enterprise(enterprise_id)

    async def lead_accounts(self, team_id: int | None) -> list[Account]:
        if team_id is None:
            return []
        lead = await self.org.lead_of_team(team_id)
        if lead is None:
            return []
        account = await self.accounts.account_of_envoy(lead.id)
        return [account] if account else []

    async def admin_accounts(self) -> list[Account]:
        return await self.accounts.admin_accounts()

    # --- rendering helpers -------------------------------------------------------------

    def card(self, problem: Problem, head_key: str, **kwargs: Any) -> TextFn:
        now = self.s.clock.now()
        tz = self.s.settings.zone

        def text(lang: str) -> str:
            head = t(lang, head_key, number=problem.number, **kwargs)
            return head + "\n\n" + problem_detail(lang, problem, now, tz)

        return text

    @staticmethod
    def buttons(problem: Problem, *spec: tuple[str, str, int]) -> MarkupFn:
        def markup(lang: str) -> InlineKeyboardMarkup:
            row = [
                InlineKeyboardButton(
                    plain(lang, key, tier=arg),
                    callback_data=ProblemAct(code, problem.id, arg).pack(),
                )
                for code, key, arg in spec
            ]
            view = InlineKeyboardButton(
                plain(lang, "btn-open"), callback_data=ProblemView(problem.id, -1).pack()
            )
            return InlineKeyboardMarkup([row, [view]] if row else [[view]])

        return markup

    def to_all(
        self,
        accounts: Iterable[Account],
        text: TextFn,
        markup: MarkupFn | None = None,
        *,
        exclude: int | None = None,
        files: Sequence[Any] = (),
        reroute: dict[str, Any] | None = None,
    ) -> list[Outgoing]:
        """One message per reachable person (each in their language), files first."""
        out: list[Outgoing] = []
        seen: set[int] = set()
        for account in accounts:
            chat = account.tg_user_id
            if chat in seen or chat == exclude or not account.reachable:
                continue
            seen.add(chat)
            lang = self.lang(account)
            caption = text(lang).split("\n", 1)[0][:200] if files else ""
            out += file_messages(chat, caption, files)
            out += text_messages(
                chat, text(lang), markup(lang) if markup else None, reroute=reroute
            )
        return out

    # --- the NoticePort ----------------------------------------------------------------

    async def for_registration(
        self, actor: Actor, origin: Origin | None, attachments: Sequence[NewAttachment] = ()
    ) -> Render:
        """The number to the reporter; the card with Accept buttons to the envoys (or above)."""
        assert actor.enterprise_id is not None
        envoys = [a for a in await self.enterprise_envoys(actor.enterprise_id) if a.reachable]
        above: list[Account] = []
        if not envoys:
            enterprise = await self.org.get_enterprise(actor.enterprise_id)
            team_id = enterprise.team_id if enterprise else None
            above = [a for a in await self.lead_accounts(team_id) if a.reachable]
        if not envoys and not above:
            above = [a for a in await self.admin_accounts() if a.reachable]
        if not envoys:
            logger.warning("no envoy reachable for enterprise %s", actor.enterprise_id)
        number_reply = await self.for_replay(actor, origin)

        def render(problem: Problem) -> list[Outgoing]:
            accept = self.buttons(
                problem,
                ("accept", "btn-accept-tier", 1),
                ("accept", "btn-accept-tier", 2),
                ("accept", "btn-accept-tier", 3),
            )
            out = list(number_reply(problem))
            out += self.to_all(
                envoys or above,
                self.card(problem, "notify-new-problem"),
                accept,
                files=attachments,
                reroute={"kind": "card", "problem_id": problem.id} if envoys else None,
            )
            return out

        return render

    async def for_replay(self, actor: Actor, origin: Origin | None) -> Render:
        """The reporter's "registered as №…", in place of the summary they submitted."""
        chat = origin.chat_id if origin else actor.tg_user_id
        lang = origin.lang if origin else self.s.settings.default_lang
        message_id = origin.message_id if origin else None

        def render(problem: Problem) -> list[Outgoing]:
            text = t(lang, "report-registered", number=problem.number)
            return edit_or_send(chat, message_id, text)

        return render

    async def for_change(
        self,
        problem: Problem,
        action: Action,
        actor: Actor,
        *,
        note: str | None,
        target_envoy_id: int | None,
        origin: Origin | None,
        attachments: Sequence[NewAttachment] = (),
    ) -> Render:
        """The actor's fresh card, then the reporter, envoys and the level above."""
        reporter = await self.accounts.get(problem.reporter_tg_id)
        reporters = [reporter] if reporter else []
        envoys = await self.envoy_accounts(problem)
        staff: list[Account] = []
        above: list[Account] = []
        events: list[Event] = []
        previous: Account | None = None
        new_envoys: list[Account] = []
        if action is Action.RESOLVE:
            staff = await self.accounts.staff_of_enterprise(problem.enterprise_id)
        if action is Action.ESCALATE:
            events = await self.problems.events(problem.id)
            next_tier = (problem.tier or 1) + 1
            above = (
                await self.lead_accounts(problem.team_id)
                if next_tier == 2
                else await self.admin_accounts()
            )
        if action is Action.REASSIGN and target_envoy_id is not None:
            target = await self.accounts.account_of_envoy(target_envoy_id)
            new_envoys = [target] if target else []
            if problem.envoy_id is not None and problem.envoy_id != target_envoy_id:
                previous = await self.accounts.account_of_envoy(problem.envoy_id)
        tz = self.s.settings.zone
        note_md = note or ""

        def render(changed: Problem) -> list[Outgoing]:
            out = self._to_actor(changed, action, actor, origin)
            view = self.buttons(changed)
            number = changed.number
            if action is Action.ACCEPT:
                out += self.to_all(
                    reporters,
                    lambda lang: t(
                        lang,
                        "notify-accepted",
                        number=number,
                        envoy=changed.envoy_name or "",
                        tier=tier_label(lang, changed.tier),
                        due=local(changed.due_at, tz),
                    ),
                    view,
                    exclude=actor.tg_user_id,
                )
            elif action is Action.NOTE:
                out += self.to_all(
                    reporters,
                    lambda lang: t(lang, "notify-progress", number=number, note=note_md),
                    view,
                )
            elif action is Action.ESCALATE:
                out += self.to_all(
                    reporters,
                    lambda lang: t(
                        lang,
                        "notify-escalated-reporter",
                        number=number,
                        tier=tier_label(lang, changed.tier),
                        due=local(changed.due_at, tz),
                    ),
                    view,
                )

                def up(lang: str) -> str:
                    history = "\n\n".join(event_line(lang, e, tz) for e in events)
                    return (
                        self.card(changed, "notify-escalated-up", reason=note_md)(lang)
                        + "\n\n"
                        + t(lang, "notify-history", history=Markup(history))
                    )

                out += self.to_all(above, up, view, exclude=actor.tg_user_id)
            elif action is Action.RESOLVE:
                confirm = self.buttons(
                    changed, ("confirm", "btn-confirm", 0), ("reject", "btn-reject", 0)
                )
                out += self.to_all(
                    staff,
                    lambda lang: t(lang, "notify-resolved", number=number, note=note_md),
                    confirm,
                )
            elif action is Action.CONFIRM:
                out += self.to_all(
                    envoys, lambda lang: t(lang, "notify-confirmed", number=number), view
                )
            elif action is Action.REJECT:
                now = self.s.clock.now()
                out += self.to_all(
                    envoys,
                    lambda lang: t(
                        lang,
                        "notify-rejected",
                        number=number,
                        reason=note_md,
                        left=duration(lang, changed.due_at - now),
                    ),
                    view,
                )
            elif action is Action.RATE:
                out += self.to_all(
                    envoys,
                    lambda lang: t(
                        lang,
                        "notify-rated",
                        number=number,
                        stars="★" * (changed.satisfaction or 0),
                        comment=changed.comment or "",
                    ),
                    view,
                )
            elif action is Action.ADD_INFO:
                out += self.to_all(
                    envoys,
                    lambda lang: t(lang, "notify-info-added", number=number, note=note_md),
                    view,
                    files=attachments,
                )
            elif action is Action.REASSIGN:
                out += self.to_all(new_envoys, self.card(changed, "notify-reassigned-to-you"), view)
                if previous is not None:
                    out += self.to_all(
                        [previous],
                        lambda lang: t(
                            lang,
                            "notify-reassigned-away",
                            number=number,
                            envoy=changed.envoy_name or "",
                        ),
                    )
                out += self.to_all(
                    reporters,
                    lambda lang: t(
                        lang,
                        "notify-reassigned-reporter",
                        number=number,
                        envoy=changed.envoy_name or "",
                    ),
                    view,
                )
            elif action is Action.WITHDRAW:
                withdrawn: TextFn = lambda lang: t(  # noqa: E731
                    lang, "notify-withdrawn", number=number, reason=note_md
                )
                out += self.to_all(reporters, withdrawn)
                out += self.to_all(envoys, withdrawn)
            return out

        return render

    def _to_actor(
        self, problem: Problem, action: Action, actor: Actor, origin: Origin | None
    ) -> list[Outgoing]:
        """The actor's own confirmation with the fresh card: the pressed card is replaced.

        After Confirm the card itself asks for the rating: its keyboard carries the one row of
        stars (a rating then replaces it by a card without them)."""
        if origin is None:
            return []
        lang = origin.lang
        s = self.s
        head = t(lang, f"done-{action.value}", number=problem.number)
        if action is Action.CONFIRM and Action.RATE in allowed_actions(actor, problem):
            head += "\n" + t(lang, "ask-rating", number=problem.number)
        text = head + "\n\n" + problem_detail(lang, problem, s.clock.now(), s.settings.zone)
        keyboard = problem_keyboard(lang, actor, problem)
        return edit_or_send(origin.chat_id, origin.message_id, text, keyboard)

    async def unreachable_notice(
        self, account: Account, reason: UnreachableReason = "blocked"
    ) -> list[Outgoing]:
        """Told once, when an envoy's account turns unreachable: their lead hears of it and why.

        ``reason`` is "blocked" (the bot; may come back) or "deactivated" (account deleted).
        """
        if account.envoy_id is None:
            return []
        envoy = await self.org.get_envoy(account.envoy_id)
        if envoy is None or envoy.team_id is None:
            return []
        lead = await self.org.lead_of_team(envoy.team_id)
        if lead is None or lead.id == envoy.id:
            return []
        lead_account = await self.accounts.account_of_envoy(lead.id)
        if lead_account is None:
            return []
        return self.to_all(
            [lead_account], lambda lang: t(lang, UNREACHABLE_KEYS[reason], envoy=envoy.name)
        )
