"""The bot's own pacing: an overall pace and a small bucket per chat (no I/O, a fake clock)."""

from __future__ import annotations

import pytest

from delivery.pacing import CHAT_MARGIN, MARGIN, Pacer


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_chat_gets_a_burst_of_three_then_one_a_second() -> None:
    clock = Clock()
    pacer = Pacer(30, monotonic=clock)
    for _ in range(3):
        assert pacer.chat_ready_at(7, clock.now) == clock.now
        pacer.take(7, clock.now)
    assert pacer.chat_ready_at(7, clock.now) == pytest.approx(clock.now + CHAT_MARGIN)
    assert pacer.chat_ready_at(8, clock.now) == clock.now  # another chat is not held


def test_overall_sends_are_spaced_a_little_wider_than_the_rate() -> None:
    clock = Clock()
    pacer = Pacer(30, monotonic=clock)
    pacer.take(1, clock.now)
    pacer.take(2, clock.now)
    assert pacer.global_ready_at(clock.now) == pytest.approx(clock.now + 2 * MARGIN / 30)


def test_rate_zero_paces_nothing_but_still_obeys_retry_after() -> None:
    clock = Clock()
    pacer = Pacer(0, monotonic=clock)
    for _ in range(50):
        pacer.take(7, clock.now)
    assert pacer.chat_ready_at(7, clock.now) == clock.now
    assert pacer.global_ready_at(clock.now) == clock.now
    pacer.hold_chat(7, 3)
    assert pacer.chat_ready_at(7, clock.now) == pytest.approx(clock.now + 3)
    pacer.hold_all(2)
    assert pacer.global_ready_at(clock.now) == pytest.approx(clock.now + 2)


def test_idle_chats_are_forgotten() -> None:
    clock = Clock()
    pacer = Pacer(30, monotonic=clock)
    pacer.take(7, clock.now)
    clock.now += 700
    pacer.forget_idle(600)
    assert pacer.chat_ready_at(7, clock.now) == clock.now
