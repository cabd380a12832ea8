"""Telegram accounts bound to a role, and the per-request Actor computed from them."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Collection
from datetime import datetime

from domain.models import Account, Actor, Role
from storage.db import Database, to_db

logger = logging.getLogger(__name__)


def account_from_row(row: sqlite3.Row) -> Account:
    """Build an Account from a row of the accounts table."""
    return Account(
        tg_user_id=int(row["tg_user_id"]),
        role=Role(row["role"]),
        envoy_id=row["envoy_id"],
        enterprise_id=row["enterprise_id"],
        display_name=row["display_name"],
        lang=row["lang"],
        reachable=bool(row["reachable"]),
        department_id=row["department_id"],
    )


# One round trip for everything an envoy's scope needs: assigned enterprises ('a'),
# led teams ('t') and the enterprises of those teams ('e').
_ENVOY_SCOPE_SQL = (
    "SELECT 'a' AS k, enterprise_id AS id FROM assignments WHERE envoy_id = :e "
    "UNION ALL SELECT 't', id FROM teams WHERE lead_envoy_id = :e "
    "UNION ALL SELECT 'e', en.id FROM enterprises en JOIN teams t ON en.team_id = t.id "
    "WHERE t.lead_envoy_id = :e"
)


class AccountsRepo:
    """Accounts table access; load_actor is the single place roles and scopes are decided."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, tg_user_id: int) -> Account | None:
        row = await self.db.fetchone("SELECT * FROM accounts WHERE tg_user_id = ?", (tg_user_id,))
        return account_from_row(row) if row else None

    async def set_lang(self, tg_user_id: int, lang: str) -> None:
        await self.db.execute(
            "UPDATE accounts SET lang = ? WHERE tg_user_id = ?", (lang, tg_user_id)
        )

    async def set_reachable(self, tg_user_id: int, reachable: bool) -> bool:
        """Record whether messages reach the user; True if that changed."""
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "UPDATE accounts SET reachable = ? WHERE tg_user_id = ? AND reachable != ?",
                (int(reachable), tg_user_id, int(reachable)),
            )
            changed = cur.rowcount > 0
        if changed:
            logger.info("account %s reachable=%s", tg_user_id, reachable)
        return changed

    async def staff_of_enterprise(self, enterprise_id: int) -> list[Account]:
        rows = await self.db.fetchall(
            "SELECT * FROM accounts WHERE role = 'staff' AND enterprise_id = ? "
            "ORDER BY created_at, tg_user_id",
            (enterprise_id,),
        )
        return [account_from_row(r) for r in rows]

    async def envoy_accounts_of_enterprise(self, enterprise_id: int) -> list[Account]:
        """The accounts of every envoy assigned to an enterprise, in one query."""
        rows = await self.db.fetchall(
            "SELECT ac.* FROM assignments a JOIN accounts ac ON ac.envoy_id = a.envoy_id"
            " WHERE a.enterprise_id = ? ORDER BY a.envoy_id",
            (enterprise_id,),
        )
        return [account_from_row(r) for r in rows]

    async def account_of_envoy(self, envoy_id: int) -> Account | None:
        row = await self.db.fetchone("SELECT * FROM accounts WHERE envoy_id = ?", (envoy_id,))
        return account_from_row(row) if row else None

    async def department_accounts(self, department_id: int) -> list[Account]:
        """The people bound to a department, in the order they joined."""
        rows = await self.db.fetchall(
            "SELECT * FROM accounts WHERE role = 'department' AND department_id = ?"
            " ORDER BY created_at, tg_user_id",
            (department_id,),
        )
        return [account_from_row(r) for r in rows]

    async def admin_accounts(self) -> list[Account]:
        """Admins who have an account (config admins appear once they have talked to the bot)."""
        rows = await self.db.fetchall(
            "SELECT * FROM accounts WHERE role = 'admin' ORDER BY created_at, tg_user_id"
        )
        return [account_from_row(r) for r in rows]

    async def ensure_admin(
        self, tg_user_id: int, display_name: str, lang: str | None, now: datetime
    ) -> Account:
        """Give a configured admin an account on first contact; an existing one is kept."""
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "INSERT INTO accounts (tg_user_id, role, display_name, lang, created_at) "
                "VALUES (?, 'admin', ?, ?, ?) ON CONFLICT (tg_user_id) DO NOTHING",
                (tg_user_id, display_name, lang, to_db(now)),
            )
            if cur.rowcount:
                logger.info("admin account created for %s", tg_user_id)
            cur = await conn.execute("SELECT * FROM accounts WHERE tg_user_id = ?", (tg_user_id,))
            row = await cur.fetchone()
        assert row is not None
        return account_from_row(row)

    async def load_actor(
        self, tg_user_id: int, config_admins: Collection[int], account: Account | None = None
    ) -> Actor | None:
        """Who this user is right now and what they may see; None if not bound to anything.

        Pass the ``account`` when the caller has just read it, to save a query per update.
        """
        if account is None:
            account = await self.get(tg_user_id)
        if account is None:
            return Actor(tg_user_id, Role.ADMIN) if tg_user_id in config_admins else None
        role = account.role
        envoy_id = account.envoy_id
        enterprise_id = account.enterprise_id
        if tg_user_id in config_admins or role is Role.ADMIN:
            return Actor(tg_user_id, Role.ADMIN, envoy_id=envoy_id, enterprise_id=enterprise_id)
        if role is Role.STAFF:
            return Actor(tg_user_id, Role.STAFF, enterprise_id=enterprise_id)
        if role is Role.DEPARTMENT:
            if account.department_id is None:  # the schema forbids it
                logger.error("department account %s has no department_id", tg_user_id)
                return None
            return Actor(tg_user_id, Role.DEPARTMENT, department_id=account.department_id)
        if envoy_id is None:  # the schema forbids it; refuse rather than guess
            logger.error("envoy account %s has no envoy_id", tg_user_id)
            return None
        scope: dict[str, set[int]] = {"a": set(), "t": set(), "e": set()}
        for item in await self.db.fetchall(_ENVOY_SCOPE_SQL, {"e": envoy_id}):
            scope[item["k"]].add(int(item["id"]))
        led = frozenset(scope["t"])
        return Actor(
            tg_user_id,
            Role.LEAD if led else Role.ENVOY,
            envoy_id=envoy_id,
            led_team_ids=led,
            enterprise_ids=frozenset(scope["a"]),
            team_enterprise_ids=frozenset(scope["e"]),
        )
