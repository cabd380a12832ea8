"""Every end-to-end and web test runs on both engines: an SQLite file and a PostgreSQL database
of the session's throwaway cluster, so the one `pytest` of the README covers both.

ENVOYBOT_TEST_ENGINE picks one; tests that take ``engine`` choose for themselves; ``sqlite_only``
ones run the demo, which keeps its own SQLite file. A conftest imports both names below.
"""

from __future__ import annotations

import os

import pytest

from tests.conftest import ENGINES
from tests.pg_cluster import ENGINE_VARIABLE, cluster, default_engine


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Both engines for every test, unless the environment, the test or its marker decides."""
    if "e2e_engine" in metafunc.fixturenames and metafunc.definition.get_closest_marker(
        "postgresql_only"
    ):
        metafunc.parametrize("e2e_engine", ["postgresql"], indirect=True)
        return
    if (
        "e2e_engine" not in metafunc.fixturenames
        or "engine" in metafunc.fixturenames
        or metafunc.definition.get_closest_marker("sqlite_only")
        or os.environ.get(ENGINE_VARIABLE)
    ):
        return
    metafunc.parametrize("e2e_engine", ENGINES, indirect=True)


@pytest.fixture(autouse=True)
def e2e_engine(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The engine of this run of the test: every default_engine() in it answers this one."""
    engine = str(getattr(request, "param", None) or default_engine())
    if engine == "postgresql":
        cluster()  # skipped where no server is installed (a failure when CI=true)
    monkeypatch.setenv(ENGINE_VARIABLE, engine)
    return engine
