"""PostgreSQL behind the same Database/Connection API the repositories use (asyncpg, a pool).

Statements go through storage.dialect. A write transaction starts by taking one
transaction-scoped advisory lock, so write transactions run one at a time across every
instance, exactly as SQLite's BEGIN IMMEDIATE makes them: the read-then-write steps the
repositories rely on (a problem's number, a version check followed by its event) keep their
meaning. Reads need no lock and run in parallel on the pool. Blocks whose rows are claimed
(FOR UPDATE SKIP LOCKED: the outbox, the clocks) or versioned (conversation state) ask for no
turn (``transaction(serial=False)``).

One update is one transaction (update_session): it starts by taking the chat's advisory lock,
so updates of one chat run one after another on whichever instance they arrive; every
statement of the update runs on that connection (a block of it is a savepoint); its owed
messages, its replies, its conversation step and the chat's update mark commit together. An
instance killed in the middle leaves nothing of the update, which Telegram sends again.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import re
import sqlite3
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from contextvars import ContextVar
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

import asyncpg

from storage import dialect
from storage.db import SESSIONS, Connection, Cursor, Database, Params, _migrations, instance_name

logger = logging.getLogger(__name__)

POOL_SIZE = 20
LOCK_SPACE = 0x656E7679  # the first key of every named advisory lock of envoybot
WRITE_LOCK = 1
MIGRATE_LOCK = 2
NAMED_LOCKS = {"clock": 3}
_WRITE_TURN = f"SELECT pg_advisory_xact_lock({LOCK_SPACE}, {WRITE_LOCK})"
_BEGIN = f"BEGIN; {_WRITE_TURN}"
_SCHEMA = "CREATE TABLE IF NOT EXISTS envoybot_schema (version INTEGER NOT NULL)"


class _TaskLock:
    """A lock its holding task may take again (a block of an update calling a read)."""

    def __init__(self) -> None:
        self._lock = asyncio.Lock()
        self._owner: asyncio.Task[Any] | None = None

    @asynccontextmanager
    async def hold(self) -> AsyncIterator[None]:
        task = asyncio.current_task()
        if task is not None and self._owner is task:
            yield
            return
        async with self._lock:
            self._owner = task
            try:
                yield
            finally:
                self._owner = None


class PgSession:
    """One update's connection and transaction."""

    def __init__(self, db: PgDatabase, raw: asyncpg.Connection) -> None:
        self.db = db
        self.raw = raw
        self.open = True
        self.serial = False  # has taken its turn among all writers
        self.lock = _TaskLock()
        self._savepoints = itertools.count(1)

    def savepoint(self) -> str:
        return f"sp{next(self._savepoints)}"


_SESSION: ContextVar[PgSession | None] = ContextVar("envoybot_pg_session", default=None)


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

    @property
    def instance(self) -> str:
        return self._db.instance

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
        self.instance = instance_name()
        self.pool_size = pool_size
        self._pool: asyncpg.Pool | None = None
        self._sessions: asyncpg.Pool | None = None
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
            self._sessions = await asyncpg.create_pool(
                self.path, min_size=0, max_size=SESSIONS + 1, init=_prepare
            )
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
        if self._sessions is not None:
            sessions, self._sessions = self._sessions, None
            await sessions.close()
        if self._pool is not None:
            pool, self._pool = self._pool, None
            await pool.close()

    def _session(self) -> PgSession | None:
        found = _SESSION.get()
        return found if found is not None and found.open and found.db is self else None

    @asynccontextmanager
    async def update_session(self, chat_key: int | None) -> AsyncIterator[None]:
        """One update as one transaction, after the chat's turn (see the module's text)."""
        if self._sessions is None:
            raise RuntimeError("database is not open")
        async with self._sessions.acquire() as raw:
            session = PgSession(self, raw)
            token = _SESSION.set(session)
            try:
                turn = (
                    "" if chat_key is None else f"; SELECT pg_advisory_xact_lock({int(chat_key)})"
                )
                await raw.execute(f"BEGIN{turn}")  # one round trip
                yield
            except BaseException:
                session.open = False
                _SESSION.reset(token)
                with contextlib.suppress(Exception):
                    await raw.execute("ROLLBACK")
                raise
            async with session.lock.hold():
                session.open = False
            _SESSION.reset(token)
            await raw.execute("COMMIT")

    @asynccontextmanager
    async def exclusive(self, name: str) -> AsyncIterator[bool]:
        """True to the one instance that holds the named lock now; False to the others."""
        async with self.pool.acquire() as raw:
            key = NAMED_LOCKS[name]
            got = bool(await raw.fetchval("SELECT pg_try_advisory_lock($1, $2)", LOCK_SPACE, key))
            try:
                yield got
            finally:
                if got:
                    await raw.execute("SELECT pg_advisory_unlock($1, $2)", LOCK_SPACE, key)

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
    async def transaction(
        self, *, serial: bool = True, nested: bool = True
    ) -> AsyncIterator[Connection]:
        """A write transaction, serialised with every other one (BEGIN IMMEDIATE's meaning)
        unless ``serial`` is False; inside an update, a savepoint of the update's (or, not
        ``nested``, the update's transaction itself: a failure undoes the whole update)."""
        session = self._session()
        if session is not None:
            async with session.lock.hold():
                if serial and not session.serial:  # taken outside the savepoint: it stays
                    await session.raw.execute(_WRITE_TURN)
                    session.serial = True
                if not nested:
                    yield PgConnection(session.raw, self)
                    return
                name = session.savepoint()
                await session.raw.execute(f"SAVEPOINT {name}")
                try:
                    yield PgConnection(session.raw, self)
                except BaseException:
                    await session.raw.execute(f"ROLLBACK TO SAVEPOINT {name}")
                    raise
                else:
                    await session.raw.execute(f"RELEASE SAVEPOINT {name}")
            return
        async with self.pool.acquire() as raw:
            await raw.execute(_BEGIN if serial else "BEGIN")
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
        args = statement.args(params)
        session = self._session()
        if session is not None:
            async with session.lock.hold():
                rows = await session.raw.fetch(statement.sql, *args)
        else:
            rows = await self.pool.fetch(statement.sql, *args)
        return cast(list[sqlite3.Row], rows)

    async def fetchall_long(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        """Long reads need no thread of their own: the server works while the loop goes on."""
        return await self.fetchall(sql, params)

    async def fetchone(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        rows = await self.fetchall(sql, params)
        return rows[0] if rows else None

    async def execute(self, sql: str, params: Params = (), *, serial: bool = True) -> int:
        async with self.transaction(serial=serial) as conn:
            cur = await conn.execute(sql, params)
            return cur.lastrowid or 0

    async def executemany(self, sql: str, rows: Iterable[Params], *, serial: bool = True) -> None:
        async with self.transaction(serial=serial) as conn:
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
