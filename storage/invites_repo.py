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
INVITE_KINDS = frozenset({Role.STAFF, Role.ENVOY, Role.ADMIN})


class RedeemOutcome(StrEnum):
    OK = "ok"
    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"
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
    )


def _check_spec(spec: InviteSpec) -> None:
    if spec.kind not in INVITE_KINDS:
        raise ValueError(f"invites are for staff, envoy or admin, not {spec.kind}")
    if spec.kind is Role.STAFF and spec.enterprise_id is None:
        raise ValueError("a staff invite needs an enterprise")
    if spec.kind is Role.ENVOY and spec.envoy_id is None:
        raise ValueError("an envoy invite needs an envoy")


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
        now: datetime,
        days: int,
    ) -> Invite:
        """Create one invite valid for `days` days from `now`."""
        (invite,) = await self.create_many(
            [InviteSpec(kind, envoy_id, enterprise_id)], now=now, days=days
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
                code=secrets.token_urlsafe(CODE_BYTES),
                kind=spec.kind,
                envoy_id=spec.envoy_id if spec.kind is Role.ENVOY else None,
                enterprise_id=spec.enterprise_id if spec.kind is Role.STAFF else None,
                created_at=now,
                expires_at=expires,
                used_at=None,
                used_by=None,
            )
            for spec in specs
        ]
        async with self.db.transaction() as conn:
            await conn.executemany(
                "INSERT INTO invites (code, kind, envoy_id, enterprise_id, created_at, "
                "expires_at) VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (
                        i.code,
                        i.kind.value,
                        i.envoy_id,
                        i.enterprise_id,
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
                "UPDATE invites SET used_at = ?, used_by = ? WHERE code = ? AND used_at IS NULL",
                (to_db(now), tg_user_id, code),
            )
            if cur.rowcount != 1:  # lost a race with another process
                return RedeemResult(RedeemOutcome.USED, invite)
            await conn.execute(
                "INSERT INTO accounts (tg_user_id, role, envoy_id, enterprise_id, display_name, "
                "lang, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    tg_user_id,
                    invite.kind.value,
                    invite.envoy_id,
                    invite.enterprise_id,
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
        )
        return RedeemResult(RedeemOutcome.OK, used, account_from_row(account_row))
