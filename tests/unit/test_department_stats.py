"""Figures by department and the evaluation's order, from hand-made dispatch records."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.config import ConfigError, Settings, load_settings
from domain.department_stats import (
    DepartmentFigures,
    DispatchFacts,
    compute_department_figures,
    evaluation_period,
    rank_departments,
)
from domain.models import DispatchState, State

T0 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
NOW = T0 + timedelta(days=10)
H = timedelta(hours=1)
D = timedelta(days=1)
NAMES = {1: "海关", 2: "商务局", 3: "自然资源局"}


def fact(
    id_: int,
    department: int,
    state: DispatchState,
    *,
    problem: int | None = None,
    due: timedelta = 3 * D,
    signed: timedelta | None = H,
    done: timedelta | None = None,
    problem_state: State = State.IN_PROGRESS,
    rating: int | None = None,
) -> DispatchFacts:
    return DispatchFacts(
        id=id_,
        problem_id=problem if problem is not None else id_,
        department_id=department,
        state=state,
        sent_at=T0,
        due_at=T0 + due,
        signed_at=T0 + signed if signed is not None else None,
        done_at=T0 + done if done is not None else None,
        problem_state=problem_state,
        satisfaction=rating,
    )


FACTS = [
    # customs: two on time (1 h and 2 days), one late, one overdue, one rated twice (same problem)
    fact(1, 1, DispatchState.DONE, done=H, rating=5, problem_state=State.CLOSED),
    fact(2, 1, DispatchState.DONE, done=2 * D, rating=3, problem_state=State.CLOSED),
    fact(3, 1, DispatchState.DONE, done=4 * D),
    fact(4, 1, DispatchState.SIGNED),
    # commerce: one returned (its problem rated: not theirs), one sent and not yet due
    fact(5, 2, DispatchState.RETURNED, problem=1, rating=5, problem_state=State.CLOSED),
    fact(6, 2, DispatchState.SENT, signed=None, due=20 * D),
    # land: sent, never signed, past due, but the problem was closed meanwhile: not overdue
    fact(7, 3, DispatchState.SENT, signed=None, problem_state=State.CLOSED),
    # land: signed for problem 1, not returned: takes part in its rating
    fact(8, 3, DispatchState.DONE, problem=1, done=D, rating=5, problem_state=State.CLOSED),
]


def test_each_figure_as_documented() -> None:
    rows = {d.name: d for d in compute_department_figures(FACTS, NOW, NAMES)}
    customs, commerce, land = rows["海关"], rows["商务局"], rows["自然资源局"]
    assert (customs.dispatched, customs.signed, customs.done, customs.on_time) == (4, 4, 3, 2)
    assert (customs.overdue, customs.returned, customs.due) == (1, 0, 4)
    assert customs.on_time_rate == "50.00"
    assert customs.median_answer == 2 * D
    assert customs.satisfaction_avg == 4.0 and customs.ratings == 2
    assert (commerce.dispatched, commerce.signed, commerce.returned, commerce.overdue) == (
        2,
        1,
        1,
        0,
    )
    assert commerce.on_time_rate is None and commerce.satisfaction_avg is None
    assert commerce.median_answer is None
    assert (land.dispatched, land.done, land.on_time, land.overdue) == (2, 1, 1, 0)
    assert land.on_time_rate == "100.00" and land.satisfaction_avg == 5.0


def test_rows_order_and_names() -> None:
    rows = compute_department_figures(FACTS, NOW, {1: "海关"})
    assert [d.department_id for d in rows] == [1, 2, 3]  # most dispatched, then name
    assert [d.name for d in rows] == ["海关", "2", "3"]  # an unknown name shows its id
    assert compute_department_figures([], NOW, NAMES) == ()


def test_ranking_by_on_time_rate_then_satisfaction() -> None:
    def row(
        name: str, on_time: int, done: int, overdue: int, avg: float | None
    ) -> DepartmentFigures:
        return DepartmentFigures(
            0,
            name,
            dispatched=done + overdue,
            done=done,
            on_time=on_time,
            overdue=overdue,
            satisfaction_avg=avg,
        )

    rows = [
        row("甲", 1, 2, 0, 5.0),  # 50 %
        row("乙", 2, 2, 0, 3.0),  # 100 %, 3.0
        row("丙", 2, 2, 0, 4.5),  # 100 %, 4.5
        row("丁", 0, 0, 0, None),  # no rate at all: last
        row("戊", 1, 1, 1, None),  # 50 %, no rating: after 甲
    ]
    assert [d.name for d in rank_departments(rows)] == ["丙", "乙", "甲", "戊", "丁"]


def test_evaluation_periods() -> None:
    assert evaluation_period(date(2026, 5, 1), 2) == (date(2026, 3, 1), date(2026, 5, 1))
    assert evaluation_period(date(2026, 1, 1), 2) == (date(2025, 11, 1), date(2026, 1, 1))
    assert evaluation_period(date(2026, 4, 1), 2) is None  # April closes no two-month period
    assert evaluation_period(date(2026, 5, 2), 2) is None
    assert evaluation_period(date(2026, 4, 1), 3) == (date(2026, 1, 1), date(2026, 4, 1))
    assert evaluation_period(date(2026, 1, 1), 12) == (date(2025, 1, 1), date(2026, 1, 1))
    assert evaluation_period(date(2026, 7, 1), 1) == (date(2026, 6, 1), date(2026, 7, 1))
    assert evaluation_period(date(2026, 5, 1), 0) is None


def test_evaluation_months_must_divide_a_year() -> None:
    assert Settings(_env_file=None).evaluation_months == 2  # type: ignore[call-arg]
    assert Settings(_env_file=None).dispatch_reminders == [24, 4]  # type: ignore[call-arg]
    for bad in ("5", "13", "-1"):
        with pytest.raises(ConfigError):
            load_settings(_env_file=None, ENVOYBOT_EVALUATION_MONTHS=bad)
    assert load_settings(_env_file=None, ENVOYBOT_EVALUATION_MONTHS="0").evaluation_months == 0
