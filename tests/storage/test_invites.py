"""Invite codes: creation, every redeem outcome, and a concurrent double redeem."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from domain.models import Role
from storage.accounts_repo import AccountsRepo
from storage.db import Database
from storage.invites_repo import InvitesRepo, RedeemOutcome, new_code
from storage.org_repo import OrgRepo
from tests.storage.conftest import ROSTER, write_csv
from usecases.roster import import_roster

NOW = datetime(2025, 3, 3, 8, 0, tzinfo=UTC)


@pytest.fixture
async def org(db: Database, tmp_path: Path) -> OrgRepo:
    await import_roster(db, write_csv(tmp_path / "r.csv", ROSTER))
    return OrgRepo(db)


async def envoy_id(org: OrgRepo, name: str) -> int:
    envoy = await org.envoy_by_name(name)
    assert envoy is not None
    return envoy.id


async def enterprise_id(org: OrgRepo, name: str) -> int:
    enterprise = await org.enterprise_by_name(name)
    assert enterprise is not None
    return enterprise.id


async def test_code_is_a_valid_start_payload(db: Database, org: OrgRepo) -> None:
    invite = await InvitesRepo(db).create(Role.ADMIN, now=NOW, days=14)
    assert re.fullmatch(r"[A-Za-z0-9_-]{16}", invite.code)
    assert invite.expires_at == NOW + timedelta(days=14)
    stored = await InvitesRepo(db).get(invite.code)
    assert stored == invite


async def test_create_refuses_incomplete_invites(db: Database) -> None:
    repo = InvitesRepo(db)
    with pytest.raises(ValueError, match="enterprise"):
        await repo.create(Role.STAFF, now=NOW, days=1)
    with pytest.raises(ValueError, match="envoy"):
        await repo.create(Role.ENVOY, now=NOW, days=1)
    with pytest.raises(ValueError, match="lead"):
        await repo.create(Role.LEAD, envoy_id=1, now=NOW, days=1)


async def test_redeem_staff_then_used(db: Database, org: OrgRepo) -> None:
    repo = InvitesRepo(db)
    acme = await enterprise_id(org, "Acme <b>&</b>")
    invite = await repo.create(Role.STAFF, enterprise_id=acme, now=NOW, days=14)
    result = await repo.redeem(invite.code, 501, "Ann", "en", NOW + timedelta(hours=1))
    assert result.outcome is RedeemOutcome.OK
    assert result.account is not None
    assert (result.account.role, result.account.enterprise_id) == (Role.STAFF, acme)
    assert result.account.display_name == "Ann" and result.account.lang == "en"
    assert result.invite is not None and result.invite.used_by == 501
    stored = await repo.get(invite.code)
    assert stored is not None and stored.used_by == 501 and stored.used_at is not None

    again = await repo.redeem(invite.code, 502, "Bob", None, NOW + timedelta(hours=2))
    assert again.outcome is RedeemOutcome.USED and again.account is None
    assert await AccountsRepo(db).get(502) is None


async def test_two_staff_of_one_enterprise_each_with_an_invite(db: Database, org: OrgRepo) -> None:
    repo = InvitesRepo(db)
    acme = await enterprise_id(org, "Acme <b>&</b>")
    for user in (601, 602):
        invite = await repo.create(Role.STAFF, enterprise_id=acme, now=NOW, days=1)
        assert (await repo.redeem(invite.code, user, "", None, NOW)).outcome is RedeemOutcome.OK
    staff = await AccountsRepo(db).staff_of_enterprise(acme)
    assert [a.tg_user_id for a in staff] == [601, 602]
    assert acme not in {e.id for e in await org.enterprises_without_staff()}


async def test_expired_and_unknown(db: Database, org: OrgRepo) -> None:
    repo = InvitesRepo(db)
    invite = await repo.create(Role.ADMIN, now=NOW, days=2)
    late = await repo.redeem(invite.code, 700, "", None, NOW + timedelta(days=2))
    assert late.outcome is RedeemOutcome.EXPIRED
    assert await AccountsRepo(db).get(700) is None
    assert (await repo.redeem("nope", 700, "", None, NOW)).outcome is RedeemOutcome.UNKNOWN
    ok = await repo.redeem(invite.code, 700, "", None, NOW + timedelta(days=2, seconds=-1))
    assert ok.outcome is RedeemOutcome.OK
    assert ok.account is not None and ok.account.role is Role.ADMIN


async def test_already_bound_and_envoy_taken(db: Database, org: OrgRepo) -> None:
    repo = InvitesRepo(db)
    li = await envoy_id(org, "Li Lei")
    first = await repo.create(Role.ENVOY, envoy_id=li, now=NOW, days=1)
    second = await repo.create(Role.ENVOY, envoy_id=li, now=NOW, days=1)
    other = await repo.create(Role.ADMIN, now=NOW, days=1)
    assert (await repo.redeem(first.code, 800, "Li", None, NOW)).outcome is RedeemOutcome.OK
    bound = await repo.redeem(other.code, 800, "Li", None, NOW)
    assert bound.outcome is RedeemOutcome.ALREADY_BOUND
    taken = await repo.redeem(second.code, 801, "Imposter", None, NOW)
    assert taken.outcome is RedeemOutcome.TAKEN
    # Refused redemptions leave the invites usable by the right person.
    assert (await repo.get(other.code)) is not None
    assert (await repo.redeem(other.code, 802, "", None, NOW)).outcome is RedeemOutcome.OK
    account = await AccountsRepo(db).account_of_envoy(li)
    assert account is not None and account.tg_user_id == 800


async def test_concurrent_double_redeem_has_one_winner(db: Database, org: OrgRepo) -> None:
    repo = InvitesRepo(db)
    invite = await repo.create(
        Role.ENVOY, envoy_id=await envoy_id(org, "Han Meimei"), now=NOW, days=1
    )
    results = await asyncio.gather(
        *(repo.redeem(invite.code, 900 + i, f"u{i}", None, NOW) for i in range(5))
    )
    outcomes = sorted(r.outcome.value for r in results)
    assert outcomes == ["ok", "used", "used", "used", "used"]
    counts = await OrgRepo(db).counts()
    assert counts["accounts"] == 1


async def test_revoked_code_cannot_be_redeemed(db: Database, org: OrgRepo) -> None:
    repo = InvitesRepo(db)
    gamma = await enterprise_id(org, "Gamma")
    invite = await repo.create(Role.STAFF, enterprise_id=gamma, now=NOW, days=14)
    assert await repo.revoke(invite.code, NOW + timedelta(hours=1))
    assert not await repo.revoke(invite.code, NOW + timedelta(hours=2))  # already revoked
    result = await repo.redeem(invite.code, 555, "X", None, NOW + timedelta(hours=3))
    assert result.outcome is RedeemOutcome.REVOKED
    assert await AccountsRepo(db).get(555) is None


async def test_used_or_expired_codes_are_neither_open_nor_revocable(
    db: Database, org: OrgRepo
) -> None:
    repo = InvitesRepo(db)
    li = await envoy_id(org, "Li Lei")
    used = await repo.create(Role.ENVOY, envoy_id=li, now=NOW, days=14)
    assert (await repo.redeem(used.code, 556, "Li", None, NOW)).outcome is RedeemOutcome.OK
    old = await repo.create(Role.ADMIN, now=NOW - timedelta(days=20), days=14)
    fresh = await repo.create(Role.ADMIN, now=NOW, days=14)
    assert [o.invite.code for o in await repo.list_open(NOW)] == [fresh.code]
    assert not await repo.revoke(used.code, NOW) and not await repo.revoke(old.code, NOW)
    assert not await repo.revoke("no-such-code", NOW)


async def test_open_codes_by_person_and_revoking_them(db: Database, org: OrgRepo) -> None:
    repo = InvitesRepo(db)
    acme = await enterprise_id(org, "Acme <b>&</b>")
    wang = await envoy_id(org, "Wang Fang")
    first = await repo.create(Role.STAFF, enterprise_id=acme, now=NOW, days=14)
    newer = await repo.create(Role.STAFF, enterprise_id=acme, now=NOW + timedelta(hours=1), days=14)
    lead = await repo.create(Role.ENVOY, envoy_id=wang, now=NOW, days=1)
    later = NOW + timedelta(hours=2)
    kept = await repo.open_by_target(later, later + timedelta(days=1))
    assert set(kept.values()) == {newer}  # the lead's code runs out within the day
    listed = {o.invite.code: o for o in await repo.list_open(later)}
    assert listed[lead.code].leads_team and listed[lead.code].team_name == "East"
    assert listed[first.code].enterprise_name == "Acme <b>&</b>"
    assert await repo.revoke_for(enterprise_id=acme, now=later) == 2
    assert [o.invite.code for o in await repo.list_open(later)] == [lead.code]


def test_codes_never_start_with_a_dash() -> None:
    codes = [new_code() for _ in range(2000)]
    assert not [c for c in codes if c.startswith("-")]
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{16}", c) for c in codes)
