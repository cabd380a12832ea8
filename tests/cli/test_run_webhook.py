"""`envoybot run --webhook URL --port N` as an operator starts it behind a proxy: setWebhook
on start, updates answered through the webhook, SIGTERM exits 0 and leaves the webhook set
(another instance may still be serving it)."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings
from sandbox import BotApiSandbox
from tests.pg_cluster import free_port

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "123456789:AAE" + "w" * 32


async def test_run_with_a_webhook(tmp_path: Path) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/envoybot"
    async with BotApiSandbox() as sandbox:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("ENVOYBOT_", "TELEGRAM_"))}
        env.update(
            {
                "TELEGRAM_BOT_TOKEN": TOKEN,
                "TELEGRAM_BASE_URL": sandbox.base_url,
                "ENVOYBOT_DB": str(tmp_path / "bot.db"),
                "ENVOYBOT_WEBHOOK_SECRET": "proxy-secret_1",
                "PYTHONPATH": str(ROOT),
            }
        )
        args = ["-m", "bot.cli", "run", "--webhook", url, "--port", str(port)]
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            *args,
            env=env,
            cwd=tmp_path,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        user = sandbox.user(5, "Guest", language_code="en")
        await user.send_text("/help")
        answer = await user.wait_for(timeout=30)
        assert "invite link" in answer.text
        info = sandbox.methods.webhook.info()
        assert info["url"] == url and sandbox.methods.webhook.state.secret_token == "proxy-secret_1"
        assert not sandbox.calls_of("getUpdates")
        proc.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(proc.communicate(), 30)
        assert proc.returncode == 0, err.decode()[-2000:]
        assert "Traceback" not in err.decode()
        assert sandbox.methods.webhook.info()["url"] == url


@pytest.mark.parametrize(
    ("name", "value"),
    [("ENVOYBOT_WEBHOOK_URL", "envoy.example.org/hook"), ("ENVOYBOT_WEBHOOK_SECRET", "a b")],
)
def test_bad_webhook_settings_are_one_line(name: str, value: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(_env_file=None, **{name: value})
    assert name in str(caught.value) and "\n" not in str(caught.value)


def test_the_secret_is_the_same_on_every_instance_and_not_the_token() -> None:
    one = load_settings(_env_file=None, TELEGRAM_BOT_TOKEN=TOKEN)
    two = load_settings(_env_file=None, TELEGRAM_BOT_TOKEN=TOKEN)
    assert one.webhook_secret_token == two.webhook_secret_token
    assert TOKEN.split(":")[1] not in one.webhook_secret_token
    assert len(one.webhook_secret_token) == 64
