"""`envoybot` subcommands run in-process against a SQLite file in tmp_path."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from bot.cli import main
from tests.storage.conftest import ROSTER, write_csv


def count(db: Path, table: str) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


def imported(env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", str(write_csv(tmp_path / "roster.csv", ROSTER))]) == 0
    capsys.readouterr()


def test_import_twice(env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(write_csv(tmp_path / "roster.csv", ROSTER))
    assert main(["import", path]) == 0
    assert "13 created" in capsys.readouterr().out
    assert main(["import", path]) == 0
    assert "0 created, 0 updated" in capsys.readouterr().out
    assert count(env, "envoys") == 4


def test_import_bad_rows_applies_nothing(
    env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = [*ROSTER, ("Delta", "", "", "East", ""), ("", "X", "", "East", "")]
    assert main(["import", str(write_csv(tmp_path / "bad.csv", bad))]) == 1
    err = capsys.readouterr().err
    assert "Row 6: envoy is missing." in err and "Row 7: enterprise is missing." in err
    assert err.splitlines()[-1] == "envoybot import: 2 problem(s) found; nothing was imported"
    assert count(env, "enterprises") == 0


def test_import_bad_row_in_chinese(
    env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ENVOYBOT_LANG", "zh")
    bad = [*ROSTER, ("Delta", "", "", "East", "")]
    assert main(["import", str(write_csv(tmp_path / "bad.csv", bad))]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "读取 bad.csv：6/6",  # progress as a plain line: stderr is not a terminal here
        "第 6 行：缺少特派员。",  # the same text the chat /import shows (roster-err-*)
        "envoybot import：发现 1 处问题，没有导入任何内容",
    ]
    assert main(["import", str(tmp_path / "roster.txt")]) == 2
    assert capsys.readouterr().err.strip() == (
        "envoybot import：roster.txt：不支持的文件类型 .txt，请使用 .csv 或 .xlsx"
    )
    assert main(["import", str(write_csv(tmp_path / "ok.csv", ROSTER))]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("已从 ") and "新增 13" in out[0]
    assert out[1].split() == ["工作队", "新增", "+2", "更新", "~0", "未变", "=0"]


def test_import_unreadable_file(
    env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "roster.txt").write_text("x")
    assert main(["import", str(tmp_path / "roster.txt")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "csv" in err
    assert main(["import", str(tmp_path / "missing.csv")]) == 2
    assert "no such file" in capsys.readouterr().err
    assert not env.exists()  # nothing created for a file that cannot be read


def test_invite_json(env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    imported(env, tmp_path, capsys)
    assert main(["invite", "--enterprise", "Acme <b>&</b>", "--json"]) == 0
    [item] = json.loads(capsys.readouterr().out)
    assert item["kind"] == "staff" and item["name"] == "Acme <b>&</b>" and item["team"] == "East"
    assert item["link"] == f"https://t.me/envoy_test_bot?start={item['code']}"
    assert datetime.fromisoformat(item["expires_at"]).utcoffset() is not None

    assert main(["invite", "--lead", "West", "--json"]) == 0
    [lead] = json.loads(capsys.readouterr().out)
    assert (lead["kind"], lead["name"], lead["team"]) == ("lead", "Zhao Qiang", "West")

    assert main(["invite", "--admin", "--json"]) == 0
    [admin] = json.loads(capsys.readouterr().out)
    assert admin["kind"] == "admin" and admin["name"] is None
    assert count(env, "invites") == 3


def test_invite_text_and_unknown_name(
    env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    imported(env, tmp_path, capsys)
    assert main(["invite", "--envoy", "Li Lei"]) == 0
    out = capsys.readouterr().out
    assert "Li Lei" in out and "https://t.me/envoy_test_bot?start=" in out
    assert "Asia/Shanghai" in out and "[envoy] Li Lei · East" in out
    assert main(["invite", "--envoy", "Nobody"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.splitlines() == ["envoybot invite: no envoy named 'Nobody'"]


def test_invite_without_username_uses_placeholder(
    env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    imported(env, tmp_path, capsys)
    monkeypatch.delenv("ENVOYBOT_BOT_USERNAME")
    assert main(["invite", "--admin", "--json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)[0]["link"].startswith("https://t.me/<bot>?start=")
    assert len(captured.err.strip().splitlines()) == 1 and "ENVOYBOT_BOT_USERNAME" in captured.err


def test_invite_in_chinese(
    env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    imported(env, tmp_path, capsys)
    monkeypatch.setenv("ENVOYBOT_LANG", "zh")
    monkeypatch.delenv("ENVOYBOT_BOT_USERNAME")
    assert main(["invite", "--envoy", "Li Lei"]) == 0
    captured = capsys.readouterr()
    assert captured.err.strip() == (
        "注意：未设置 ENVOYBOT_BOT_USERNAME，链接中用占位符 <bot> 代替机器人用户名"
    )
    head, code, link = captured.out.splitlines()
    assert head == "[特派员] Li Lei · East"
    assert code.strip().startswith("邀请码 ") and "（Asia/Shanghai）" in code
    assert link.strip().startswith("https://t.me/<bot>?start=")
    assert main(["invite", "--lead", "Nowhere"]) == 1
    last = capsys.readouterr().err.splitlines()[-1]
    assert last == "envoybot invite：找不到名为“Nowhere”的工作队"
    assert main(["invite", "--admin", "--json"]) == 0
    [admin] = json.loads(capsys.readouterr().out)  # --json stays machine-readable in any language
    assert set(admin) == {"kind", "name", "team", "code", "link", "expires_at", "reused"}
    assert admin["kind"] == "admin"


def test_invite_all(env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    imported(env, tmp_path, capsys)
    assert main(["invite", "--all", "--json"]) == 0
    items = json.loads(capsys.readouterr().out)
    kinds = sorted((i["kind"], i["name"]) for i in items)
    assert kinds == [
        ("envoy", "Han Meimei"),
        ("envoy", "Li Lei"),
        ("lead", "Wang Fang"),
        ("lead", "Zhao Qiang"),
        ("staff", "Acme <b>&</b>"),
        ("staff", "Beta 🏭"),
        ("staff", "Gamma"),
    ]
    assert len({i["code"] for i in items}) == 7
    # Once someone is bound they drop out of --all.
    with sqlite3.connect(env) as conn:
        conn.execute(
            "INSERT INTO accounts (tg_user_id, role, enterprise_id, created_at) "
            "SELECT 1, 'staff', id, '2025-01-01T00:00:00+00:00' FROM enterprises "
            "WHERE name = 'Gamma'"
        )
    assert main(["invite", "--all", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 6


def test_backup(env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    imported(env, tmp_path, capsys)
    copy = tmp_path / "copy.db"
    assert main(["backup", str(copy)]) == 0
    assert count(copy, "enterprises") == 3 and count(copy, "assignments") == 4
    assert "backup written to" in capsys.readouterr().out
    assert main(["backup", str(env)]) == 1
    assert "live database" in capsys.readouterr().err
    assert main(["backup", str(tmp_path / "nowhere" / "copy.db")]) == 1
    assert capsys.readouterr().err.strip() == (
        f"envoybot backup: folder {tmp_path / 'nowhere'} does not exist"
    )


def test_stats_without_database(
    env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["stats"]) == 1
    assert "does not exist (set ENVOYBOT_DB)" in capsys.readouterr().err
    monkeypatch.setenv("ENVOYBOT_LANG", "zh")
    assert main(["export", "x.xlsx"]) == 1
    assert capsys.readouterr().err.strip() == f"envoybot：数据库 {env} 不存在（请设置 ENVOYBOT_DB）"
    assert not env.exists()


def test_run_without_token_is_one_line(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "TELEGRAM_BOT_TOKEN" in err
