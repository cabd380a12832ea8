"""The dispatch meeting's agenda (问题分办会议): what the city office takes to the meeting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.models import Dispatch, Event, Problem
from storage.dispatches_repo import DispatchesRepo
from storage.problems_repo import ProblemsRepo

LAST_STEPS = 3


@dataclass(frozen=True, slots=True)
class AgendaItem:
    """One problem on the agenda, with what the meeting needs to decide on it."""

    problem: Problem
    days_open: float  # since registration, one decimal
    last_steps: tuple[Event, ...]  # the newest few, oldest first
    dispatches: tuple[Dispatch, ...]  # the departments already involved


def days_between(start: datetime, end: datetime) -> float:
    return round((end - start).total_seconds() / 86400, 1)


async def agenda_items(
    problems: ProblemsRepo, dispatches: DispatchesRepo, now: datetime, last: int = LAST_STEPS
) -> list[AgendaItem]:
    """Open tier-3 problems and overdue tier-2 problems, oldest first (SPEC §3)."""
    found = await problems.agenda(now)
    sent = await dispatches.for_problems([p.id for p in found])
    items = []
    for p in found:
        events = await problems.events(p.id)
        items.append(
            AgendaItem(
                problem=p,
                days_open=days_between(p.registered_at, now),
                last_steps=tuple(events[-last:]),
                dispatches=tuple(sent.get(p.id, ())),
            )
        )
    return items
