"""Tells people what happened: each in their own language, unreachable users marked."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable
from functools import partial
from typing import Any, TypeVar

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, TelegramError

from domain.lifecycle import Action
from domain.models import Account, Problem
from handlers.common import split_text
from texts.callbacks import ProblemAct, ProblemView
from texts.i18n import Markup, plain, t
from texts.views import duration, event_line, local, problem_detail, tier_label
from usecases.services import Services, services_of

logger = logging.getLogger(__name__)

NOTIFIER_KEY = "envoybot.notifier"
RETRIES = 4
BACKOFF_SECONDS = 0.25
T = TypeVar("T")


async def with_retry(call: Callable[[], Awaitable[T]]) -> T:
    """Retry 5xx answers and network timeouts with exponential back-off (429 is PTB's)."""
    for attempt in range(RETRIES):
        try:
            return await call()
        except (BadRequest, Forbidden):
            raise
        except NetworkError as exc:
            if attempt == RETRIES - 1:
                raise
            delay = BACKOFF_SECONDS * 2**attempt
            logger.warning("Telegram call failed (%s); retry %s in %.2fs", exc, attempt + 1, delay)
            await asyncio.sleep(delay)
    raise AssertionError("unreachable")


TextFn = Callable[[str], str]
MarkupFn = Callable[[str], InlineKeyboardMarkup | None]


def notifier_of(application: Any) -> Notifier:
    found = application.bot_data.get(NOTIFIER_KEY)
    if found is None:
        found = Notifier(application.bot, services_of(application))
        application.bot_data[NOTIFIER_KEY] = found
    assert isinstance(found, Notifier)
    return found


class Notifier:
    """Sends notifications; a 403 marks the account unreachable instead of failing."""

    def __init__(self, bot: Bot, services: Services) -> None:
        self.bot = bot
        self.s = services
        self.on_unreachable: Callable[[Account], Awaitable[None]] | None = None

    def _lang(self, account: Account | None) -> str:
        if account is not None and account.lang:
            return account.lang
        return self.s.settings.default_lang

    async def _deliver(self, account: Account, calls: list[Callable[[], Awaitable[Any]]]) -> bool:
        """Make the calls in order; a 403 marks the account unreachable (the lead hears once)."""
        try:
            for call in calls:
                await with_retry(call)
        except Forbidden:
            logger.warning("user %s blocked the bot; marking unreachable", account.tg_user_id)
            changed = await self.s.accounts.set_reachable(account.tg_user_id, False)
            if changed and self.on_unreachable is not None:
                await self.on_unreachable(account)
            return False
        except TelegramError as exc:
            logger.warning("cannot reach %s: %s", account.tg_user_id, exc.message)
            return False
        if not account.reachable:
            await self.s.accounts.set_reachable(account.tg_user_id, True)
        return True

    async def send(self, account: Account, text: TextFn, markup: MarkupFn | None = None) -> bool:
        """Send one (possibly split) message; False when the user cannot be reached."""
        lang = self._lang(account)
        parts = split_text(text(lang))
        keyboard = markup(lang) if markup else None
        return await self._deliver(
            account,
            [
                partial(
                    self.bot.send_message,
                    account.tg_user_id,
                    part,
                    reply_markup=keyboard if i == len(parts) - 1 else None,
                )
                for i, part in enumerate(parts)
            ],
        )

    async def send_photo(
        self, account: Account, png: bytes, caption: str, extra_text: str | None = None
    ) -> bool:
        """A picture with its caption (and an optional follow-up text), e.g. the weekly chart."""
        calls: list[Callable[[], Awaitable[Any]]] = [
            partial(self.bot.send_photo, account.tg_user_id, png, caption=caption)
        ]
        if extra_text:
            calls += [
                partial(self.bot.send_message, account.tg_user_id, part)
                for part in split_text(extra_text)
            ]
        return await self._deliver(account, calls)

    async def send_files(
        self, account: Account, problem: Problem, event_only: int | None = None
    ) -> None:
        """Forward a problem's attachments (all, or one event's) by file_id."""
        files = await self.s.problems.attachments(problem.id)
        caption = f"№{problem.number}"
        for f in files:
            if event_only is not None and f.event_id != event_only:
                continue
            try:
                if f.kind == "photo":
                    await with_retry(
                        partial(self.bot.send_photo, account.tg_user_id, f.file_id, caption=caption)
                    )
                else:
                    await with_retry(
                        partial(
                            self.bot.send_document, account.tg_user_id, f.file_id, caption=caption
                        )
                    )
            except Forbidden:
                await self.s.accounts.set_reachable(account.tg_user_id, False)
                return
            except TelegramError as exc:
                logger.warning("could not forward file of %s: %s", problem.number, exc)

    # --- recipients -----------------------------------------------------------------

    async def envoy_accounts(self, problem: Problem) -> list[Account]:
        """The responsible envoy, else every envoy of the enterprise who has an account."""
        if problem.envoy_id is not None:
            account = await self.s.accounts.account_of_envoy(problem.envoy_id)
            return [account] if account else []
        found: list[Account] = []
        for envoy in await self.s.org.envoys_of_enterprise(problem.enterprise_id):
            account = await self.s.accounts.account_of_envoy(envoy.id)
            if account is not None:
                found.append(account)
        return found

    async def lead_accounts(self, problem: Problem) -> list[Account]:
        if problem.team_id is None:
            return []
        lead = await self.s.org.lead_of_team(problem.team_id)
        if lead is None:
            return []
        account = await self.s.accounts.account_of_envoy(lead.id)
        return [account] if account else []

    async def admin_accounts(self) -> list[Account]:
        return await self.s.accounts.admin_accounts()

    async def staff_accounts(self, problem: Problem) -> list[Account]:
        return await self.s.accounts.staff_of_enterprise(problem.enterprise_id)

    async def reporter(self, problem: Problem) -> list[Account]:
        account = await self.s.accounts.get(problem.reporter_tg_id)
        return [account] if account else []

    # --- what to say ----------------------------------------------------------------

    def _card(self, problem: Problem, head_key: str, **kwargs: Any) -> TextFn:
        now = self.s.clock.now()
        tz = self.s.settings.zone

        def text(lang: str) -> str:
            head = t(lang, head_key, number=problem.number, **kwargs)
            return head + "\n\n" + problem_detail(lang, problem, now, tz)

        return text

    @staticmethod
    def _buttons(problem: Problem, *spec: tuple[str, str, int]) -> MarkupFn:
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

    async def _to_all(
        self,
        accounts: Iterable[Account],
        text: TextFn,
        markup: MarkupFn | None = None,
        *,
        exclude: int | None = None,
        files_of: Problem | None = None,
    ) -> int:
        sent = 0
        seen: set[int] = set()
        for account in accounts:
            if account.tg_user_id in seen or account.tg_user_id == exclude:
                continue
            seen.add(account.tg_user_id)
            if files_of is not None:
                await self.send_files(account, files_of)
            if await self.send(account, text, markup):
                sent += 1
        return sent

    async def problem_registered(self, problem: Problem) -> None:
        """A new problem goes to its envoys with Accept buttons; nobody reachable → lead, admins."""
        accept = self._buttons(
            problem,
            ("accept", "btn-accept-tier", 1),
            ("accept", "btn-accept-tier", 2),
            ("accept", "btn-accept-tier", 3),
        )
        text = self._card(problem, "notify-new-problem")
        if await self._to_all(await self.envoy_accounts(problem), text, accept, files_of=problem):
            return
        logger.warning("no envoy reachable for %s; telling the lead", problem.number)
        if await self._to_all(await self.lead_accounts(problem), text, accept, files_of=problem):
            return
        await self._to_all(await self.admin_accounts(), text, accept, files_of=problem)

    async def problem_changed(
        self,
        problem: Problem,
        action: Action,
        actor_tg_id: int,
        note: str | None = None,
        previous_envoy_id: int | None = None,
    ) -> None:
        """Tell the reporter, the envoys and the level above what just happened."""
        tz = self.s.settings.zone
        now = self.s.clock.now()
        view = self._buttons(problem)
        reporter = await self.reporter(problem)
        note_md = note or ""
        if action is Action.ACCEPT:
            await self._to_all(
                reporter,
                lambda lang: t(
                    lang,
                    "notify-accepted",
                    number=problem.number,
                    envoy=problem.envoy_name or "",
                    tier=tier_label(lang, problem.tier),
                    due=local(problem.due_at, tz),
                ),
                view,
                exclude=actor_tg_id,
            )
        elif action is Action.NOTE:
            await self._to_all(
                reporter,
                lambda lang: t(lang, "notify-progress", number=problem.number, note=note_md),
                view,
            )
        elif action is Action.ESCALATE:
            await self._to_all(
                reporter,
                lambda lang: t(
                    lang,
                    "notify-escalated-reporter",
                    number=problem.number,
                    tier=tier_label(lang, problem.tier),
                    due=local(problem.due_at, tz),
                ),
                view,
            )
            above = (
                await self.lead_accounts(problem)
                if problem.tier == 2
                else await self.admin_accounts()
            )
            events = await self.s.problems.events(problem.id)

            def up(lang: str) -> str:
                history = "\n\n".join(event_line(lang, e, tz) for e in events)
                return (
                    self._card(problem, "notify-escalated-up", reason=note_md)(lang)
                    + "\n\n"
                    + t(lang, "notify-history", history=Markup(history))
                )

            await self._to_all(above, up, view, exclude=actor_tg_id)
        elif action is Action.RESOLVE:
            confirm = self._buttons(
                problem, ("confirm", "btn-confirm", 0), ("reject", "btn-reject", 0)
            )
            await self._to_all(
                await self.staff_accounts(problem),
                lambda lang: t(lang, "notify-resolved", number=problem.number, note=note_md),
                confirm,
            )
        elif action is Action.CONFIRM:
            await self._to_all(
                await self.envoy_accounts(problem),
                lambda lang: t(lang, "notify-confirmed", number=problem.number),
                view,
            )
        elif action is Action.REJECT:
            await self._to_all(
                await self.envoy_accounts(problem),
                lambda lang: t(
                    lang,
                    "notify-rejected",
                    number=problem.number,
                    reason=note_md,
                    left=duration(lang, problem.due_at - now),
                ),
                view,
            )
        elif action is Action.RATE:
            await self._to_all(
                await self.envoy_accounts(problem),
                lambda lang: t(
                    lang,
                    "notify-rated",
                    number=problem.number,
                    stars="★" * (problem.satisfaction or 0),
                    comment=problem.comment or "",
                ),
                view,
            )
        elif action is Action.ADD_INFO:
            events = await self.s.problems.events(problem.id)
            last = events[-1] if events else None
            for account in await self.envoy_accounts(problem):
                if last is not None and last.attachments:
                    await self.send_files(account, problem, event_only=last.id)
                await self.send(
                    account,
                    lambda lang: t(lang, "notify-info-added", number=problem.number, note=note_md),
                    view,
                )
        elif action is Action.REASSIGN:
            new = await self.envoy_accounts(problem)
            await self._to_all(new, self._card(problem, "notify-reassigned-to-you"), view)
            if previous_envoy_id is not None and previous_envoy_id != problem.envoy_id:
                old = await self.s.accounts.account_of_envoy(previous_envoy_id)
                if old is not None:
                    await self.send(
                        old,
                        lambda lang: t(
                            lang,
                            "notify-reassigned-away",
                            number=problem.number,
                            envoy=problem.envoy_name or "",
                        ),
                    )
            await self._to_all(
                reporter,
                lambda lang: t(
                    lang,
                    "notify-reassigned-reporter",
                    number=problem.number,
                    envoy=problem.envoy_name or "",
                ),
                view,
            )
        elif action is Action.WITHDRAW:
            await self._to_all(
                reporter,
                lambda lang: t(lang, "notify-withdrawn", number=problem.number, reason=note_md),
            )
            await self._to_all(
                await self.envoy_accounts(problem),
                lambda lang: t(lang, "notify-withdrawn", number=problem.number, reason=note_md),
            )
