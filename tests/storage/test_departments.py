"""Departments against a real SQLite file: roster import, invites that bind the role, upgrade."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from domain.models import Role
from domain.roster import RowProblem
from storage.accounts_repo import AccountsRepo
from storage.db import Database, _migrations
from storage.departments_repo import DepartmentsRepo
from storage.invites_repo import InvitesRepo, RedeemOutcome
from tests.storage.conftest import ROSTER, write_csv, write_xlsx
from usecases.invites import (
    InviteTargetError,
    invite_everyone,
    make_invite,
    open_invites,
    revoke_person,
)
from usecases.roster import DEPARTMENTS, ENTERPRISES, describe_error, import_roster

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
HEADER = ("部门", "联系人", "联系电话")
ROWS = [
    ("海关", "刘海", "13900000001"),
    ("海关", "周关", ""),
    ("商务局", "王商", "13900000002"),
    ("自然资源局", "", ""),
]


async def counts(db: Database) -> tuple[int, int]:
    row = await db.fetchone(
        "SELECT (SELECT COUNT(*) FROM departments), (SELECT COUNT(*) FROM department_contacts)"
    )
    assert row is not None
    return int(row[0]), int(row[1])


async def test_csv_import_is_told_by_its_columns_and_idempotent(
    db: Database, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "departments.csv", ROWS, header=HEADER)
    report = await import_roster(db, path)
    assert report.ok and report.kind == DEPARTMENTS and report.rows == 4
    assert report.result is not None
    assert (report.result.created, report.result.updated) == (6, 0)  # 3 departments, 3 people
    assert await counts(db) == (3, 3)
    repo = DepartmentsRepo(db)
    customs = await repo.by_name("海关")
    assert customs is not None
    assert [(c.name, c.phone) for c in await repo.contacts(customs.id)] == [
        ("刘海", "13900000001"),
        ("周关", None),
    ]
    names = [d.name for d in await repo.list_departments()]
    assert names == sorted(["海关", "商务局", "自然资源局"])

    again = await import_roster(db, path)
    assert again.ok and again.result is not None
    assert (again.result.created, again.result.updated, again.result.unchanged) == (0, 0, 6)
    assert await counts(db) == (3, 3)

    # a new phone for a person updates it; an empty one erases nothing
    changed = write_csv(
        tmp_path / "changed.csv", [("海关", "周关", "13900000009"), ("商务局", "王商", "")], HEADER
    )
    third = await import_roster(db, changed)
    assert third.ok and third.result is not None
    assert (third.result.created, third.result.updated) == (0, 1)
    assert [(c.name, c.phone) for c in await repo.contacts(customs.id)][1] == (
        "周关",
        "13900000009",
    )
    commerce = await repo.by_name("商务局")
    assert commerce is not None
    assert (await repo.contacts(commerce.id))[0].phone == "13900000002"


async def test_xlsx_import_with_english_headers(db: Database, tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "d.xlsx",
        [("Customs", "Liu", 13900000001), ("Commerce", None, None)],
        header=("Department", "Contact", "Phone"),
    )
    report = await import_roster(db, path)
    assert report.ok and report.kind == DEPARTMENTS
    customs = await DepartmentsRepo(db).by_name("Customs")
    assert customs is not None
    assert (await DepartmentsRepo(db).contacts(customs.id))[0].phone == "13900000001"


async def test_a_bad_row_applies_nothing_and_is_reported_by_its_number(
    db: Database, tmp_path: Path
) -> None:
    await import_roster(db, write_csv(tmp_path / "ok.csv", ROWS[:1], header=HEADER))
    bad = write_csv(
        tmp_path / "bad.csv",
        [("人社局", "陈", "1"), ("", "无名", ""), ("人社局", "陈", "2")],
        header=HEADER,
    )
    report = await import_roster(db, bad)
    assert not report.ok and report.result is None
    assert [(e.row, e.problem) for e in report.errors] == [
        (3, RowProblem.MISSING_VALUE),
        (4, RowProblem.CONTACT_TWO_PHONES),
    ]
    assert await counts(db) == (1, 1)  # nothing of the bad file
    assert describe_error(report.errors[0], "zh") == "第 3 行：缺少部门。"
    assert "Row 4" in describe_error(report.errors[1], "en")


async def test_forcing_the_kind(db: Database, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "d.csv", ROWS, header=HEADER)
    refused = await import_roster(db, path, kind=ENTERPRISES)
    assert not refused.ok and refused.errors[0].problem is RowProblem.MISSING_COLUMN
    assert await counts(db) == (0, 0)
    enterprises = await import_roster(db, write_csv(tmp_path / "r.csv", ROSTER))
    assert enterprises.ok and enterprises.kind == ENTERPRISES


async def test_a_department_invite_binds_the_role(db: Database, tmp_path: Path) -> None:
    await import_roster(db, write_csv(tmp_path / "d.csv", ROWS, header=HEADER))
    customs = await DepartmentsRepo(db).by_name("海关")
    assert customs is not None
    first = await make_invite(db, Role.DEPARTMENT, "海关", now=NOW, days=14, bot_username="b")
    second = await make_invite(db, Role.DEPARTMENT, "海关", now=NOW, days=14, bot_username="b")
    assert first.kind == "department" and first.name == "海关"
    assert first.link == f"https://t.me/b?start={first.invite.code}"
    listed = {i.invite.code: i for i in await open_invites(db, now=NOW, bot_username="b")}
    assert listed[first.invite.code].kind == "department"
    assert listed[first.invite.code].name == "海关"

    invites = InvitesRepo(db)
    accounts = AccountsRepo(db)
    for user, issued in ((501, first), (502, second)):  # a department may have several people
        result = await invites.redeem(issued.invite.code, user, f"p{user}", "zh", NOW)
        assert result.outcome is RedeemOutcome.OK and result.account is not None
        assert result.account.role is Role.DEPARTMENT
        assert result.account.department_id == customs.id
        actor = await accounts.load_actor(user, ())
        assert actor is not None and actor.role is Role.DEPARTMENT
        assert actor.department_id == customs.id and actor.envoy_id is None
    assert [a.tg_user_id for a in await accounts.department_accounts(customs.id)] == [501, 502]
    again = await invites.redeem(first.invite.code, 503, "x", "zh", NOW)
    assert again.outcome is RedeemOutcome.USED

    with pytest.raises(InviteTargetError) as refused:
        await make_invite(db, Role.DEPARTMENT, "税务局", now=NOW, days=14, bot_username="b")
    assert refused.value.key == "cli-invite-no-department"


async def test_invite_all_covers_departments_nobody_joined_and_revoke_by_name(
    db: Database, tmp_path: Path
) -> None:
    await import_roster(db, write_csv(tmp_path / "d.csv", ROWS, header=HEADER))
    made = await make_invite(db, Role.DEPARTMENT, "海关", now=NOW, days=14, bot_username="b")
    await InvitesRepo(db).redeem(made.invite.code, 501, "p", "zh", NOW)
    issued = await invite_everyone(db, now=NOW, days=14, bot_username="b")
    departments = sorted(i.name or "" for i in issued if i.kind == "department")
    assert departments == ["商务局", "自然资源局"]
    again = await invite_everyone(db, now=NOW, days=14, bot_username="b")
    assert {i.invite.code for i in again} == {i.invite.code for i in issued}
    assert all(i.reused for i in again)
    assert await revoke_person(db, "商务局", now=NOW) == 1


async def test_an_existing_database_keeps_its_accounts_and_invites(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    raw = sqlite3.connect(path)
    for version, _, sql in _migrations():
        if version <= 5:
            raw.executescript(sql)
    raw.execute("PRAGMA user_version = 5")
    raw.execute("INSERT INTO enterprises (id, name) VALUES (1, 'Acme')")
    raw.execute(
        "INSERT INTO accounts (tg_user_id, role, enterprise_id, display_name, lang, created_at)"
        " VALUES (7, 'staff', 1, 'Chen', 'en', '2026-01-01T00:00:00+00:00')"
    )
    raw.execute(
        "INSERT INTO invites (code, kind, enterprise_id, created_at, expires_at, revoked_at)"
        " VALUES ('abc', 'staff', 1, '2026-01-01T00:00:00+00:00', '2026-02-01T00:00:00+00:00',"
        " '2026-01-02T00:00:00+00:00')"
    )
    raw.commit()
    raw.close()
    async with Database(path) as db:
        account = await AccountsRepo(db).get(7)
        assert account is not None and account.role is Role.STAFF and account.enterprise_id == 1
        assert account.lang == "en" and account.department_id is None
        invite = await InvitesRepo(db).get("abc")
        assert invite is not None and invite.kind is Role.STAFF
        row = await db.fetchone("SELECT revoked_at FROM invites WHERE code = 'abc'")
        assert row is not None and row[0] == "2026-01-02T00:00:00+00:00"
        with pytest.raises(sqlite3.IntegrityError):  # the role still needs its department
            await db.execute(
                "INSERT INTO accounts (tg_user_id, role, created_at) VALUES (8, 'department', 'x')"
            )
