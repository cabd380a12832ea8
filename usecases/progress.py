"""How long work says how far it got, without knowing whether a terminal is watching."""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    """One stage of long work: its size once known, steps done, then its end."""

    def begin(self, total: int | None) -> None: ...

    def advance(self, count: int = 1) -> None: ...

    def end(self) -> None: ...


class Silent:
    """Progress nobody watches (the bot's handlers, tests)."""

    def begin(self, total: int | None) -> None:
        """Nothing to show."""

    def advance(self, count: int = 1) -> None:
        """Nothing to show."""

    def end(self) -> None:
        """Nothing to show."""


SILENT: Progress = Silent()
