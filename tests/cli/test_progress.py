"""Progress of long work: a bar on a terminal, a few plain lines otherwise, silence on failure."""

from __future__ import annotations

import io

import pytest

from bot.progress import Meter, meter


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_a_bar() -> None:
    screen = Terminal()
    with meter("zh", "写入 问题.xlsx", screen) as shown:
        shown.begin(2000)
        for _ in range(4):
            shown.advance(500)
        shown.end()
    text = screen.getvalue()
    assert "写入 问题.xlsx" in text and "100%" in text and "2000/2000" in text and "行" in text


def test_a_pipe_gets_a_line_per_quarter_of_big_work() -> None:
    log = io.StringIO()
    shown = Meter("en", "writing out.xlsx", log)
    shown.begin(100_000)
    for _ in range(100):
        shown.advance(1000)
    shown.end()
    assert log.getvalue().splitlines() == [
        "writing out.xlsx: 25000/100000",
        "writing out.xlsx: 50000/100000",
        "writing out.xlsx: 75000/100000",
        "writing out.xlsx: 100000/100000",
    ]


def test_small_work_gets_one_line_and_failed_work_none() -> None:
    log = io.StringIO()
    with meter("zh", "读取 a.csv", log) as shown:
        shown.begin(13)
        shown.advance(13)
        shown.end()
    assert log.getvalue() == "读取 a.csv：13/13\n"
    log = io.StringIO()
    with pytest.raises(RuntimeError), meter("zh", "读取 b.csv", log) as shown:
        shown.begin(13)
        raise RuntimeError("unreadable")
    assert log.getvalue() == ""
