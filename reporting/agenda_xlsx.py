"""The agenda and the evaluation as .xlsx sheets (small: written with openpyxl)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime, tzinfo
from typing import Any

from domain.colours import colour_of
from domain.department_stats import DepartmentFigures
from reporting.export_xlsx import (
    DEPARTMENT_COLUMNS,
    category_label,
    department_rows,
    text_width,
    tier_label,
)
from texts.i18n import plain
from usecases.agenda import AgendaItem

AGENDA_COLUMNS = (
    "index",
    "number",
    "enterprise",
    "category",
    "tier",
    "state",
    "envoy",
    "registered",
    "days-open",
    "due",
    "departments",
    "last-steps",
    "link",
)
_HEADER_FILL = "DDDDDD"
MAX_WIDTH = 60


def problem_link(bot_username: str | None, number: str) -> str | None:
    """A deep link that opens the problem in the bot (/start pr_2026_0042), if the bot's name
    is known."""
    name = (bot_username or "").strip().lstrip("@")
    if not name:
        return None
    year, serial = number.split("-", 1)
    return f"https://t.me/{name}?start=pr_{year}_{serial}"


def _local(when: datetime, tz: tzinfo) -> datetime:
    return when.astimezone(tz).replace(tzinfo=None)


def _step_line(lang: str, event: Any, tz: tzinfo) -> str:
    action = plain(lang, f"action-{event.action}")
    if event.department_name:
        action = plain(lang, "event-department", action=action, department=event.department_name)
    who = event.actor_name or plain(lang, "actor-system")
    line = f"{event.at.astimezone(tz).strftime('%m-%d %H:%M')} {action} · {who}"
    return f"{line}：{event.note}" if event.note else line


def _book(title: str, headers: list[str]) -> tuple[Any, Any]:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title[:31]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=_HEADER_FILL)
    sheet.freeze_panes = "A2"
    return book, sheet


def _finish(book: Any, sheet: Any) -> bytes:
    for column in sheet.columns:
        width = max(
            max(text_width(line) for line in str(c.value or "").split("\n")) for c in column
        )
        sheet.column_dimensions[column[0].column_letter].width = min(MAX_WIDTH, width + 2)
    sheet.auto_filter.ref = sheet.dimensions
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def agenda_workbook(
    items: Sequence[AgendaItem],
    *,
    now: datetime,
    tz: tzinfo,
    lang: str,
    bot_username: str | None,
) -> bytes:
    """One row per agenda problem, in its colour; the link opens it in the bot."""
    from openpyxl.styles import Alignment, Font, PatternFill

    headers = [plain(lang, f"agenda-col-{c}") for c in AGENDA_COLUMNS]
    book, sheet = _book(plain(lang, "agenda-sheet"), headers)
    for index, item in enumerate(items, start=1):
        p = item.problem
        involved = plain(lang, "stats-name-separator").join(
            plain(
                lang,
                "agenda-department",
                department=d.department_name,
                state=plain(lang, f"dispatch-state-{d.state.value}"),
            )
            for d in item.dispatches
        )
        link = problem_link(bot_username, p.number)
        sheet.append(
            [
                index,
                p.number,
                p.enterprise_name,
                category_label(lang, p.category),
                tier_label(lang, p.tier),
                plain(lang, f"state-{p.state.value}"),
                p.envoy_name or plain(lang, "stats-no-envoy"),
                _local(p.registered_at, tz),
                item.days_open,
                _local(p.due_at, tz),
                involved,
                "\n".join(_step_line(lang, e, tz) for e in item.last_steps),
                plain(lang, "agenda-open") if link else None,
            ]
        )
        row = sheet.max_row
        fill = PatternFill("solid", fgColor=colour_of(p.state, p.due_at, p.registered_at, now).fill)
        for cell in sheet[row]:
            cell.fill = fill
            cell.alignment = Alignment(vertical="top", wrap_text=True)
        for column in (8, 10):
            sheet.cell(row=row, column=column).number_format = "yyyy-mm-dd hh:mm"
        if link:
            cell = sheet.cell(row=row, column=len(headers))
            cell.hyperlink = link
            cell.font = Font(color="0563C1", underline="single")
    return _finish(book, sheet)


EVALUATION_COLUMNS = ("rank", *DEPARTMENT_COLUMNS)


def evaluation_workbook(ranked: Sequence[DepartmentFigures], *, lang: str, title: str) -> bytes:
    """The departments in the evaluation's order, one row each, with the rank."""
    headers = [plain(lang, f"export-col-{c}") for c in EVALUATION_COLUMNS]
    book, sheet = _book(title, headers)
    for rank, row in enumerate(department_rows(ranked, lang), start=1):
        sheet.append([rank, *row])
    return _finish(book, sheet)
