"""Progress of long CLI work: a tqdm bar on a terminal, a few plain lines when piped or logged."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

from tqdm import tqdm

from texts.i18n import plain

PLAIN_STEPS = 4  # a piped run gets a line at each quarter of a big stage, and at its end
PLAIN_MIN_TOTAL = 1000  # below this, only the closing line


class Meter:
    """One stage (reading a file, writing rows) shown on stderr, in the operator's language."""

    def __init__(self, lang: str, label: str, stream: TextIO | None = None) -> None:
        self.lang = lang
        self.label = label
        self.stream = stream or sys.stderr
        self.total: int | None = None
        self.done = 0
        self._bar: Any = None
        self._next_line = 0
        self.ended = False

    @property
    def on_terminal(self) -> bool:
        isatty = getattr(self.stream, "isatty", None)
        return bool(isatty and isatty())

    def begin(self, total: int | None) -> None:
        """Start the bar (or the plain lines) once the size of the stage is known."""
        self.total = total
        self.done = 0
        if self.on_terminal:
            unit = plain(self.lang, "cli-progress-unit")
            width = shutil.get_terminal_size().columns  # 80 where the size is unknown (or 0)
            self._bar = tqdm(total=total, desc=self.label, unit=unit, file=self.stream, ncols=width)
        elif total and total >= PLAIN_MIN_TOTAL:
            self._next_line = total // PLAIN_STEPS

    def advance(self, count: int = 1) -> None:
        """count more steps done."""
        self.done += count
        if self._bar is not None:
            self._bar.update(count)
        elif self._next_line and self.done >= self._next_line and self.done < (self.total or 0):
            self._line()
            self._next_line += (self.total or 0) // PLAIN_STEPS

    def end(self) -> None:
        """The stage is done: fill and close the bar, or write the closing plain line."""
        if self.ended:
            return
        self.ended = True
        if self._bar is not None:
            if self.total is not None and self.done < self.total:
                self._bar.update(self.total - self.done)
            self._bar.close()
            self._bar = None
        else:
            self.done = max(self.done, self.total or 0)
            self._line()

    def abandon(self) -> None:
        """The work failed or was refused: close the bar where it stands, print nothing more."""
        self.ended = True
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def _line(self) -> None:
        total = self.total if self.total is not None else self.done
        text = plain(self.lang, "cli-progress-line", label=self.label, done=self.done, total=total)
        print(text, file=self.stream, flush=True)


@contextmanager
def meter(lang: str, label: str, stream: TextIO | None = None) -> Iterator[Meter]:
    """A Meter whose bar is closed however the work ends; only the work says it finished."""
    shown = Meter(lang, label, stream)
    try:
        yield shown
    finally:
        shown.abandon()
