"""The .xlsx export opened again with openpyxl: sheets, colours, values, layout; and the CLI."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import pytest
from openpyxl import load_workbook

from bot.config import Settings
from bot.report_cli import export_command, stats_command
from domain.stats import Scope
from reporting.figures import build_export
from storage.db import Database
from texts.i18n import plain

from .conftest import ENVOYS, NOW, TEAMS, TZ, Row, enterprise_name
from .test_figures_db import counts_for_envoy

FILLS = {"closed": "C6EFCE", "resolved": "BDD7EE", "withdrawn": "D9D9D9"}
RED, YELLOW, WHITE = "FFC7CE", "FFEB9C", "FFFFFF"


def expected_fill(r: Row) -> str:
    if r.state in FILLS:
        return FILLS[r.state]
    if r.due_at < NOW:
        return RED
    left = (r.due_at - NOW) / (r.due_at - r.registered_at)
    return YELLOW if left < 0.25 else WHITE


def local(when: datetime | None) -> datetime | None:
    return None if when is None else when.astimezone(TZ).replace(tzinfo=None)


async def test_export_of_a_team(db: Database, rows: list[Row]) -> None:
    data = await build_export(db, Scope("team", frozenset({1})), NOW, TZ, "zh")
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["问题清单", "汇总", "分队与特派员", "职能部门"]
    ws = wb["问题清单"]
    header = [c.value for c in ws[1]]
    assert header == [
        "编号",
        "企业",
        "类别",
        "层级",
        "状态",
        "特派员",
        "登记时间",
        "办结期限",
        "解决时间",
        "销号时间",
        "超期天数",
        "满意度",
    ]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:L{ws.max_row}"
    mine = {f"2026-{r.id:04d}": r for r in rows if r.team_id == 1}
    assert ws.max_row - 1 == len(mine)
    seen_fills = set()
    for cells in ws.iter_rows(min_row=2):
        r = mine[cells[0].value]
        fill = cells[0].fill.fgColor.rgb[-6:]
        assert fill == expected_fill(r), cells[0].value
        assert all(c.fill.fgColor.rgb[-6:] == fill for c in cells)  # the whole row
        seen_fills.add(fill)
        assert cells[1].value == enterprise_name(r.enterprise_id)
        assert cells[5].value == (ENVOYS[r.envoy_id] if r.envoy_id else "未指派")
        assert cells[6].value == local(r.registered_at)
        assert cells[7].value == local(r.due_at)
        assert cells[8].value == local(r.resolved_at)
        assert cells[9].value == local(r.closed_at)
        assert cells[6].number_format == "yyyy-mm-dd hh:mm"
        assert cells[11].value == r.satisfaction
        if r.state in ("registered", "in_progress") and r.due_at < NOW:
            assert cells[10].value == round((NOW - r.due_at) / timedelta(days=1), 1)
        elif r.resolved_at is not None and r.resolved_at > r.due_at and r.state != "withdrawn":
            assert cells[10].value == round((r.resolved_at - r.due_at) / timedelta(days=1), 1)
        else:
            assert cells[10].value is None
        assert cells[4].value in {
            "已挂号，待受理",
            "办理中",
            "已办结，待企业确认",
            "已销号",
            "已撤销",
        }
    assert {RED, "C6EFCE", "BDD7EE", "D9D9D9"} <= seen_fills
    # Chinese text fits: 2 units per hanzi
    width_b = ws.column_dimensions["B"].width
    assert width_b >= 2 * len(enterprise_name(1))

    summary = {row[0]: row[1] for row in wb["汇总"].iter_rows(values_only=True) if row}
    live = [r for r in mine.values() if r.state != "withdrawn"]
    closed = sum(r.state == "closed" for r in live)
    assert summary["收集问题"] == len(live)
    assert summary["已销号（企业确认）"] == closed
    assert summary["解决率（销号 ÷ 收集）"] == f"{100 * closed / len(live):.2f} %"
    assert summary["范围"] == TEAMS[1]
    assert (
        summary["计数说明"]
        == plain("zh", "stats-envoy-rule")
        == ("问题计入受理它的特派员；尚无人受理的问题，计入该企业的每一位特派员，直到有人受理。")
    )

    breakdown = list(wb["分队与特派员"].iter_rows(values_only=True))
    assert breakdown[0] == (
        "维度",
        "名称",
        "工作队",
        "收集",
        "销号",
        "待确认",
        "办理中",
        "超期",
        "撤销",
        "解决率",
    )
    teams = [row for row in breakdown[1:] if row[0] == "工作队"]
    assert [row[1] for row in teams] == [TEAMS[1]]  # no other team leaks in
    assert teams[0][3] == len(live)
    envoy_rows = {row[1]: row for row in breakdown[1:] if row[0] == "特派员"}
    for envoy_id, name in ENVOYS.items():
        theirs = [r for r in mine.values() if counts_for_envoy(envoy_id, r)]
        if theirs:
            assert envoy_rows[name][3] == sum(r.state != "withdrawn" for r in theirs), name
            assert envoy_rows[name][8] == sum(r.state == "withdrawn" for r in theirs), name
        else:
            assert name not in envoy_rows


async def test_export_in_english(db: Database, rows: list[Row]) -> None:
    wb = load_workbook(io.BytesIO(await build_export(db, Scope("all"), NOW, TZ, "en")))
    assert wb.sheetnames == ["Problems", "Summary", "Teams and envoys", "Departments"]
    assert wb["Problems"].max_row == len(rows) + 1
    assert wb["Problems"]["A1"].value == "Number"
    summary = {row[0]: row[1] for row in wb["Summary"].iter_rows(values_only=True) if row}
    assert summary["How problems are counted"].startswith("A problem counts for the envoy")


@pytest.fixture
def settings(db: Database) -> Settings:
    return Settings(ENVOYBOT_DB=db.path, ENVOYBOT_LANG="zh", _env_file=None)  # type: ignore[call-arg]


async def test_cli_export_and_stats(
    db: Database, rows: list[Row], settings: Settings, tmp_path, capsys
) -> None:
    target = tmp_path / "out.xlsx"
    assert await export_command(settings, str(target)) == 0
    wb = load_workbook(target)
    assert wb["问题清单"].max_row == len(rows) + 1
    assert f"{len(rows)}" in capsys.readouterr().out
    assert await stats_command(settings, "all") == 0
    out = capsys.readouterr().out
    live = [r for r in rows if r.state != "withdrawn"]
    assert f"收集问题：{len(live)}" in out
    assert "按特派员" in out and "高新区工作队" in out


async def test_cli_refuses_missing_database(tmp_path, capsys) -> None:
    settings = Settings(ENVOYBOT_DB=str(tmp_path / "nope.db"), _env_file=None)  # type: ignore[call-arg]
    assert await stats_command(settings, "all") == 1
    assert not (tmp_path / "nope.db").exists()
