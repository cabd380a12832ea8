"""The web platform's reads: the filtered problem list, its colour counts, figures in SQL.

Every query is restricted to a Scope through stats_repo.scope_filter, the same condition
/stats uses, so the web shows exactly what the chat's figures count. Lists and figures over
a province run through Database.fetchall_long (the worker thread); a problem's page and the
poll's stamp are short reads.

A department opens on the web only what it still works or finished: a problem whose every
dispatch to it was returned is not listed (its later steps and state are not the department's to
see, domain/visibility.py), though it stays in the department's figures as in /stats.

Filters are one SQL condition each in FILTERS, keyed by the name the web form uses: a new
filter (say, a department) is one line here and one FilterSpec in web/filters.py.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from domain.colours import WARN_FRACTION, Colour
from domain.models import State
from domain.stats import Counts, Scope
from storage.db import Database, from_db, from_db_required, to_db
from storage.stats_repo import scope_filter

logger = logging.getLogger(__name__)

OPEN = "('registered', 'in_progress')"
_YELLOW = (
    f"(p.due_at <= p.registered_at OR (julianday(p.due_at) - julianday(:now))"
    f" < {WARN_FRACTION} * (julianday(p.due_at) - julianday(p.registered_at)))"
)
# domain.colours.colour_of in SQL: the colour of a problem at :now
COLOUR_CASE = (
    "CASE WHEN p.state = 'closed' THEN 'green' WHEN p.state = 'resolved' THEN 'blue'"
    " WHEN p.state = 'withdrawn' THEN 'grey' WHEN p.due_at < :now THEN 'red'"
    f" WHEN {_YELLOW} THEN 'yellow' ELSE 'white' END"
)
# one colour as a condition the (state, due_at) index can serve
COLOUR_WHERE: dict[str, str] = {
    Colour.GREEN: "p.state = 'closed'",
    Colour.BLUE: "p.state = 'resolved'",
    Colour.GREY: "p.state = 'withdrawn'",
    Colour.RED: f"(p.state IN {OPEN} AND p.due_at < :now)",
    Colour.YELLOW: f"(p.state IN {OPEN} AND p.due_at >= :now AND {_YELLOW})",
    Colour.WHITE: f"(p.state IN {OPEN} AND p.due_at >= :now AND NOT {_YELLOW})",
}
URGENCY = ("red", "yellow", "white", "blue", "green", "grey")
_URGENCY_CASE = (
    "CASE " + " ".join(f"WHEN {COLOUR_WHERE[c]} THEN {i}" for i, c in enumerate(URGENCY)) + " END"
)
_ASSIGNED = "(SELECT enterprise_id FROM assignments WHERE envoy_id = :{name})"
# name → condition over p (problems), e (enterprises); the value binds as :name
FILTERS: dict[str, str] = {
    "state": "p.state = :state",
    "team": "e.team_id = :team",
    # the accepting envoy, or every envoy of the enterprise while nobody accepted (as /stats)
    "envoy": (
        "(p.envoy_id = :envoy OR (p.envoy_id IS NULL AND p.enterprise_id IN"
        f" {_ASSIGNED.format(name='envoy')}))"
    ),
    "category": "p.category = :category",
    "enterprise": "p.enterprise_id = :enterprise",
    "tier": "p.tier IS :tier",  # NULL: not classified yet
    # every problem ever sent to the department (joint handling included)
    "department": "p.id IN (SELECT problem_id FROM dispatches WHERE department_id = :department)",
}
SORTS: dict[str, str] = {
    "urgency": f"{_URGENCY_CASE} {{dir}}, p.due_at {{dir}}",
    "due": "p.due_at {dir}",
    "registered": "p.registered_at {dir}",
    "number": "p.id {dir}",
    "enterprise": "e.name {dir}",
    "state": "p.state {dir}",
    "tier": "p.tier IS NULL {dir}, p.tier {dir}",
}


def _from(*clauses: str) -> str:
    """FROM problems, joined to enterprises and envoys only where a clause needs them.

    A join costs a lookup per problem: over a province, half the time of a count.
    """
    used = " ".join(clauses)
    sql = " FROM problems p"
    if "e." in used:
        sql += " JOIN enterprises e ON e.id = p.enterprise_id"
    if "v." in used:
        sql += " LEFT JOIN envoys v ON v.id = p.envoy_id"
    return sql


@dataclass(frozen=True, slots=True)
class ProblemQuery:
    """What the list shows: filters, search, order and page (colours empty: every colour)."""

    filters: Mapping[str, Any] = field(default_factory=dict)
    colours: frozenset[str] = frozenset()
    since: datetime | None = None
    search: str = ""
    sort: str = "urgency"
    descending: bool = False
    offset: int = 0
    limit: int = 50


@dataclass(frozen=True, slots=True)
class ListedProblem:
    """One row of the list."""

    id: int
    number: str
    enterprise_id: int
    enterprise_name: str
    team_name: str | None
    category: str
    tier: int | None
    state: State
    envoy_id: int | None
    envoy_name: str | None
    registered_at: datetime
    due_at: datetime
    resolved_at: datetime | None
    closed_at: datetime | None
    summary: str


_DEPARTMENT_OPEN = (
    "p.id IN (SELECT problem_id FROM dispatches WHERE state != 'returned'"
    " AND department_id IN (SELECT value FROM json_each(:ids)))"
)


def viewable(scope: Scope) -> tuple[str, dict[str, Any]]:
    """The condition for problems the viewer may list and open (figures use scope_filter)."""
    if scope.kind == "department":
        return _DEPARTMENT_OPEN, {"ids": json.dumps(sorted(scope.ids))}
    return scope_filter(scope)


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _where(scope: Scope, query: ProblemQuery, now: datetime, colours: bool) -> tuple[str, dict]:
    where, params = viewable(scope)
    parts = [where]
    params["now"] = to_db(now)
    for name, value in query.filters.items():
        parts.append(FILTERS[name])
        params[name] = value
    if query.since is not None:
        parts.append("p.registered_at >= :since")
        params["since"] = to_db(query.since)
    if query.search.strip():
        # names are matched in their own (small) tables, not once per problem
        parts.append(
            "(p.number LIKE :q ESCAPE '\\'"
            " OR p.enterprise_id IN (SELECT id FROM enterprises WHERE name LIKE :q ESCAPE '\\')"
            " OR p.envoy_id IN (SELECT id FROM envoys WHERE name LIKE :q ESCAPE '\\'))"
        )
        params["q"] = _like(query.search.strip())
    if colours and query.colours:
        parts.append("(" + " OR ".join(COLOUR_WHERE[c] for c in sorted(query.colours)) + ")")
    return " AND ".join(parts), params


async def colour_counts(
    db: Database, scope: Scope, query: ProblemQuery, now: datetime
) -> dict[str, int]:
    """How many problems of each colour the filters leave (the colour choice aside)."""
    where, params = _where(scope, query, now, colours=False)
    rows = await db.fetchall_long(
        f"SELECT {COLOUR_CASE} AS colour, count(*){_from(where)} WHERE {where} GROUP BY colour",
        params,
    )
    found = {c.value: 0 for c in Colour}
    found.update({str(r[0]): int(r[1]) for r in rows})
    return found


async def list_problems(
    db: Database, scope: Scope, query: ProblemQuery, now: datetime
) -> list[ListedProblem]:
    """One page of the list in the asked order (ties by number).

    The order and the page are found over the problems' ids alone; only the page's fifty
    rows are then read in full (sorting whole rows was most of a list's time).
    """
    where, params = _where(scope, query, now, colours=True)
    direction = "DESC" if query.descending else "ASC"
    order = SORTS[query.sort].format(dir=direction) + f", p.id {direction}"
    params.update(limit=query.limit, offset=query.offset)
    ids = [
        int(r[0])
        for r in await db.fetchall_long(
            f"SELECT p.id{_from(where, order)} WHERE {where} ORDER BY {order}"
            " LIMIT :limit OFFSET :offset",
            params,
        )
    ]
    if not ids:
        return []
    rows = await db.fetchall_long(
        "SELECT p.id, p.number, p.enterprise_id, e.name, t.name, p.category, p.tier, p.state,"
        " p.envoy_id, v.name, p.registered_at, p.due_at, p.resolved_at, p.closed_at,"
        " substr(p.description, 1, 120) FROM problems p"
        " JOIN enterprises e ON e.id = p.enterprise_id LEFT JOIN envoys v ON v.id = p.envoy_id"
        " LEFT JOIN teams t ON t.id = e.team_id WHERE p.id IN (SELECT value FROM json_each(:ids))",
        {"ids": json.dumps(ids)},
    )
    by_id = {int(r[0]): _listed(r) for r in rows}
    return [by_id[i] for i in ids if i in by_id]


def _listed(r: sqlite3.Row) -> ListedProblem:
    return ListedProblem(
        id=r[0],
        number=r[1],
        enterprise_id=r[2],
        enterprise_name=r[3],
        team_name=r[4],
        category=r[5],
        tier=r[6],
        state=State(r[7]),
        envoy_id=r[8],
        envoy_name=r[9],
        registered_at=from_db_required(r[10]),
        due_at=from_db_required(r[11]),
        resolved_at=from_db(r[12]),
        closed_at=from_db(r[13]),
        summary=r[14],
    )


async def problem_id_in_scope(db: Database, scope: Scope, number: str) -> int | None:
    """The id of the problem with this number, if the scope holds it (else None: a 404)."""
    where, params = viewable(scope)
    params["number"] = number
    row = await db.fetchone(
        f"SELECT p.id FROM problems p JOIN enterprises e ON e.id = p.enterprise_id"
        f" WHERE p.number = :number AND {where}",
        params,
    )
    return int(row[0]) if row else None


async def stamp(db: Database, scope: Scope) -> str:
    """Changes whenever a problem of the scope changes: its newest event and problem ids."""
    if scope.kind == "all":
        row = await db.fetchone(
            "SELECT (SELECT max(id) FROM problem_events), (SELECT max(id) FROM problems)"
        )
    else:
        where, params = viewable(scope)
        row = await db.fetchone(
            "SELECT max(ev.id), max(p.id) FROM problems p"
            " JOIN enterprises e ON e.id = p.enterprise_id"
            f" JOIN problem_events ev ON ev.problem_id = p.id WHERE {where}",
            params,
        )
    return f"{row[0] or 0}.{row[1] or 0}" if row else "0.0"


# ---- choices for the filter form ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Choice:
    id: int
    name: str


async def teams_in_scope(db: Database, scope: Scope) -> list[Choice]:
    params = scope_filter(scope)[1]
    if scope.kind == "all":
        rows = await db.fetchall("SELECT id, name FROM teams ORDER BY name")
    elif scope.kind == "team":
        rows = await db.fetchall(
            "SELECT id, name FROM teams WHERE id IN (SELECT value FROM json_each(:ids))"
            " ORDER BY name",
            params,
        )
    else:
        return []
    return [Choice(int(r[0]), str(r[1])) for r in rows]


async def departments_in_scope(db: Database, scope: Scope) -> list[Choice]:
    """Departments one may filter by: those that worked a problem of the scope (none for a
    department, whose list is its own already)."""
    if scope.kind == "department":
        return []
    where, params = scope_filter(scope)
    rows = await db.fetchall(
        "SELECT d.id, d.name FROM departments d WHERE d.id IN (SELECT x.department_id"
        " FROM dispatches x JOIN problems p ON p.id = x.problem_id"
        f" JOIN enterprises e ON e.id = p.enterprise_id WHERE {where}) ORDER BY d.name",
        params,
    )
    return [Choice(int(r[0]), str(r[1])) for r in rows]


async def envoys_in_scope(
    db: Database, scope: Scope, team_id: int | None, limit: int
) -> list[Choice] | None:
    """Envoys one may filter by (of a team when given); None when more than ``limit``."""
    params: dict[str, Any] = {"limit": limit + 1}
    conditions = []
    if scope.kind == "team":
        conditions.append("v.team_id IN (SELECT value FROM json_each(:ids))")
        params["ids"] = scope_filter(scope)[1]["ids"]
    elif scope.kind != "all":
        return []
    if team_id is not None:
        conditions.append("v.team_id = :team")
        params["team"] = team_id
    where = " WHERE " + " AND ".join(conditions) if conditions else ""
    rows = await db.fetchall(
        f"SELECT v.id, v.name FROM envoys v{where} ORDER BY v.name LIMIT :limit", params
    )
    if len(rows) > limit:
        return None
    return [Choice(int(r[0]), str(r[1])) for r in rows]


async def enterprises_in_scope(
    db: Database, scope: Scope, team_id: int | None, envoy_id: int | None, limit: int
) -> list[Choice] | None:
    """Enterprises one may filter by; None when more than ``limit`` (then: search by name)."""
    params: dict[str, Any] = {"limit": limit + 1}
    conditions = []
    if scope.kind == "team":
        conditions.append("e.team_id IN (SELECT value FROM json_each(:ids))")
    elif scope.kind == "enterprise":
        conditions.append("e.id IN (SELECT value FROM json_each(:ids))")
    elif scope.kind == "envoy":
        conditions.append(
            "e.id IN (SELECT enterprise_id FROM assignments WHERE envoy_id IN"
            " (SELECT value FROM json_each(:ids)))"
        )
    elif scope.kind == "department":
        conditions.append(
            f"e.id IN (SELECT p.enterprise_id FROM problems p WHERE {_DEPARTMENT_OPEN})"
        )
    elif scope.kind != "all":
        return []  # a kind this does not know offers no menu rather than every name
    if scope.kind != "all":
        params["ids"] = scope_filter(scope)[1]["ids"]
    if team_id is not None:
        conditions.append("e.team_id = :team")
        params["team"] = team_id
    if envoy_id is not None:
        conditions.append(f"e.id IN {_ASSIGNED.format(name='envoy')}")
        params["envoy"] = envoy_id
    where = " WHERE " + " AND ".join(conditions) if conditions else ""
    rows = await db.fetchall(
        f"SELECT e.id, e.name FROM enterprises e{where} ORDER BY e.name LIMIT :limit", params
    )
    if len(rows) > limit:
        return None
    return [Choice(int(r[0]), str(r[1])) for r in rows]


async def name_of(db: Database, table: str, ident: int) -> str | None:
    """The name of a team, envoy, enterprise or department (a filter's label)."""
    if table not in ("teams", "envoys", "enterprises", "departments"):
        raise ValueError(table)
    row = await db.fetchone(f"SELECT name FROM {table} WHERE id = ?", (ident,))
    return str(row[0]) if row else None


# ---- figures in SQL -----------------------------------------------------------------------

_COUNT_COLUMNS = (
    "count(*) FILTER (WHERE p.state != 'withdrawn'),"
    " count(*) FILTER (WHERE p.state = 'closed'),"
    " count(*) FILTER (WHERE p.state = 'resolved'),"
    f" count(*) FILTER (WHERE p.state IN {OPEN}),"
    " count(*) FILTER (WHERE p.state = 'registered'),"
    f" count(*) FILTER (WHERE p.state IN {OPEN} AND p.due_at < :now),"
    " count(*) FILTER (WHERE p.state = 'withdrawn')"
)


def _counts(row: Sequence[Any], start: int = 1) -> Counts:
    c = [int(v or 0) for v in row[start : start + 7]]
    return Counts(
        collected=c[0],
        closed=c[1],
        waiting=c[2],
        in_progress=c[3],
        unaccepted=c[4],
        overdue=c[5],
        withdrawn=c[6],
    )


@dataclass(frozen=True, slots=True)
class FigureRows:
    """The aggregates the figures page is built from."""

    counts: Counts
    resolved: int
    on_time: int
    durations: list[float]  # seconds from registration to resolution, ascending
    satisfaction_avg: float | None
    ratings: int
    groups: dict[str, list[tuple[Any, Counts]]]


def _scoped(scope: Scope, since: datetime | None, now: datetime) -> tuple[str, dict[str, Any]]:
    where, params = scope_filter(scope)
    params["now"] = to_db(now)
    if since is not None:
        where += " AND p.registered_at >= :since"
        params["since"] = to_db(since)
    return where, params


def _add(a: Counts, b: Counts) -> Counts:
    return Counts(*(x + y for x, y in zip(_tuple(a), _tuple(b), strict=True)))


def _tuple(c: Counts) -> tuple[int, ...]:
    return (c.collected, c.closed, c.waiting, c.in_progress, c.unaccepted, c.overdue, c.withdrawn)


def _summed(pairs: Sequence[tuple[Any, Counts]]) -> list[tuple[Any, Counts]]:
    """Counts of equal keys added up, in first-seen order."""
    found: dict[Any, Counts] = {}
    for key, counts in pairs:
        found[key] = _add(found[key], counts) if key in found else counts
    return list(found.items())


async def figure_rows(
    db: Database, scope: Scope, since: datetime | None, now: datetime
) -> FigureRows:
    """Counts overall and by category, tier, team and envoy, resolve times, ratings.

    SQLite groups by sorting, so every grouping is a sort of the scope's problems: category
    and tier share one (and give the totals), team and envoy have one each.
    """
    where, params = _scoped(scope, since, now)
    live = "p.state != 'withdrawn'"
    rows = await db.fetchall_long(
        f"SELECT p.category, p.tier, {_COUNT_COLUMNS},"
        f" count(*) FILTER (WHERE {live} AND p.resolved_at IS NOT NULL),"
        f" count(*) FILTER (WHERE {live} AND p.resolved_at <= p.due_at),"
        f" total(p.satisfaction) FILTER (WHERE {live}),"
        f" count(p.satisfaction) FILTER (WHERE {live})"
        f"{_from(where)} WHERE {where} GROUP BY 1, 2",
        params,
    )
    pairs = [(r[0], r[1], _counts(r, 2)) for r in rows]
    total = Counts()
    for _, _, counts in pairs:
        total = _add(total, counts)
    resolved = sum(int(r[9] or 0) for r in rows)
    on_time = sum(int(r[10] or 0) for r in rows)
    rating_sum = sum(float(r[11] or 0) for r in rows)
    ratings = sum(int(r[12] or 0) for r in rows)
    groups: dict[str, list[tuple[Any, Counts]]] = {
        "category": _summed([(cat, c) for cat, _, c in pairs]),
        "tier": _summed([(tier, c) for _, tier, c in pairs]),
    }
    rows = await db.fetchall_long(
        f"SELECT e.team_id, {_COUNT_COLUMNS}{_from(where, 'e.team_id')} WHERE {where} GROUP BY 1",
        params,
    )
    groups["team"] = [(r[0], _counts(r)) for r in rows]
    groups["envoy"] = await _envoy_groups(db, scope, where, params)
    durations = sorted(
        float(r[0])
        for r in await db.fetchall_long(
            "SELECT (julianday(p.resolved_at) - julianday(p.registered_at)) * 86400"
            f"{_from(where)} WHERE {where} AND {live} AND p.resolved_at IS NOT NULL",
            params,
        )
    )
    return FigureRows(
        counts=total,
        resolved=resolved,
        on_time=on_time,
        durations=durations,
        satisfaction_avg=rating_sum / ratings if ratings else None,
        ratings=ratings,
        groups=groups,
    )


async def _envoy_groups(
    db: Database, scope: Scope, where: str, params: dict[str, Any]
) -> list[tuple[Any, Counts]]:
    """Per envoy as domain.stats.envoy_keys counts: the acceptor, else each assigned envoy."""
    accepted = await db.fetchall_long(
        f"SELECT p.envoy_id, {_COUNT_COLUMNS}{_from(where)}"
        f" WHERE p.envoy_id IS NOT NULL AND {where} GROUP BY 1",
        params,
    )
    waiting = await db.fetchall_long(
        f"SELECT a.envoy_id, {_COUNT_COLUMNS}{_from(where)}"
        " LEFT JOIN assignments a ON a.enterprise_id = p.enterprise_id"
        f" WHERE p.envoy_id IS NULL AND {where} GROUP BY 1",
        params,
    )
    pairs = [(r[0], _counts(r)) for r in [*accepted, *waiting]]
    if scope.kind == "envoy":
        pairs = [(k, c) for k, c in pairs if k in scope.ids]
    return _summed(pairs)


async def trend_rows(
    db: Database, scope: Scope, starts: Sequence[datetime], ends: Sequence[datetime]
) -> list[tuple[int, int, int]]:
    """Per week (collected, closed, overdue at its end), as domain.stats.weekly_trend."""
    where, params = scope_filter(scope)
    weeks = len(starts)
    for i, (s, e) in enumerate(zip(starts, ends, strict=True)):
        params[f"s{i}"], params[f"e{i}"] = to_db(s), to_db(e)
    week_of = (
        "CASE "
        + " ".join(f"WHEN {{col}} >= :s{i} AND {{col}} < :e{i} THEN {i}" for i in range(weeks))
        + " END"
    )
    base = (
        " FROM problems p JOIN enterprises e ON e.id = p.enterprise_id"
        f" WHERE p.state != 'withdrawn' AND {where}"
    )
    collected = await db.fetchall_long(
        f"SELECT {week_of.format(col='p.registered_at')} AS w, count(*){base}"
        " AND p.registered_at >= :s0 GROUP BY w",
        params,
    )
    closed = await db.fetchall_long(
        f"SELECT {week_of.format(col='p.closed_at')} AS w, count(*){base}"
        " AND p.state = 'closed' AND p.closed_at >= :s0 GROUP BY w",
        params,
    )
    overdue_cols = ", ".join(
        f"count(*) FILTER (WHERE p.due_at < :e{i}"
        f" AND (p.resolved_at IS NULL OR p.resolved_at > :e{i}))"
        for i in range(weeks)
    )
    overdue = await db.fetchall_long(
        f"SELECT {overdue_cols}{base} AND p.due_at < :e{weeks - 1}", params
    )
    per_collected = {r[0]: int(r[1]) for r in collected if r[0] is not None}
    per_closed = {r[0]: int(r[1]) for r in closed if r[0] is not None}
    late = [int(v or 0) for v in overdue[0]] if overdue else [0] * weeks
    return [(per_collected.get(i, 0), per_closed.get(i, 0), late[i]) for i in range(weeks)]
