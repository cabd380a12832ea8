"""Carries out a lifecycle action: authorise now, compute deadlines, write atomically."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from domain.deadlines import DayCounting, due_at
from domain.lifecycle import Action, decide
from domain.models import Actor, Problem, Role, State
from domain.reminders import PlannedReminder, QuietHours, plan_confirmations, plan_for_problem
from storage.problems_repo import Change, Effects, NewAttachment
from usecases.ports import Origin
from usecases.services import Services

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened: the problem after the change, or why nothing changed."""

    ok: bool
    problem: Problem | None
    reason: str | None = None


def plan_reminders(
    services: Services, problem: Problem, now: datetime
) -> tuple[datetime, list[PlannedReminder]]:
    """What the clock sends for a problem from now on, and the moment the plan hangs on."""
    s = services.settings
    quiet = QuietHours.parse(s.quiet_start, s.quiet_end)
    if problem.state is State.RESOLVED and problem.resolved_at is not None:
        return problem.resolved_at, plan_confirmations(
            resolved_at=problem.resolved_at, now=now, quiet=quiet, tz=s.zone
        )
    return problem.due_at, plan_for_problem(
        state=problem.state,
        tier=problem.tier,
        due_at=problem.due_at,
        now=now,
        hours_before=s.reminder_hours(problem.tier or 1),
        quiet=quiet,
        tz=s.zone,
    )


def compute_due(services: Services, problem: Problem, tier: int | None) -> datetime:
    """The deadline for a tier, counted from registration (SPEC §4)."""
    s = services.settings
    return due_at(
        problem.registered_at,
        tier,
        tier_days=s.tier_days,
        counting=DayCounting(s.day_counting),
        tz=s.zone,
    )


async def perform(
    services: Services,
    actor: Actor,
    problem_id: int,
    action: Action,
    *,
    tier: int | None = None,
    note: str | None = None,
    rating: int | None = None,
    comment: str | None = None,
    target_envoy_id: int | None = None,
    attachments: Sequence[NewAttachment] = (),
    origin: Origin | None = None,
    current: Problem | None = None,
) -> Outcome:
    """Check the rules for this actor now and apply the action with what it owes.

    ``current`` is the problem as the caller read it for this very request (saves a read);
    the write is still refused if anybody changed the problem since (optimistic version)."""
    problem = current if current is not None and current.id == problem_id else None
    if problem is None:
        problem = await services.problems.get(problem_id)
    if problem is None:
        return Outcome(False, None, "err-no-such-problem")
    target_team: int | None = None
    if action is Action.REASSIGN:
        if target_envoy_id is None:
            return Outcome(False, problem, "err-pick-envoy")
        target = await services.org.get_envoy(target_envoy_id)
        if target is None:
            return Outcome(False, problem, "err-pick-envoy")
        target_team = target.team_id
    decision = decide(
        actor,
        problem,
        action,
        tier=tier,
        note=note,
        target_envoy_team_id=target_team,
        rating=rating,
    )
    if not decision.allowed:
        return Outcome(False, problem, decision.reason)
    now = services.clock.now()
    change = Change(
        action=action.value,
        actor_tg_id=actor.tg_user_id,
        actor_role=actor.role.value,
        at=now,
        note=note.strip() if note else None,
        new_state=decision.new_state if decision.new_state != problem.state else None,
        attachments=attachments,
    )
    if action is Action.ACCEPT:
        change = _with(change, tier=decision.new_tier, envoy_id=problem.envoy_id or actor.envoy_id)
    elif action is Action.ESCALATE:
        change = _with(change, tier=decision.new_tier)
    elif action is Action.RESOLVE:
        change = _with(change, set_resolved_at=True)
    elif action is Action.REJECT:
        change = _with(change, clear_resolved_at=True)
    elif action is Action.CONFIRM or action is Action.WITHDRAW:
        change = _with(change, set_closed_at=True)
    elif action is Action.RATE:
        change = _with(change, satisfaction=rating, comment=comment.strip() if comment else None)
    elif action is Action.REASSIGN:
        change = _with(change, envoy_id=target_envoy_id)
    if change.tier is not None:
        change = _with(change, due_at=compute_due(services, problem, change.tier))
    render = await services.notices.for_change(
        problem,
        action,
        actor,
        note=change.note,
        target_envoy_id=target_envoy_id,
        origin=origin,
        attachments=attachments,
    )
    effects = Effects(
        now=now, messages=render, plan=lambda changed: plan_reminders(services, changed, now)
    )
    updated = await services.problems.apply(problem, change, effects)
    if updated is None:
        current = await services.problems.get(problem_id)
        return Outcome(False, current, "err-changed-meanwhile")
    logger.info(
        "problem %s: %s by %s (%s) -> %s",
        updated.number,
        action.value,
        actor.tg_user_id,
        actor.role.value,
        updated.state.value,
    )
    services.dispatch.deliver(effects.queued)
    services.dispatch.replanned()
    return Outcome(True, updated)


def _with(change: Change, **kwargs: object) -> Change:
    return replace(change, **kwargs)  # type: ignore[arg-type]


async def register_problem(
    services: Services,
    actor: Actor,
    *,
    category: str,
    description: str,
    attachments: Sequence[NewAttachment],
    client_key: str | None = None,
    origin: Origin | None = None,
) -> Problem:
    """Commit a new report with its number message, envoy cards and reminder plan at once."""
    if actor.role is not Role.STAFF or actor.enterprise_id is None:
        raise PermissionError("only enterprise staff report problems")
    now = services.clock.now()
    s = services.settings
    due = due_at(now, None, tier_days=s.tier_days, counting=DayCounting(s.day_counting), tz=s.zone)
    render = await services.notices.for_registration(actor, origin, attachments)
    effects = Effects(
        now=now, messages=render, plan=lambda created: plan_reminders(services, created, now)
    )
    problem = await services.problems.create(
        enterprise_id=actor.enterprise_id,
        reporter_tg_id=actor.tg_user_id,
        category=category,
        description=description,
        registered_at=now,
        due_at=due,
        attachments=attachments,
        client_key=client_key,
        effects=effects,
    )
    if effects.replayed:
        # the same draft submitted again (e.g. a retried press): the number once more, only
        replay = await services.notices.for_replay(actor, origin)
        queued = await services.outbox.add(replay(problem), now)
        services.dispatch.deliver(queued)
        return problem
    logger.info("problem %s registered by %s", problem.number, actor.tg_user_id)
    services.dispatch.deliver(effects.queued)
    services.dispatch.replanned()
    return problem
