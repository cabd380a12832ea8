"""One colour per problem, the same in chat lists and in the xlsx export (SPEC §4)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from domain.deadlines import window_fraction_left
from domain.models import State

WARN_FRACTION = 0.25


class Colour(StrEnum):
    """A problem's colour; ``emoji`` for chat, ``fill`` (RGB hex) for spreadsheet cells."""

    GREEN = "green"  # closed
    BLUE = "blue"  # resolved, waiting for the enterprise
    YELLOW = "yellow"  # open, on time, < 25 % of the window left
    RED = "red"  # open and overdue
    WHITE = "white"  # other open
    GREY = "grey"  # withdrawn (not in the SPEC list; neither solved nor pending)

    @property
    def emoji(self) -> str:
        return _EMOJI[self]

    @property
    def fill(self) -> str:
        return _FILL[self]


_EMOJI = {
    Colour.GREEN: "🟢",
    Colour.BLUE: "🔵",
    Colour.YELLOW: "🟡",
    Colour.RED: "🔴",
    Colour.WHITE: "⚪",
    Colour.GREY: "⚫",
}

_FILL = {
    Colour.GREEN: "C6EFCE",
    Colour.BLUE: "BDD7EE",
    Colour.YELLOW: "FFEB9C",
    Colour.RED: "FFC7CE",
    Colour.WHITE: "FFFFFF",
    Colour.GREY: "D9D9D9",
}


def colour_of(state: State, due_at: datetime, registered_at: datetime, now: datetime) -> Colour:
    """The colour for a problem; overdue means strictly after ``due_at``."""
    if state is State.CLOSED:
        return Colour.GREEN
    if state is State.RESOLVED:
        return Colour.BLUE
    if state is State.WITHDRAWN:
        return Colour.GREY
    if now > due_at:
        return Colour.RED
    if window_fraction_left(registered_at, due_at, now) < WARN_FRACTION:
        return Colour.YELLOW
    return Colour.WHITE


def colour(state: State, due_at: datetime, registered_at: datetime, now: datetime) -> str:
    """The emoji for a problem in chat lists."""
    return colour_of(state, due_at, registered_at, now).emoji
