"""A prompt's keyboard is replaced by the next one's: the sender aims at the labelled message."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from delivery.pacing import Pacer
from delivery.sender import Sender
from domain.clock import ManualClock
from domain.outgoing import TO_ACTOR, Outgoing, Queued


class FakeBot:
    """Records calls; every sendMessage gets the next message id."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.next_id = 40

    async def do_api_request(self, method: str, api_kwargs: dict[str, Any]) -> Any:
        self.calls.append((method, api_kwargs))
        if method == "sendMessage":
            self.next_id += 1
            return {"message_id": self.next_id}
        return True


class NoOutbox:
    """Replies owe nothing: the outbox is empty and never written."""

    async def take_over(self, once: int, now: datetime, **_: object) -> tuple[list[Queued], int]:
        return [], 0

    async def mark_sent(self, ids: list[int], now: datetime) -> None:
        return None


def prompt(text: str) -> Queued:
    markup = {"inline_keyboard": [[{"text": "ok", "callback_data": "r:done:-"}]]}
    message = Outgoing(7, "sendMessage", {"text": text, "reply_markup": markup}, TO_ACTOR)
    return Queued(message, meta={"label": "report"})


def unlabel(spare: int | None = None) -> Queued:
    meta: dict[str, Any] = {"at_label": "report"}
    if spare is not None:
        meta["spare"] = spare
    return Queued(Outgoing(7, "editMessageReplyMarkup", {}, TO_ACTOR), meta=meta)


async def run(*items: Queued) -> FakeBot:
    bot = FakeBot()
    clock = ManualClock(datetime(2026, 3, 2, tzinfo=UTC))
    sender = Sender(bot, NoOutbox(), Pacer(0), clock)  # type: ignore[arg-type]
    await sender.start()
    try:
        for item in items:
            sender.submit([item])
            await sender.idle()
    finally:
        await sender.stop()
    return bot


async def test_the_next_prompt_takes_the_buttons_off_the_one_before() -> None:
    bot = await run(unlabel(), prompt("one"), unlabel(), prompt("two"), unlabel())
    methods = [(m, k.get("message_id")) for m, k in bot.calls]
    # nothing to clear at first; then the first prompt (41), then the second (42), once each
    assert methods == [
        ("sendMessage", None),
        ("editMessageReplyMarkup", 41),
        ("sendMessage", None),
        ("editMessageReplyMarkup", 42),
    ]


async def test_a_pressed_prompt_is_spared_and_the_label_is_used_up() -> None:
    bot = await run(prompt("one"), unlabel(spare=41), unlabel())
    assert [m for m, _ in bot.calls] == ["sendMessage"]
