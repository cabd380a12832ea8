"""A throwaway PostgreSQL cluster for the tests: initdb in a temp folder, a loopback port.

The server refuses to run as root, so as root the folder is handed to an unprivileged user
(``postgres`` when Debian's package made one, else ``nobody``) and the tools run as that user.
"""

from __future__ import annotations

import atexit
import contextlib
import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

USER = "envoybot"
ENGINE_VARIABLE = "ENVOYBOT_TEST_ENGINE"  # sqlite (default) or postgresql: the e2e suite's


def server_bin() -> Path | None:
    """The folder of initdb/pg_ctl: on PATH, or Debian's /usr/lib/postgresql/<version>/bin."""
    found = shutil.which("initdb")
    if found:
        return Path(os.path.realpath(found)).parent
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    return Path(candidates[-1]).parent if candidates else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _runner() -> tuple[list[str], int | None, int | None]:
    """How to run the server's tools: as ourselves, or (as root) as an unprivileged user."""
    if os.geteuid() != 0:
        return [], None, None
    for name in ("postgres", "nobody"):
        try:
            entry = pwd.getpwnam(name)
        except KeyError:
            continue
        return ["runuser", "-u", name, "--"], entry.pw_uid, entry.pw_gid
    raise RuntimeError("running as root and no unprivileged user to run PostgreSQL as")


class PgCluster:
    """initdb + pg_ctl start on a free loopback port; stop() drops the whole folder."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="envoybot-pg-"))
        self.data = self.root / "data"
        self._prefix, uid, gid = _runner()
        if uid is not None and gid is not None:
            os.chown(self.root, uid, gid)
        self._names = itertools.count(1)
        self._started = False

    def _run(self, *args: str) -> None:
        subprocess.run(
            [*self._prefix, *args], check=True, capture_output=True, text=True, cwd=self.root
        )

    def start(self) -> PgCluster:
        try:
            self._run(
                str(self.bindir / "initdb"),
                "-D",
                str(self.data),
                "-U",
                USER,
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            )
            options = (
                f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1"
                " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
                " -c max_connections=300 -c shared_buffers=64MB"
            )
            self._run(
                str(self.bindir / "pg_ctl"),
                "-D",
                str(self.data),
                "-l",
                str(self.root / "server.log"),
                "-o",
                options,
                "-w",
                "start",
            )
        except subprocess.CalledProcessError as exc:
            shutil.rmtree(self.root, ignore_errors=True)
            raise RuntimeError(f"PostgreSQL did not start: {exc.stderr or exc.stdout}") from exc
        self._started = True
        return self

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{database}"

    def psql(self, sql: str, database: str = "postgres") -> str:
        done = subprocess.run(
            [
                str(self.bindir / "psql"),
                "-X",
                "-q",
                "-t",
                "-A",
                "-v",
                "ON_ERROR_STOP=1",
                "-d",
                self.url(database),
                "-c",
                sql,
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        return done.stdout.strip()

    def new_database(self, template: str | None = None) -> str:
        """A fresh, empty database (or a copy of a template) and its URL."""
        name = f"t{os.getpid()}_{next(self._names)}"
        clause = f" TEMPLATE {template}" if template else ""
        self.psql(f"CREATE DATABASE {name}{clause}")
        return self.url(name)

    def stop(self) -> None:
        if self._started:
            with contextlib.suppress(subprocess.CalledProcessError):
                self._run(
                    str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"
                )
            self._started = False
        shutil.rmtree(self.root, ignore_errors=True)


_cluster: PgCluster | None = None


def cluster() -> PgCluster:
    """The session's one cluster, started on first use and dropped when the tests end.

    Where no server is installed the test is skipped, unless CI=true (then it fails)."""
    global _cluster
    if _cluster is None:
        import pytest

        bindir = server_bin()
        if bindir is None:
            if os.environ.get("CI") == "true":
                pytest.fail("CI=true but no PostgreSQL server (initdb) is installed")
            pytest.skip("no PostgreSQL server here (apt-get install postgresql); CI runs these")
        _cluster = PgCluster(bindir).start()
        atexit.register(_cluster.stop)
    return _cluster


def default_engine() -> str:
    """The engine of tests that do not ask for both: ENVOYBOT_TEST_ENGINE, else SQLite."""
    engine = os.environ.get(ENGINE_VARIABLE, "sqlite").strip().lower() or "sqlite"
    if engine not in ("sqlite", "postgresql"):
        raise ValueError(f"{ENGINE_VARIABLE} is sqlite or postgresql, not {engine!r}")
    return engine


def database_url(engine: str, folder: Path, name: str = "envoybot.db") -> str:
    """ENVOYBOT_DB for a fresh database: a file in folder, or a new database on the cluster."""
    if engine == "sqlite":
        return str(folder / name)
    return cluster().new_database()


def query(db: str | Path, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    """Rows of one statement against ENVOYBOT_DB from synchronous test code, either engine."""
    from storage.db import is_server_url

    if not is_server_url(db):
        import sqlite3

        with sqlite3.connect(db) as conn:
            return [tuple(r) for r in conn.execute(sql, params).fetchall()]
    import asyncio
    import concurrent.futures

    import asyncpg

    from storage import dialect

    statement = dialect.postgres(sql)

    async def fetch() -> list[tuple[object, ...]]:
        conn = await asyncpg.connect(str(db))
        try:
            return [tuple(r) for r in await conn.fetch(statement.sql, *statement.args(params))]
        finally:
            await conn.close()

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, fetch()).result()
