"""One-time invite codes: creating them and redeeming one into an account, atomically."""

from __future__ import annotations

import logging
import secrets
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from domain.models import Account, Invite, Role
from storage.accounts_repo import account_from_row
from storage.db import Database, from_db, from_db_required, to_db

logger = logging.getLogger(__name__)

CODE_BYTES = 12  # token_urlsafe(12) -> 16 chars of [A-Za-z0-9_-], a valid ?start= payload
INVITE_KINDS = frozenset({Role.STAFF, Role.ENVOY, Role.ADMIN, Role.DEPARTMENT})


class RedeemOutcome(StrEnum):
    OK = "ok"
    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"
    REVOKED = "revoked"  # an admin withdrew the code before anyone used it
    ALREADY_BOUND = "already_bound"  # this Telegram account already has a role
    TAKEN = "taken"  # the envoy already has another account


@dataclass(frozen=True, slots=True)
class RedeemResult:
    """The outcome, the invite as it was found, and the account created on OK."""

    outcome: RedeemOutcome
    invite: Invite | None = None
    account: Account | None = None


@dataclass(frozen=True, slots=True)
class InviteSpec:
    """Who one invite of a batch is for."""

    kind: Role
    envoy_id: int | None = None
    enterprise_id: int | None = None
    department_id: int | None = None


@dataclass(frozen=True, slots=True)
class OpenInvite:
    """An unused, unexpired, unrevoked code with the names of whom it is for."""

    invite: Invite
    envoy_name: str | None
    enterprise_name: str | None
    team_name: str | None
    leads_team: bool
    department_name: str | None = None


_OPEN = "i.used_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > ?"
_OPEN_WITH_NAMES = f"""
SELECT i.*, v.name AS envoy_name, x.name AS enterprise_name, dp.name AS department_name,
       COALESCE(lead.name, vt.name, xt.name) AS team_name, lead.id IS NOT NULL AS leads_team
FROM invites i
LEFT JOIN envoys v ON v.id = i.envoy_id
LEFT JOIN teams vt ON vt.id = v.team_id
LEFT JOIN teams lead ON lead.id = (
    SELECT MIN(t.id) FROM teams t WHERE t.lead_envoy_id = i.envoy_id)
LEFT JOIN enterprises x ON x.id = i.enterprise_id
LEFT JOIN teams xt ON xt.id = x.team_id
LEFT JOIN departments dp ON dp.id = i.department_id
WHERE {_OPEN}
ORDER BY COALESCE(lead.name, vt.name, xt.name) IS NULL, team_name, i.kind,
         COALESCE(v.name, x.name, dp.name), i.created_at
"""


def invite_from_row(row: sqlite3.Row) -> Invite:
    return Invite(
        code=row["code"],
        kind=Role(row["kind"]),
        envoy_id=row["envoy_id"],
        enterprise_id=row["enterprise_id"],
        created_at=from_db_required(row["created_at"]),
        expires_at=from_db_required(row["expires_at"]),
        used_at=from_db(row["used_at"]),
        used_by=row["used_by"],
        department_id=row["department_id"],
    )


def new_code() -> str:
    """A random code that does not start with '-' (a command line would take it for an option)."""
    while True:
        code = secrets.token_urlsafe(CODE_BYTES)
        if not code.startswith("-"):
            return code


def _check_spec(spec: InviteSpec) -> None:
    if spec.kind not in INVITE_KINDS:
        raise ValueError(f"invites are for staff, envoy, department or admin, not {spec.kind}")
    if spec.kind is Role.STAFF and spec.enterprise_id is None:
        raise ValueError("a staff invite needs an enterprise")
    if spec.kind is Role.ENVOY and spec.envoy_id is None:
        raise ValueError("an envoy invite needs an envoy")
    if spec.kind is Role.DEPARTMENT and spec.department_id is None:
        raise ValueError("a department invite needs a department")


