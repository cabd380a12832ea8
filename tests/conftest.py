"""Both storage engines for the tests that take ``engine``: SQLite, and PostgreSQL on a
throwaway cluster this session starts (skipped only where no server exists and CI is not on)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.pg_cluster import PgCluster, cluster, database_url

ENGINES = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def pg_cluster() -> PgCluster:
    return cluster()


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    """The storage engine a test runs on; PostgreSQL starts the session's cluster."""
    if request.param == "postgresql":
        request.getfixturevalue("pg_cluster")
    return str(request.param)


@pytest.fixture
def db_url(engine: str, tmp_path: Path) -> str:
    """ENVOYBOT_DB for a fresh database of the test's engine."""
    return database_url(engine, tmp_path)
