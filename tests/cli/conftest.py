"""The CLI tests run `envoybot` in-process against a fresh SQLite file in tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the CLI at a fresh database and keep any real .env out of the way; English output."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ENVOYBOT_LANG", "en")
    db = tmp_path / "envoybot.db"
    monkeypatch.setenv("ENVOYBOT_DB", str(db))
    monkeypatch.setenv("ENVOYBOT_BOT_USERNAME", "envoy_test_bot")
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    return db
