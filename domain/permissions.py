"""How an actor stands to a problem, which decides what they may see and do (SPEC §2)."""

from __future__ import annotations

from enum import StrEnum

from domain.models import Actor, Problem, Role


class Relation(StrEnum):
    """An actor's strongest tie to one problem; the transition table is keyed by it."""

    ADMIN = "admin"
    TEAM_LEAD = "team_lead"
    ASSIGNED_ENVOY = "assigned_envoy"
    REPORTER_ENTERPRISE = "reporter_enterprise"
    DEPARTMENT = "department"  # a department the problem was dispatched to
    NONE = "none"


def _is_envoy_of(actor: Actor, problem: Problem) -> bool:
    """Assigned to the enterprise, or the problem's responsible envoy."""
    if problem.enterprise_id in actor.enterprise_ids:
        return True
    return actor.envoy_id is not None and problem.envoy_id == actor.envoy_id


def _is_lead_of(actor: Actor, problem: Problem) -> bool:
    """Leads the team that covers the problem's enterprise."""
    if problem.enterprise_id in actor.team_enterprise_ids:
        return True
    return problem.team_id is not None and problem.team_id in actor.led_team_ids


def relation(actor: Actor, problem: Problem) -> Relation:
    """The strongest relation: admin > team lead > assigned envoy > reporter's enterprise.

    Roles are exclusive per account, so only staff can be REPORTER_ENTERPRISE and staff are
    never envoys or leads whatever ids their Actor carries; a lead is also the envoy of
    their own enterprises, and TEAM_LEAD covers that. A department person relates only to
    problems dispatched to their department, from the moment of dispatch on.
    """
    if actor.role is Role.ADMIN:
        return Relation.ADMIN
    if actor.role is Role.DEPARTMENT:
        if actor.department_id is not None and actor.department_id in problem.department_ids:
            return Relation.DEPARTMENT
        return Relation.NONE
    if actor.role is Role.STAFF:
        if actor.enterprise_id is not None and actor.enterprise_id == problem.enterprise_id:
            return Relation.REPORTER_ENTERPRISE
        return Relation.NONE
    if _is_lead_of(actor, problem):
        return Relation.TEAM_LEAD
    if _is_envoy_of(actor, problem):
        return Relation.ASSIGNED_ENVOY
    return Relation.NONE


def can_view(actor: Actor, problem: Problem) -> bool:
    """Anyone with a relation may see a problem and its timeline; nobody else may."""
    return relation(actor, problem) is not Relation.NONE
