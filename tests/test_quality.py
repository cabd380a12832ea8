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
