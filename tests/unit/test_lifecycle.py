"""Every cell of the transition table, allowed and refused, plus parameter checks."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from domain.lifecycle import (
    TRANSITIONS,
    Action,
    Decision,
    allowed_actions,
    decide,
    describe_table,
)
from domain.models import Actor, Problem, Role, State
from domain.permissions import Relation, relation

T0 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
ENTERPRISE, TEAM, ENVOY, DEPARTMENT = 10, 7, 100, 50

ACTORS: dict[Relation, Actor] = {
    Relation.REPORTER_ENTERPRISE: Actor(1, Role.STAFF, enterprise_id=ENTERPRISE),
    Relation.ASSIGNED_ENVOY: Actor(
        2, Role.ENVOY, envoy_id=ENVOY, enterprise_ids=frozenset({ENTERPRISE})
    ),
    Relation.TEAM_LEAD: Actor(
        3,
        Role.LEAD,
        envoy_id=200,
        enterprise_ids=frozenset({11}),
        led_team_ids=frozenset({TEAM}),
        team_enterprise_ids=frozenset({ENTERPRISE, 11}),
    ),
    Relation.ADMIN: Actor(4, Role.ADMIN),
    # a department the problem was dispatched to may see it but takes no lifecycle action
    Relation.DEPARTMENT: Actor(6, Role.DEPARTMENT, department_id=DEPARTMENT),
    Relation.NONE: Actor(5, Role.ENVOY, envoy_id=300, enterprise_ids=frozenset({99})),
}

R, P, S, C, W = (
    State.REGISTERED,
    State.IN_PROGRESS,
    State.RESOLVED,
    State.CLOSED,
    State.WITHDRAWN,
)
E, L, A, X = "envoy", "lead", "admin", "enterprise"
REL = {
    E: Relation.ASSIGNED_ENVOY,
    L: Relation.TEAM_LEAD,
    A: Relation.ADMIN,
    X: Relation.REPORTER_ENTERPRISE,
}

# Written out by hand from SPEC §2/§3 and the design notes; NOT derived from TRANSITIONS.
# (state, action) -> (who may, state afterwards)
EXPECTED: dict[tuple[State, Action], tuple[set[str], State]] = {
    (R, Action.ACCEPT): ({E, L, A}, P),
    (R, Action.NOTE): ({E, L, A}, R),
    (P, Action.NOTE): ({E, L, A}, P),
    (P, Action.ESCALATE): ({E, L, A}, P),
    (P, Action.RESOLVE): ({E, L, A}, S),
    (S, Action.CONFIRM): ({X}, C),
    (S, Action.REJECT): ({X}, P),
    (C, Action.RATE): ({X}, C),
    (R, Action.ADD_INFO): ({X}, R),
    (P, Action.ADD_INFO): ({X}, P),
    (S, Action.ADD_INFO): ({X}, S),
    (R, Action.REASSIGN): ({L, A}, R),
    (P, Action.REASSIGN): ({L, A}, P),
    (R, Action.WITHDRAW): ({A}, W),
    (P, Action.WITHDRAW): ({A}, W),
    (S, Action.WITHDRAW): ({A}, W),
}


def problem(state: State, **kw: object) -> Problem:
    base = Problem(
        id=1,
        number="2026-0001",
        enterprise_id=ENTERPRISE,
        enterprise_name="Acme",
        team_id=TEAM,
        reporter_tg_id=1,
        category="market",
        description="the furnace is broken",
        state=state,
        tier=None if state is State.REGISTERED else 1,
        envoy_id=ENVOY,
        registered_at=T0,
        due_at=T0 + timedelta(days=1),
        department_ids=frozenset({DEPARTMENT}),
    )
    return replace(base, **kw)  # type: ignore[arg-type]


GOOD_PARAMS: dict[str, object] = {
    "tier": None,
    "note": "done and dusted",
    "target_envoy_team_id": TEAM,
    "rating": 5,
}


def good_params(action: Action) -> dict[str, object]:
    params: dict[str, object] = dict(GOOD_PARAMS)
    if action is Action.ACCEPT:
        params["tier"] = 2
    return params


def expected_reason(state: State, action: Action, rel: Relation) -> str | None:
    if rel is Relation.NONE:
        return "err-not-allowed"
    cell = EXPECTED.get((state, action))
    if cell is not None and any(REL[w] is rel for w in cell[0]):
        return None
    ever = any(
        any(REL[w] is rel for w in who) for (_, a), (who, _) in EXPECTED.items() if a is action
    )
    return "err-wrong-state" if ever else "err-not-allowed"


CELLS = [(s, a, r) for s in State for a in Action for r in Relation]


def test_fixture_relations_are_what_they_claim() -> None:
    for rel, actor in ACTORS.items():
        for state in State:
            assert relation(actor, problem(state)) is rel


@pytest.mark.parametrize(("state", "action", "rel"), CELLS, ids=lambda v: str(v))
def test_every_cell(state: State, action: Action, rel: Relation) -> None:
    d = decide(ACTORS[rel], problem(state), action, **good_params(action))  # type: ignore[arg-type]
    reason = expected_reason(state, action, rel)
    if reason is None:
        assert d.allowed, d
        assert d.reason is None
        assert d.new_state is EXPECTED[(state, action)][1]
    else:
        assert not d.allowed
        assert d.reason == reason
        assert d.new_state is state  # refusal changes nothing
        assert d.new_tier == problem(state).tier


def test_table_has_exactly_the_expected_cells() -> None:
    assert set(TRANSITIONS) == set(EXPECTED)


@pytest.mark.parametrize("rel", list(Relation), ids=str)
@pytest.mark.parametrize("state", list(State), ids=str)
def test_allowed_actions_match_expectation(state: State, rel: Relation) -> None:
    got = allowed_actions(ACTORS[rel], problem(state))
    want = [a for a in Action if expected_reason(state, a, rel) is None]
    assert got == want


def test_allowed_actions_for_envoy_on_registered() -> None:
    acts = allowed_actions(ACTORS[Relation.ASSIGNED_ENVOY], problem(R))
    assert acts == [Action.ACCEPT, Action.NOTE]


# --- tiers --------------------------------------------------------------------------------


@pytest.mark.parametrize("tier", [1, 2, 3])
def test_accept_sets_tier(tier: int) -> None:
    d = decide(ACTORS[Relation.ASSIGNED_ENVOY], problem(R), Action.ACCEPT, tier=tier)
    assert d == Decision(True, None, P, tier)


@pytest.mark.parametrize("tier", [None, 0, 4, -1, True])
def test_accept_bad_tier(tier: object) -> None:
    d = decide(ACTORS[Relation.ASSIGNED_ENVOY], problem(R), Action.ACCEPT, tier=tier)  # type: ignore[arg-type]
    assert d == Decision(False, "err-bad-tier", R, None)


@pytest.mark.parametrize(("before", "after"), [(1, 2), (2, 3), (None, 2)])
def test_escalate_one_tier_up(before: int | None, after: int) -> None:
    d = decide(
        ACTORS[Relation.ASSIGNED_ENVOY], problem(P, tier=before), Action.ESCALATE, note="city"
    )
    assert d == Decision(True, None, P, after)


def test_escalate_at_max_tier() -> None:
    p = problem(P, tier=3)
    d = decide(ACTORS[Relation.ADMIN], p, Action.ESCALATE, note="higher")
    assert d == Decision(False, "err-max-tier", P, 3)
    assert Action.ESCALATE not in allowed_actions(ACTORS[Relation.ADMIN], p)


def test_escalate_explicit_tier_must_be_next() -> None:
    p = problem(P, tier=1)
    envoy = ACTORS[Relation.ASSIGNED_ENVOY]
    assert decide(envoy, p, Action.ESCALATE, note="x", tier=2).allowed
    assert decide(envoy, p, Action.ESCALATE, note="x", tier=3).reason == "err-bad-tier"
    assert decide(envoy, p, Action.ESCALATE, note="x", tier=1).reason == "err-bad-tier"


def test_reject_keeps_tier_so_deadline_stays() -> None:
    p = problem(S, tier=2)
    d = decide(ACTORS[Relation.REPORTER_ENTERPRISE], p, Action.REJECT, note="still broken")
    assert d == Decision(True, None, P, 2)


def test_other_actions_keep_tier() -> None:
    p = problem(P, tier=3)
    d = decide(ACTORS[Relation.TEAM_LEAD], p, Action.RESOLVE, note="fixed")
    assert d == Decision(True, None, S, 3)


# --- notes --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "state", "rel"),
    [
        (Action.NOTE, P, Relation.ASSIGNED_ENVOY),
        (Action.ESCALATE, P, Relation.ASSIGNED_ENVOY),
        (Action.RESOLVE, P, Relation.ASSIGNED_ENVOY),
        (Action.REJECT, S, Relation.REPORTER_ENTERPRISE),
        (Action.WITHDRAW, R, Relation.ADMIN),
    ],
)
@pytest.mark.parametrize("note", [None, "", "   ", "\n\t "])
def test_note_required(action: Action, state: State, rel: Relation, note: str | None) -> None:
    d = decide(ACTORS[rel], problem(state), action, note=note)
    assert d == Decision(False, "err-note-required", state, problem(state).tier)


@pytest.mark.parametrize(
    ("action", "state", "rel"),
    [
        (Action.CONFIRM, S, Relation.REPORTER_ENTERPRISE),
        (Action.ADD_INFO, R, Relation.REPORTER_ENTERPRISE),
    ],
)
def test_note_optional(action: Action, state: State, rel: Relation) -> None:
    assert decide(ACTORS[rel], problem(state), action, note=None).allowed


def test_permission_checked_before_note() -> None:
    d = decide(ACTORS[Relation.NONE], problem(P), Action.RESOLVE, note="")
    assert d.reason == "err-not-allowed"


def test_state_checked_before_note() -> None:
    d = decide(ACTORS[Relation.ASSIGNED_ENVOY], problem(R), Action.RESOLVE, note="")
    assert d.reason == "err-wrong-state"


# --- rating -------------------------------------------------------------------------------


@pytest.mark.parametrize("rating", [1, 2, 3, 4, 5])
def test_rate_ok(rating: int) -> None:
    d = decide(ACTORS[Relation.REPORTER_ENTERPRISE], problem(C), Action.RATE, rating=rating)
    assert d == Decision(True, None, C, 1)


@pytest.mark.parametrize("rating", [None, 0, 6, -3, True])
def test_rate_bad(rating: object) -> None:
    d = decide(ACTORS[Relation.REPORTER_ENTERPRISE], problem(C), Action.RATE, rating=rating)  # type: ignore[arg-type]
    assert d.reason == "err-bad-rating"


def test_rate_only_once() -> None:
    p = problem(C, satisfaction=4)
    staff = ACTORS[Relation.REPORTER_ENTERPRISE]
    assert decide(staff, p, Action.RATE, rating=5).reason == "err-already-rated"
    assert Action.RATE not in allowed_actions(staff, p)


# --- reassign -----------------------------------------------------------------------------


def test_lead_reassigns_within_team_only() -> None:
    lead = ACTORS[Relation.TEAM_LEAD]
    p = problem(P)
    assert decide(lead, p, Action.REASSIGN, target_envoy_team_id=TEAM).allowed
    for other in (8, None):
        d = decide(lead, p, Action.REASSIGN, target_envoy_team_id=other)
        assert d.reason == "err-other-team"


def test_lead_of_two_teams_cannot_move_across() -> None:
    lead = replace(ACTORS[Relation.TEAM_LEAD], led_team_ids=frozenset({TEAM, 8}))
    d = decide(lead, problem(P), Action.REASSIGN, target_envoy_team_id=8)
    assert d.reason == "err-other-team"


def test_lead_reassign_problem_without_team_row() -> None:
    lead = ACTORS[Relation.TEAM_LEAD]
    p = problem(P, team_id=None)  # still the lead's via team_enterprise_ids
    assert decide(lead, p, Action.REASSIGN, target_envoy_team_id=TEAM).allowed
    assert decide(lead, p, Action.REASSIGN, target_envoy_team_id=9).reason == "err-other-team"


@pytest.mark.parametrize("target", [TEAM, 8, None])
def test_admin_reassigns_anywhere(target: int | None) -> None:
    d = decide(ACTORS[Relation.ADMIN], problem(R), Action.REASSIGN, target_envoy_team_id=target)
    assert d == Decision(True, None, R, None)


# --- who is who ---------------------------------------------------------------------------


def test_admin_cannot_confirm_for_enterprise() -> None:
    d = decide(ACTORS[Relation.ADMIN], problem(S), Action.CONFIRM)
    assert d.reason == "err-not-allowed"


def test_staff_of_other_enterprise_refused() -> None:
    other = Actor(9, Role.STAFF, enterprise_id=11)
    assert decide(other, problem(S), Action.CONFIRM).reason == "err-not-allowed"
    assert allowed_actions(other, problem(S)) == []


def test_responsible_envoy_not_assigned_to_enterprise_may_work() -> None:
    envoy = Actor(6, Role.ENVOY, envoy_id=ENVOY)  # reassigned to it, enterprise not theirs
    d = decide(envoy, problem(P), Action.RESOLVE, note="fixed")
    assert d.allowed


def test_withdrawn_and_closed_are_final_for_workers() -> None:
    for rel in (Relation.ADMIN, Relation.TEAM_LEAD, Relation.ASSIGNED_ENVOY):
        assert allowed_actions(ACTORS[rel], problem(W)) == []
        assert allowed_actions(ACTORS[rel], problem(C)) == []


def test_describe_table_lists_every_state_and_action() -> None:
    text = describe_table()
    lines = text.splitlines()
    assert len(lines) == 2 + len(State)
    for a in Action:
        assert a.value in lines[0]
    assert "| registered | envoy/lead/admin → in_progress |" in text
    assert "enterprise → closed" in text
    assert lines[-1].startswith("| withdrawn | —")
