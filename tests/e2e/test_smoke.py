"""The bot starts against the sandbox and answers."""

from __future__ import annotations

from tests.e2e.conftest import World


async def test_people_join(people: World) -> None:
    staff = people.people["staff"]
    assert "企业联系人" in staff.last.text or "/report" in staff.last.text
    assert not people.sandbox.errors, people.sandbox.errors
