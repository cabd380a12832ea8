"""Issuing, listing and revoking invites: `envoybot invite …` and the chat's /invite alike."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from domain.models import Invite, Role, Team
from storage.accounts_repo import AccountsRepo
from storage.db import Database
from storage.departments_repo import DepartmentsRepo
from storage.invites_repo import InviteSpec, InvitesRepo, OpenInvite
from storage.org_repo import OrgRepo
from usecases.errors import OperatorError

logger = logging.getLogger(__name__)

BOT_PLACEHOLDER = "<bot>"
REUSE_MIN_LEFT = timedelta(days=1)  # a code about to expire is not handed out again


class InviteTargetError(OperatorError):
    """The named enterprise / envoy / team cannot get an invite."""


@dataclass(frozen=True, slots=True)
class IssuedInvite:
    """An invite with the names a person needs to hand it to the right someone."""

    kind: str  # staff / envoy / lead / admin / department
    name: str | None  # enterprise, envoy or department name; None for admin
    team: str | None
    invite: Invite
    link: str
    reused: bool = False  # an open code handed out again rather than a new one

    def as_json(self, zone: ZoneInfo) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "name": self.name,
            "team": self.team,
            "code": self.invite.code,
            "link": self.link,
            "expires_at": self.invite.expires_at.astimezone(zone).isoformat(timespec="seconds"),
            "reused": self.reused,
        }


def deep_link(bot_username: str | None, code: str) -> str:
    """https://t.me/<bot>?start=<code>; the placeholder when the username is unknown."""
    name = (bot_username or "").strip().lstrip("@") or BOT_PLACEHOLDER
    return f"https://t.me/{name}?start={code}"


async def make_invite(
    db: Database,
    kind: Role,
    name: str | None = None,
    *,
    now: datetime,
    days: int,
    bot_username: str | None,
) -> IssuedInvite:
    """One invite for an enterprise (STAFF), an envoy (ENVOY), a team's lead (LEAD, name =
    team), a department (DEPARTMENT: one of its people; a department may have several) or an
    admin; raises InviteTargetError for an unknown or already bound target."""
    org = OrgRepo(db)
    team_name: str | None = None
    envoy_id: int | None = None
    enterprise_id: int | None = None
    department_id: int | None = None
    label: str | None = None
    if kind is Role.DEPARTMENT:
        department = await DepartmentsRepo(db).by_name(name or "")
        if department is None:
            raise InviteTargetError("cli-invite-no-department", name=name or "")
        department_id, label = department.id, department.name
    elif kind is Role.STAFF:
        enterprise = await org.enterprise_by_name(name or "")
        if enterprise is None:
            raise InviteTargetError("cli-invite-no-enterprise", name=name or "")
        enterprise_id, label = enterprise.id, enterprise.name
        team_name = await _team_name(org, enterprise.team_id)
    elif kind in (Role.ENVOY, Role.LEAD):
        if kind is Role.LEAD:
            team = await org.team_by_name(name or "")
            if team is None:
                raise InviteTargetError("cli-invite-no-team", name=name or "")
            envoy = await org.lead_of_team(team.id)
            if envoy is None:
                raise InviteTargetError("cli-invite-no-lead", team=team.name)
            team_name = team.name
        else:
            envoy = await org.envoy_by_name(name or "")
            if envoy is None:
                raise InviteTargetError("cli-invite-no-envoy", name=name or "")
            team_name = await _team_name(org, envoy.team_id)
        if await AccountsRepo(db).account_of_envoy(envoy.id) is not None:
            raise InviteTargetError("cli-invite-already-bound", name=envoy.name)
        envoy_id, label = envoy.id, envoy.name
    elif kind is not Role.ADMIN:
        raise InviteTargetError("cli-invite-bad-kind", kind=str(kind))
    stored = Role.ENVOY if kind is Role.LEAD else kind
    invite = await InvitesRepo(db).create(
        stored,
        envoy_id=envoy_id,
        enterprise_id=enterprise_id,
        department_id=department_id,
        now=now,
        days=days,
    )
    return IssuedInvite(kind.value, label, team_name, invite, deep_link(bot_username, invite.code))


