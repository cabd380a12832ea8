"""Time /stats, /export and /chart on a generated province: 100,000 problems.

Run: python benchmarks/bench_stats.py [--problems N] [--keep FILE.db]
Prints wall times and the process's peak resident memory after each step.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from domain.stats import Scope
from reporting.figures import build_chart, build_export, build_figures, format_figures
from storage.db import Database, to_db

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 6, 10, 4, 0, tzinfo=UTC)
TEAMS, ENVOYS, ENTERPRISES = 14, 2000, 10_000
CATEGORIES = (
    "market",
    "production",
    "construction",
    "approval",
    "policy",
    "labour",
    "financing",
    "logistics",
    "other",
)
STATES = (
    "registered",
    "in_progress",
    "in_progress",
    "resolved",
    "closed",
    "closed",
    "closed",
    "withdrawn",
)


def peak_mb() -> float:
    """Peak resident set size of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def populate(db: Database, problems: int, seed: int = 1) -> None:
    rnd = random.Random(seed)
    await db.executemany(
        "INSERT INTO teams (id, name) VALUES (?, ?)",
        [(t, f"第{t}工作队") for t in range(1, TEAMS + 1)],
    )
    envoy_team = {v: (v - 1) % TEAMS + 1 for v in range(1, ENVOYS + 1)}
    await db.executemany(
        "INSERT INTO envoys (id, name, team_id) VALUES (?, ?, ?)",
        [(v, f"特派员{v:04d}", t) for v, t in envoy_team.items()],
    )
    enterprise_team = {e: (e - 1) % TEAMS + 1 for e in range(1, ENTERPRISES + 1)}
    await db.executemany(
        "INSERT INTO enterprises (id, name, team_id) VALUES (?, ?, ?)",
        [(e, f"示范企业{e:05d}有限公司", t) for e, t in enterprise_team.items()],
    )
    team_envoys: dict[int, list[int]] = {}
    for v, t in envoy_team.items():
        team_envoys.setdefault(t, []).append(v)
    envoy_of = {e: rnd.choice(team_envoys[t]) for e, t in enterprise_team.items()}
    await db.executemany(
        "INSERT INTO assignments (envoy_id, enterprise_id) VALUES (?, ?)",
        [(v, e) for e, v in envoy_of.items()],
    )
    rows = []
    for i in range(1, problems + 1):
        enterprise = rnd.randint(1, ENTERPRISES)
        registered = NOW - timedelta(minutes=rnd.randint(1, 365 * 24 * 60))
        state = rnd.choice(STATES)
        tier = None if state == "registered" else rnd.choice((1, 2, 3))
        due = registered + timedelta(days=(1, 3, 7)[(tier or 1) - 1])
        resolved = closed = None
        if state in ("resolved", "closed"):
            resolved = min(NOW, registered + timedelta(hours=rnd.randint(1, 240)))
        if state == "closed":
            assert resolved is not None
            closed = min(NOW, resolved + timedelta(hours=rnd.randint(0, 48)))
        satisfaction = rnd.choice((None, 3, 4, 5)) if state == "closed" else None
        rows.append(
            (
                i,
                f"{2025 + i // 60_000}-{i:06d}",
                enterprise,
                state,
                tier,
                envoy_of[enterprise],
                to_db(registered),
                to_db(due),
                to_db(resolved),
                to_db(closed),
                satisfaction,
                rnd.choice(CATEGORIES),
            )
        )
    await db.executemany(
        "INSERT INTO problems (id, number, enterprise_id, reporter_tg_id, description, state,"
        " tier, envoy_id, registered_at, due_at, resolved_at, closed_at, satisfaction, category)"
        " VALUES (?, ?, ?, 1, 'x', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )


async def timed(label: str, work):
    start = time.perf_counter()
    result = await work
    print(f"{label:<34} {time.perf_counter() - start:7.2f} s   peak RSS {peak_mb():7.0f} MB")
    return result


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--problems", type=int, default=100_000)
    parser.add_argument("--keep", help="write the database here instead of a temp file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(args.keep) if args.keep else Path(tmp) / "bench.db"
        db = Database(path)
        await db.open()
        print(
            f"{args.problems:,} problems, {ENTERPRISES:,} enterprises, {ENVOYS:,} envoys, "
            f"{TEAMS} teams   (start peak RSS {peak_mb():.0f} MB)"
        )
        await timed("generate + insert", populate(db, args.problems))
        for period in ("all", "month", "week"):
            fig = await timed(
                f"figures all/{period}", build_figures(db, Scope("all"), period, NOW, TZ)
            )
        fig = await timed(
            "figures all/all (again, warm)", build_figures(db, Scope("all"), "all", NOW, TZ)
        )
        print(
            f"    collected {fig.counts.collected:,}  closed {fig.counts.closed:,}  "
            f"rate {fig.resolution_rate} %  overdue {fig.counts.overdue:,}"
        )
        await timed(
            "figures team 3/all", build_figures(db, Scope("team", frozenset({3})), "all", NOW, TZ)
        )
        await timed(
            "figures envoy 17/all",
            build_figures(db, Scope("envoy", frozenset({17})), "all", NOW, TZ),
        )
        await timed(
            "figures enterprise 42/all",
            build_figures(db, Scope("enterprise", frozenset({42})), "all", NOW, TZ),
        )
        start = time.perf_counter()
        text = format_figures(fig, "zh", html=True)
        print(
            f"{'format /stats message':<34} {time.perf_counter() - start:7.2f} s   "
            f"({len(text):,} chars)"
        )
        data = await timed("export all (.xlsx)", build_export(db, Scope("all"), NOW, TZ, "zh"))
        print(f"    {len(data) / 1e6:.1f} MB workbook")
        await timed(
            "export team 3 (.xlsx)", build_export(db, Scope("team", frozenset({3})), NOW, TZ, "zh")
        )
        png = await timed("chart all (PNG)", build_chart(db, Scope("all"), NOW, TZ, "zh"))
        print(f"    {len(png) / 1e3:.0f} kB PNG")
        await db.close()
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
