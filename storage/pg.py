"""PostgreSQL behind the same Database/Connection API the repositories use (asyncpg, a pool).

Statements go through storage.dialect. A write transaction starts by taking one
transaction-scoped advisory lock, so write transactions run one at a time across every
instance, exactly as SQLite's BEGIN IMMEDIATE makes them: the read-then-write steps the
repositories rely on (a problem's number, a claim, a version check followed by its event)
keep their meaning. Reads need no lock and run in parallel on the pool. Row locks with
SKIP LOCKED (the outbox's and the clocks' claims) share out work without waiting.
"""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

import asyncpg

from storage import dialect
from storage.db import Connection, Cursor, Database, Params, _migrations

logger = logging.getLogger(__name__)

POOL_SIZE = 20
LOCK_SPACE = 0x656E7679  # the first key of every named advisory lock of envoybot
WRITE_LOCK = 1
MIGRATE_LOCK = 2
_BEGIN = f"BEGIN; SELECT pg_advisory_xact_lock({LOCK_SPACE}, {WRITE_LOCK})"
_SCHEMA = "CREATE TABLE IF NOT EXISTS envoybot_schema (version INTEGER NOT NULL)"


class PgIntegrityError(sqlite3.IntegrityError):
    """A constraint PostgreSQL refused; the same exception type the repositories catch."""


def _numeric(text: str) -> int | float:
    """SUM and AVG give numeric: back to int or float, as SQLite returns them."""
    value = Decimal(text)
    return int(value) if value == value.to_integral_value() else float(value)


async def _prepare(raw: asyncpg.Connection) -> None:
    await raw.set_type_codec(
        "numeric", encoder=str, decoder=_numeric, schema="pg_catalog", format="text"
    )


def _rowcount(status: str) -> int:
    """asyncpg's command tag ("UPDATE 3", "INSERT 0 1") as a row count."""
    tail = status.rsplit(" ", 1)[-1]
    return int(tail) if tail.isdigit() else -1


class PgCursor(Cursor):
    """A finished statement: its rowcount, lastrowid and rows."""

    __slots__ = ("_rows",)

    def __init__(self, rows: list[Any], rowcount: int, lastrowid: int | None) -> None:
        self._rows = rows
        self.rowcount = rowcount
        self.lastrowid = lastrowid

    async def fetchone(self) -> sqlite3.Row | None:
        return cast(sqlite3.Row, self._rows[0]) if self._rows else None

    async def fetchall(self) -> list[sqlite3.Row]:
        return list(self._rows)


