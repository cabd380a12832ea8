"""Colour of a problem in lists and in the xlsx export."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.colours import Colour, colour, colour_of
from domain.models import State

REG = datetime(2026, 3, 2, 2, tzinfo=UTC)
DUE = REG + timedelta(days=1)


def at(hours: float) -> datetime:
    return REG + timedelta(hours=hours)


@pytest.mark.parametrize(
    ("state", "now", "want"),
    [
        (State.CLOSED, at(1), "🟢"),
        (State.CLOSED, at(100), "🟢"),  # closed late is still closed
        (State.RESOLVED, at(1), "🔵"),
        (State.RESOLVED, at(100), "🔵"),
        (State.WITHDRAWN, at(1), "⚫"),
        (State.WITHDRAWN, at(100), "⚫"),
        (State.REGISTERED, at(0), "⚪"),
        (State.IN_PROGRESS, at(18), "⚪"),  # exactly 25 % left is not "less than"
        (State.IN_PROGRESS, at(18.01), "🟡"),
        (State.REGISTERED, at(23.9), "🟡"),
        (State.IN_PROGRESS, at(24), "🟡"),  # at the deadline: not yet overdue
        (State.IN_PROGRESS, at(24.0003), "🔴"),
        (State.REGISTERED, at(100), "🔴"),
    ],
)
def test_colour(state: State, now: datetime, want: str) -> None:
    assert colour(state, DUE, REG, now) == want


def test_longer_window_scales() -> None:
    due = REG + timedelta(days=7)  # 168 h: yellow from 126 h
    assert colour(State.IN_PROGRESS, due, REG, at(125)) == "⚪"
    assert colour(State.IN_PROGRESS, due, REG, at(127)) == "🟡"


def test_colour_of_returns_enum() -> None:
    assert colour_of(State.CLOSED, DUE, REG, at(1)) is Colour.GREEN


@pytest.mark.parametrize(
    ("c", "emoji", "fill"),
    [
        (Colour.GREEN, "🟢", "C6EFCE"),
        (Colour.BLUE, "🔵", "BDD7EE"),
        (Colour.YELLOW, "🟡", "FFEB9C"),
        (Colour.RED, "🔴", "FFC7CE"),
        (Colour.WHITE, "⚪", "FFFFFF"),
        (Colour.GREY, "⚫", "D9D9D9"),
    ],
)
def test_palette(c: Colour, emoji: str, fill: str) -> None:
    assert c.emoji == emoji
    assert c.fill == fill
