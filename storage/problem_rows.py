"""How a problem row is selected and read; shared by the repositories that return problems."""

from __future__ import annotations

import sqlite3

from domain.models import Problem, State
from storage.db import from_db, from_db_required

# every department the problem was ever dispatched to: what a department's view rests on
DISPATCHED_TO = (
    "(SELECT group_concat(d.department_id) FROM dispatches d WHERE d.problem_id = p.id)"
    " AS dispatched_to"
)
_SELECT = f"""
SELECT p.*, e.name AS enterprise_name, e.team_id AS team_id, v.name AS envoy_name,
       {DISPATCHED_TO}
FROM problems p
JOIN enterprises e ON e.id = p.enterprise_id
LEFT JOIN envoys v ON v.id = p.envoy_id
"""


def _problem(row: sqlite3.Row) -> Problem:
    return Problem(
        id=row["id"],
        number=row["number"],
        enterprise_id=row["enterprise_id"],
        enterprise_name=row["enterprise_name"],
        team_id=row["team_id"],
        reporter_tg_id=row["reporter_tg_id"],
        category=row["category"],
        description=row["description"],
        state=State(row["state"]),
        tier=row["tier"],
        envoy_id=row["envoy_id"],
        registered_at=from_db_required(row["registered_at"]),
        due_at=from_db_required(row["due_at"]),
        resolved_at=from_db(row["resolved_at"]),
        closed_at=from_db(row["closed_at"]),
        satisfaction=row["satisfaction"],
        comment=row["comment"],
        envoy_name=row["envoy_name"],
        version=row["version"],
        department_ids=_ids(row["dispatched_to"]),
    )


def _ids(text: str | None) -> frozenset[int]:
    """group_concat's "3,5" as ids."""
    if not text:
        return frozenset()
    return frozenset(int(part) for part in str(text).split(","))
