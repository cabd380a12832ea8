"""Departments and their contacts: lookups and the departments roster import."""

from __future__ import annotations

import logging
import sqlite3

from domain.department_roster import DepartmentResult, DepartmentRow
from domain.models import Department, DepartmentContact
from storage.db import Database

logger = logging.getLogger(__name__)


def _department(row: sqlite3.Row) -> Department:
    return Department(id=row["id"], name=row["name"])


def _contact(row: sqlite3.Row) -> DepartmentContact:
    return DepartmentContact(
        id=row["id"], department_id=row["department_id"], name=row["name"], phone=row["phone"]
    )


class DepartmentsRepo:
    """Read the departments and apply a validated departments roster."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, department_id: int) -> Department | None:
        row = await self.db.fetchone("SELECT * FROM departments WHERE id = ?", (department_id,))
        return _department(row) if row else None

    async def by_name(self, name: str) -> Department | None:
        row = await self.db.fetchone("SELECT * FROM departments WHERE name = ?", (name.strip(),))
        return _department(row) if row else None

    async def list_departments(self) -> list[Department]:
        """Every department, by name (the order of the dispatch picker)."""
        rows = await self.db.fetchall("SELECT * FROM departments ORDER BY name, id")
        return [_department(r) for r in rows]

    async def names(self) -> dict[int, str]:
        rows = await self.db.fetchall("SELECT id, name FROM departments")
        return {int(r["id"]): str(r["name"]) for r in rows}

    async def contacts(self, department_id: int) -> list[DepartmentContact]:
        rows = await self.db.fetchall(
            "SELECT * FROM department_contacts WHERE department_id = ? ORDER BY id",
            (department_id,),
        )
        return [_contact(r) for r in rows]

    async def without_account(self) -> list[Department]:
        """Departments nobody is bound to yet (for `invite --all`)."""
        rows = await self.db.fetchall(
            "SELECT d.* FROM departments d WHERE NOT EXISTS (SELECT 1 FROM accounts a"
            " WHERE a.role = 'department' AND a.department_id = d.id) ORDER BY d.id"
        )
        return [_department(r) for r in rows]

    async def apply_roster(self, rows: list[DepartmentRow]) -> DepartmentResult:
        """Upsert departments and contacts in one transaction; applying it again changes nothing.

        Nothing is deleted, and an empty phone in the file does not erase a stored one.
        """
        result = DepartmentResult()
        wanted: dict[str, None] = dict.fromkeys(r.department for r in rows)
        contacts: dict[tuple[str, str], str | None] = {}
        for r in rows:
            if r.contact:
                key = (r.department, r.contact)
                contacts[key] = contacts.get(key) or r.phone
        async with self.db.transaction() as conn:
            stored = {
                str(r["name"]): int(r["id"])
                for r in await conn.execute_fetchall("SELECT id, name FROM departments")
            }
            new = [name for name in wanted if name not in stored]
            await conn.executemany("INSERT INTO departments (name) VALUES (?)", [(n,) for n in new])
            result.departments.created = len(new)
            result.departments.unchanged = len(wanted) - len(new)
            ids = {
                str(r["name"]): int(r["id"])
                for r in await conn.execute_fetchall("SELECT id, name FROM departments")
            }
            known = {
                (int(r["department_id"]), str(r["name"])): r["phone"]
                for r in await conn.execute_fetchall(
                    "SELECT department_id, name, phone FROM department_contacts"
                )
            }
            inserts: list[tuple[int, str, str | None]] = []
            updates: list[tuple[str, int, str]] = []
            for (department, name), phone in contacts.items():
                department_id = ids[department]
                if (department_id, name) not in known:
                    inserts.append((department_id, name, phone))
                elif phone and known[(department_id, name)] != phone:
                    updates.append((phone, department_id, name))
                else:
                    result.contacts.unchanged += 1
            await conn.executemany(
                "INSERT INTO department_contacts (department_id, name, phone) VALUES (?, ?, ?)",
                inserts,
            )
            await conn.executemany(
                "UPDATE department_contacts SET phone = ? WHERE department_id = ? AND name = ?",
                updates,
            )
            result.contacts.created = len(inserts)
            result.contacts.updated = len(updates)
        logger.info(
            "departments roster applied: %s created, %s updated, %s unchanged",
            result.created,
            result.updated,
            result.unchanged,
        )
        return result
