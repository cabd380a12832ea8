"""Simulated people for the fault benchmarks: when the bot is silent they wait, then retry.

A person who gets no answer repeats the action (sends the text again, presses the button
again while it is still there), and after a few tries starts a report over. What each of
them was told and did is recorded, so it can be compared with the database afterwards.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from benchmarks.loadgen import (
    ACCEPTED,
    ASK_RESOLVE,
    CATEGORY,
    CLOSED,
    DESCRIBE,
    NEW_PROBLEM,
    RESOLVED,
    SKIP_FILES,
    SUBMIT,
    Predicate,
    Seen,
    Watch,
    accept_data,
    act_data,
    has_button,
    number_in,
    registered,
    says,
)
from sandbox import SimUser

logger = logging.getLogger(__name__)

ACCEPT_DATA = re.compile(r"^a:accept:(\d+):")
FLOWS = 3  # a report is started over at most this often
NOTICE_ACCEPTED = "已由特派员"  # notify-accepted, to the reporter
NOTICE_RESOLVED = "特派员已办结"  # notify-resolved, to the reporter
NOTICE_CONFIRMED = "企业已确认"  # notify-confirmed, to the envoy


@dataclass
class Behaviour:
    """How patient people are."""

    patience: float  # seconds to wait for an answer before repeating
    tries: int  # actions per step, the first included


@dataclass
class Action:
    """One thing a person did that changes something, and what they were shown right away."""

    kind: str  # report / accept / resolve / confirm
    actor: int
    description: str = ""
    number: str | None = None
    problem_id: int | None = None
    acknowledged: bool = False


@dataclass
class Journal:
    """Everything the people of a run did."""

    actions: list[Action] = field(default_factory=list)
    repeats: dict[int, list[float]] = field(default_factory=dict)  # chat → when repeated
    restarts: int = 0
    gave_up: int = 0
    stalled: dict[str, int] = field(default_factory=dict)  # lifecycle stage → stopped there

    def repeated(self, chat_id: int) -> None:
        self.repeats.setdefault(chat_id, []).append(time.perf_counter())

    @property
    def repeat_count(self) -> int:
        return sum(len(times) for times in self.repeats.values())

    def stall(self, stage: str) -> None:
        self.stalled[stage] = self.stalled.get(stage, 0) + 1


async def attempt(
    watch: Watch,
    chat_id: int,
    act: Callable[[], Awaitable[object]],
    predicate: Predicate,
    how: Behaviour,
    journal: Journal,
    patience: float | None = None,
) -> Seen | None:
    """Act, wait; act again while nothing came (a late answer to any try still counts)."""
    future = watch.expect(chat_id, predicate)
    try:
        for i in range(how.tries):
            if i:
                journal.repeated(chat_id)
            try:
                await act()
            except LookupError:  # the button is gone: the bot took the press, only waiting helps
                logger.debug("chat %s: button gone, waiting", chat_id)
            seen = await watch.wait_keep(future, patience or how.patience)
            if seen is not None:
                return seen
        return None
    finally:
        future.cancel()


def press(watch: Watch, user: SimUser, message_id: int, data: str) -> Callable[[], Awaitable[str]]:
    """The act of pressing a button."""
    return lambda: watch.tap(user, message_id, data)


def write(user: SimUser, text: str) -> Callable[[], Awaitable[int]]:
    """The act of sending a text."""
    return lambda: user.send_text(text)


async def report(
    watch: Watch, user: SimUser, description: str, how: Behaviour, journal: Journal
) -> str | None:
    """File one report, starting over when a step stays unanswered; the number shown."""
    action = Action("report", user.id, description)
    journal.actions.append(action)
    for flow in range(FLOWS):
        if flow:
            journal.restarts += 1
        number = await _report_once(watch, user, description, how, journal)
        if number is not None:
            action.number, action.acknowledged = number, True
            return number
    journal.gave_up += 1
    return None


async def _report_once(
    watch: Watch, user: SimUser, description: str, how: Behaviour, journal: Journal
) -> str | None:
    """/report → category → description → no files → Submit, each step tried how.tries times."""
    chat = user.id
    seen = await attempt(watch, chat, write(user, "/report"), has_button(CATEGORY), how, journal)
    if seen is None:
        return None
    seen = await attempt(
        watch, chat, press(watch, user, seen.message_id, CATEGORY + "other"),
        says(DESCRIBE, new_only=True), how, journal,
    )  # fmt: skip
    if seen is None:
        return None
    seen = await attempt(
        watch, chat, write(user, description), has_button(SKIP_FILES), how, journal
    )
    if seen is None:
        return None
    seen = await attempt(
        watch, chat, press(watch, user, seen.message_id, SKIP_FILES), has_button(SUBMIT),
        how, journal,
    )  # fmt: skip
    if seen is None:
        return None
    seen = await attempt(
        watch, chat, press(watch, user, seen.message_id, SUBMIT), registered, how, journal,
        patience=how.patience * 2,
    )  # fmt: skip
    return number_in(seen.text) if seen is not None else None


def card_of(number: str) -> Predicate:
    """The new-problem card of this number, with its accept buttons."""
    return lambda s: (
        NEW_PROBLEM in s.text and number in s.text and any(ACCEPT_DATA.match(b) for b in s.buttons)
    )


async def lifecycle(
    watch: Watch,
    staff: SimUser,
    envoy: SimUser,
    description: str,
    how: Behaviour,
    journal: Journal,
) -> None:
    """Report, accept (tier 1), resolve with a note, confirm: four actions of two people."""
    number = await report(watch, staff, description, how, journal)
    if number is None:
        journal.stall("report")
        return
    card = await watch.seen_or_wait(envoy.id, card_of(number), how.patience * 2)
    if card is None:
        journal.stall("card to the envoy")
        return
    match = next(m for m in map(ACCEPT_DATA.match, card.buttons) if m)
    problem_id = int(match.group(1))
    if not await accept(watch, envoy, card, number, problem_id, how, journal):
        journal.stall("accept")
        return
    if not await resolve(watch, envoy, number, problem_id, how, journal):
        journal.stall("resolve")
        return
    if not await confirm(watch, staff, number, problem_id, how, journal):
        journal.stall("confirm")


async def accept(
    watch: Watch,
    envoy: SimUser,
    card: Seen,
    number: str,
    problem_id: int,
    how: Behaviour,
    journal: Journal,
) -> bool:
    """The envoy presses Accept, tier 1 on the card."""
    action = Action("accept", envoy.id, number=number, problem_id=problem_id)
    journal.actions.append(action)
    seen = await attempt(
        watch, envoy.id, press(watch, envoy, card.message_id, accept_data(problem_id, 1)),
        says(ACCEPTED, number), how, journal,
    )  # fmt: skip
    action.acknowledged = seen is not None
    return action.acknowledged


async def resolve(
    watch: Watch, envoy: SimUser, number: str, problem_id: int, how: Behaviour, journal: Journal
) -> bool:
    """The envoy presses Resolve on the fresh card and writes the note it asks for."""
    action = Action("resolve", envoy.id, number=number, problem_id=problem_id)
    journal.actions.append(action)
    button = act_data("resolve", problem_id)
    card = await watch.seen_or_wait(envoy.id, has_button(button, new_only=False), how.patience)
    if card is None:
        return False
    prompt = await attempt(
        watch, envoy.id, press(watch, envoy, card.message_id, button),
        says(ASK_RESOLVE, number, new_only=True), how, journal,
    )  # fmt: skip
    if prompt is None:
        return False
    note = f"已协调海关完成清关，问题 {number} 办结"
    done = await attempt(watch, envoy.id, write(envoy, note), says(RESOLVED, number), how, journal)
    action.acknowledged = done is not None
    return action.acknowledged


async def confirm(
    watch: Watch, staff: SimUser, number: str, problem_id: int, how: Behaviour, journal: Journal
) -> bool:
    """The reporter presses Confirm on the "resolved" notice."""
    button = act_data("confirm", problem_id)
    notice = await watch.seen_or_wait(
        staff.id, has_button(button, new_only=False), how.patience * 2
    )
    if notice is None:
        journal.stall("resolved notice to the reporter")
        return True  # not the confirm's fault; the missing notice is counted from the chats
    action = Action("confirm", staff.id, number=number, problem_id=problem_id)
    journal.actions.append(action)
    seen = await attempt(
        watch, staff.id, press(watch, staff, notice.message_id, button), says(CLOSED, number),
        how, journal,
    )  # fmt: skip
    action.acknowledged = seen is not None
    return action.acknowledged
