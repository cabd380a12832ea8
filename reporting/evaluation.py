"""The bi-monthly evaluation of the departments (双月评议): a ranking as a message and a sheet."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from domain.department_stats import (
    DepartmentFigures,
    compute_department_figures,
    rank_departments,
)
from domain.stats import Scope
from reporting.agenda_xlsx import evaluation_workbook
from reporting.export_xlsx import duration_text, satisfaction_text
from storage import stats_repo
from storage.db import Database
from texts.i18n import plain, t


@dataclass(frozen=True, slots=True)
class Evaluation:
    """One period's ranking, ready to render."""

    start: date
    end: date  # exclusive
    ranked: tuple[DepartmentFigures, ...]

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)


async def build_evaluation(
    db: Database, start: date, end: date, now: datetime, tz: tzinfo
) -> Evaluation:
    """The departments ranked on the dispatches sent in [start, end) (local dates)."""
    since = datetime.combine(start, time(0), tzinfo=tz)
    until = datetime.combine(end, time(0), tzinfo=tz)
    facts = await stats_repo.fetch_dispatch_facts(db, Scope("all"), since, until)
    rows = compute_department_figures(facts, now, await stats_repo.department_names(db))
    return Evaluation(start, end, tuple(rank_departments(rows)))


def evaluation_title(lang: str, evaluation: Evaluation) -> str:
    return plain(
        lang,
        "evaluation-title",
        start=evaluation.start.isoformat(),
        end=evaluation.last_day.isoformat(),
    )


def evaluation_text(lang: str, evaluation: Evaluation) -> str:
    """The ranking as a chat message (Telegram HTML)."""
    head = t(
        lang,
        "evaluation-head",
        start=evaluation.start.isoformat(),
        end=evaluation.last_day.isoformat(),
        count=sum(d.dispatched for d in evaluation.ranked),
    )
    if not evaluation.ranked:
        return head + "\n\n" + t(lang, "evaluation-empty")
    lines = [
        t(
            lang,
            "evaluation-line",
            rank=rank,
            name=d.name,
            rate=plain(lang, "stats-percent", value=d.on_time_rate)
            if d.on_time_rate is not None
            else plain(lang, "stats-none"),
            satisfaction=satisfaction_text(lang, d.satisfaction_avg),
            dispatched=d.dispatched,
            on_time=d.on_time,
            due=d.due,
            overdue=d.overdue,
            returned=d.returned,
            median=duration_text(lang, d.median_answer),
        )
        for rank, d in enumerate(evaluation.ranked, start=1)
    ]
    return "\n\n".join([head, "\n".join(lines), t(lang, "evaluation-foot")])


def evaluation_sheet(lang: str, evaluation: Evaluation) -> bytes:
    return evaluation_workbook(evaluation.ranked, lang=lang, title=plain(lang, "evaluation-sheet"))
