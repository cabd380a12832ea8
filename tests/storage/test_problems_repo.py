"""Problems are numbered per year, written atomically, and never overwritten by a stale read."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

from domain.models import State
from storage.db import Database
from storage.org_repo import OrgRepo
from storage.problems_repo import Change, NewAttachment, ProblemsRepo
from tests.storage.conftest import ROSTER, write_csv
from usecases.roster import import_roster

T0 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


async def _enterprise(db: Database, tmp_path: Path) -> int:
    report = await import_roster(db, write_csv(tmp_path / "r.csv", ROSTER))
    assert report.ok
    found = await OrgRepo(db).enterprise_by_name("Acme <b>&</b>")
    assert found is not None
    return found.id


async def test_numbers_count_up_per_year_and_survive_concurrency(
    db: Database, tmp_path: Path
) -> None:
    ent = await _enterprise(db, tmp_path)
    repo = ProblemsRepo(db)

    async def one(i: int, year: int) -> str:
        at = T0.replace(year=year) + timedelta(minutes=i)
        p = await repo.create(
            enterprise_id=ent,
            reporter_tg_id=1,
            category="other",
            description=f"desc {i}",
            registered_at=at,
            due_at=at,
        )
        return p.number

    numbers = await asyncio.gather(*(one(i, 2026) for i in range(20)))
    assert sorted(numbers) == [f"2026-{i:04d}" for i in range(1, 21)]
    assert await one(0, 2027) == "2027-0001"


async def test_create_writes_problem_event_and_files_together(db: Database, tmp_path: Path) -> None:
    ent = await _enterprise(db, tmp_path)
    repo = ProblemsRepo(db)
    p = await repo.create(
        enterprise_id=ent,
        reporter_tg_id=7,
        category="financing",
        description="<script>alert(1)</script> 贷款",
        registered_at=T0,
        due_at=T0 + timedelta(days=1),
        attachments=[
            NewAttachment("photo", "F1"),
            NewAttachment("document", "F2", None, "a.pdf", "application/pdf"),
        ],
    )
    assert p.state is State.REGISTERED and p.enterprise_name == "Acme <b>&</b>"
    assert p.description == "<script>alert(1)</script> 贷款"
    events = await repo.events(p.id)
    assert [e.action for e in events] == ["register"]
    assert [a.file_id for a in events[0].attachments] == ["F1", "F2"]


async def test_a_stale_write_changes_nothing(db: Database, tmp_path: Path) -> None:
    ent = await _enterprise(db, tmp_path)
    repo = ProblemsRepo(db)
    p = await repo.create(
        enterprise_id=ent,
        reporter_tg_id=7,
        category="other",
        description="something broke",
        registered_at=T0,
        due_at=T0,
    )
    first = await repo.apply(
        p, Change("accept", 9, "envoy", T0, new_state=State.IN_PROGRESS, tier=1)
    )
    assert first is not None and first.state is State.IN_PROGRESS and first.tier == 1
    second = await repo.apply(
        p, Change("accept", 10, "envoy", T0, new_state=State.IN_PROGRESS, tier=3)
    )
    assert second is None
    now = await repo.get(p.id)
    assert now is not None and now.tier == 1
    assert [e.action for e in await repo.events(p.id)] == ["register", "accept"]


async def test_submitting_the_same_draft_twice_registers_it_once(
    db: Database, tmp_path: Path
) -> None:
    ent = await _enterprise(db, tmp_path)
    repo = ProblemsRepo(db)
    kwargs = dict(
        enterprise_id=ent,
        reporter_tg_id=7,
        category="other",
        description="duplicate-safe",
        registered_at=T0,
        due_at=T0,
        client_key="k1",
    )
    first = await repo.create(**kwargs)  # type: ignore[arg-type]
    again = await repo.create(**{**kwargs, "registered_at": T0 + timedelta(minutes=1)})  # type: ignore[arg-type]
    assert again.id == first.id and again.number == first.number
    _, total = await repo.for_enterprise(ent, limit=10)
    assert total == 1
