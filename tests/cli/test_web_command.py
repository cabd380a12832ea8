"""`envoybot run` with ENVOYBOT_WEB_PORT serves the web platform too; `envoybot web` alone."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import sys
from pathlib import Path

import aiohttp

from sandbox import BotApiSandbox

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "123456789:AAE" + "w" * 32


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ENVOYBOT_", "TELEGRAM_"))}
    env.update({"ENVOYBOT_DB": str(tmp_path / "bot.db"), "PYTHONPATH": str(ROOT), **extra})
    return env


async def _login_page(url: str) -> str:
    async with aiohttp.ClientSession() as browser:
        for _ in range(100):
            try:
                async with browser.get(url + "/login") as page:
                    assert page.status == 200
                    return await page.text()
            except aiohttp.ClientConnectionError:
                await asyncio.sleep(0.1)
    raise AssertionError(f"nothing listens on {url}")


async def test_web_alone_serves_and_stops_on_sigint(tmp_path: Path) -> None:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "web", "--port", "0",
        env=_env(tmp_path, ENVOYBOT_LANG="zh"), cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    assert proc.stdout is not None
    line = (await asyncio.wait_for(proc.stdout.readline(), 30)).decode()
    match = re.search(r"(http://127\.0\.0\.1:\d+)", line)
    assert match is not None and "云平台已启动" in line, line
    assert "/web" in await _login_page(match.group(1))
    proc.send_signal(signal.SIGINT)
    out, err = await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode == 0, err.decode()[-2000:]
    assert "云平台已停止" in out.decode()
    assert "TELEGRAM_BOT_TOKEN" in err.decode()  # told that attachments cannot be fetched
    assert "Traceback" not in err.decode()


async def test_run_with_a_web_port_serves_the_platform_in_the_same_process(
    tmp_path: Path,
) -> None:
    port = free_port()
    async with BotApiSandbox() as sandbox:
        env = _env(
            tmp_path,
            TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_BASE_URL=sandbox.base_url,
            ENVOYBOT_WEB_PORT=str(port),
        )
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli", "run", env=env, cwd=tmp_path,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        try:
            assert "/web" in await _login_page(f"http://127.0.0.1:{port}")
        finally:
            proc.send_signal(signal.SIGTERM)
            _, err = await asyncio.wait_for(proc.communicate(), 30)
        assert proc.returncode == 0, err.decode()[-2000:]
        assert "web platform listening" in err.decode()
        assert "Traceback" not in err.decode()
    with socket.socket() as s:
        s.bind(("127.0.0.1", port))  # released on the way out
