"""The bot's database: SQLite by default (WAL, foreign keys, versioned migrations, statements
on the loop's thread); ``ENVOYBOT_DB=postgresql://…`` gives PostgreSQL (storage/pg.py) behind
the same Database and Connection API, the SQL translated by storage/dialect.py.

Every short statement runs directly on the event loop's thread. A trip to aiosqlite's worker
thread costs about 85 µs of CPU and a GIL hand-off, against 2–20 µs for the statement itself;
an accept press made 15 such trips and they were half of the bot's CPU (benchmarks/README.md).
Long reads (figures over a whole province, the export) and WAL checkpoints, which can take
longer than a loop should ever stall, go to a second connection on aiosqlite's thread.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import socket
import sqlite3
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import aiosqlite

from storage import dialect

logger = logging.getLogger(__name__)

Params = Sequence[Any] | dict[str, Any]
SERVER_SCHEMES = ("postgresql://", "postgres://")
SESSIONS = 16  # on a server: updates in progress at once (each holds a connection of its own)


def instance_name() -> str:
    """This process among the instances sharing a database: host, process id, a random tail."""
    return f"{socket.gethostname()}-{os.getpid()}-{secrets.token_hex(3)}"


def is_server_url(path: str | Path) -> bool:
    """ENVOYBOT_DB names a PostgreSQL server rather than an SQLite file."""
    return str(path).startswith(SERVER_SCHEMES)


def to_db(when: datetime | None) -> str | None:
    """Store times as ISO-8601 UTC text so they sort and compare as strings."""
    if when is None:
        return None
    if when.tzinfo is None:
        raise ValueError("naive datetime given to storage")
    return when.astimezone(UTC).isoformat()


def from_db(text: str | None) -> datetime | None:
    """Read a time written by to_db."""
    if text is None:
        return None
    return datetime.fromisoformat(text)


def from_db_required(text: str) -> datetime:
    """Read a time that the schema says is NOT NULL."""
    value = datetime.fromisoformat(text)
    return value


async def one(conn: Connection, sql: str, params: Params = ()) -> sqlite3.Row | None:
    """Inside a transaction: the first row of a query."""
    rows = await conn.execute_fetchall(sql, params)
    return next(iter(rows), None)


BUSY_SECONDS = 5.0  # how long a statement waits for another connection's write lock
CHECKPOINT_EVERY = 200  # commits between WAL checkpoints, run off the loop
WORKER_CACHE_KIB = 64 * 1024  # page cache of the long-read connection (SQLite's default: 2 MiB)


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    return code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or "database is locked" in str(exc)


class Cursor:
    """A finished statement: its rowcount, lastrowid and rows (already computed)."""

    __slots__ = ("_cur", "lastrowid", "rowcount")

    def __init__(self, cur: sqlite3.Cursor) -> None:
        self._cur = cur
        self.rowcount = cur.rowcount
        self.lastrowid = cur.lastrowid

    async def fetchone(self) -> sqlite3.Row | None:
        row: sqlite3.Row | None = self._cur.fetchone()
        return row

    async def fetchall(self) -> list[sqlite3.Row]:
        return list(self._cur.fetchall())


class Connection:
    """The aiosqlite calls the repositories use, run on the calling (event loop) thread.

    Another process holding the write lock is waited for without blocking the loop: the
    connection's own busy timeout is 0 and a busy statement is retried after a short sleep.
    """

    def __init__(self, raw: sqlite3.Connection, owner: Database | None = None) -> None:
        self._raw = raw
        self._owner = owner

    @property
    def in_transaction(self) -> bool:
        return self._raw.in_transaction

    @property
    def instance(self) -> str:
        """The name of the instance writing (it delivers the outbox rows it writes)."""
        return self._owner.instance if self._owner is not None else ""

    async def _run(self, fn: Any, *args: Any) -> Any:
        try:
            return fn(*args)
        except sqlite3.OperationalError as exc:
            if not _is_busy(exc):
                raise
        loop = asyncio.get_running_loop()
        deadline = loop.time() + BUSY_SECONDS
        delay = 0.001
        while True:
            await asyncio.sleep(delay)
            try:
                return fn(*args)
            except sqlite3.OperationalError as exc:
                if not _is_busy(exc) or loop.time() > deadline:
                    raise
            delay = min(delay * 2, 0.05)

    async def execute(self, sql: str, params: Params = ()) -> Cursor:
        return Cursor(await self._run(self._raw.execute, dialect.sqlite(sql), params))

    async def execute_fetchall(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        cur = await self._run(self._raw.execute, dialect.sqlite(sql), params)
        return list(cur.fetchall())

    async def executemany(self, sql: str, rows: Iterable[Params]) -> Cursor:
        return Cursor(await self._run(self._raw.executemany, dialect.sqlite(sql), rows))

    async def executescript(self, script: str) -> None:
        await self._run(self._raw.executescript, script)

    def close(self) -> None:
        self._raw.close()


def _migrations() -> list[tuple[int, str, str]]:
    """List (version, name, sql) of the shipped migrations in order."""
    found: list[tuple[int, str, str]] = []
    for entry in resources.files("storage.migrations").iterdir():
        name = entry.name
        if not name.endswith(".sql"):
            continue
        version = int(name.split("_", 1)[0])
        found.append((version, name, entry.read_text(encoding="utf-8")))
    found.sort()
    versions = [v for v, _, _ in found]
    if len(set(versions)) != len(versions):  # two branches took the same number
        raise RuntimeError(f"two migrations share a version: {sorted(found)}")
    return found


class Database:
    """Serialises the short statements on one connection; every write runs in a transaction.

    ``Database(url)`` with a postgresql:// URL makes a storage.pg.PgDatabase instead.
    """

    engine = "sqlite"
    shared = False  # True: other instances may use the same database at the same time

    def __new__(cls, path: str | Path, *args: Any, **kwargs: Any) -> Database:
        if cls is Database and is_server_url(path):
            from storage.pg import PgDatabase

            return super().__new__(PgDatabase)
        return super().__new__(cls)

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self.instance = instance_name()
        self._conn: Connection | None = None
        self._worker: aiosqlite.Connection | None = None
        self._lock = asyncio.Lock()
        self._open_lock = asyncio.Lock()
        self._commits = 0
        self._checkpoint: asyncio.Task[None] | None = None

    @property
    def conn(self) -> Connection:
        if self._conn is None:
            raise RuntimeError("database is not open")
        return self._conn

    @property
    def is_open(self) -> bool:
        return self._conn is not None

    @property
    def label(self) -> str:
        """The database as logs may show it (a server's password left out)."""
        return self.path

    async def ensure_open(self) -> None:
        """Open once; PTB loads persistence before post_init, so both may ask."""
        async with self._open_lock:
            if self._conn is None:
                await self.open()

    async def open(self) -> None:
        """Connect, set pragmas and bring the schema up to date."""
        raw = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        raw.row_factory = sqlite3.Row
        conn = Connection(raw, self)
        try:
            await conn.execute("PRAGMA journal_mode=WAL")
            for pragma in ("foreign_keys=ON", "synchronous=NORMAL", "busy_timeout=0"):
                await conn.execute(f"PRAGMA {pragma}")
            # checkpoints run on the worker connection (see _committed), never on the loop
            await conn.execute("PRAGMA wal_autocheckpoint=0")
        except BaseException:
            raw.close()
            raise
        self._conn = conn
        try:
            self._worker = await aiosqlite.connect(self.path, isolation_level=None)
            self._worker.row_factory = sqlite3.Row
            await self._worker.execute(f"PRAGMA busy_timeout={int(BUSY_SECONDS * 1000)}")
            # the long reads join and group a province's problems: keep its pages in memory
            await self._worker.execute(f"PRAGMA cache_size=-{WORKER_CACHE_KIB}")
            await self.migrate()
        except BaseException:
            await self.close()
            raise

    async def close(self) -> None:
        if self._checkpoint is not None:
            await asyncio.gather(self._checkpoint, return_exceptions=True)
            self._checkpoint = None
        if self._worker is not None:
            await self._worker.close()
            self._worker = None
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    @property
    def worker(self) -> aiosqlite.Connection:
        if self._worker is None:
            raise RuntimeError("database is not open")
        return self._worker

    def _committed(self) -> None:
        """Every CHECKPOINT_EVERY commits, fold the WAL back into the file off the loop."""
        self._commits += 1
        if self._commits < CHECKPOINT_EVERY or self._worker is None:
            return
        if self._checkpoint is not None and not self._checkpoint.done():
            return
        self._commits = 0
        self._checkpoint = asyncio.get_running_loop().create_task(self._run_checkpoint())

    async def _run_checkpoint(self) -> None:
        try:
            await self.worker.execute("PRAGMA wal_checkpoint(PASSIVE)")
        except Exception:  # a later checkpoint catches up; nothing is lost by a failed one
            logger.warning("WAL checkpoint failed", exc_info=True)

    async def __aenter__(self) -> Database:
        await self.open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def migrate(self) -> int:
        """Apply every shipped migration newer than PRAGMA user_version, each atomically."""
        async with self._lock:
            cur = await self.conn.execute("PRAGMA user_version")
            row = await cur.fetchone()
            current = int(row[0]) if row else 0
            for version, name, sql in _migrations():
                if version <= current:
                    continue
                logger.info("applying migration %s", name)
                script = f"BEGIN IMMEDIATE;\n{sql}\nPRAGMA user_version = {version};\nCOMMIT;"
                try:
                    await self.conn.executescript(script)
                except Exception:
                    if self.conn.in_transaction:
                        await self.conn.execute("ROLLBACK")
                    raise
                current = version
            return current

    @asynccontextmanager
    async def exclusive(self, name: str) -> AsyncIterator[bool]:
        """Whether this instance holds the named lock (the clock's tick): always, with one
        process on an SQLite file; on a server only one instance at a time."""
        del name
        yield True

    @asynccontextmanager
    async def update_session(self, chat_key: int | None) -> AsyncIterator[None]:
        """Around one update: nothing here (one process owns an SQLite file); a server database
        runs the whole update as one transaction under the chat's lock (storage.pg)."""
        del chat_key
        yield

    @asynccontextmanager
    async def transaction(
        self, *, serial: bool = True, nested: bool = True
    ) -> AsyncIterator[Connection]:
        """Run a block of statements atomically (BEGIN IMMEDIATE … COMMIT / ROLLBACK).

        ``serial=False`` tells a server database that the block needs no turn among all
        writers (its rows are claimed or versioned); SQLite serialises every write anyway.
        ``nested=False``: inside an update on a server, the block needs no savepoint of its own
        (it is the update's last, and a failure undoes the whole update)."""
        del serial, nested
        async with self._lock:
            await self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                await self.conn.execute("ROLLBACK")
                raise
            else:
                await self.conn.execute("COMMIT")
                self._committed()

    async def fetchall(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        """A short query and its rows."""
        async with self._lock:
            return await self.conn.execute_fetchall(sql, params)

    async def fetchall_long(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        """A query over many rows (a province's figures): run off the loop, in WAL's snapshot
        of the last commit, while the short statements go on."""
        rows = await self.worker.execute_fetchall(dialect.sqlite(sql), params)
        return list(rows)

    async def fetchone(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        async with self._lock:
            rows = await self.conn.execute_fetchall(sql, params)
            return rows[0] if rows else None

    async def execute(self, sql: str, params: Params = (), *, serial: bool = True) -> int:
        """Run one statement in its own transaction; return lastrowid."""
        async with self.transaction(serial=serial) as conn:
            cur = await conn.execute(sql, params)
            return cur.lastrowid or 0

    async def executemany(self, sql: str, rows: Iterable[Params], *, serial: bool = True) -> None:
        async with self.transaction(serial=serial) as conn:
            await conn.executemany(sql, rows)

    async def tables(self) -> Sequence[str]:
        """The names of the schema's tables."""
        rows = await self.fetchall(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
        return sorted(str(r[0]) for r in rows)

    async def backup(self, target: str | Path) -> None:
        """SQLite online backup: consistent copy, safe while the bot runs."""
        async with self._lock:
            dest = sqlite3.connect(str(target))
            try:
                await self.worker.backup(dest)
            finally:
                dest.close()
