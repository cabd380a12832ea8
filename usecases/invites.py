"""Issuing invites: `envoybot invite …` and the helper the bot's /invite handler reuses."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from domain.models import Invite, Role
from storage.accounts_repo import AccountsRepo
from storage.db import Database
from storage.invites_repo import InviteSpec, InvitesRepo
from storage.org_repo import OrgRepo
from usecases.errors import OperatorError

logger = logging.getLogger(__name__)

BOT_PLACEHOLDER = "<bot>"


class InviteTargetError(OperatorError):
    """The named enterprise / envoy / team cannot get an invite."""


@dataclass(frozen=True, slots=True)
class IssuedInvite:
    """An invite with the names a person needs to hand it to the right someone."""

    kind: str  # staff / envoy / lead / admin
    name: str | None  # enterprise or envoy name; None for admin
    team: str | None
    invite: Invite
    link: str

    def as_json(self, zone: ZoneInfo) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "name": self.name,
            "team": self.team,
            "code": self.invite.code,
            "link": self.link,
            "expires_at": self.invite.expires_at.astimezone(zone).isoformat(timespec="seconds"),
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
    team) or an admin; raises InviteTargetError for an unknown or already bound target."""
    org = OrgRepo(db)
    team_name: str | None = None
    envoy_id: int | None = None
    enterprise_id: int | None = None
    label: str | None = None
    if kind is Role.STAFF:
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
        stored, envoy_id=envoy_id, enterprise_id=enterprise_id, now=now, days=days
    )
    return IssuedInvite(kind.value, label, team_name, invite, deep_link(bot_username, invite.code))


async def invite_everyone(
    db: Database, *, now: datetime, days: int, bot_username: str | None
) -> list[IssuedInvite]:
    """One invite per envoy without an account and per enterprise without staff."""
    org = OrgRepo(db)
    teams = {t.id: t for t in await org.list_teams()}
    led = {t.lead_envoy_id: t for t in teams.values() if t.lead_envoy_id is not None}
    envoys = await org.unbound_envoys()
    enterprises = await org.enterprises_without_staff()
    specs = [InviteSpec(Role.ENVOY, envoy_id=e.id) for e in envoys]
    specs += [InviteSpec(Role.STAFF, enterprise_id=e.id) for e in enterprises]
    invites = await InvitesRepo(db).create_many(specs, now=now, days=days)
    issued: list[IssuedInvite] = []
    for envoy, invite in zip(envoys, invites, strict=False):
        lead_team = led.get(envoy.id)
        home = lead_team or teams.get(envoy.team_id or -1)
        issued.append(
            IssuedInvite(
                "lead" if lead_team else "envoy",
                envoy.name,
                home.name if home else None,
                invite,
                deep_link(bot_username, invite.code),
            )
        )
    for enterprise, invite in zip(enterprises, invites[len(envoys) :], strict=True):
        home = teams.get(enterprise.team_id or -1)
        issued.append(
            IssuedInvite(
                "staff",
                enterprise.name,
                home.name if home else None,
                invite,
                deep_link(bot_username, invite.code),
            )
        )
    return issued


async def _team_name(org: OrgRepo, team_id: int | None) -> str | None:
    if team_id is None:
        return None
    team = await org.get_team(team_id)
    return team.name if team else None
