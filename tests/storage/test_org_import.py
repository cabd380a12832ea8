"""Roster import against a real SQLite file: csv, xlsx, idempotence, all-or-nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage.db import Database
from storage.org_repo import OrgRepo
from tests.storage.conftest import ROSTER, write_csv, write_xlsx
from usecases.roster import RosterFileError, describe_error, import_roster

EXPECTED = {"teams": 2, "envoys": 4, "enterprises": 3, "assignments": 4}


async def org_counts(db: Database) -> dict[str, int]:
    counts = await OrgRepo(db).counts()
    return {k: counts[k] for k in EXPECTED}


async def test_csv_import_builds_the_organisation(db: Database, tmp_path: Path) -> None:
    report = await import_roster(db, write_csv(tmp_path / "r.csv", ROSTER))
    assert report.ok and report.rows == 4
    assert report.result is not None
    assert report.result.created == 13 and report.result.updated == 0
    assert await org_counts(db) == EXPECTED

    org = OrgRepo(db)
    east = await org.team_by_name("East")
    assert east is not None
    lead = await org.lead_of_team(east.id)
    assert lead is not None and lead.name == "Wang Fang" and lead.team_id == east.id
    assert await org.enterprise_ids_of_envoy(lead.id) == set()  # lead-only: no assignments
    assert [t.name for t in await org.teams_led_by(lead.id)] == ["East"]

    acme = await org.enterprise_by_name("Acme <b>&</b>")  # stored exactly
    assert acme is not None and acme.team_id == east.id
    assert [e.name for e in await org.envoys_of_enterprise(acme.id)] == ["Li Lei", "Han Meimei"]
    li = await org.envoy_by_name("Li Lei")
    assert li is not None and li.phone == "13800000001"
    beta = await org.enterprise_by_name("Beta 🏭")
    assert beta is not None
    assert await org.enterprise_ids_of_envoy(li.id) == {acme.id, beta.id}
    assert {e.name for e in await org.enterprises_of_team(east.id)} == {"Acme <b>&</b>", "Beta 🏭"}
    assert {e.name for e in await org.envoys_of_team(east.id)} == {
        "Li Lei",
        "Han Meimei",
        "Wang Fang",
    }
    west = await org.team_by_name("West")
    assert west is not None
    zhao = await org.lead_of_team(west.id)
    assert zhao is not None and zhao.name == "Zhao Qiang"
    assert len(await org.unbound_envoys()) == 4
    assert len(await org.enterprises_without_staff()) == 3


async def test_second_import_changes_nothing(db: Database, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "r.csv", ROSTER)
    await import_roster(db, path)
    before = await org_counts(db)
    again = await import_roster(db, path)
    assert again.result is not None
    assert (again.result.created, again.result.updated) == (0, 0)
    assert again.result.unchanged == 13
    assert await org_counts(db) == before


async def test_xlsx_import_with_chinese_headers_and_numeric_phone(
    db: Database, tmp_path: Path
) -> None:
    header = ("企业名称", "特派员", "联系电话", "工作队", "队长")
    data = [
        ("甲公司", "李雷", 13800000001, "一队", "王芳"),
        ("乙公司", "韩梅梅", None, "一队", None),
    ]
    report = await import_roster(db, write_xlsx(tmp_path / "r.xlsx", data, header))
    assert report.ok
    li = await OrgRepo(db).envoy_by_name("李雷")
    assert li is not None and li.phone == "13800000001"
    assert (await org_counts(db))["envoys"] == 3


async def test_csv_and_xlsx_of_the_same_roster_agree(db: Database, tmp_path: Path) -> None:
    await import_roster(db, write_csv(tmp_path / "r.csv", ROSTER))
    report = await import_roster(db, write_xlsx(tmp_path / "r.xlsx", ROSTER))
    assert report.result is not None
    assert (report.result.created, report.result.updated) == (0, 0)


async def test_one_bad_row_applies_nothing(db: Database, tmp_path: Path) -> None:
    bad = [*ROSTER[:2], ("Delta", "", "", "East", ""), *ROSTER[2:]]
    report = await import_roster(db, write_csv(tmp_path / "bad.csv", bad))
    assert not report.ok and report.result is None
    assert [describe_error(e, "en") for e in report.errors] == ["Row 4: envoy is missing."]
    assert [describe_error(e, "zh") for e in report.errors] == ["第 4 行：缺少特派员。"]
    assert await org_counts(db) == dict.fromkeys(EXPECTED, 0)


async def test_gb18030_and_bom_csv(db: Database, tmp_path: Path) -> None:
    header = ("企业名称", "特派员", "联系电话", "工作队", "队长")
    data = [("甲公司", "李雷", "", "一队", "")]
    gb = write_csv(tmp_path / "gb.csv", data, header, encoding="gb18030")
    assert (await import_roster(db, gb)).ok
    assert await OrgRepo(db).enterprise_by_name("甲公司") is not None
    bom = write_csv(
        tmp_path / "bom.csv", [("丙公司", "李雷", "", "一队", "")], header, encoding="utf-8-sig"
    )
    assert (await import_roster(db, bom)).ok
    assert await OrgRepo(db).enterprise_by_name("丙公司") is not None


async def test_moving_an_enterprise_and_changing_a_lead_are_updates(
    db: Database, tmp_path: Path
) -> None:
    await import_roster(db, write_csv(tmp_path / "a.csv", ROSTER))
    changed = [
        ("Gamma", "Zhao Qiang", "", "West", "Han Meimei"),
        ("Beta 🏭", "Han Meimei", "", "West", ""),
    ]
    report = await import_roster(db, write_csv(tmp_path / "b.csv", changed))
    assert report.result is not None
    r = report.result
    assert (r.teams.updated, r.envoys.updated, r.enterprises.updated) == (1, 1, 1)
    assert r.assignments.created == 1
    org = OrgRepo(db)
    west = await org.team_by_name("West")
    assert west is not None
    lead = await org.lead_of_team(west.id)
    assert lead is not None and lead.name == "Han Meimei"
    zhao = await org.envoy_by_name("Zhao Qiang")
    assert zhao is not None and zhao.phone == "13800000003"  # empty phone keeps the stored one


async def test_unreadable_files(db: Database, tmp_path: Path) -> None:
    with pytest.raises(RosterFileError) as caught:
        await import_roster(db, tmp_path / "r.txt")
    assert (caught.value.key, caught.value.args_map) == (
        "cli-roster-bad-type",
        {"name": "r.txt", "suffix": ".txt"},
    )
    assert "unsupported" in str(caught.value)  # logs and tracebacks read English
    fake = tmp_path / "fake.xlsx"
    fake.write_text("not a zip")
    with pytest.raises(RosterFileError) as caught:
        await import_roster(db, fake)
    assert caught.value.key == "cli-roster-bad-xlsx"
    assert caught.value.render("zh").startswith("不是可读取的 .xlsx 工作簿")
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(RosterFileError) as caught:
        await import_roster(db, empty)
    assert caught.value.key == "cli-roster-empty"
    assert caught.value.render("en") == "the file is empty or its first row (the header) is blank"
