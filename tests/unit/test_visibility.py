"""Who reads which steps of a timeline: internal notes, and a department after its return."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from domain.models import Actor, Attachment, Dispatch, DispatchState, Event, Role
from domain.visibility import (
    department_cutoff,
    sees_current_state,
    visible_attachments,
    visible_dispatches,
    visible_events,
)

T0 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
CUSTOMS, COMMERCE, LAND = 50, 51, 52

ADMIN = Actor(1, Role.ADMIN)
LEAD = Actor(2, Role.LEAD, envoy_id=200, led_team_ids=frozenset({7}))
ENVOY = Actor(3, Role.ENVOY, envoy_id=100)
STAFF = Actor(4, Role.STAFF, enterprise_id=10)
CUSTOMS_PERSON = Actor(5, Role.DEPARTMENT, department_id=CUSTOMS)
COMMERCE_PERSON = Actor(6, Role.DEPARTMENT, department_id=COMMERCE)
LAND_PERSON = Actor(7, Role.DEPARTMENT, department_id=LAND)


def event(id_: int, action: str, department: int | None = None, *, internal: bool = False) -> Event:
    files = (Attachment(id_, 1, id_, "photo", f"file-{id_}", None, None),)
    return Event(
        id=id_,
        problem_id=1,
        at=T0 + timedelta(hours=id_),
        actor_tg_id=None,
        actor_role=None,
        actor_name=None,
        action=action,
        from_state=None,
        to_state=None,
        note=f"note {id_}",
        attachments=files,
        department_id=department,
        internal=internal,
    )


# register, accept, dispatch to customs and commerce, customs signs and notes internally,
# commerce returns, dispatch to land, customs finishes, land signs, envoy resolves
EVENTS = [
    event(1, "register"),
    event(2, "accept"),
    event(3, "dispatch", CUSTOMS),
    event(4, "dispatch", COMMERCE),
    event(5, "dispatch_sign", CUSTOMS),
    event(6, "dispatch_internal", CUSTOMS, internal=True),
    event(7, "dispatch_return", COMMERCE),
    event(8, "dispatch", LAND),
    event(9, "dispatch_done", CUSTOMS),
    event(10, "dispatch_sign", LAND),
    event(11, "resolve"),
]


def dispatch(
    id_: int, department: int, state: DispatchState, sent: int, end: int | None
) -> Dispatch:
    return Dispatch(
        id=id_,
        problem_id=1,
        department_id=department,
        department_name=str(department),
        state=state,
        note=None,
        due_at=T0 + timedelta(days=7),
        sent_at=T0,
        sent_by=1,
        sent_event_id=sent,
        end_event_id=end,
    )


DISPATCHES = [
    dispatch(1, CUSTOMS, DispatchState.DONE, 3, 9),
    dispatch(2, COMMERCE, DispatchState.RETURNED, 4, 7),
    dispatch(3, LAND, DispatchState.SIGNED, 8, None),
]


def ids(actor: Actor, dispatches: list[Dispatch] = DISPATCHES) -> list[int]:
    return [e.id for e in visible_events(actor, EVENTS, dispatches)]


def test_the_city_side_reads_everything() -> None:
    for actor in (ADMIN, LEAD, ENVOY):
        assert ids(actor) == list(range(1, 12))
        assert sees_current_state(actor, DISPATCHES)


def test_the_enterprise_reads_all_but_internal_notes() -> None:
    assert ids(STAFF) == [1, 2, 3, 4, 5, 7, 8, 9, 10, 11]


def test_a_working_department_reads_history_but_not_others_internal_notes() -> None:
    assert ids(CUSTOMS_PERSON) == list(range(1, 12))  # its own internal note included
    assert ids(LAND_PERSON) == [1, 2, 3, 4, 5, 7, 8, 9, 10, 11]  # dispatched later, history too
    assert sees_current_state(LAND_PERSON, DISPATCHES)


def test_after_returning_a_department_reads_nothing_later() -> None:
    assert ids(COMMERCE_PERSON) == [1, 2, 3, 4, 5, 7]
    assert not sees_current_state(COMMERCE_PERSON, DISPATCHES)
    assert [a.file_id for a in visible_attachments(COMMERCE_PERSON, EVENTS, DISPATCHES)] == [
        f"file-{i}" for i in (1, 2, 3, 4, 5, 7)
    ]
    # it sees its own dispatch on the card, not the others' states of now
    assert [d.id for d in visible_dispatches(COMMERCE_PERSON, DISPATCHES)] == [2]
    assert [d.id for d in visible_dispatches(LAND_PERSON, DISPATCHES)] == [1, 2, 3]


def test_sent_again_after_a_return_it_reads_everything_again() -> None:
    again = [*DISPATCHES, dispatch(4, COMMERCE, DispatchState.SENT, 12, None)]
    assert ids(COMMERCE_PERSON, again) == [1, 2, 3, 4, 5, 7, 8, 9, 10, 11]
    assert department_cutoff(COMMERCE, again) is None
    returned_twice = [*DISPATCHES, dispatch(4, COMMERCE, DispatchState.RETURNED, 12, 13)]
    assert department_cutoff(COMMERCE, returned_twice) == 13


def test_a_department_never_dispatched_reads_nothing() -> None:
    stranger = Actor(8, Role.DEPARTMENT, department_id=99)
    assert ids(stranger) == []
    assert ids(Actor(9, Role.DEPARTMENT)) == []
    assert department_cutoff(99, DISPATCHES) == 0


def test_an_internal_note_stays_internal_to_its_department_whatever_its_position() -> None:
    late_internal = [*EVENTS, replace(event(12, "dispatch_internal", LAND, internal=True))]
    seen = [e.id for e in visible_events(CUSTOMS_PERSON, late_internal, DISPATCHES)]
    assert 12 not in seen and 6 in seen
    seen = [e.id for e in visible_events(LAND_PERSON, late_internal, DISPATCHES)]
    assert 12 in seen and 6 not in seen
