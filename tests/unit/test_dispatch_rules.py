"""Dispatch orders: who may dispatch, and every cell of a dispatch's own state machine."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from domain.dispatch import (
    Step,
    decide_dispatch,
    decide_step,
    default_due,
    live_departments,
    may_dispatch,
    open_steps,
    own_dispatch,
)
from domain.models import Actor, Dispatch, DispatchState, Problem, Role, State
from domain.permissions import Relation, can_view, relation

T0 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
ENTERPRISE, TEAM, CUSTOMS, COMMERCE = 10, 7, 50, 51

ADMIN = Actor(1, Role.ADMIN)
LEAD = Actor(
    2,
    Role.LEAD,
    envoy_id=200,
    led_team_ids=frozenset({TEAM}),
    team_enterprise_ids=frozenset({ENTERPRISE}),
)
OTHER_LEAD = Actor(3, Role.LEAD, envoy_id=201, led_team_ids=frozenset({8}))
ENVOY = Actor(4, Role.ENVOY, envoy_id=100, enterprise_ids=frozenset({ENTERPRISE}))
STAFF = Actor(5, Role.STAFF, enterprise_id=ENTERPRISE)
CUSTOMS_PERSON = Actor(6, Role.DEPARTMENT, department_id=CUSTOMS)
COMMERCE_PERSON = Actor(7, Role.DEPARTMENT, department_id=COMMERCE)


def problem(state: State = State.IN_PROGRESS, tier: int | None = 3, **kw: object) -> Problem:
    base = Problem(
        id=1,
        number="2026-0001",
        enterprise_id=ENTERPRISE,
        enterprise_name="Acme",
        team_id=TEAM,
        reporter_tg_id=5,
        category="logistics",
        description="customs hold",
        state=state,
        tier=tier,
        envoy_id=100,
        registered_at=T0,
        due_at=T0 + timedelta(days=7),
    )
    return replace(base, **kw)  # type: ignore[arg-type]


def dispatch(state: DispatchState, department_id: int = CUSTOMS, **kw: object) -> Dispatch:
    base = Dispatch(
        id=9,
        problem_id=1,
        department_id=department_id,
        department_name="Customs",
        state=state,
        note="please clear it",
        due_at=T0 + timedelta(days=7),
        sent_at=T0,
        sent_by=1,
        sent_event_id=3,
    )
    return replace(base, **kw)  # type: ignore[arg-type]


# Written out by hand from SPEC §3: (dispatch state, step) -> state afterwards
EXPECTED: dict[tuple[DispatchState, Step], DispatchState] = {
    (DispatchState.SENT, Step.SIGN): DispatchState.SIGNED,
    (DispatchState.SENT, Step.RETURN): DispatchState.RETURNED,
    (DispatchState.SIGNED, Step.PROGRESS): DispatchState.SIGNED,
    (DispatchState.SIGNED, Step.INTERNAL): DispatchState.SIGNED,
    (DispatchState.SIGNED, Step.DONE): DispatchState.DONE,
    (DispatchState.SIGNED, Step.RETURN): DispatchState.RETURNED,
}


@pytest.mark.parametrize("state", list(DispatchState), ids=str)
@pytest.mark.parametrize("step", list(Step), ids=str)
def test_every_cell_of_a_dispatch(state: DispatchState, step: Step) -> None:
    seen = problem(department_ids=frozenset({CUSTOMS}))
    d = decide_step(CUSTOMS_PERSON, seen, dispatch(state), step, note="a note")
    if (state, step) in EXPECTED:
        assert d.allowed and d.reason is None
        assert d.new_state is EXPECTED[(state, step)]
    else:
        assert not d.allowed and d.reason == "err-dispatch-state"
        assert d.new_state is state


@pytest.mark.parametrize("step", [Step.PROGRESS, Step.INTERNAL, Step.DONE, Step.RETURN])
def test_notes_are_required_where_a_department_explains(step: Step) -> None:
    state = DispatchState.SIGNED
    for note in (None, "", "   "):
        d = decide_step(CUSTOMS_PERSON, problem(), dispatch(state), step, note=note)
        assert not d.allowed and d.reason == "err-note-required"
    sign = decide_step(CUSTOMS_PERSON, problem(), dispatch(DispatchState.SENT), Step.SIGN)
    assert sign.allowed


@pytest.mark.parametrize("actor", [ADMIN, LEAD, ENVOY, STAFF, COMMERCE_PERSON], ids=repr)
def test_only_the_department_itself_takes_its_steps(actor: Actor) -> None:
    d = decide_step(actor, problem(), dispatch(DispatchState.SENT), Step.SIGN)
    assert not d.allowed and d.reason == "err-no-such-problem"  # as if it did not exist


def test_a_dispatch_of_another_problem_is_refused_as_not_found() -> None:
    d = decide_step(CUSTOMS_PERSON, problem(id=2), dispatch(DispatchState.SENT), Step.SIGN)
    assert d.reason == "err-no-such-problem"


@pytest.mark.parametrize(
    ("state", "open_"),
    [
        (State.REGISTERED, True),
        (State.IN_PROGRESS, True),
        (State.RESOLVED, True),
        (State.CLOSED, False),
        (State.WITHDRAWN, False),
    ],
)
def test_steps_are_open_until_the_problem_is_closed(state: State, open_: bool) -> None:
    d = decide_step(CUSTOMS_PERSON, problem(state), dispatch(DispatchState.SENT), Step.SIGN)
    assert d.allowed is open_
    if not open_:
        assert d.reason == "err-wrong-state"


def test_buttons_follow_the_state() -> None:
    p = problem()
    assert open_steps(CUSTOMS_PERSON, p, dispatch(DispatchState.SENT)) == [Step.SIGN, Step.RETURN]
    assert open_steps(CUSTOMS_PERSON, p, dispatch(DispatchState.SIGNED)) == [
        Step.PROGRESS,
        Step.INTERNAL,
        Step.DONE,
        Step.RETURN,
    ]
    assert open_steps(CUSTOMS_PERSON, p, dispatch(DispatchState.DONE)) == []
    assert open_steps(CUSTOMS_PERSON, p, dispatch(DispatchState.RETURNED)) == []
    assert open_steps(COMMERCE_PERSON, p, dispatch(DispatchState.SENT)) == []


@pytest.mark.parametrize(
    ("actor", "p", "reason"),
    [
        (ADMIN, problem(tier=3), None),
        (ADMIN, problem(tier=1), None),
        (ADMIN, problem(State.REGISTERED, tier=None), None),
        (ADMIN, problem(State.RESOLVED), "err-wrong-state"),
        (ADMIN, problem(State.CLOSED), "err-wrong-state"),
        (ADMIN, problem(State.WITHDRAWN), "err-wrong-state"),
        (LEAD, problem(tier=2), None),
        (LEAD, problem(tier=3), "err-dispatch-lead-tier"),
        (LEAD, problem(tier=1), "err-dispatch-lead-tier"),
        (OTHER_LEAD, problem(tier=2), "err-not-allowed"),
        (ENVOY, problem(tier=2), "err-not-allowed"),
        (STAFF, problem(tier=2), "err-not-allowed"),
        (CUSTOMS_PERSON, problem(tier=2, department_ids=frozenset({CUSTOMS})), "err-not-allowed"),
    ],
)
def test_who_may_dispatch(actor: Actor, p: Problem, reason: str | None) -> None:
    assert may_dispatch(actor, p) == reason


def test_a_dispatch_needs_departments_a_note_and_a_deadline_ahead() -> None:
    p = problem()
    now = T0 + timedelta(hours=1)
    ok = {"known": {CUSTOMS, COMMERCE}, "live": set(), "note": "check", "now": now}
    due = now + timedelta(days=1)
    assert decide_dispatch(ADMIN, p, [CUSTOMS, COMMERCE], due_at=due, **ok) is None  # type: ignore[arg-type]
    assert decide_dispatch(ADMIN, p, [], due_at=due, **ok) == "err-pick-department"  # type: ignore[arg-type]
    assert decide_dispatch(ADMIN, p, [99], due_at=due, **ok) == "err-pick-department"  # type: ignore[arg-type]
    assert (
        decide_dispatch(ADMIN, p, [CUSTOMS], due_at=due, **{**ok, "live": {CUSTOMS}})  # type: ignore[arg-type]
        == "err-already-dispatched"
    )
    assert (
        decide_dispatch(ADMIN, p, [CUSTOMS], due_at=due, **{**ok, "note": " "})  # type: ignore[arg-type]
        == "err-note-required"
    )
    assert decide_dispatch(ADMIN, p, [CUSTOMS], due_at=now, **ok) == "err-due-past"  # type: ignore[arg-type]
    assert decide_dispatch(ADMIN, p, [CUSTOMS], due_at=None, **ok) == "err-due-past"  # type: ignore[arg-type]
    # who may comes first: a lead on a tier-3 problem is refused whatever else
    assert decide_dispatch(LEAD, p, [], due_at=None, **ok) == "err-dispatch-lead-tier"  # type: ignore[arg-type]


def test_default_deadline_is_the_problems_own_while_ahead() -> None:
    p = problem()
    assert default_due(p, T0) == p.due_at
    assert default_due(p, p.due_at) is None
    assert default_due(p, p.due_at + timedelta(hours=1)) is None


def test_live_departments_and_own_dispatch() -> None:
    done = dispatch(DispatchState.DONE, id=1)
    back = dispatch(DispatchState.RETURNED, COMMERCE, id=2)
    again = dispatch(DispatchState.SENT, COMMERCE, id=3)
    assert live_departments([done, back]) == set()
    assert live_departments([done, back, again]) == {COMMERCE}
    assert own_dispatch(COMMERCE_PERSON, [done, back, again]) is again
    assert own_dispatch(COMMERCE_PERSON, [done, back]) is back
    assert own_dispatch(CUSTOMS_PERSON, [back]) is None
    assert own_dispatch(ADMIN, [done]) is None


def test_a_department_relates_only_to_problems_dispatched_to_it() -> None:
    sent = problem(department_ids=frozenset({CUSTOMS}))
    assert relation(CUSTOMS_PERSON, sent) is Relation.DEPARTMENT
    assert can_view(CUSTOMS_PERSON, sent)
    assert relation(COMMERCE_PERSON, sent) is Relation.NONE
    assert not can_view(COMMERCE_PERSON, sent)
    assert not can_view(CUSTOMS_PERSON, problem())  # not (yet) dispatched
    assert not can_view(Actor(8, Role.DEPARTMENT), sent)  # no department at all