class InvitesRepo:
    """Invite codes are single use, expire, and bind exactly one Telegram account."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def create(
        self,
        kind: Role,
        *,
        envoy_id: int | None = None,
        enterprise_id: int | None = None,
        department_id: int | None = None,
        now: datetime,
        days: int,
    ) -> Invite:
        """Create one invite valid for `days` days from `now`."""
        (invite,) = await self.create_many(
            [InviteSpec(kind, envoy_id, enterprise_id, department_id)], now=now, days=days
        )
        return invite

    async def create_many(
        self, specs: Sequence[InviteSpec], *, now: datetime, days: int
    ) -> list[Invite]:
        """Create a batch of invites in one transaction (invite --all)."""
        for spec in specs:
            _check_spec(spec)
        expires = now + timedelta(days=days)
        invites = [
            Invite(
                code=new_code(),
                kind=spec.kind,
                envoy_id=spec.envoy_id if spec.kind is Role.ENVOY else None,
                enterprise_id=spec.enterprise_id if spec.kind is Role.STAFF else None,
                created_at=now,
                expires_at=expires,
                used_at=None,
                used_by=None,
                department_id=spec.department_id if spec.kind is Role.DEPARTMENT else None,
            )
            for spec in specs
        ]
        async with self.db.transaction() as conn:
            await conn.executemany(
                "INSERT INTO invites (code, kind, envoy_id, enterprise_id, department_id,"
                " created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        i.code,
                        i.kind.value,
                        i.envoy_id,
                        i.enterprise_id,
                        i.department_id,
                        to_db(i.created_at),
                        to_db(i.expires_at),
                    )
                    for i in invites
                ],
            )
        logger.info("created %s invite(s)", len(invites))
        return invites

    async def get(self, code: str) -> Invite | None:
        row = await self.db.fetchone("SELECT * FROM invites WHERE code = ?", (code,))
        return invite_from_row(row) if row else None

    async def list_open(self, now: datetime) -> list[OpenInvite]:
        """Every code that can still be redeemed, with names, by team then kind then name."""
        rows = await self.db.fetchall(_OPEN_WITH_NAMES, (to_db(now),))
        return [
            OpenInvite(
                invite_from_row(r),
                r["envoy_name"],
                r["enterprise_name"],
                r["team_name"],
                bool(r["leads_team"]),
                r["department_name"],
            )
            for r in rows
        ]

    async def open_by_target(
        self, now: datetime, valid_until: datetime
    ) -> dict[InviteSpec, Invite]:
        """The newest open code per envoy / enterprise still valid at valid_until (for reuse)."""
        rows = await self.db.fetchall(
            f"SELECT i.* FROM invites i WHERE {_OPEN} AND i.expires_at >= ? "
            "AND i.kind IN ('envoy', 'staff', 'department') ORDER BY i.created_at, i.code",
            (to_db(now), to_db(valid_until)),
        )
        found: dict[InviteSpec, Invite] = {}
        for row in rows:
            invite = invite_from_row(row)
            spec = InviteSpec(
                invite.kind, invite.envoy_id, invite.enterprise_id, invite.department_id
            )
            found[spec] = invite
        return found

    async def revoke(self, code: str, now: datetime) -> bool:
        """Withdraw one open code; False when it is unknown, used, expired or already revoked."""
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                f"UPDATE invites AS i SET revoked_at = ? WHERE i.code = ? AND {_OPEN}",
                (to_db(now), code, to_db(now)),
            )
            changed = cur.rowcount
        logger.info("invite %s revoked: %s", code, bool(changed))
        return changed == 1

    async def revoke_for(
        self,
        *,
        envoy_id: int | None = None,
        enterprise_id: int | None = None,
        department_id: int | None = None,
        now: datetime,
    ) -> int:
        """Withdraw every open code of an envoy, an enterprise or a department; how many."""
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                f"UPDATE invites AS i SET revoked_at = ? WHERE {_OPEN} "
                "AND (i.envoy_id = ? OR i.enterprise_id = ? OR i.department_id = ?)",
                (to_db(now), to_db(now), envoy_id, enterprise_id, department_id),
            )
            count = cur.rowcount
        logger.info(
            "revoked %s invite(s) of envoy %s / enterprise %s", count, envoy_id, enterprise_id
        )
        return count

    async def redeem(
        self, code: str, tg_user_id: int, display_name: str, lang: str | None, now: datetime
    ) -> RedeemResult:
        """Bind tg_user_id by an invite code; all checks and writes in one transaction."""
        async with self.db.transaction() as conn:
            cur = await conn.execute("SELECT * FROM invites WHERE code = ?", (code,))
            row = await cur.fetchone()
            if row is None:
                return RedeemResult(RedeemOutcome.UNKNOWN)
            invite = invite_from_row(row)
            if invite.used_at is not None:
                return RedeemResult(RedeemOutcome.USED, invite)
            if row["revoked_at"] is not None:
                return RedeemResult(RedeemOutcome.REVOKED, invite)
            if now >= invite.expires_at:
                return RedeemResult(RedeemOutcome.EXPIRED, invite)
            cur = await conn.execute("SELECT 1 FROM accounts WHERE tg_user_id = ?", (tg_user_id,))
            if await cur.fetchone() is not None:
                return RedeemResult(RedeemOutcome.ALREADY_BOUND, invite)
            if invite.kind is Role.ENVOY:
                cur = await conn.execute(
                    "SELECT 1 FROM accounts WHERE envoy_id = ?", (invite.envoy_id,)
                )
                if await cur.fetchone() is not None:
                    return RedeemResult(RedeemOutcome.TAKEN, invite)
            cur = await conn.execute(
                "UPDATE invites SET used_at = ?, used_by = ? "
                "WHERE code = ? AND used_at IS NULL AND revoked_at IS NULL",
                (to_db(now), tg_user_id, code),
            )
            if cur.rowcount != 1:  # lost a race with another process
                return RedeemResult(RedeemOutcome.USED, invite)
            await conn.execute(
                "INSERT INTO accounts (tg_user_id, role, envoy_id, enterprise_id, department_id,"
                " display_name, lang, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    tg_user_id,
                    invite.kind.value,
                    invite.envoy_id,
                    invite.enterprise_id,
                    invite.department_id,
                    display_name,
                    lang,
                    to_db(now),
                ),
            )
            cur = await conn.execute("SELECT * FROM accounts WHERE tg_user_id = ?", (tg_user_id,))
            account_row = await cur.fetchone()
        assert account_row is not None
        logger.info("invite redeemed: %s bound as %s", tg_user_id, invite.kind)
        used = Invite(
            invite.code,
            invite.kind,
            invite.envoy_id,
            invite.enterprise_id,
            invite.created_at,
            invite.expires_at,
            now,
            tg_user_id,
            invite.department_id,
        )
        return RedeemResult(RedeemOutcome.OK, used, account_from_row(account_row))
