"""Figures by department and the bi-monthly ranking (双月评议), from plain dispatch records.

What each figure counts (one row per department; a dispatch counts for its department):

- dispatched: dispatches made; signed: those signed for (签收), whatever came after;
- done: answered (marked done); on time: done by the department's deadline;
- overdue: still to answer (sent or signed) on an open problem, past the deadline now;
- returned: sent back (退回) with a reason; they are neither on time nor late;
- on-time rate: on time ÷ (done + overdue): of what should have been answered by now;
- median time to answer: sent → done, over the done ones;
- satisfaction: the enterprise's rating, averaged over the distinct rated problems the
  department took part in (signed for and did not return).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from domain.models import DispatchState, State
from domain.stats import percent


@dataclass(frozen=True, slots=True)
class DispatchFacts:
    """The columns of a dispatch (and its problem) that the department figures need."""

    id: int
    problem_id: int
    department_id: int
    state: DispatchState
    sent_at: datetime
    due_at: datetime
    signed_at: datetime | None
    done_at: datetime | None
    problem_state: State
    satisfaction: int | None


@dataclass(frozen=True, slots=True)
class DepartmentFigures:
    """One department's row."""

    department_id: int
    name: str
    dispatched: int = 0
    signed: int = 0
    done: int = 0
    on_time: int = 0
    overdue: int = 0
    returned: int = 0
    median_answer: timedelta | None = None
    satisfaction_avg: float | None = None
    ratings: int = 0

    @property
    def due(self) -> int:
        """Dispatches that should have been answered by now: done, or overdue."""
        return self.done + self.overdue

    @property
    def on_time_rate(self) -> str | None:
        return percent(self.on_time, self.due)


def is_overdue(f: DispatchFacts, now: datetime) -> bool:
    """Still the department's to answer, on an open problem, past its deadline."""
    return f.state.is_live and f.problem_state.is_open and now > f.due_at


def compute_department_figures(
    facts: Iterable[DispatchFacts], now: datetime, names: Mapping[int, str]
) -> tuple[DepartmentFigures, ...]:
    """A row per department that got any dispatch, most dispatched first, then by name."""
    rows: dict[int, dict[str, int]] = {}
    answers: dict[int, list[float]] = {}
    rated: dict[int, dict[int, int]] = {}  # department → problem → rating
    for f in facts:
        row = rows.setdefault(f.department_id, dict.fromkeys(_COUNTS, 0))
        row["dispatched"] += 1
        if f.signed_at is not None:
            row["signed"] += 1
        if f.state is DispatchState.DONE and f.done_at is not None:
            row["done"] += 1
            row["on_time"] += f.done_at <= f.due_at
            answers.setdefault(f.department_id, []).append((f.done_at - f.sent_at).total_seconds())
        elif f.state is DispatchState.RETURNED:
            row["returned"] += 1
        elif is_overdue(f, now):
            row["overdue"] += 1
        took_part = f.signed_at is not None and f.state is not DispatchState.RETURNED
        if took_part and f.satisfaction is not None:
            rated.setdefault(f.department_id, {})[f.problem_id] = f.satisfaction
    out = []
    for department_id, row in rows.items():
        times = answers.get(department_id, [])
        ratings = list(rated.get(department_id, {}).values())
        out.append(
            DepartmentFigures(
                department_id,
                names.get(department_id, str(department_id)),
                **row,
                median_answer=timedelta(seconds=statistics.median(times)) if times else None,
                satisfaction_avg=sum(ratings) / len(ratings) if ratings else None,
                ratings=len(ratings),
            )
        )
    out.sort(key=lambda d: (-d.dispatched, d.name, d.department_id))
    return tuple(out)


_COUNTS = ("dispatched", "signed", "done", "on_time", "overdue", "returned")


def rank_departments(rows: Sequence[DepartmentFigures]) -> list[DepartmentFigures]:
    """The evaluation's order: on-time rate, then satisfaction (both best first; a department
    with no rate or no rating after those with one), then most dispatched, then name."""

    def key(d: DepartmentFigures) -> tuple[int, float, int, float, int, str]:
        rate = d.on_time / d.due if d.due else None
        return (
            rate is None,
            -(rate or 0.0),
            d.satisfaction_avg is None,
            -(d.satisfaction_avg or 0.0),
            -d.dispatched,
            d.name,
        )

    return sorted(rows, key=key)


def evaluation_period(day: date, months: int) -> tuple[date, date] | None:
    """The period an evaluation sent on this local day covers, or None if none is due then.

    Evaluations go out on the 1st of the months that close a period of ``months`` months
    counted from January (every two months: 1 January, 1 March, 1 May…) and cover the months
    before: [start, end). ``months`` divides 12; 0 turns the evaluation off.
    """
    if months <= 0 or day.day != 1 or (day.month - 1) % months:
        return None
    index = day.year * 12 + (day.month - 1) - months
    return date(index // 12, index % 12 + 1, 1), day
