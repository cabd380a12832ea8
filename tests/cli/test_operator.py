"""An operator's first hour: help in their language, the sample roster, templates, invites that
are reused, listed and revoked, one-line refusals, and backups that do not overwrite."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.cli import main
from bot.cli_parser import argparse_speaks, build_parser
from tests.cli.test_cli import count, imported
from usecases.roster import read_roster_file

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
SCRIPT = Path(sys.executable).parent / "envoybot"
COMMANDS = ("run", "import", "invite", "stats", "export", "agenda", "backup", "web", "demo")
ARGPARSE_ENGLISH = ("usage:", "options:", "positional arguments", "show this help", "error:")


def run_script(*args: str, lang: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "ENVOYBOT_LANG": lang, "ENVOYBOT_DB": str(cwd / "x.db")}
    return subprocess.run(
        [str(SCRIPT), *args], capture_output=True, text=True, cwd=cwd, env=environment, timeout=60
    )


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_help_speaks_chinese_by_default(command: str | None, tmp_path: Path) -> None:
    args = ["--help"] if command is None else [command, "--help"]
    run = run_script(*args, lang="zh", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("用法：") and "显示本帮助并退出" in run.stdout
    assert not [w for w in ARGPARSE_ENGLISH if w in run.stdout]


def test_help_in_english_and_errors_in_chinese(tmp_path: Path) -> None:
    run = run_script("invite", "--help", lang="en", cwd=tmp_path)
    assert run.stdout.startswith("usage: envoybot invite") and "--revoke-person NAME" in run.stdout
    run = run_script("stats", "--period", "year", lang="zh", cwd=tmp_path)
    assert run.returncode == 2
    assert run.stderr.splitlines()[-1] == (
        "envoybot stats：错误：参数 --period：无效的选择：'year'（可选：'week', 'month', 'all'）"
    )
    run = run_script("invite", lang="zh", cwd=tmp_path)
    assert "必须给出以下参数之一：--enterprise" in run.stderr.splitlines()[-1]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_argument_has_help(lang: str) -> None:
    with argparse_speaks(lang):
        parser, commands = build_parser(lang)
    for name, sub in [("envoybot", parser), *commands.items()]:
        for action in sub._actions:
            assert action.help, f"{name} {action.option_strings or action.dest} has no help"
            if lang == "zh" and action.dest != "help":
                assert any("\u4e00" <= ch <= "\u9fff" for ch in action.help), action.help


def test_import_help_lists_the_columns(tmp_path: Path) -> None:
    run = run_script("import", "--help", lang="zh", cwd=tmp_path)
    for column in ("企业名称 / enterprise", "特派员 / envoy", "联系电话 / envoy_phone"):
        assert column in run.stdout
    assert "工作队 / team" in run.stdout and "队长 / lead" in run.stdout
    assert "--template" in run.stdout


def test_sample_roster_imports_cleanly_and_the_xlsx_matches_the_csv(
    env: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    csv_rows = read_roster_file(EXAMPLES / "roster.csv")
    assert list(csv_rows[0]) == ["企业名称", "特派员", "联系电话", "工作队", "队长"]
    assert read_roster_file(EXAMPLES / "roster.xlsx") == csv_rows
    assert len({r["工作队"] for r in csv_rows}) >= 3
    assert main(["import", str(EXAMPLES / "roster.csv")]) == 0
    out = capsys.readouterr().out
    assert f"imported {len(csv_rows)} row(s)" in out and "0 updated" in out
    assert main(["import", str(EXAMPLES / "roster.xlsx")]) == 0
    assert "0 created, 0 updated" in capsys.readouterr().out
    assert count(env, "teams") == len({r["工作队"] for r in csv_rows})
    assert count(env, "assignments") == len(csv_rows)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_template_has_the_headers_and_takes_rows(
    suffix: str,
    env: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ENVOYBOT_LANG", "zh")
    target = tmp_path / f"花名册{suffix}"
    assert main(["import", "--template", str(target)]) == 0
    assert "企业名称, 特派员, 联系电话, 工作队, 队长" in capsys.readouterr().out
    if suffix == ".csv":
        assert target.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel opens it as UTF-8
        target.write_text(
            target.read_text(encoding="utf-8-sig") + "甲公司,张三,1,一队,张三\n", encoding="utf-8"
        )
    else:
        book = load_workbook(target)
        sheet = book.active
        assert sheet is not None and sheet.freeze_panes == "A2"
        assert [c.value for c in sheet[1]] == ["企业名称", "特派员", "联系电话", "工作队", "队长"]
        sheet.append(["甲公司", "张三", "1", "一队", "张三"])
        book.save(target)
    assert main(["import", str(target)]) == 0
    assert count(env, "enterprises") == 1
    capsys.readouterr()
    assert main(["import", "--template", str(target)]) == 2  # never over an existing file
    assert (
        capsys.readouterr().err.strip()
        == f"envoybot import：{target} 已存在，不会覆盖；请换一个文件名"
    )


def test_template_refusals(
    env: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["import", "--template", str(tmp_path / "t.xls")]) == 2
    assert "unsupported file type .xls" in capsys.readouterr().err
    with pytest.raises(SystemExit) as stop:
        main(["import"])
    assert stop.value.code == 2
    assert "give the file to import, or --template FILE" in capsys.readouterr().err


def open_codes(capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    capsys.readouterr()
    assert main(["invite", "--list", "--json"]) == 0
    listed: list[dict[str, object]] = json.loads(capsys.readouterr().out)
    return listed


def test_invite_all_hands_out_the_same_codes_again(
    env: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    imported(env, tmp_path, capsys)
    assert main(["invite", "--all", "--json"]) == 0
    captured = capsys.readouterr()
    first = {i["name"]: i["code"] for i in json.loads(captured.out)}
    assert captured.err.strip() == "7 new invite code(s), 0 unused one(s) handed out again"
    assert main(["invite", "--all", "--json"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert {i["name"]: i["code"] for i in again} == first and all(i["reused"] for i in again)
    assert count(env, "invites") == 7
    with sqlite3.connect(env) as conn:  # one code runs out: only that person gets a new one
        conn.execute(
            "UPDATE invites SET expires_at = '2020-01-01T00:00:00+00:00' WHERE code = ?",
            (first["Gamma"],),
        )
    assert main(["invite", "--all", "--json"]) == 0
    third = {i["name"]: i["code"] for i in json.loads(capsys.readouterr().out)}
    assert third["Gamma"] != first["Gamma"]
    assert {k: v for k, v in third.items() if k != "Gamma"} == {
        k: v for k, v in first.items() if k != "Gamma"
    }
    assert count(env, "invites") == 8


def test_invite_list_and_revoke(
    env: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    imported(env, tmp_path, capsys)
    assert main(["invite", "--list"]) == 0
    assert capsys.readouterr().out.strip() == "no unused invite codes"
    assert main(["invite", "--all"]) == 0
    assert main(["invite", "--admin"]) == 0
    listed = open_codes(capsys)
    assert len(listed) == 8
    assert {(i["kind"], i["name"], i["team"]) for i in listed} >= {
        ("lead", "Wang Fang", "East"),
        ("staff", "Gamma", "West"),
        ("admin", None, None),
    }
    gamma = next(i["code"] for i in listed if i["name"] == "Gamma")
    assert main(["invite", "--revoke", str(gamma)]) == 0
    assert capsys.readouterr().out.strip() == "1 invite code(s) revoked"
    assert main(["invite", "--revoke", str(gamma)]) == 1
    assert "no code" in capsys.readouterr().err
    assert main(["invite", "--enterprise", "Acme <b>&</b>"]) == 0  # a second contact's code
    assert main(["invite", "--revoke-person", "Acme <b>&</b>"]) == 0
    assert capsys.readouterr().out.strip().endswith("2 invite code(s) revoked")
    assert main(["invite", "--revoke-person", "Nobody"]) == 1
    assert "no envoy, enterprise or department named 'Nobody'" in capsys.readouterr().err
    names = {i["name"] for i in open_codes(capsys)}
    assert "Gamma" not in names and "Acme <b>&</b>" not in names and "Li Lei" in names
    monkeypatch.setenv("ENVOYBOT_LANG", "zh")
    assert main(["invite", "--list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 6 and any("  [队长] Wang Fang · East  有效期至 " in line for line in lines)
    assert any(line.endswith("[市级协调]  有效期至 " + line[-16:]) for line in lines)


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("ENVOYBOT_INVITE_DAYS", "abc", "设置 ENVOYBOT_INVITE_DAYS 的值“abc”无效：应为整数"),
        ("ENVOYBOT_INVITE_DAYS", "0", "设置 ENVOYBOT_INVITE_DAYS 的值“0”无效：应不小于 1"),
        ("ENVOYBOT_ADMINS", "12,abc", "无效：应为逗号分隔的整数，例如 11,22"),
        ("ENVOYBOT_DAY_COUNTING", "weekly", "无效：应为以下之一：calendar, workdays"),
        ("ENVOYBOT_TZ", "Mars/Base", "无效：未知的时区，例如 Asia/Shanghai"),
    ],
)
def test_settings_errors_are_one_chinese_line(
    variable: str,
    value: str,
    expected: str,
    env: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ENVOYBOT_LANG", "zh")
    monkeypatch.setenv(variable, value)
    assert main(["stats"]) == 2
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith("envoybot：") and expected in line
    assert "Input should" not in line and "Value error" not in line


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("nowhere/out.xlsx", "envoybot export: folder {tmp}/nowhere does not exist"),
        ("out.csv", "envoybot export: {tmp}/out.csv: the export file name must end in .xlsx"),
        (".", "envoybot export: {tmp} is a folder; give a file name, e.g. {tmp}/problems.xlsx"),
    ],
)
def test_export_refuses_a_bad_target_in_one_line(
    name: str,
    message: str,
    env: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    imported(env, tmp_path, capsys)
    target = tmp_path / name if name != "." else tmp_path
    assert main(["export", str(target)]) == 2
    assert capsys.readouterr().err.splitlines() == [message.format(tmp=tmp_path)]


def test_export_prints_progress_lines_when_piped(
    env: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    imported(env, tmp_path, capsys)
    assert main(["export", str(tmp_path / "out.xlsx")]) == 0
    captured = capsys.readouterr()
    assert captured.err.splitlines() == ["writing out.xlsx: 0/0"]
    assert (tmp_path / "out.xlsx").stat().st_size > 0


def test_backup_refuses_to_overwrite_without_force(
    env: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    imported(env, tmp_path, capsys)
    target = tmp_path / "copy.db"
    target.write_text("an older file the operator may still want")
    assert main(["backup", str(target)]) == 1
    assert capsys.readouterr().err.strip() == (
        f"envoybot backup: {target} already exists; add --force to overwrite it"
    )
    assert target.read_text().startswith("an older file")
    assert main(["backup", "--force", str(target)]) == 0
    assert count(target, "enterprises") == 3
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".copy.db")] == []


def test_demo_on_a_busy_port_suggests_another(
    env: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["demo", "--port", str(port), "--lang", "zh"]) == 1
    [line] = capsys.readouterr().err.splitlines()
    assert line == (
        f"envoybot demo：端口 {port} 已被占用（也许另一个演示或程序正在使用）；"
        f"请用 --port 换一个端口，例如 envoybot demo --port {port + 1}"
    )