async def invite_everyone(
    db: Database, *, now: datetime, days: int, bot_username: str | None
) -> list[IssuedInvite]:
    """One invite per envoy without an account, per enterprise without staff and per
    department nobody is bound to yet.

    A person who already has an open code (valid for at least REUSE_MIN_LEFT more) gets that
    code again, so running it twice hands out the same links and mints nothing new.
    """
    org = OrgRepo(db)
    repo = InvitesRepo(db)
    teams = {t.id: t for t in await org.list_teams()}
    led = {t.lead_envoy_id: t for t in teams.values() if t.lead_envoy_id is not None}
    envoys = await org.unbound_envoys()
    enterprises = await org.enterprises_without_staff()
    departments = await DepartmentsRepo(db).without_account()
    specs = [InviteSpec(Role.ENVOY, envoy_id=e.id) for e in envoys]
    specs += [InviteSpec(Role.STAFF, enterprise_id=e.id) for e in enterprises]
    specs += [InviteSpec(Role.DEPARTMENT, department_id=d.id) for d in departments]
    kept = await repo.open_by_target(now, now + REUSE_MIN_LEFT)
    missing = [spec for spec in specs if spec not in kept]
    made = dict(zip(missing, await repo.create_many(missing, now=now, days=days), strict=True))
    issued: list[IssuedInvite] = []
    for envoy, spec in zip(envoys, specs, strict=False):
        lead_team = led.get(envoy.id)
        home = lead_team or teams.get(envoy.team_id or -1)
        kind = "lead" if lead_team else "envoy"
        issued.append(_issued(kind, envoy.name, home, spec, kept, made, bot_username))
    staff_specs = specs[len(envoys) : len(envoys) + len(enterprises)]
    for enterprise, spec in zip(enterprises, staff_specs, strict=True):
        home = teams.get(enterprise.team_id or -1)
        issued.append(_issued("staff", enterprise.name, home, spec, kept, made, bot_username))
    department_specs = specs[len(envoys) + len(enterprises) :]
    for department, spec in zip(departments, department_specs, strict=True):
        issued.append(_issued("department", department.name, None, spec, kept, made, bot_username))
    logger.info("invite --all: %s new, %s handed out again", len(made), len(specs) - len(made))
    return issued


def _issued(
    kind: str,
    name: str,
    home: Team | None,
    spec: InviteSpec,
    kept: dict[InviteSpec, Invite],
    made: dict[InviteSpec, Invite],
    bot_username: str | None,
) -> IssuedInvite:
    reused = spec in kept
    invite = kept[spec] if reused else made[spec]
    team = home.name if home else None
    return IssuedInvite(kind, name, team, invite, deep_link(bot_username, invite.code), reused)


def _listed(item: OpenInvite, bot_username: str | None) -> IssuedInvite:
    invite = item.invite
    if invite.kind is Role.STAFF:
        kind, name = "staff", item.enterprise_name
    elif invite.kind is Role.ENVOY:
        kind, name = ("lead" if item.leads_team else "envoy"), item.envoy_name
    elif invite.kind is Role.DEPARTMENT:
        kind, name = "department", item.department_name
    else:
        kind, name = invite.kind.value, None
    return IssuedInvite(kind, name, item.team_name, invite, deep_link(bot_username, invite.code))


async def open_invites(
    db: Database, *, now: datetime, bot_username: str | None
) -> list[IssuedInvite]:
    """Every code that can still be redeemed: who it is for, its kind, when it expires."""
    return [_listed(item, bot_username) for item in await InvitesRepo(db).list_open(now)]


async def revoke_code(db: Database, code: str, *, now: datetime) -> None:
    """Withdraw one open code; InviteTargetError when there is no such open code."""
    if not await InvitesRepo(db).revoke(code.strip(), now):
        raise InviteTargetError("cli-invite-revoke-unknown", code=code.strip())


async def revoke_person(db: Database, name: str, *, now: datetime) -> int:
    """Withdraw every open code of the envoy, enterprise or department of that name; how many."""
    org = OrgRepo(db)
    envoy = await org.envoy_by_name(name)
    enterprise = await org.enterprise_by_name(name)
    department = await DepartmentsRepo(db).by_name(name)
    if envoy is None and enterprise is None and department is None:
        raise InviteTargetError("cli-invite-no-person", name=name)
    count = await InvitesRepo(db).revoke_for(
        envoy_id=envoy.id if envoy else None,
        enterprise_id=enterprise.id if enterprise else None,
        department_id=department.id if department else None,
        now=now,
    )
    if count == 0:
        raise InviteTargetError("cli-invite-revoke-none", name=name)
    return count


async def _team_name(org: OrgRepo, team_id: int | None) -> str | None:
    if team_id is None:
        return None
    team = await org.get_team(team_id)
    return team.name if team else None
