"""ruff and mypy, as configured in pyproject.toml, stay clean."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: install the [test] extra")
    return found


def test_ruff_is_clean() -> None:
    run = subprocess.run([_tool("ruff"), "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_mypy_is_clean() -> None:
    run = subprocess.run([_tool("mypy")], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_domain_imports_neither_telegram_nor_aiosqlite() -> None:
    for path in (ROOT / "domain").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        for banned in ("import telegram", "from telegram", "import aiosqlite", "from aiosqlite"):
            assert banned not in text, f"{path.name} imports {banned.split()[-1]}"


def _imports(folder: str) -> list[tuple[str, str, str, str]]:
    """(file, line, top-level package, module) of every import statement in a folder."""
    found = []
    for path in (ROOT / folder).glob("*.py"):
        for line in path.read_text(encoding="utf-8").splitlines():
            words = line.split()
            if len(words) >= 2 and words[0] in ("import", "from"):
                found.append((f"{folder}/{path.name}", line, words[1].split(".")[0], words[1]))
    return found


def test_use_cases_import_no_adapter_and_no_telegram() -> None:
    """Arrows run one way: use cases and reporting never reach up to handlers or Telegram."""
    banned = ("telegram", "handlers", "scheduler", "delivery", "sandbox", "web")
    for folder in ("usecases", "reporting"):
        for where, line, top, module in _imports(folder):
            assert top not in banned, f"{where}: {line}"
            # settings are the one thing they read from bot/
            assert top != "bot" or module == "bot.config", f"{where}: {line}"


def test_web_is_an_adapter_beside_the_handlers() -> None:
    """bot → web → use cases, reporting → domain, storage: the web never reaches Telegram."""
    assert _imports("web"), "the scan found no imports in web/"
    banned = ("telegram", "handlers", "scheduler", "delivery", "sandbox", "bot")
    for where, line, top, _ in _imports("web"):
        assert top not in banned, f"{where}: {line}"
    for folder in ("domain", "storage", "usecases", "reporting", "texts", "handlers"):
        for where, line, top, _ in _imports(folder):
            assert top != "web", f"{where}: {line}"
