"""The one transition table of a problem's life and the checks around it (SPEC §3).

Decisions made here where the brief left room:

- ESCALATE only from ``in_progress``: an unclassified (registered) problem is accepted
  straight into the tier it needs. If ``tier`` is passed it must be the next tier.
  An in-progress problem without a tier counts as tier 1.
- NOTE requires a non-blank note, like RESOLVE / REJECT / ESCALATE / WITHDRAW. ADD_INFO does
  not (the staff member may send only files); the caller checks it carries something.
- CONFIRM, REJECT, RATE and ADD_INFO belong to the enterprise alone: admins and leads cannot
  speak for it ("only when the enterprise says so does it count").
- REJECT returns to ``in_progress`` with the tier unchanged, so the original deadline stands.
- WITHDRAW is open to admins from registered, in_progress and resolved; closed and withdrawn
  problems are final (only RATE remains, on closed).
- Refusal order: no relation at all, or a relation that may never take this action ->
  ``err-not-allowed``; an action this relation may take, but not in this state ->
  ``err-wrong-state`` (a stale button); then the parameters.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from domain.models import Actor, Problem, State
from domain.permissions import Relation, relation

TIERS: tuple[int, ...] = (1, 2, 3)
MAX_TIER = 3


class Action(StrEnum):
    """What somebody can do to a problem; the order is the order of buttons."""

    ACCEPT = "accept"
    NOTE = "note"
    ESCALATE = "escalate"
    RESOLVE = "resolve"
    CONFIRM = "confirm"
    REJECT = "reject"
    RATE = "rate"
    ADD_INFO = "add_info"
    REASSIGN = "reassign"
    WITHDRAW = "withdraw"


@dataclass(frozen=True, slots=True)
class Rule:
    """One cell of the table: who may act, and the state afterwards (None = unchanged)."""

    relations: frozenset[Relation]
    next_state: State | None


@dataclass(frozen=True, slots=True)
class Decision:
    """The verdict on one request; ``reason`` is an i18n key when refused."""

    allowed: bool
    reason: str | None
    new_state: State
    new_tier: int | None


_WORKERS = frozenset({Relation.ASSIGNED_ENVOY, Relation.TEAM_LEAD, Relation.ADMIN})
_ENTERPRISE = frozenset({Relation.REPORTER_ENTERPRISE})
_MANAGERS = frozenset({Relation.TEAM_LEAD, Relation.ADMIN})
_ADMIN = frozenset({Relation.ADMIN})

_R, _P, _S, _C, _W = (
    State.REGISTERED,
    State.IN_PROGRESS,
    State.RESOLVED,
    State.CLOSED,
    State.WITHDRAWN,
)

TRANSITIONS: dict[tuple[State, Action], Rule] = {
    (_R, Action.ACCEPT): Rule(_WORKERS, _P),
    (_R, Action.NOTE): Rule(_WORKERS, None),
    (_P, Action.NOTE): Rule(_WORKERS, None),
    (_P, Action.ESCALATE): Rule(_WORKERS, None),
    (_P, Action.RESOLVE): Rule(_WORKERS, _S),
    (_S, Action.CONFIRM): Rule(_ENTERPRISE, _C),
    (_S, Action.REJECT): Rule(_ENTERPRISE, _P),
    (_C, Action.RATE): Rule(_ENTERPRISE, None),
    (_R, Action.ADD_INFO): Rule(_ENTERPRISE, None),
    (_P, Action.ADD_INFO): Rule(_ENTERPRISE, None),
    (_S, Action.ADD_INFO): Rule(_ENTERPRISE, None),
    (_R, Action.REASSIGN): Rule(_MANAGERS, None),
    (_P, Action.REASSIGN): Rule(_MANAGERS, None),
    (_R, Action.WITHDRAW): Rule(_ADMIN, _W),
    (_P, Action.WITHDRAW): Rule(_ADMIN, _W),
    (_S, Action.WITHDRAW): Rule(_ADMIN, _W),
}

NOTE_REQUIRED: frozenset[Action] = frozenset(
    {Action.NOTE, Action.ESCALATE, Action.RESOLVE, Action.REJECT, Action.WITHDRAW}
)


def _may_ever(rel: Relation, action: Action) -> bool:
    return any(rel in rule.relations for (_, a), rule in TRANSITIONS.items() if a is action)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _refuse(problem: Problem, reason: str) -> Decision:
    return Decision(False, reason, problem.state, problem.tier)


def _precheck(actor: Actor, problem: Problem, action: Action) -> str | None:
    """Refusal reason from relation, state and the problem itself, before any parameter."""
    rel = relation(actor, problem)
    if rel is Relation.NONE or not _may_ever(rel, action):
        return "err-not-allowed"
    rule = TRANSITIONS.get((problem.state, action))
    if rule is None:
        return "err-wrong-state"
    if rel not in rule.relations:
        return "err-not-allowed"
    if action is Action.ESCALATE and (problem.tier or 1) >= MAX_TIER:
        return "err-max-tier"
    if action is Action.RATE and problem.satisfaction is not None:
        return "err-already-rated"
    return None


def decide(
    actor: Actor,
    problem: Problem,
    action: Action,
    *,
    tier: int | None = None,
    note: str | None = None,
    target_envoy_team_id: int | None = None,
    rating: int | None = None,
) -> Decision:
    """Whether this actor may do this to this problem now, and what it leads to."""
    reason = _precheck(actor, problem, action)
    if reason is not None:
        return _refuse(problem, reason)
    if action in NOTE_REQUIRED and (note is None or not note.strip()):
        return _refuse(problem, "err-note-required")
    new_tier = problem.tier
    if action is Action.ACCEPT:
        if not _is_int(tier) or tier not in TIERS:
            return _refuse(problem, "err-bad-tier")
        new_tier = tier
    elif action is Action.ESCALATE:
        new_tier = (problem.tier or 1) + 1
        if tier is not None and tier != new_tier:
            return _refuse(problem, "err-bad-tier")
    elif action is Action.RATE:
        if not _is_int(rating) or rating is None or not 1 <= rating <= 5:
            return _refuse(problem, "err-bad-rating")
    elif action is Action.REASSIGN and relation(actor, problem) is Relation.TEAM_LEAD:
        same_team = problem.team_id is None or target_envoy_team_id == problem.team_id
        if target_envoy_team_id not in actor.led_team_ids or not same_team:
            return _refuse(problem, "err-other-team")
    rule = TRANSITIONS[(problem.state, action)]
    return Decision(True, None, rule.next_state or problem.state, new_tier)


def allowed_actions(actor: Actor, problem: Problem) -> list[Action]:
    """Actions worth a button for this viewer now (parameters are asked for afterwards)."""
    return [a for a in Action if _precheck(actor, problem, a) is None]


_SHORT = {
    Relation.ASSIGNED_ENVOY: "envoy",
    Relation.TEAM_LEAD: "lead",
    Relation.ADMIN: "admin",
    Relation.REPORTER_ENTERPRISE: "enterprise",
}


def describe_table() -> str:
    """The table as markdown, states down and actions across, for docs and reports."""
    head = "| state \\ action | " + " | ".join(a.value for a in Action) + " |"
    sep = "|---" * (len(Action) + 1) + "|"
    lines = [head, sep]
    for state in State:
        cells = []
        for action in Action:
            rule = TRANSITIONS.get((state, action))
            if rule is None:
                cells.append("—")
                continue
            who = "/".join(_SHORT[r] for r in _SHORT if r in rule.relations)
            to = rule.next_state.value if rule.next_state else "="
            cells.append(f"{who} → {to}")
        lines.append(f"| {state.value} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
