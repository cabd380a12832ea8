"""Plain records shared by storage, domain rules and handlers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Role(StrEnum):
    """What an account was bound as; a lead is an envoy who leads a team."""

    STAFF = "staff"
    ENVOY = "envoy"
    LEAD = "lead"
    ADMIN = "admin"
    DEPARTMENT = "department"  # a person of one functional department (职能部门)


class State(StrEnum):
    """A problem's lifecycle state (SPEC §3)."""

    REGISTERED = "registered"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"

    @property
    def is_open(self) -> bool:
        return self in (State.REGISTERED, State.IN_PROGRESS)


CATEGORIES: tuple[str, ...] = (
    "market",
    "production",
    "construction",
    "approval",
    "policy",
    "labour",
    "financing",
    "logistics",
    "other",
)


@dataclass(frozen=True, slots=True)
class Team:
    id: int
    name: str
    lead_envoy_id: int | None


@dataclass(frozen=True, slots=True)
class Envoy:
    id: int
    name: str
    phone: str | None
    team_id: int | None


@dataclass(frozen=True, slots=True)
class Enterprise:
    id: int
    name: str
    team_id: int | None


@dataclass(frozen=True, slots=True)
class Department:
    """A functional department (customs, commerce, natural resources…) problems are sent to."""

    id: int
    name: str


@dataclass(frozen=True, slots=True)
class DepartmentContact:
    """A person of a department as the roster lists them."""

    id: int
    department_id: int
    name: str
    phone: str | None


@dataclass(frozen=True, slots=True)
class Account:
    """A Telegram user bound to a role by an invite or by configuration."""

    tg_user_id: int
    role: Role  # staff / envoy / admin / department as stored; lead is derived, see Actor
    envoy_id: int | None
    enterprise_id: int | None
    display_name: str
    lang: str | None
    reachable: bool
    department_id: int | None = None


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is acting right now, with everything authorisation needs, loaded per request."""

    tg_user_id: int
    role: Role  # effective role: LEAD when the envoy leads a team
    envoy_id: int | None = None
    enterprise_id: int | None = None
    led_team_ids: frozenset[int] = field(default_factory=frozenset)
    enterprise_ids: frozenset[int] = field(default_factory=frozenset)  # assigned (envoy)
    team_enterprise_ids: frozenset[int] = field(default_factory=frozenset)  # led teams' (lead)
    department_id: int | None = None  # the department a department person belongs to


@dataclass(frozen=True, slots=True)
class Invite:
    code: str
    kind: Role  # staff / envoy / admin / department
    envoy_id: int | None
    enterprise_id: int | None
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None
    used_by: int | None
    department_id: int | None = None


@dataclass(frozen=True, slots=True)
class Problem:
    id: int
    number: str
    enterprise_id: int
    enterprise_name: str
    team_id: int | None
    reporter_tg_id: int
    category: str
    description: str
    state: State
    tier: int | None
    envoy_id: int | None
    registered_at: datetime
    due_at: datetime
    resolved_at: datetime | None = None
    closed_at: datetime | None = None
    satisfaction: int | None = None
    comment: str | None = None
    envoy_name: str | None = None
    version: int = 0
    department_ids: frozenset[int] = frozenset()  # every department it was ever dispatched to


@dataclass(frozen=True, slots=True)
class Attachment:
    id: int
    problem_id: int
    event_id: int | None
    kind: str  # photo / document
    file_id: str
    file_name: str | None
    mime_type: str | None


@dataclass(frozen=True, slots=True)
class Event:
    """One step of a problem's timeline."""

    id: int
    problem_id: int
    at: datetime
    actor_tg_id: int | None
    actor_role: str | None
    actor_name: str | None
    action: str
    from_state: State | None
    to_state: State | None
    note: str | None
    attachments: tuple[Attachment, ...] = ()
    department_id: int | None = None  # a dispatch or a department's step names its department
    department_name: str | None = None
    internal: bool = False  # for the city side and that department only


class DispatchState(StrEnum):
    """A dispatch's own state (SPEC §3): sent → signed → done, or returned with a reason."""

    SENT = "sent"
    SIGNED = "signed"
    DONE = "done"
    RETURNED = "returned"

    @property
    def is_live(self) -> bool:
        """Still the department's to work: not yet done or returned."""
        return self in (DispatchState.SENT, DispatchState.SIGNED)


@dataclass(frozen=True, slots=True)
class Dispatch:
    """One problem sent to one department (派单), with its deadline, note and answer."""

    id: int
    problem_id: int
    department_id: int
    department_name: str
    state: DispatchState
    note: str | None
    due_at: datetime
    sent_at: datetime
    sent_by: int | None
    sent_event_id: int
    signed_at: datetime | None = None
    done_at: datetime | None = None
    returned_at: datetime | None = None
    answer: str | None = None
    end_event_id: int | None = None
    version: int = 0
