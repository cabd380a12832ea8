"""`envoybot db copy SRC DST` moves a city from SQLite to PostgreSQL and back, counts checked;
`envoybot backup` of a PostgreSQL database writes an SQLite file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main
from tests.pg_cluster import cluster, query
from tests.storage.conftest import ROSTER, write_csv


def count(db: str | Path, table: str) -> int:
    return int(query(db, f"SELECT COUNT(*) FROM {table}")[0][0])  # type: ignore[call-overload]


def test_copy_to_postgresql_and_back(
    env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    server = cluster().new_database()
    assert main(["import", str(write_csv(tmp_path / "roster.csv", ROSTER))]) == 0
    capsys.readouterr()
    assert main(["invite", "--all", "--json"]) == 0
    codes = {i["code"] for i in json.loads(capsys.readouterr().out)}

    assert main(["db", "copy", str(env), server]) == 0
    out = capsys.readouterr().out
    assert "enterprises: 3" in out and "invites: 7" in out
    assert out.splitlines()[-1].endswith("every table's count matches")
    assert count(server, "assignments") == 4

    # the bot's own commands run on the copy: the same open codes are handed out again
    monkeypatch.setenv("ENVOYBOT_DB", server)
    assert main(["invite", "--all", "--json"]) == 0
    assert {i["code"] for i in json.loads(capsys.readouterr().out)} == codes

    back = tmp_path / "back.db"
    assert main(["db", "copy", server, str(back)]) == 0
    capsys.readouterr()
    for table in ("teams", "envoys", "enterprises", "assignments", "invites"):
        assert count(back, table) == count(env, table)

    assert main(["db", "copy", str(env), server]) == 1  # the target has data now
    err = capsys.readouterr().err
    assert err.startswith("envoybot db copy: the target already holds data")

    assert main(["backup", str(tmp_path / "server-backup.db")]) == 0  # ENVOYBOT_DB is the server
    assert "backup written to" in capsys.readouterr().out
    assert count(tmp_path / "server-backup.db", "enterprises") == 3


def test_refusals_in_the_operators_language(
    env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["db", "copy", str(tmp_path / "missing.db"), str(tmp_path / "x.db")]) == 1
    assert "no database at" in capsys.readouterr().err
    assert not (tmp_path / "x.db").exists()
    write_csv(tmp_path / "roster.csv", ROSTER)
    assert main(["import", str(tmp_path / "roster.csv")]) == 0
    capsys.readouterr()
    monkeypatch.setenv("ENVOYBOT_LANG", "zh")
    assert main(["db", "copy", str(env), str(env)]) == 1
    assert capsys.readouterr().err.strip() == "envoybot db copy：源数据库与目标数据库是同一个"
    assert main(["db", "copy", str(env), "postgresql://nobody@127.0.0.1:1/none"]) == 1
    assert "无法打开 postgresql://nobody@127.0.0.1:1/none" in capsys.readouterr().err
