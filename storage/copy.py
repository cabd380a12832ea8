"""Every table of one database into another, either engine to either: `envoybot db copy`.

The source is read inside one write transaction (a consistent picture; a running bot waits
meanwhile) and the target written in one transaction (all or nothing). Tables go in the order
their foreign keys need; a cycle (a team's lead is an envoy of the team) is broken by writing
the later reference after the rows it points to. Counts are compared table by table.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from storage.db import Connection, Database

logger = logging.getLogger(__name__)

BATCH = 2000
KEEPERS = frozenset({"envoybot_schema"})  # the engines' own bookkeeping, not data


class CopyRefused(Exception):
    """The copy must not run (a target with data, different schemas) or did not add up."""

    def __init__(self, key: str, **args: object) -> None:
        super().__init__(key)
        self.key = key
        self.args_map = args


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    columns: tuple[str, ...]
    key: tuple[str, ...]  # primary key columns, the copy's order
    refs: tuple[tuple[str, str], ...]  # (column, referenced table)
    nullable: frozenset[str] = frozenset()


async def _sqlite_table(conn: Connection, name: str) -> Table:
    info = await conn.execute_fetchall(f"PRAGMA table_info({name})")
    columns = tuple(str(r["name"]) for r in info)
    key = tuple(str(r["name"]) for r in sorted(info, key=lambda r: r["pk"]) if r["pk"])
    fks = await conn.execute_fetchall(f"PRAGMA foreign_key_list({name})")
    refs = tuple((str(r["from"]), str(r["table"]).lower()) for r in fks)
    nullable = frozenset(str(r["name"]) for r in info if not r["notnull"] and not r["pk"])
    return Table(name, columns, key or columns, refs, nullable)


async def _pg_table(conn: Connection, name: str) -> Table:
    info = await conn.execute_fetchall(
        "SELECT column_name, is_nullable FROM information_schema.columns"
        " WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position",
        (name,),
    )
    columns = tuple(str(r[0]) for r in info)
    keys = await conn.execute_fetchall(
        "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid"
        " AND a.attnum = ANY(i.indkey)"
        " WHERE i.indrelid = CAST(CAST(? AS TEXT) AS regclass) AND i.indisprimary",
        (name,),
    )
    fks = await conn.execute_fetchall(
        "SELECT kcu.column_name, ccu.table_name FROM information_schema.table_constraints tc"
        " JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name"
        " AND kcu.table_schema = tc.table_schema"
        " JOIN information_schema.constraint_column_usage ccu"
        " ON ccu.constraint_name = tc.constraint_name AND ccu.table_schema = tc.table_schema"
        " WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_name = ?"
        " AND tc.table_schema = current_schema()",
        (name,),
    )
    key = tuple(c for c in columns if c in {str(r[0]) for r in keys})
    refs = tuple((str(r[0]), str(r[1])) for r in fks)
    nullable = frozenset(str(r[0]) for r in info if r[1] == "YES")
    return Table(name, columns, key or columns, refs, nullable)


async def _describe(db: Database, conn: Connection) -> dict[str, Table]:
    if db.engine == "postgresql":
        sql = (
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        )
        read = _pg_table
    else:
        sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        read = _sqlite_table
    names = sorted(str(r[0]) for r in await conn.execute_fetchall(sql))
    return {n: await read(conn, n) for n in names if n not in KEEPERS}


def _on_cycle(table: Table, remaining: dict[str, Table]) -> bool:
    """Whether the table's references lead back to it: only such a table may wait for its
    rows (a table merely downstream of a cycle, such as accounts, waits its turn instead)."""
    seen: set[str] = set()
    todo = [ref for _, ref in table.refs if ref != table.name]
    while todo:
        name = todo.pop()
        if name == table.name:
            return True
        if name in seen or name not in remaining:
            continue
        seen.add(name)
        todo += [ref for _, ref in remaining[name].refs if ref != name]
    return False


def _order(tables: dict[str, Table]) -> list[tuple[Table, tuple[str, ...]]]:
    """Tables so that each one's references are written first; with each, the columns whose
    rows are not there yet (written as NULL, then filled in once everything is in)."""
    done: set[str] = set()
    out: list[tuple[Table, tuple[str, ...]]] = []
    remaining = dict(tables)
    while remaining:
        ready = sorted(
            n
            for n, t in remaining.items()
            if all(ref in done or ref == n or ref not in tables for _, ref in t.refs)
        )
        if ready:
            name = ready[0]
            table = remaining.pop(name)
            out.append((table, ()))
        else:  # a cycle: a table whose missing references may wait as NULL goes first

            def missing(t: Table) -> tuple[str, ...]:
                return tuple(c for c, ref in t.refs if ref not in done and ref != t.name)

            able = [
                t
                for t in remaining.values()
                if set(missing(t)) <= t.nullable and _on_cycle(t, remaining)
            ]
            if not able:
                raise CopyRefused("db-copy-cycle", tables=", ".join(sorted(remaining)))
            table = min(able, key=lambda t: (len(missing(t)), t.name))
            name = table.name
            out.append((remaining.pop(name), missing(table)))
        done.add(name)
    return out


async def _count(conn: Connection, table: str) -> int:
    rows = await conn.execute_fetchall(f"SELECT COUNT(*) FROM {table}")
    return int(rows[0][0])


Progress = Callable[[str, int], None]


async def copy_database(
    source: Database, target: Database, *, progress: Progress | None = None
) -> dict[str, int]:
    """Copy every row of source into the empty target; rows per table (equal on both sides)."""
    for db in (source, target):
        await db.ensure_open()
    if (await source.migrate()) != (await target.migrate()):
        raise CopyRefused("db-copy-versions")
    async with source.transaction() as src, target.transaction() as dst:
        tables = await _describe(source, src)
        theirs = await _describe(target, dst)
        if set(tables) != set(theirs):
            raise CopyRefused(
                "db-copy-schemas", tables=", ".join(sorted(set(tables) ^ set(theirs)))
            )
        for name in sorted(theirs):
            if await _count(dst, name):
                raise CopyRefused("db-copy-not-empty", table=name)
        counts: dict[str, int] = {}
        fills: list[tuple[Table, tuple[str, ...]]] = []
        for table, later in _order(tables):
            counts[table.name] = await _copy_table(src, dst, table, later, progress)
            if later:
                fills.append((table, later))
        for table, later in fills:
            await _fill_later(src, dst, table, later)
        for name, expected in counts.items():
            got = await _count(dst, name)
            if got != expected or got != await _count(src, name):
                raise CopyRefused("db-copy-mismatch", table=name, source=expected, target=got)
    logger.info("copied %s rows in %s tables", sum(counts.values()), len(counts))
    return counts


async def _copy_table(
    src: Connection,
    dst: Connection,
    table: Table,
    later: tuple[str, ...],
    progress: Progress | None,
) -> int:
    columns = ", ".join(table.columns)
    order = ", ".join(table.key)
    marks = ", ".join("?" * len(table.columns))
    insert = f"INSERT INTO {table.name} ({columns}) VALUES ({marks})"
    blank = [i for i, c in enumerate(table.columns) if c in later]
    copied = 0
    while True:
        rows = await src.execute_fetchall(
            f"SELECT {columns} FROM {table.name} ORDER BY {order} LIMIT ? OFFSET ?",
            (BATCH, copied),
        )
        if not rows:
            return copied
        values = [list(r) for r in rows]
        for row in values:
            for i in blank:
                row[i] = None
        await dst.executemany(insert, values)
        copied += len(rows)
        if progress is not None:
            progress(table.name, len(rows))


async def _fill_later(
    src: Connection, dst: Connection, table: Table, later: tuple[str, ...]
) -> None:
    """The references a cycle held back, now that the rows they point to exist."""
    keys = " AND ".join(f"{k} = ?" for k in table.key)
    sets = ", ".join(f"{c} = ?" for c in later)
    rows = await src.execute_fetchall(
        f"SELECT {', '.join(later + table.key)} FROM {table.name}"
        f" WHERE {' OR '.join(f'{c} IS NOT NULL' for c in later)}"
    )
    if rows:
        await dst.executemany(
            f"UPDATE {table.name} SET {sets} WHERE {keys}", [tuple(r) for r in rows]
        )
