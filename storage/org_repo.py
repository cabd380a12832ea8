"""Teams, envoys, enterprises and assignments: lookups and the roster import."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable

from domain.models import Enterprise, Envoy, Team
from domain.roster import Counts, RosterResult, RosterRow
from storage.db import Connection, Database

logger = logging.getLogger(__name__)


def _team(row: sqlite3.Row) -> Team:
    return Team(id=row["id"], name=row["name"], lead_envoy_id=row["lead_envoy_id"])


def _envoy(row: sqlite3.Row) -> Envoy:
    return Envoy(id=row["id"], name=row["name"], phone=row["phone"], team_id=row["team_id"])


def _enterprise(row: sqlite3.Row) -> Enterprise:
    return Enterprise(id=row["id"], name=row["name"], team_id=row["team_id"])


class OrgRepo:
    """Read the organisation and apply a validated roster."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # --- teams -------------------------------------------------------------------------

    async def get_team(self, team_id: int) -> Team | None:
        row = await self.db.fetchone("SELECT * FROM teams WHERE id = ?", (team_id,))
        return _team(row) if row else None

    async def team_by_name(self, name: str) -> Team | None:
        row = await self.db.fetchone("SELECT * FROM teams WHERE name = ?", (name,))
        return _team(row) if row else None

    async def list_teams(self) -> list[Team]:
        rows = await self.db.fetchall("SELECT * FROM teams ORDER BY id")
        return [_team(r) for r in rows]

    async def lead_of_team(self, team_id: int) -> Envoy | None:
        row = await self.db.fetchone(
            "SELECT e.* FROM envoys e JOIN teams t ON t.lead_envoy_id = e.id WHERE t.id = ?",
            (team_id,),
        )
        return _envoy(row) if row else None

    async def teams_led_by(self, envoy_id: int) -> list[Team]:
        rows = await self.db.fetchall(
            "SELECT * FROM teams WHERE lead_envoy_id = ? ORDER BY id", (envoy_id,)
        )
        return [_team(r) for r in rows]

    # --- envoys ------------------------------------------------------------------------

    async def get_envoy(self, envoy_id: int) -> Envoy | None:
        row = await self.db.fetchone("SELECT * FROM envoys WHERE id = ?", (envoy_id,))
        return _envoy(row) if row else None

    async def envoy_by_name(self, name: str) -> Envoy | None:
        row = await self.db.fetchone("SELECT * FROM envoys WHERE name = ?", (name,))
        return _envoy(row) if row else None

    async def envoys_of_team(self, team_id: int) -> list[Envoy]:
        rows = await self.db.fetchall(
            "SELECT * FROM envoys WHERE team_id = ? ORDER BY id", (team_id,)
        )
        return [_envoy(r) for r in rows]

    async def envoys_of_enterprise(self, enterprise_id: int) -> list[Envoy]:
        rows = await self.db.fetchall(
            "SELECT e.* FROM envoys e JOIN assignments a ON a.envoy_id = e.id "
            "WHERE a.enterprise_id = ? ORDER BY e.id",
            (enterprise_id,),
        )
        return [_envoy(r) for r in rows]

    async def enterprise_ids_of_envoy(self, envoy_id: int) -> set[int]:
        rows = await self.db.fetchall(
            "SELECT enterprise_id FROM assignments WHERE envoy_id = ?", (envoy_id,)
        )
        return {int(r[0]) for r in rows}

    async def unbound_envoys(self) -> list[Envoy]:
        """Envoys (leads included) that no Telegram account is bound to yet."""
        rows = await self.db.fetchall(
            "SELECT e.* FROM envoys e WHERE NOT EXISTS "
            "(SELECT 1 FROM accounts a WHERE a.envoy_id = e.id) ORDER BY e.id"
        )
        return [_envoy(r) for r in rows]

    # --- enterprises -------------------------------------------------------------------

    async def get_enterprise(self, enterprise_id: int) -> Enterprise | None:
        row = await self.db.fetchone("SELECT * FROM enterprises WHERE id = ?", (enterprise_id,))
        return _enterprise(row) if row else None

    async def enterprise_by_name(self, name: str) -> Enterprise | None:
        row = await self.db.fetchone("SELECT * FROM enterprises WHERE name = ?", (name,))
        return _enterprise(row) if row else None

    async def enterprises_of_team(self, team_id: int) -> list[Enterprise]:
        rows = await self.db.fetchall(
            "SELECT * FROM enterprises WHERE team_id = ? ORDER BY id", (team_id,)
        )
        return [_enterprise(r) for r in rows]

    async def enterprises_without_staff(self) -> list[Enterprise]:
        """Enterprises nobody can report for yet (no staff account bound)."""
        rows = await self.db.fetchall(
            "SELECT e.* FROM enterprises e WHERE NOT EXISTS "
            "(SELECT 1 FROM accounts a WHERE a.enterprise_id = e.id AND a.role = 'staff') "
            "ORDER BY e.id"
        )
        return [_enterprise(r) for r in rows]

    async def counts(self) -> dict[str, int]:
        """Row counts of the organisation tables, for summaries and tests."""
        row = await self.db.fetchone(
            "SELECT (SELECT COUNT(*) FROM teams) AS teams, "
            "(SELECT COUNT(*) FROM envoys) AS envoys, "
            "(SELECT COUNT(*) FROM enterprises) AS enterprises, "
            "(SELECT COUNT(*) FROM assignments) AS assignments, "
            "(SELECT COUNT(*) FROM accounts) AS accounts, "
            "(SELECT COUNT(*) FROM invites) AS invites"
        )
        assert row is not None
        return {key: int(row[key]) for key in row.keys()}  # noqa: SIM118 (sqlite3.Row)

    # --- roster import -----------------------------------------------------------------

    async def apply_roster(self, rows: list[RosterRow]) -> RosterResult:
        """Upsert a validated roster in one transaction; applying it again changes nothing.

        Nothing is deleted: records absent from the file stay as they are, and an empty
        phone or lead in the file does not erase a stored one.
        """
        plan = _Plan(rows)
        result = RosterResult()
        async with self.db.transaction() as conn:
            teams = await _name_map(conn, "SELECT id, name, lead_envoy_id FROM teams")
            new_teams = [n for n in plan.team_lead if n not in teams]
            await conn.executemany("INSERT INTO teams (name) VALUES (?)", [(n,) for n in new_teams])
            teams = await _name_map(conn, "SELECT id, name, lead_envoy_id FROM teams")

            await self._apply_envoys(conn, plan, teams, result.envoys)
            envoys = await _name_map(conn, "SELECT id, name FROM envoys")

            await self._apply_enterprises(conn, plan, teams, result.enterprises)
            enterprises = await _name_map(conn, "SELECT id, name FROM enterprises")

            existing = {
                (int(r[0]), int(r[1]))
                for r in await conn.execute_fetchall(
                    "SELECT envoy_id, enterprise_id FROM assignments"
                )
            }
            wanted = {(int(envoys[v]["id"]), int(enterprises[e]["id"])) for v, e in plan.pairs}
            added = sorted(wanted - existing)
            await conn.executemany(
                "INSERT INTO assignments (envoy_id, enterprise_id) VALUES (?, ?)", added
            )
            result.assignments.created = len(added)
            result.assignments.unchanged = len(wanted) - len(added)

            lead_changes: list[tuple[int, int]] = []
            for name, lead in plan.team_lead.items():
                team_id = int(teams[name]["id"])
                lead_id = int(envoys[lead]["id"]) if lead else None
                if lead_id is not None and teams[name]["lead_envoy_id"] != lead_id:
                    lead_changes.append((lead_id, team_id))
                    if name not in new_teams:
                        result.teams.updated += 1
                        continue
                if name in new_teams:
                    result.teams.created += 1
                else:
                    result.teams.unchanged += 1
            await conn.executemany("UPDATE teams SET lead_envoy_id = ? WHERE id = ?", lead_changes)
        logger.info(
            "roster applied: %s created, %s updated, %s unchanged",
            result.created,
            result.updated,
            result.unchanged,
        )
        return result

    @staticmethod
    async def _apply_envoys(
        conn: Connection, plan: _Plan, teams: dict[str, sqlite3.Row], counts: Counts
    ) -> None:
        stored = await _name_map(conn, "SELECT id, name, phone, team_id FROM envoys")
        inserts: list[tuple[str, str | None, int]] = []
        updates: list[tuple[str | None, int, int]] = []
        for name, (team, phone) in plan.envoys.items():
            team_id = int(teams[team]["id"])
            old = stored.get(name)
            if old is None:
                inserts.append((name, phone, team_id))
                continue
            new_phone = phone or old["phone"]
            if old["team_id"] != team_id or old["phone"] != new_phone:
                updates.append((new_phone, team_id, int(old["id"])))
            else:
                counts.unchanged += 1
        for name, team in plan.lead_only.items():
            if name in stored:
                counts.unchanged += 1
            else:
                inserts.append((name, None, int(teams[team]["id"])))
        await conn.executemany(
            "INSERT INTO envoys (name, phone, team_id) VALUES (?, ?, ?)", inserts
        )
        await conn.executemany("UPDATE envoys SET phone = ?, team_id = ? WHERE id = ?", updates)
        counts.created += len(inserts)
        counts.updated += len(updates)

    @staticmethod
    async def _apply_enterprises(
        conn: Connection, plan: _Plan, teams: dict[str, sqlite3.Row], counts: Counts
    ) -> None:
        stored = await _name_map(conn, "SELECT id, name, team_id FROM enterprises")
        inserts: list[tuple[str, int]] = []
        updates: list[tuple[int, int]] = []
        for name, team in plan.enterprises.items():
            team_id = int(teams[team]["id"])
            old = stored.get(name)
            if old is None:
                inserts.append((name, team_id))
            elif old["team_id"] != team_id:
                updates.append((team_id, int(old["id"])))
            else:
                counts.unchanged += 1
        await conn.executemany("INSERT INTO enterprises (name, team_id) VALUES (?, ?)", inserts)
        await conn.executemany("UPDATE enterprises SET team_id = ? WHERE id = ?", updates)
        counts.created += len(inserts)
        counts.updated += len(updates)


class _Plan:
    """What a roster asks for, folded by name (the rows are already consistent)."""

    def __init__(self, rows: Iterable[RosterRow]) -> None:
        self.team_lead: dict[str, str | None] = {}
        self.envoys: dict[str, tuple[str, str | None]] = {}
        self.enterprises: dict[str, str] = {}
        self.pairs: dict[tuple[str, str], None] = {}
        for row in rows:
            if not self.team_lead.get(row.team):
                self.team_lead[row.team] = row.lead
            team, phone = self.envoys.get(row.envoy, (row.team, None))
            self.envoys[row.envoy] = (team, phone or row.envoy_phone)
            self.enterprises.setdefault(row.enterprise, row.team)
            self.pairs[(row.envoy, row.enterprise)] = None
        # A lead who is never listed as an envoy still needs an envoy row in their team.
        self.lead_only: dict[str, str] = {}
        for team, lead in self.team_lead.items():
            if lead and lead not in self.envoys:
                self.lead_only.setdefault(lead, team)


async def _name_map(conn: Connection, sql: str) -> dict[str, sqlite3.Row]:
    return {str(r["name"]): r for r in await conn.execute_fetchall(sql)}
