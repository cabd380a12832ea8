"""`envoybot run` as an operator starts it: a real process against the sandbox."""

from __future__ import annotations

import asyncio
import os
import signal
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
