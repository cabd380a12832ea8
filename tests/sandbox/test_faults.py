"""Fault injection seen by real HTTP clients: error answers, holds, dropped connections."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
import telegram
from telegram.error import NetworkError, RetryAfter, TimedOut

from sandbox import BotApiSandbox
from sandbox.faults import EXEMPT_METHODS, FAULT_KINDS, DropAfterExecution, FaultInjector

from .conftest import TOKEN, retry_seconds

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

HOLD = 0.3


@pytest.fixture
async def box() -> AsyncIterator[BotApiSandbox]:
    """No flood limits, a short timeout hold, and user 5 has started the bot."""
    sandbox = await BotApiSandbox(flood_control=False, fault_timeout_seconds=HOLD).start()
    try:
        await sandbox.user(5).send_text("/start")
        yield sandbox
    finally:
        await sandbox.stop()


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    """A fresh connection per request, so a dropped one never poisons the next call."""
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(force_close=True)) as client:
        yield client


async def call(
    session: aiohttp.ClientSession,
    box: BotApiSandbox,
    method: str,
    timeout: float = 5.0,  # noqa: ASYNC109
    **params: Any,
) -> tuple[int, str, str]:
    """POST a Bot API call; returns (status, content type, body)."""
    url = f"{box.base_url}{TOKEN}/{method}"
    client_timeout = aiohttp.ClientTimeout(total=timeout)
    async with session.post(url, json=params, timeout=client_timeout) as answer:
        return answer.status, answer.content_type, await answer.text()


def texts(box: BotApiSandbox) -> list[str | None]:
    return [m.text for m in box.user(5).messages]


async def test_500_is_telegrams_json_and_not_executed(
    box: BotApiSandbox, session: aiohttp.ClientSession
) -> None:
    box.set_faults(1.0, kinds=["500"])
    status, kind, body = await call(session, box, "sendMessage", chat_id=5, text="x")
    assert (status, kind) == (500, "application/json")
    assert body == '{"ok": false, "error_code": 500, "description": "Internal Server Error"}'
    assert texts(box) == []
    assert (box.calls[-1].status, box.calls[-1].fault) == (500, "500")


async def test_502_is_an_nginx_page(box: BotApiSandbox, session: aiohttp.ClientSession) -> None:
    box.set_faults(1.0, kinds=["502"])
    status, kind, body = await call(session, box, "sendMessage", chat_id=5, text="x")
    assert (status, kind) == (502, "text/html")
    assert "<title>502 Bad Gateway</title>" in body and "nginx" in body
    assert texts(box) == []


async def test_spurious_429(box: BotApiSandbox, session: aiohttp.ClientSession) -> None:
    box.set_faults(1.0, kinds=["429"], seed=1)
    waits = set()
    for _ in range(10):
        status, _, body = await call(session, box, "sendMessage", chat_id=5, text="x")
        assert status == 429
        waits.add(body)
    assert waits == {
        '{"ok": false, "error_code": 429, "description": "Too Many Requests: retry after '
        f'{n}", "parameters": {{"retry_after": {n}}}}}'
        for n in (1, 2)
    }
    assert texts(box) == [] and box.flood.rejected == 0


async def test_timeout_holds_then_hangs_up_unexecuted(
    box: BotApiSandbox, session: aiohttp.ClientSession
) -> None:
    box.set_faults(1.0, kinds=["timeout"])
    with pytest.raises(asyncio.TimeoutError):
        await call(session, box, "sendMessage", timeout=0.1, chat_id=5, text="short")
    started = time.monotonic()
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await call(session, box, "sendMessage", chat_id=5, text="patient")
    assert time.monotonic() - started >= HOLD - 0.05
    await asyncio.sleep(HOLD)  # let the first hold end too
    assert texts(box) == []
    assert [(c.status, c.fault) for c in box.calls] == [(0, "timeout"), (0, "timeout")]


async def test_drop_before_sends_nothing(
    box: BotApiSandbox, session: aiohttp.ClientSession, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    box.set_faults(1.0, kinds=["drop_before"])
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await call(session, box, "sendMessage", chat_id=5, text="lost")
    assert texts(box) == [] and box.drop_after_executions == []
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.WARNING]


async def test_drop_after_delivers_and_is_recorded(
    box: BotApiSandbox, session: aiohttp.ClientSession, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    box.set_faults(1.0, kinds=["drop_after"])
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await call(session, box, "sendMessage", chat_id=5, text="twice?")
    box.clear_faults()
    status, _, _ = await call(session, box, "sendMessage", chat_id=5, text="twice?")
    assert status == 200
    assert texts(box) == ["twice?", "twice?"]
    assert box.drop_after_executions == [DropAfterExecution("sendMessage", 5, "twice?")]
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.WARNING]


async def test_drop_after_of_a_failing_call_is_not_an_execution(
    box: BotApiSandbox, session: aiohttp.ClientSession
) -> None:
    box.set_faults(1.0, kinds=["drop_after"])
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await call(session, box, "sendMessage", chat_id=5, text="")
    assert box.drop_after_executions == []
    assert (box.calls[-1].ok, box.calls[-1].status) == (False, 400)


async def test_exempt_methods_and_explicit_get_updates(
    box: BotApiSandbox, session: aiohttp.ClientSession
) -> None:
    box.set_faults(1.0, kinds=["500"])
    commands = [{"command": "a", "description": "b"}]
    assert (await call(session, box, "getMe"))[0] == 200
    assert (await call(session, box, "getUpdates"))[0] == 200
    assert (await call(session, box, "setMyCommands", commands=commands))[0] == 200
    box.set_faults(1.0, kinds=["500"], methods=["getupdates"])
    assert (await call(session, box, "getUpdates"))[0] == 500
    assert (await call(session, box, "sendMessage", chat_id=5, text="ok"))[0] == 200
    assert box.faults.config()["methods"] == ["getUpdates"]


async def test_ptb_sees_each_kind(box: BotApiSandbox) -> None:
    expected: dict[str, type[Exception]] = {
        "500": NetworkError,
        "502": NetworkError,
        "429": RetryAfter,
        "timeout": TimedOut,
        "drop_before": NetworkError,
        "drop_after": NetworkError,
    }
    async with telegram.Bot(TOKEN, base_url=box.base_url) as bot:
        for kind, error in expected.items():
            box.set_faults(1.0, kinds=[kind])
            with pytest.raises(error) as caught:
                await bot.send_message(5, kind, read_timeout=0.1)
            if isinstance(caught.value, RetryAfter):
                assert retry_seconds(caught.value) in (1.0, 2.0)
        box.clear_faults()
        await asyncio.sleep(HOLD)
    assert texts(box) == ["drop_after"]


def kinds_seen(seed: int, calls: int = 200, rate: float = 0.3) -> list[str | None]:
    faults = FaultInjector()
    faults.configure(rate, seed=seed)
    return [faults.draw("sendMessage") for _ in range(calls)]


def test_seed_makes_the_mix_repeatable() -> None:
    first = kinds_seen(42)
    assert first == kinds_seen(42)
    assert first != kinds_seen(43)
    assert 40 < sum(k is not None for k in first) < 80
    assert {k for k in first if k} == set(FAULT_KINDS)


async def test_seed_repeats_over_http(session: aiohttp.ClientSession) -> None:
    async def run(seed: int) -> list[str | None]:
        sandbox = await BotApiSandbox(flood_control=False, fault_timeout_seconds=0).start()
        try:
            await sandbox.user(5).send_text("/start")
            sandbox.set_faults(0.5, seed=seed)
            for n in range(30):
                with contextlib.suppress(aiohttp.ClientError):
                    await call(session, sandbox, "sendMessage", chat_id=5, text=str(n))
            return [c.fault for c in sandbox.calls]
        finally:
            await sandbox.stop()

    first = await run(7)
    assert first == await run(7)
    assert any(first) and not all(first)


def test_counters_by_kind_and_method() -> None:
    faults = FaultInjector()
    faults.configure(1.0, kinds=["500"], seed=0)
    for method in ("sendMessage", "sendMessage", "editMessageText", "getUpdates"):
        faults.draw(method)
    stats = faults.stats()
    assert stats["injected"] == 3
    assert stats["by_kind"] == {"500": 3}
    assert stats["by_method"] == {"editMessageText": 1, "sendMessage": 2}
    assert stats["by_kind_and_method"] == {"500": {"editMessageText": 1, "sendMessage": 2}}
    faults.clear()
    assert faults.draw("sendMessage") is None and faults.stats()["injected"] == 3


def test_bad_mixes_are_refused() -> None:
    sandbox = BotApiSandbox()
    with pytest.raises(ValueError, match="unknown fault kinds"):
        sandbox.set_faults(0.1, kinds=["404"])
    with pytest.raises(ValueError, match="unknown Bot API method"):
        sandbox.set_faults(0.1, methods=["sendTelepathy"])
    with pytest.raises(ValueError, match="rate"):
        sandbox.set_faults(1.5)
    assert sandbox.faults.rate == 0
    assert {"getupdates", "getme", "setmycommands"} == EXEMPT_METHODS


async def test_queued_failures_come_before_random_faults(
    box: BotApiSandbox, session: aiohttp.ClientSession
) -> None:
    box.set_faults(1.0, kinds=["500"])
    box.inject_failure("sendMessage", 403, "Forbidden: bot was blocked by the user")
    assert (await call(session, box, "sendMessage", chat_id=5, text="x"))[0] == 403
    assert (await call(session, box, "sendMessage", chat_id=5, text="x"))[0] == 500
    assert box.faults.stats()["injected"] == 1
