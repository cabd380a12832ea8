"""load_actor: one place deciding the effective role and scope of a Telegram user."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from domain.models import Role
from storage.accounts_repo import AccountsRepo
from storage.db import Database
from storage.invites_repo import InvitesRepo, RedeemOutcome
from storage.org_repo import OrgRepo
from tests.storage.conftest import ROSTER, write_csv
from usecases.roster import import_roster

NOW = datetime(2025, 3, 3, 8, 0, tzinfo=UTC)


@pytest.fixture
async def org(db: Database, tmp_path: Path) -> OrgRepo:
    await import_roster(db, write_csv(tmp_path / "r.csv", ROSTER))
    return OrgRepo(db)


async def bind(db: Database, kind: Role, user: int, **target: int) -> None:
    repo = InvitesRepo(db)
    invite = await repo.create(kind, now=NOW, days=1, **target)
    assert (await repo.redeem(invite.code, user, "x", None, NOW)).outcome is RedeemOutcome.OK


async def test_unbound_user_is_nobody(db: Database, org: OrgRepo) -> None:
    assert await AccountsRepo(db).load_actor(1, config_admins=[]) is None


async def test_staff(db: Database, org: OrgRepo) -> None:
    gamma = await org.enterprise_by_name("Gamma")
    assert gamma is not None
    await bind(db, Role.STAFF, 10, enterprise_id=gamma.id)
    actor = await AccountsRepo(db).load_actor(10, config_admins=[])
    assert actor is not None
    assert (actor.role, actor.enterprise_id, actor.envoy_id) == (Role.STAFF, gamma.id, None)


async def test_envoy_scope_is_their_assignments(db: Database, org: OrgRepo) -> None:
    li = await org.envoy_by_name("Li Lei")
    assert li is not None
    await bind(db, Role.ENVOY, 20, envoy_id=li.id)
    actor = await AccountsRepo(db).load_actor(20, config_admins=[])
    assert actor is not None
    assert actor.role is Role.ENVOY and actor.envoy_id == li.id
    assert actor.enterprise_ids == frozenset(await org.enterprise_ids_of_envoy(li.id))
    assert len(actor.enterprise_ids) == 2
    assert actor.led_team_ids == frozenset() and actor.team_enterprise_ids == frozenset()


async def test_lead_sees_the_whole_team(db: Database, org: OrgRepo) -> None:
    wang = await org.envoy_by_name("Wang Fang")  # lead-only: no assignments
    east = await org.team_by_name("East")
    assert wang is not None and east is not None
    await bind(db, Role.ENVOY, 30, envoy_id=wang.id)
    actor = await AccountsRepo(db).load_actor(30, config_admins=[])
    assert actor is not None
    assert actor.role is Role.LEAD
    assert actor.led_team_ids == frozenset({east.id})
    assert actor.enterprise_ids == frozenset()
    team = await org.enterprises_of_team(east.id)
    assert actor.team_enterprise_ids == frozenset(e.id for e in team)


async def test_lead_who_is_also_an_assigned_envoy(db: Database, org: OrgRepo) -> None:
    zhao = await org.envoy_by_name("Zhao Qiang")
    gamma = await org.enterprise_by_name("Gamma")
    assert zhao is not None and gamma is not None
    await bind(db, Role.ENVOY, 40, envoy_id=zhao.id)
    actor = await AccountsRepo(db).load_actor(40, config_admins=[])
    assert actor is not None and actor.role is Role.LEAD
    assert actor.enterprise_ids == frozenset({gamma.id}) == actor.team_enterprise_ids


async def test_admin_from_config_with_and_without_account(db: Database, org: OrgRepo) -> None:
    accounts = AccountsRepo(db)
    actor = await accounts.load_actor(50, config_admins={50})
    assert actor is not None and actor.role is Role.ADMIN
    account = await accounts.ensure_admin(50, "Boss", "zh", NOW)
    assert account.role is Role.ADMIN and account.display_name == "Boss"
    assert await accounts.ensure_admin(50, "Other", "en", NOW) == account  # kept
    assert [a.tg_user_id for a in await accounts.admin_accounts()] == [50]
    # A configured admin who is bound as staff still acts as admin.
    gamma = await org.enterprise_by_name("Gamma")
    assert gamma is not None
    await bind(db, Role.STAFF, 51, enterprise_id=gamma.id)
    actor = await accounts.load_actor(51, config_admins=[50, 51])
    assert actor is not None and actor.role is Role.ADMIN
    # Admin by invite, not in config.
    await bind(db, Role.ADMIN, 52)
    actor = await accounts.load_actor(52, config_admins=[])
    assert actor is not None and actor.role is Role.ADMIN


async def test_lang_and_reachable(db: Database, org: OrgRepo) -> None:
    accounts = AccountsRepo(db)
    await accounts.ensure_admin(60, "A", None, NOW)
    await accounts.set_lang(60, "en")
    assert await accounts.set_reachable(60, False) is True
    assert await accounts.set_reachable(60, False) is False
    account = await accounts.get(60)
    assert account is not None and account.lang == "en" and account.reachable is False
    assert await accounts.set_reachable(60, True) is True
    assert await accounts.set_reachable(999, True) is False
