"""What the use cases need from the outside, as protocols the wiring fills in."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from domain.dispatch import Step
from domain.lifecycle import Action
from domain.models import Actor, Dispatch, Problem
from domain.outgoing import Outgoing, Queued
from storage.problems_repo import NewAttachment

Render = Callable[[Problem], Sequence[Outgoing]]
DispatchRender = Callable[[Sequence[Dispatch]], Sequence[Outgoing]]


@dataclass(frozen=True, slots=True)
class Origin:
    """Where the actor acted: their chat, the message whose button they pressed, language."""

    chat_id: int
    message_id: int | None
    lang: str


class NoticePort(Protocol):
    """Renders what people are told about a change, once the problem as changed is known."""

    async def for_registration(
        self, actor: Actor, origin: Origin | None, attachments: Sequence[NewAttachment] = ()
    ) -> Render: ...

    async def for_replay(self, actor: Actor, origin: Origin | None) -> Render: ...

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
    ) -> Render: ...

    async def for_dispatch(
        self,
        problem: Problem,
        actor: Actor,
        department_ids: Sequence[int],
        *,
        note: str,
        due_at: datetime,
        origin: Origin | None,
    ) -> DispatchRender: ...

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
    ) -> DispatchRender: ...


class DispatchPort(Protocol):
    """Hands committed owed messages to the sender and tells the clock the plan changed."""

    def deliver(self, queued: Sequence[Queued]) -> None: ...

    def replanned(self) -> None: ...


class _Silent:
    """No notices and no delivery: for tools that change data without a running bot."""

    async def for_registration(
        self, actor: Actor, origin: Origin | None, attachments: Sequence[NewAttachment] = ()
    ) -> Render:
        return lambda problem: ()

    async def for_replay(self, actor: Actor, origin: Origin | None) -> Render:
        return lambda problem: ()

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
        return lambda changed: ()

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
        return lambda made: ()

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
        return lambda changed: ()

    def deliver(self, queued: Sequence[Queued]) -> None:
        """Nothing runs to deliver; what was owed stays in the outbox."""

    def replanned(self) -> None:
        """No clock runs here."""


SILENT = _Silent()
