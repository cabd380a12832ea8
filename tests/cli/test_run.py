"""`envoybot run` as an operator starts it: a real process against the sandbox."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from pathlib import Path

from sandbox import BotApiSandbox

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "123456789:AAE" + "y" * 32


async def test_run_answers_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    """The database is opened before PTB loads persistence; SIGTERM exits 0, no traceback."""
    async with BotApiSandbox() as sandbox:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("ENVOYBOT_", "TELEGRAM_"))}
        env.update(
            {
                "TELEGRAM_BOT_TOKEN": TOKEN,
                "TELEGRAM_BASE_URL": sandbox.base_url,
                "ENVOYBOT_DB": str(tmp_path / "bot.db"),
                "PYTHONPATH": str(ROOT),
            }
        )
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot.cli",
            "run",
            env=env,
            cwd=tmp_path,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        user = sandbox.user(5, "Guest", language_code="en")
        await user.send_text("/help")
        answer = await user.wait_for(timeout=30)
        assert "invite link" in answer.text
        proc.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(proc.communicate(), 30)
        assert proc.returncode == 0, err.decode()[-2000:]
        assert "Traceback" not in err.decode()
        assert (tmp_path / "bot.db").exists()


def _env(base_url: str, tmp_path: Path, lang: str = "en") -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ENVOYBOT_", "TELEGRAM_"))}
    env.update(
        {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_BASE_URL": base_url,
            "ENVOYBOT_DB": str(tmp_path / "bot.db"),
            "ENVOYBOT_LANG": lang,
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


async def test_a_token_telegram_rejects_is_one_line_and_exit_2(tmp_path: Path) -> None:
    async with BotApiSandbox(token="987654321:AAF" + "z" * 32) as sandbox:
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot.cli",
            "run",
            env=_env(sandbox.base_url, tmp_path),
            cwd=tmp_path,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await asyncio.wait_for(proc.communicate(), 30)
    lines = [line for line in err.decode().splitlines() if line.strip()]
    assert proc.returncode == 2
    assert len(lines) == 1 and "rejected this token" in lines[0], lines
    assert out == b""


async def test_unreachable_telegram_is_one_line_per_retry_until_stopped(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "run",
        env=_env(f"http://127.0.0.1:{port}/bot", tmp_path, lang="zh"),
        cwd=tmp_path,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    assert proc.stderr is not None
    first = await asyncio.wait_for(proc.stderr.readline(), 30)
    second = await asyncio.wait_for(proc.stderr.readline(), 30)
    proc.send_signal(signal.SIGINT)
    _, rest = await asyncio.wait_for(proc.communicate(), 30)
    text = (first + second + rest).decode()
    assert "连不上 Telegram" in first.decode() and "1 秒后重试" in first.decode()
    assert "2 秒后重试" in second.decode()  # the wait grows
    assert "Traceback" not in text