class PgConnection(Connection):
    """One pooled connection inside a transaction, speaking the repositories' SQL."""

    def __init__(self, raw: asyncpg.Connection, db: PgDatabase) -> None:
        self._pg = raw
        self._db = db

    @property
    def in_transaction(self) -> bool:
        return bool(self._pg.is_in_transaction())

    async def execute(self, sql: str, params: Params = ()) -> Cursor:
        statement = dialect.postgres(sql)
        args = statement.args(params)
        with_id = not statement.rows and statement.table in self._db.id_tables
        try:
            if statement.rows or with_id:
                text = self._db.returning_id(statement.sql) if with_id else statement.sql
                rows = await self._pg.fetch(text, *args)
                last = rows[-1]["id"] if rows and (with_id or "id" in rows[-1]) else None
                await self._given_ids(statement)
                return PgCursor(rows, len(rows), last)
            status = await self._pg.execute(statement.sql, *args)
        except asyncpg.IntegrityConstraintViolationError as exc:
            raise PgIntegrityError(str(exc)) from exc
        await self._given_ids(statement)
        return PgCursor([], _rowcount(status), None)

    async def _given_ids(self, statement: dialect.Statement) -> None:
        """Ids given by the INSERT itself: later ones continue after them, as SQLite's do."""
        if statement.explicit_id and statement.table in self._db.id_tables:
            table = statement.table
            await self._pg.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                f" COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            )

    async def execute_fetchall(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        statement = dialect.postgres(sql)
        try:
            rows = await self._pg.fetch(statement.sql, *statement.args(params))
        except asyncpg.IntegrityConstraintViolationError as exc:
            raise PgIntegrityError(str(exc)) from exc
        return cast(list[sqlite3.Row], rows)

    async def executemany(self, sql: str, rows: Iterable[Params]) -> Cursor:
        statement = dialect.postgres(sql)
        batch = [statement.args(r) for r in rows]
        if batch:
            try:
                await self._pg.executemany(statement.sql, batch)
            except asyncpg.IntegrityConstraintViolationError as exc:
                raise PgIntegrityError(str(exc)) from exc
            await self._given_ids(statement)
        return PgCursor([], len(batch), None)

    async def executescript(self, script: str) -> None:
        await self._pg.execute(dialect.postgres_ddl(script))

    def close(self) -> None:
        """Pooled: the pool closes it."""


_PASSWORD = re.compile(r"(://[^:/@]*:)[^@]*@")


class PgDatabase(Database):
    """A pool of connections to one PostgreSQL database, shared by any number of instances."""

    engine = "postgresql"
    shared = True

    def __init__(self, path: str | Path, *, pool_size: int = POOL_SIZE) -> None:
        self.path = str(path)
        self.pool_size = pool_size
        self._pool: asyncpg.Pool | None = None
        self._open_lock = asyncio.Lock()
        self.id_tables: frozenset[str] = frozenset()
        self._with_id: dict[str, str] = {}

    @property
    def label(self) -> str:
        return _PASSWORD.sub(r"\1***@", self.path)

    @property
    def pool(self) -> asyncpg.Pool:
        if self._pool is None:
            raise RuntimeError("database is not open")
        return self._pool

    @property
    def is_open(self) -> bool:
        return self._pool is not None

    @property
    def conn(self) -> Connection:
        raise RuntimeError("a PostgreSQL database has no single connection: use transaction()")

    async def ensure_open(self) -> None:
        async with self._open_lock:
            if self._pool is None:
                await self.open()

    async def open(self) -> None:
        """Connect the pool and bring the schema up to date."""
        self._pool = await asyncpg.create_pool(
            self.path, min_size=1, max_size=self.pool_size, init=_prepare
        )
        try:
            await self.migrate()
            rows = await self._pool.fetch(
                "SELECT table_name FROM information_schema.columns"
                " WHERE table_schema = current_schema() AND column_name = 'id'"
            )
            self.id_tables = frozenset(str(r[0]) for r in rows)
        except BaseException:
            await self.close()
            raise

    async def close(self) -> None:
        if self._pool is not None:
            pool, self._pool = self._pool, None
            await pool.close()

    def returning_id(self, sql: str) -> str:
        """An INSERT into a table with an id, answering that id (SQLite's lastrowid)."""
        found = self._with_id.get(sql)
        if found is None:
            found = self._with_id[sql] = f"{sql} RETURNING id"
        return found

    async def migrate(self) -> int:
        """Apply every shipped migration newer than the stored version, each atomically;
        instances starting together take turns."""
        current = 0
        for version, name, sql in _migrations():
            async with self.pool.acquire() as raw, raw.transaction():
                await raw.execute(f"SELECT pg_advisory_xact_lock({LOCK_SPACE}, {MIGRATE_LOCK})")
                await raw.execute(_SCHEMA)
                current = int(await raw.fetchval("SELECT max(version) FROM envoybot_schema") or 0)
                if version <= current:
                    continue
                logger.info("applying migration %s", name)
                await raw.execute(dialect.postgres_ddl(sql))
                await raw.execute("DELETE FROM envoybot_schema")
                await raw.execute("INSERT INTO envoybot_schema (version) VALUES ($1)", version)
                current = version
        return current

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Connection]:
        """A write transaction, serialised with every other one (BEGIN IMMEDIATE's meaning)."""
        async with self.pool.acquire() as raw:
            await raw.execute(_BEGIN)
            try:
                yield PgConnection(raw, self)
            except BaseException:
                await raw.execute("ROLLBACK")
                raise
            else:
                await raw.execute("COMMIT")

    @asynccontextmanager
    async def session(self) -> AsyncIterator[asyncpg.Connection]:
        """A connection of its own for a while (an advisory lock held across statements)."""
        async with self.pool.acquire() as raw:
            yield raw

    async def fetchall(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        statement = dialect.postgres(sql)
        rows = await self.pool.fetch(statement.sql, *statement.args(params))
        return cast(list[sqlite3.Row], rows)

    async def fetchall_long(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        """Long reads need no thread of their own: the server works while the loop goes on."""
        return await self.fetchall(sql, params)

    async def fetchone(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        statement = dialect.postgres(sql)
        row = await self.pool.fetchrow(statement.sql, *statement.args(params))
        return cast(sqlite3.Row | None, row)

    async def execute(self, sql: str, params: Params = ()) -> int:
        async with self.transaction() as conn:
            cur = await conn.execute(sql, params)
            return cur.lastrowid or 0

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        async with self.transaction() as conn:
            await conn.executemany(sql, rows)

    async def backup(self, target: str | Path) -> None:
        """A consistent copy into an SQLite file (pg_dump is the server's own tool)."""
        from storage.copy import copy_database

        async with Database(target) as copy:
            await copy_database(self, copy)

    async def tables(self) -> Sequence[str]:
        rows = await self.pool.fetch(
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        )
        return sorted(str(r[0]) for r in rows)
