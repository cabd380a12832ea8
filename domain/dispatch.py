"""Dispatch orders (派单): who may send a problem to departments, and each dispatch's own steps.

Decisions made here where the brief left room:

- An admin dispatches any registered or in-progress problem; a team lead only a tier-2 problem
  of the team (SPEC §3). Resolved, closed and withdrawn problems are not dispatched.
- Every dispatch needs a note (what the department is asked to do) and a deadline still ahead;
  the default deadline is the problem's own, when that is still ahead.
- One live (sent or signed) dispatch per problem and department: a department that returned a
  problem, or finished its part, may be sent it again; one still working it may not.
- A department signs for a dispatch before it reports progress or finishes; it may return it
  (with a reason) before or after signing. Done and returned are final.
- Department steps are open while the problem is not closed or withdrawn: an envoy's
  resolution may still be rejected by the enterprise, and the department's answer still counts.
- A forged or foreign press gets the same answer as a problem that does not exist.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from domain.colours import WARN_FRACTION, Colour
from domain.deadlines import window_fraction_left
from domain.models import Actor, Dispatch, DispatchState, Problem, Role, State
from domain.permissions import Relation, relation

DISPATCH_EVENT = "dispatch"
DISPATCH_TIER_FOR_LEADS = 2
DISPATCHABLE: frozenset[State] = frozenset({State.REGISTERED, State.IN_PROGRESS})
STEP_OPEN: frozenset[State] = frozenset({State.REGISTERED, State.IN_PROGRESS, State.RESOLVED})


class Step(StrEnum):
    """What a department does with a dispatch; the order is the order of buttons."""

    SIGN = "sign"
    PROGRESS = "progress"
    INTERNAL = "internal"  # a progress note for the city side and this department only
    DONE = "done"
    RETURN = "return"

    @property
    def event(self) -> str:
        """The timeline action this step is recorded as."""
        return f"dispatch_{self.value}"


STEPS: dict[tuple[DispatchState, Step], DispatchState | None] = {
    (DispatchState.SENT, Step.SIGN): DispatchState.SIGNED,
    (DispatchState.SENT, Step.RETURN): DispatchState.RETURNED,
    (DispatchState.SIGNED, Step.PROGRESS): None,
    (DispatchState.SIGNED, Step.INTERNAL): None,
    (DispatchState.SIGNED, Step.DONE): DispatchState.DONE,
    (DispatchState.SIGNED, Step.RETURN): DispatchState.RETURNED,
}
NOTE_REQUIRED: frozenset[Step] = frozenset({Step.PROGRESS, Step.INTERNAL, Step.DONE, Step.RETURN})
EVENT_ACTIONS: frozenset[str] = frozenset({DISPATCH_EVENT, *(s.event for s in Step)})


@dataclass(frozen=True, slots=True)
class StepDecision:
    """The verdict on one department step; ``reason`` is an i18n key when refused."""

    allowed: bool
    reason: str | None
    new_state: DispatchState


def _blank(note: str | None) -> bool:
    return note is None or not note.strip()


def is_own(actor: Actor, dispatch: Dispatch) -> bool:
    """Whether this dispatch went to the actor's own department."""
    return (
        actor.role is Role.DEPARTMENT
        and actor.department_id is not None
        and actor.department_id == dispatch.department_id
    )


def decide_step(
    actor: Actor, problem: Problem, dispatch: Dispatch, step: Step, *, note: str | None = None
) -> StepDecision:
    """Whether this department person may take this step on this dispatch now."""
    if dispatch.problem_id != problem.id or not is_own(actor, dispatch):
        return StepDecision(False, "err-no-such-problem", dispatch.state)
    if problem.state not in STEP_OPEN:
        return StepDecision(False, "err-wrong-state", dispatch.state)
    if (dispatch.state, step) not in STEPS:
        return StepDecision(False, "err-dispatch-state", dispatch.state)
    if step in NOTE_REQUIRED and _blank(note):
        return StepDecision(False, "err-note-required", dispatch.state)
    return StepDecision(True, None, STEPS[(dispatch.state, step)] or dispatch.state)


def open_steps(actor: Actor, problem: Problem, dispatch: Dispatch) -> list[Step]:
    """Steps worth a button for this viewer now (notes are asked for afterwards)."""
    return [s for s in Step if decide_step(actor, problem, dispatch, s, note="-").allowed is True]


def may_dispatch(actor: Actor, problem: Problem) -> str | None:
    """None if the actor may dispatch this problem now, else the refusal's i18n key."""
    rel = relation(actor, problem)
    if rel not in (Relation.ADMIN, Relation.TEAM_LEAD):
        return "err-not-allowed"
    if rel is Relation.TEAM_LEAD and problem.tier != DISPATCH_TIER_FOR_LEADS:
        return "err-dispatch-lead-tier"
    if problem.state not in DISPATCHABLE:
        return "err-wrong-state"
    return None


def default_due(problem: Problem, now: datetime) -> datetime | None:
    """The problem's own deadline as the department's, when it is still ahead."""
    return problem.due_at if problem.due_at > now else None


def decide_dispatch(
    actor: Actor,
    problem: Problem,
    department_ids: Collection[int],
    *,
    known: Collection[int],
    live: Collection[int],
    note: str | None,
    due_at: datetime | None,
    now: datetime,
) -> str | None:
    """None if this dispatch may be made, else why not (an i18n key).

    ``known`` are the departments that exist, ``live`` those already working this problem.
    """
    reason = may_dispatch(actor, problem)
    if reason is not None:
        return reason
    if not department_ids or any(d not in known for d in department_ids):
        return "err-pick-department"
    if any(d in live for d in department_ids):
        return "err-already-dispatched"
    if _blank(note):
        return "err-note-required"
    if due_at is None or due_at <= now:
        return "err-due-past"
    return None


def live_departments(dispatches: Collection[Dispatch]) -> set[int]:
    """Departments still working the problem (sent or signed)."""
    return {d.department_id for d in dispatches if d.state.is_live}


def own_dispatch(actor: Actor, dispatches: Collection[Dispatch]) -> Dispatch | None:
    """The dispatch a department person works on: the live one, else their newest."""
    mine = [d for d in dispatches if is_own(actor, d)]
    if not mine:
        return None
    live = [d for d in mine if d.state.is_live]
    return max(live or mine, key=lambda d: d.id)


def dispatch_colour(dispatch: Dispatch, now: datetime) -> Colour:
    """A dispatch's colour: green done, grey returned, and while live the problem colours of
    its own window (sent → department deadline)."""
    if dispatch.state is DispatchState.DONE:
        return Colour.GREEN
    if dispatch.state is DispatchState.RETURNED:
        return Colour.GREY
    if now > dispatch.due_at:
        return Colour.RED
    if window_fraction_left(dispatch.sent_at, dispatch.due_at, now) < WARN_FRACTION:
        return Colour.YELLOW
    return Colour.WHITE


def is_overdue(dispatch: Dispatch, now: datetime) -> bool:
    """Live and past the department's deadline."""
    return dispatch.state.is_live and now > dispatch.due_at
