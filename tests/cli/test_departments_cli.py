"""`envoybot import` of a departments roster, its template, and `envoybot invite --department`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.cli import main


def test_import_departments_then_invite_one(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    roster = env.parent / "departments.csv"
    roster.write_text("部门,联系人,联系电话\n海关,刘海,13900000001\n商务局,,\n", encoding="utf-8")
    assert main(["import", str(roster)]) == 0
    out = capsys.readouterr().out
    assert "imported 2 row(s)" in out and "departments" in out and "contacts" in out
    assert main(["import", str(roster)]) == 0
    assert "0 created, 0 updated, 3 unchanged" in capsys.readouterr().out

    assert main(["invite", "--department", "海关", "--json"]) == 0
    (issued,) = json.loads(capsys.readouterr().out)
    assert issued["kind"] == "department" and issued["name"] == "海关"
    assert issued["link"] == f"https://t.me/envoy_test_bot?start={issued['code']}"
    assert main(["invite", "--department", "税务局"]) == 1
    assert "no department named '税务局'" in capsys.readouterr().err
    assert main(["invite", "--list"]) == 0
    assert "[department] 海关" in capsys.readouterr().out


def test_a_bad_departments_roster_lists_rows_and_applies_nothing(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    roster = env.parent / "d.csv"
    roster.write_text("department,contact,phone\nCustoms,Liu,1\n,Wang,2\n", encoding="utf-8")
    assert main(["import", str(roster), "--departments"]) == 1
    err = capsys.readouterr().err
    assert "Row 3" in err and "department" in err


def test_departments_template(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = env.parent / "departments.xlsx"
    assert main(["import", "--template", str(path), "--departments"]) == 0
    sheet = load_workbook(path).active
    assert sheet is not None
    assert [c.value for c in sheet[1]] == ["department", "contact", "phone"]
    capsys.readouterr()


def test_agenda_sheet_from_the_command_line(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    roster = env.parent / "departments.csv"
    roster.write_text("department\nCustoms\n", encoding="utf-8")
    assert main(["import", str(roster)]) == 0
    target = env.parent / "agenda.xlsx"
    assert main(["agenda", str(target)]) == 0
    assert "0 agenda problem(s) written" in capsys.readouterr().out
    sheet = load_workbook(target)["Agenda"]
    assert [c.value for c in sheet[1]][:3] == ["#", "number", "enterprise"]
    assert sheet.max_row == 1
    assert main(["agenda", str(env.parent / "agenda.csv")]) == 2
    assert ".xlsx" in capsys.readouterr().err


def test_the_sample_departments_roster_imports(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sample = Path(__file__).resolve().parents[2] / "examples" / "departments.csv"
    assert main(["import", str(sample)]) == 0
    assert "imported 5 row(s)" in capsys.readouterr().out
