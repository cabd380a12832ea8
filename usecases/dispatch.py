"""Dispatch orders (派单): send a problem to departments, and each department's steps on it.

Both authorise on the server when they happen, and write the change, its timeline event, the
department clock's plan and every owed message in one transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from domain.dispatch import Step, decide_dispatch, decide_step, live_departments
from domain.models import Actor, Dispatch, Problem
from domain.permissions import can_view
from domain.reminders import PlannedReminder, QuietHours, plan_for_dispatch
from storage.dispatches_repo import DispatchEffects, StepChange
from storage.problems_repo import NewAttachment
from usecases.ports import Origin
from usecases.services import Services

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class DispatchOutcome:
    """What happened: the dispatches as changed, or why nothing changed."""

    ok: bool
    problem: Problem | None
    dispatches: tuple[Dispatch, ...] = ()
    reason: str | None = None


def plan_dispatch(
    services: Services, dispatch: Dispatch, problem: Problem, now: datetime
) -> list[PlannedReminder]:
    """The department clock of one dispatch from now on."""
    s = services.settings
    return plan_for_dispatch(
        live=dispatch.state.is_live and problem.state.is_open,
        due_at=dispatch.due_at,
        now=now,
        hours_before=s.dispatch_reminders,
        quiet=QuietHours.parse(s.quiet_start, s.quiet_end),
        tz=s.zone,
    )


async def dispatch_problem(
    services: Services,
    actor: Actor,
    problem_id: int,
    department_ids: Sequence[int],
    *,
    note: str | None,
    due_at: datetime | None,
    origin: Origin | None = None,
) -> DispatchOutcome:
    """Send a problem to one or more departments, each with this note and deadline."""
    problem = await services.problems.get(problem_id)
    if problem is None or not can_view(actor, problem):
        return DispatchOutcome(False, None, reason="err-no-such-problem")
    existing = await services.dispatches.for_problem(problem.id)
    known = await services.departments.names()
    now = services.clock.now()
    chosen = list(dict.fromkeys(department_ids))
    reason = decide_dispatch(
        actor,
        problem,
        chosen,
        known=known.keys(),
        live=live_departments(existing),
        note=note,
        due_at=due_at,
        now=now,
    )
    if reason is not None:
        return DispatchOutcome(False, problem, reason=reason)
    assert note is not None and due_at is not None
    render = await services.notices.for_dispatch(
        problem, actor, chosen, note=note.strip(), due_at=due_at, origin=origin
    )
    effects = DispatchEffects(
        now=now,
        messages=render,
        plan=lambda d: plan_dispatch(services, d, problem, now),
    )
    made = await services.dispatches.create(
        problem,
        chosen,
        note=note.strip(),
        due_at=due_at,
        actor_tg_id=actor.tg_user_id,
        actor_role=actor.role.value,
        at=now,
        effects=effects,
    )
    if made is None:
        return DispatchOutcome(
            False, await services.problems.get(problem_id), (), "err-changed-meanwhile"
        )
    logger.info(
        "problem %s dispatched by %s to departments %s",
        problem.number,
        actor.tg_user_id,
        chosen,
    )
    services.dispatch.deliver(effects.queued)
    services.dispatch.replanned()
    return DispatchOutcome(True, await services.problems.get(problem_id), tuple(made))


async def take_step(
    services: Services,
    actor: Actor,
    dispatch_id: int,
    step: Step,
    *,
    note: str | None = None,
    attachments: Sequence[NewAttachment] = (),
    origin: Origin | None = None,
) -> DispatchOutcome:
    """A department signs for, reports on, finishes or returns its dispatch."""
    dispatch = await services.dispatches.get(dispatch_id)
    problem = await services.problems.get(dispatch.problem_id) if dispatch else None
    if dispatch is None or problem is None or not can_view(actor, problem):
        return DispatchOutcome(False, None, reason="err-no-such-problem")
    decision = decide_step(actor, problem, dispatch, step, note=note)
    if not decision.allowed:
        return DispatchOutcome(False, problem, (dispatch,), decision.reason)
    now = services.clock.now()
    clean = note.strip() if note else None
    render = await services.notices.for_step(
        problem, dispatch, step, actor, note=clean, origin=origin, attachments=attachments
    )
    effects = DispatchEffects(
        now=now,
        messages=render,
        plan=lambda d: plan_dispatch(services, d, problem, now),
    )
    change = StepChange(
        action=step.event,
        new_state=decision.new_state,
        actor_tg_id=actor.tg_user_id,
        at=now,
        note=clean,
        internal=step is Step.INTERNAL,
        attachments=attachments,
    )
    updated = await services.dispatches.step(dispatch, problem, change, effects)
    if updated is None:
        current = await services.dispatches.get(dispatch_id)
        return DispatchOutcome(
            False, problem, (current,) if current else (), "err-changed-meanwhile"
        )
    logger.info(
        "dispatch %s of problem %s: %s by %s -> %s",
        dispatch.id,
        problem.number,
        step.value,
        actor.tg_user_id,
        updated.state.value,
    )
    services.dispatch.deliver(effects.queued)
    services.dispatch.replanned()
    return DispatchOutcome(True, problem, (updated,))
