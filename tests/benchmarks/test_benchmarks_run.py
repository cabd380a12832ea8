"""The benchmark scripts still run end to end at a tiny size, so they cannot rot."""

from __future__ import annotations

import importlib.util
import os
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.pg_cluster import server_bin

ROOT = Path(__file__).resolve().parents[2]


def script(name: str) -> ModuleType:
    """Import benchmarks/<name>.py by path (benchmarks/ is scripts, not an installed package)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    spec = importlib.util.spec_from_file_location(
        f"benchmarks.{name}", ROOT / "benchmarks" / f"{name}.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


async def test_scheduler_benchmark_runs(capsys: pytest.CaptureFixture[str]) -> None:
    bench = script("bench_scheduler")
    assert await bench.main(["--problems", "200", "--no-tracemalloc"]) == 0
    out = capsys.readouterr().out
    assert "200 problems planned" in out  # first start plans every open problem
    assert "0 problems planned" in out  # the second start finds nothing left to plan
    assert "(e) tick, nothing due" in out


async def test_delivery_benchmark_runs(capsys: pytest.CaptureFixture[str]) -> None:
    bench = script("bench_delivery")
    assert await bench.main(["--envoys", "20"]) == 0
    out = capsys.readouterr().out
    assert "every envoy got exactly one message" in out
    assert re.search(r"^messages delivered\s+20$", out, re.MULTILINE), out


async def test_load_benchmark_runs(capsys: pytest.CaptureFixture[str]) -> None:
    bench = script("bench_load")
    argv = ["--users", "2", "--seconds", "0.3", "--warmup", "0.1", "--grace", "0.5",
            "--timeout", "2", "--submitters", "2"]  # fmt: skip
    assert await bench.main(argv) == 0
    out = capsys.readouterr().out
    for row in ("PTB echo, text", "aiogram echo, press", "envoybot /help",
                "envoybot /report flows", "envoybot accept presses"):  # fmt: skip
        assert out.count(row) >= 2, row  # flood control off and on
    assert re.search(r"^numbers received\s+\d+ / 2$", out, re.MULTILINE), out


async def test_faults_benchmark_runs(capsys: pytest.CaptureFixture[str]) -> None:
    bench = script("bench_faults")
    argv = ["--lifecycles", "2", "--pairs", "2", "--reports", "4", "--reporters", "2",
            "--kills", "1", "--patience", "3", "--no-flood"]  # fmt: skip
    assert await bench.main(argv) == 0
    out = capsys.readouterr().out
    assert "acknowledged actions lost" in out
    assert re.search(r"^reports started / problems stored\s+4 / \d+$", out, re.MULTILINE), out
    assert "SIGKILL × 1" in out


async def test_web_benchmark_runs(capsys: pytest.CaptureFixture[str]) -> None:
    bench = script("bench_web")
    assert await bench.main(["--problems", "300", "--repeat", "1"]) == 0
    out = capsys.readouterr().out
    for row in ("list, team 3 + red", "figures, all / all time", "lead: poll stamp"):
        assert row in out, row
    assert re.search(r"^slowest list page .* target 300 ms: within$", out, re.MULTILINE), out
    assert re.search(r"^slowest figures page .* target 500 ms: within$", out, re.MULTILINE), out


async def test_pg_benchmark_runs(capsys: pytest.CaptureFixture[str]) -> None:
    if server_bin() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but no PostgreSQL server (initdb) is installed")
        pytest.skip("no PostgreSQL server here (apt-get install postgresql); CI runs this")
    bench = script("bench_pg")
    argv = ["--users", "2", "--seconds", "0.5", "--warmup", "0.2", "--grace", "0.5",
            "--timeout", "2"]  # fmt: skip
    assert await bench.main(argv) == 0
    out = capsys.readouterr().out
    for config in ("a", "aw", "b", "c"):
        assert f"({config}) envoybot /report flows" in out, config
    assert "PTB echo, text" in out
    for config in (
        "(a) SQLite, long polling",
        "(aw) SQLite, 1 instance, webhook",
        "(b) PostgreSQL, 1 instance, webhook",
        "(c) PostgreSQL, 2 instances, webhook",  # no step lost between the two
    ):
        assert f"PASS  {config}: every number shown stored once" in out, out
        assert f"PASS  {config}: every step answered" in out, out
    assert re.search(r"^\(c\) PostgreSQL, 2 instances, webhook .* \d+ / \d+ ", out, re.M), out
