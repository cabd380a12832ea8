"""Who stands how to a problem, and who may see it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.models import Actor, Problem, Role, State
from domain.permissions import Relation, can_view, relation

T0 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


def problem(
    *, enterprise_id: int = 10, team_id: int | None = 7, envoy_id: int | None = 100
) -> Problem:
    return Problem(
        id=1,
        number="2026-0001",
        enterprise_id=enterprise_id,
        enterprise_name="Acme",
        team_id=team_id,
        reporter_tg_id=1,
        category="market",
        description="the furnace is broken",
        state=State.REGISTERED,
        tier=None,
        envoy_id=envoy_id,
        registered_at=T0,
        due_at=T0 + timedelta(days=1),
    )


CASES: list[tuple[str, Actor, Problem, Relation]] = [
    (
        "staff of the enterprise",
        Actor(1, Role.STAFF, enterprise_id=10),
        problem(),
        Relation.REPORTER_ENTERPRISE,
    ),
    (
        "staff of another enterprise",
        Actor(1, Role.STAFF, enterprise_id=11),
        problem(),
        Relation.NONE,
    ),
    ("staff without enterprise", Actor(1, Role.STAFF), problem(), Relation.NONE),
    (
        "staff carrying envoy ids is still only staff",
        Actor(1, Role.STAFF, enterprise_id=11, envoy_id=100, enterprise_ids=frozenset({10})),
        problem(),
        Relation.NONE,
    ),
    (
        "envoy assigned to enterprise",
        Actor(2, Role.ENVOY, envoy_id=5, enterprise_ids=frozenset({10})),
        problem(),
        Relation.ASSIGNED_ENVOY,
    ),
    (
        "responsible envoy, not assigned",
        Actor(2, Role.ENVOY, envoy_id=100),
        problem(),
        Relation.ASSIGNED_ENVOY,
    ),
    (
        "envoy of other enterprise",
        Actor(2, Role.ENVOY, envoy_id=5, enterprise_ids=frozenset({11})),
        problem(),
        Relation.NONE,
    ),
    (
        "envoy id None vs problem envoy None",
        Actor(2, Role.ENVOY),
        problem(envoy_id=None),
        Relation.NONE,
    ),
    (
        "lead via team enterprises",
        Actor(3, Role.LEAD, envoy_id=200, team_enterprise_ids=frozenset({10})),
        problem(team_id=None),
        Relation.TEAM_LEAD,
    ),
    (
        "lead via led team",
        Actor(3, Role.LEAD, envoy_id=200, led_team_ids=frozenset({7})),
        problem(),
        Relation.TEAM_LEAD,
    ),
    (
        "lead who is also the assigned envoy: lead wins",
        Actor(
            3, Role.LEAD, envoy_id=100, enterprise_ids=frozenset({10}), led_team_ids=frozenset({7})
        ),
        problem(),
        Relation.TEAM_LEAD,
    ),
    (
        "lead of another team, envoy of this enterprise",
        Actor(
            3,
            Role.LEAD,
            envoy_id=200,
            enterprise_ids=frozenset({10}),
            led_team_ids=frozenset({8}),
            team_enterprise_ids=frozenset({20}),
        ),
        problem(),
        Relation.ASSIGNED_ENVOY,
    ),
    (
        "lead of another team",
        Actor(3, Role.LEAD, envoy_id=200, led_team_ids=frozenset({8})),
        problem(),
        Relation.NONE,
    ),
    (
        "lead, problem without team",
        Actor(3, Role.LEAD, led_team_ids=frozenset({7})),
        problem(team_id=None),
        Relation.NONE,
    ),
    ("admin", Actor(4, Role.ADMIN), problem(), Relation.ADMIN),
    (
        "admin with envoy ids",
        Actor(4, Role.ADMIN, envoy_id=100, enterprise_ids=frozenset({10})),
        problem(),
        Relation.ADMIN,
    ),
]


@pytest.mark.parametrize(("label", "actor", "prob", "want"), CASES, ids=[c[0] for c in CASES])
def test_relation(label: str, actor: Actor, prob: Problem, want: Relation) -> None:
    assert relation(actor, prob) is want


@pytest.mark.parametrize(("label", "actor", "prob", "want"), CASES, ids=[c[0] for c in CASES])
def test_can_view(label: str, actor: Actor, prob: Problem, want: Relation) -> None:
    assert can_view(actor, prob) is (want is not Relation.NONE)
