"""Sign-in links and browser sessions of the web platform, kept as token hashes only."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from storage.db import Connection, Database, from_db, from_db_required, one, to_db

logger = logging.getLogger(__name__)


class LinkState(StrEnum):
    """What a sign-in link is worth right now."""

    VALID = "valid"
    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"


@dataclass(frozen=True, slots=True)
class LinkIssue:
    """The outcome of asking for a link: made, or refused until ``retry_at``."""

    made: bool
    retry_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Redeemed:
    """A link's state and, when it signed someone in, whose it was."""

    state: LinkState
    tg_user_id: int | None = None


@dataclass(frozen=True, slots=True)
class StoredSession:
    tg_user_id: int
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    ended_at: datetime | None
    via: str


class WebAuthRepo:
    """All SQL of web sign-in: links, their single use, sessions, idle times, sign-out."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def issue_link(
        self,
        token_hash: str,
        tg_user_id: int,
        *,
        now: datetime,
        expires_at: datetime,
        window_start: datetime,
        limit: int,
    ) -> LinkIssue:
        """Store a new link unless ``limit`` were made since ``window_start``.

        The person's older unused links stop working: only the newest one signs in.
        """
        async with self.db.transaction() as conn:
            rows = await conn.execute_fetchall(
                "SELECT created_at FROM web_links WHERE tg_user_id = ? AND created_at > ?"
                " ORDER BY created_at",
                (tg_user_id, to_db(window_start)),
            )
            if len(rows) >= limit:
                oldest = from_db_required(rows[len(rows) - limit]["created_at"])
                return LinkIssue(False, oldest + (now - window_start))
            await conn.execute(
                "UPDATE web_links SET used_at = ? WHERE tg_user_id = ? AND used_at IS NULL",
                (to_db(now), tg_user_id),
            )
            await conn.execute(
                "INSERT INTO web_links (token_hash, tg_user_id, created_at, expires_at)"
                " VALUES (?, ?, ?, ?)",
                (token_hash, tg_user_id, to_db(now), to_db(expires_at)),
            )
        return LinkIssue(True)

    async def peek_link(self, token_hash: str, now: datetime) -> Redeemed:
        """A link's state without using it (the page that asks to confirm the sign-in)."""
        row = await self.db.fetchone(
            "SELECT tg_user_id, expires_at, used_at FROM web_links WHERE token_hash = ?",
            (token_hash,),
        )
        if row is None:
            return Redeemed(LinkState.UNKNOWN)
        if row["used_at"] is not None:
            return Redeemed(LinkState.USED)
        if from_db_required(row["expires_at"]) <= now:
            return Redeemed(LinkState.EXPIRED)
        return Redeemed(LinkState.VALID, int(row["tg_user_id"]))

    async def redeem_link(
        self,
        token_hash: str,
        session_hash: str,
        *,
        now: datetime,
        session_expires_at: datetime,
    ) -> Redeemed:
        """Use a link once and open its session in the same transaction."""
        async with self.db.transaction() as conn:
            row = await one(
                conn,
                "SELECT tg_user_id, expires_at, used_at FROM web_links WHERE token_hash = ?",
                (token_hash,),
            )
            if row is None:
                return Redeemed(LinkState.UNKNOWN)
            if row["used_at"] is not None:
                return Redeemed(LinkState.USED)
            if from_db_required(row["expires_at"]) <= now:
                return Redeemed(LinkState.EXPIRED)
            cur = await conn.execute(
                "UPDATE web_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL",
                (to_db(now), token_hash),
            )
            if cur.rowcount != 1:
                return Redeemed(LinkState.USED)
            user = int(row["tg_user_id"])
            await _insert_session(conn, session_hash, user, now, session_expires_at, "link")
        return Redeemed(LinkState.VALID, user)

    async def open_session(
        self, session_hash: str, tg_user_id: int, *, now: datetime, expires_at: datetime, via: str
    ) -> None:
        async with self.db.transaction() as conn:
            await _insert_session(conn, session_hash, tg_user_id, now, expires_at, via)

    async def session(self, session_hash: str) -> StoredSession | None:
        row = await self.db.fetchone(
            "SELECT * FROM web_sessions WHERE token_hash = ?", (session_hash,)
        )
        if row is None:
            return None
        return StoredSession(
            tg_user_id=int(row["tg_user_id"]),
            created_at=from_db_required(row["created_at"]),
            last_seen_at=from_db_required(row["last_seen_at"]),
            expires_at=from_db_required(row["expires_at"]),
            ended_at=from_db(row["ended_at"]),
            via=str(row["via"]),
        )

    async def touch(self, session_hash: str, now: datetime) -> None:
        await self.db.execute(
            "UPDATE web_sessions SET last_seen_at = ? WHERE token_hash = ? AND ended_at IS NULL",
            (to_db(now), session_hash),
        )

    async def end(self, session_hash: str, now: datetime) -> None:
        await self.db.execute(
            "UPDATE web_sessions SET ended_at = ? WHERE token_hash = ? AND ended_at IS NULL",
            (to_db(now), session_hash),
        )

    async def prune(self, before: datetime) -> None:
        """Forget links and sessions that ended before ``before``."""
        cutoff = to_db(before)
        async with self.db.transaction() as conn:
            await conn.execute("DELETE FROM web_links WHERE expires_at < ?", (cutoff,))
            await conn.execute(
                "DELETE FROM web_sessions WHERE expires_at < ? OR ended_at < ?", (cutoff, cutoff)
            )


async def _insert_session(
    conn: Connection,
    session_hash: str,
    tg_user_id: int,
    now: datetime,
    expires: datetime,
    via: str,
) -> None:
    await conn.execute(
        "INSERT INTO web_sessions (token_hash, tg_user_id, created_at, last_seen_at, expires_at,"
        " via) VALUES (?, ?, ?, ?, ?, ?)",
        (session_hash, tg_user_id, to_db(now), to_db(now), to_db(expires), via),
    )
