"""Which steps of a problem's timeline a viewer may read: the one rule for the bot and the web.

- The city side (admins, team leads, envoys) reads everything.
- The enterprise reads everything but the departments' internal notes.
- A department reads the problem's history from the moment it was dispatched to it: every
  step before, and every step after while it works the problem, except another department's
  internal notes. Once it returned its dispatch (and has no other one live or done on the
  problem) it reads nothing after its return: not the later steps, not the state they led to.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from domain.models import Actor, Attachment, Dispatch, DispatchState, Event, Role

ALL = None


def department_cutoff(department_id: int, dispatches: Iterable[Dispatch]) -> int | None:
    """The last event id a department may read: ALL (None) while any of its dispatches on the
    problem is live or done; its latest return otherwise; 0 when it was never dispatched it."""
    mine = [d for d in dispatches if d.department_id == department_id]
    if not mine:
        return 0
    if any(d.state is not DispatchState.RETURNED for d in mine):
        return ALL
    return max(d.end_event_id or d.sent_event_id for d in mine)


def event_visible(actor: Actor, event: Event, cutoff: int | None = ALL) -> bool:
    """One event for one viewer, given the viewer's cutoff (department_cutoff)."""
    if actor.role in (Role.ADMIN, Role.LEAD, Role.ENVOY):
        return True
    if actor.role is Role.STAFF:
        return not event.internal
    if actor.role is Role.DEPARTMENT:
        if cutoff is not ALL and event.id > cutoff:
            return False
        return not event.internal or event.department_id == actor.department_id
    return False


def _cutoff(actor: Actor, dispatches: Iterable[Dispatch]) -> int | None:
    if actor.role is Role.DEPARTMENT:
        if actor.department_id is None:
            return 0
        return department_cutoff(actor.department_id, dispatches)
    return ALL


def visible_events(
    actor: Actor, events: Sequence[Event], dispatches: Iterable[Dispatch]
) -> list[Event]:
    """The timeline as this viewer may read it, in order."""
    cutoff = _cutoff(actor, dispatches)
    return [e for e in events if event_visible(actor, e, cutoff)]


def visible_attachments(
    actor: Actor, events: Sequence[Event], dispatches: Iterable[Dispatch]
) -> list[Attachment]:
    """The files of the steps this viewer may read."""
    return [a for e in visible_events(actor, events, dispatches) for a in e.attachments]


def sees_current_state(actor: Actor, dispatches: Iterable[Dispatch]) -> bool:
    """Whether the viewer may see where the problem stands now (a department that returned
    it sees the problem as it was when it let go)."""
    return _cutoff(actor, dispatches) is ALL


def visible_dispatches(actor: Actor, dispatches: Sequence[Dispatch]) -> list[Dispatch]:
    """The dispatches a viewer may see listed on the card: a department that let the problem go
    sees only its own (the others' states now would tell it later steps)."""
    if actor.role is not Role.DEPARTMENT:
        return list(dispatches)
    if _cutoff(actor, dispatches) is ALL:
        return list(dispatches)
    return [d for d in dispatches if d.department_id == actor.department_id]
