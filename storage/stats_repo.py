"""Problems of a scope and period as light records for figures, export and chart."""

from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import Any

from domain.department_stats import DispatchFacts
from domain.models import DispatchState, State
from domain.stats import ProblemFacts, Scope
from storage.db import Database, to_db

logger = logging.getLogger(__name__)

_COLUMNS = """
SELECT p.id, p.number, p.enterprise_id, e.name, e.team_id, p.envoy_id, v.name, p.category,
       p.tier, p.state, p.registered_at, p.due_at, p.resolved_at, p.closed_at, p.satisfaction
FROM problems p
JOIN enterprises e ON e.id = p.enterprise_id
LEFT JOIN envoys v ON v.id = p.envoy_id
"""

_IDS = "(SELECT value FROM json_each(:ids))"

_SCOPE_WHERE = {
    "all": "1 = 1",
    "team": f"e.team_id IN {_IDS}",
    "enterprise": f"p.enterprise_id IN {_IDS}",
    # the envoy's own problems, and those of their enterprises nobody has accepted yet
    # (domain.stats.envoy_keys: the same rule as the per-envoy rows)
    "envoy": (
        f"(p.envoy_id IN {_IDS} OR (p.envoy_id IS NULL AND p.enterprise_id IN"
        f" (SELECT enterprise_id FROM assignments WHERE envoy_id IN {_IDS})))"
    ),
    # problems ever dispatched to the departments (a returned one stays in their figures)
    "department": f"p.id IN (SELECT problem_id FROM dispatches WHERE department_id IN {_IDS})",
}

_STATES = {s.value: s for s in State}


def scope_filter(scope: Scope) -> tuple[str, dict[str, Any]]:
    """SQL condition (over aliases p, e) and parameters restricting problems to a scope."""
    try:
        where = _SCOPE_WHERE[scope.kind]
    except KeyError:
        raise ValueError(f"unknown scope kind {scope.kind!r}") from None
    params: dict[str, Any] = {}
    if scope.kind != "all":
        params["ids"] = json.dumps(sorted(scope.ids))
    return where, params


async def fetch_facts(
    db: Database, scope: Scope, since: datetime | None = None
) -> list[ProblemFacts]:
    """Every problem of the scope registered at or after ``since`` (all when None)."""
    where, params = scope_filter(scope)
    sql = f"{_COLUMNS} WHERE {where}"
    if since is not None:
        sql += " AND p.registered_at >= :since"
        params["since"] = to_db(since)
    sql += " ORDER BY p.registered_at, p.id"
    rows = await db.fetchall_long(sql, params)
    parse = datetime.fromisoformat
    states = _STATES
    return [
        ProblemFacts(
            r[0],
            r[1],
            r[2],
            r[3],
            r[4],
            r[5],
            r[6],
            r[7],
            r[8],
            states[r[9]],
            parse(r[10]),
            parse(r[11]),
            parse(r[12]) if r[12] is not None else None,
            parse(r[13]) if r[13] is not None else None,
            r[14],
        )
        for r in rows
    ]


_DISPATCH_STATES = {s.value: s for s in DispatchState}


async def fetch_dispatch_facts(
    db: Database, scope: Scope, since: datetime | None = None, until: datetime | None = None
) -> list[DispatchFacts]:
    """Every dispatch of the scope's problems sent in [since, until) (open ends when None); a
    department scope counts only its own dispatches, not the others' on the same problems."""
    where, params = scope_filter(scope)
    sql = (
        "SELECT d.id, d.problem_id, d.department_id, d.state, d.sent_at, d.due_at, d.signed_at,"
        " d.done_at, p.state, p.satisfaction FROM dispatches d"
        " JOIN problems p ON p.id = d.problem_id JOIN enterprises e ON e.id = p.enterprise_id"
        f" WHERE {where}"
    )
    if scope.kind == "department":
        sql += f" AND d.department_id IN {_IDS}"
    if since is not None:
        sql += " AND d.sent_at >= :since"
        params["since"] = to_db(since)
    if until is not None:
        sql += " AND d.sent_at < :until"
        params["until"] = to_db(until)
    rows = await db.fetchall_long(sql + " ORDER BY d.id", params)
    parse = datetime.fromisoformat
    return [
        DispatchFacts(
            r[0],
            r[1],
            r[2],
            _DISPATCH_STATES[r[3]],
            parse(r[4]),
            parse(r[5]),
            parse(r[6]) if r[6] is not None else None,
            parse(r[7]) if r[7] is not None else None,
            _STATES[r[8]],
            r[9],
        )
        for r in rows
    ]


async def department_names(db: Database) -> dict[int, str]:
    rows = await db.fetchall("SELECT id, name FROM departments")
    return {int(r["id"]): str(r["name"]) for r in rows}


async def team_names(db: Database) -> dict[int, str]:
    """Team id → name (there are few teams)."""
    rows = await db.fetchall("SELECT id, name FROM teams")
    return {int(r["id"]): str(r["name"]) for r in rows}


async def assignments(db: Database) -> dict[int, tuple[int, ...]]:
    """Enterprise id → the envoys assigned to it, for the rows of problems nobody accepted."""
    rows = await db.fetchall(
        "SELECT enterprise_id, envoy_id FROM assignments ORDER BY enterprise_id, envoy_id"
    )
    found: dict[int, list[int]] = {}
    for r in rows:
        found.setdefault(int(r[0]), []).append(int(r[1]))
    return {enterprise: tuple(envoys) for enterprise, envoys in found.items()}


async def envoy_names(db: Database) -> dict[int, str]:
    """Envoy id → name, for envoys whose rows hold only problems nobody accepted yet."""
    rows = await db.fetchall("SELECT id, name FROM envoys")
    return {int(r["id"]): str(r["name"]) for r in rows}


async def count_problems(db: Database, scope: Scope) -> int:
    """How many problems a scope holds (cheap check before an export)."""
    where, params = scope_filter(scope)
    row = await db.fetchone(
        f"SELECT count(*) FROM problems p JOIN enterprises e ON e.id = p.enterprise_id "
        f"WHERE {where}",
        params,
    )
    return int(row[0]) if row else 0


async def envoy_teams(db: Database) -> dict[int, int | None]:
    """Envoy id → team id, for the per-envoy rows of the export."""
    rows = await db.fetchall("SELECT id, team_id FROM envoys")
    return {int(r["id"]): r["team_id"] for r in rows}
