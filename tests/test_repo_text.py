"""The repository speaks of the project only: no machine's paths, no notes on who wrote what."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TEXT_SUFFIXES = frozenset(
    {".py", ".md", ".ftl", ".sql", ".toml", ".txt", ".csv", ".js", ".css", ".html", ".example"}
)
MACHINE_PATH = re.compile(r"(?<![\w.])/(?:work|root|home|Users)/[\w.-]+")
AUTHORSHIP = re.compile(
    r"\((?:another )?helper\)|helper's|another helper|written by (?:me|another)", re.I
)
THIS_FILE = Path(__file__).resolve()


def _tracked_text_files() -> list[Path]:
    try:
        listed = subprocess.run(
            ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.splitlines()
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    files = [ROOT / name for name in listed]
    return [
        f
        for f in files
        if (f.suffix in TEXT_SUFFIXES or f.name == "run") and f.is_file() and f != THIS_FILE
    ]


def test_no_machine_paths_or_authorship_notes() -> None:
    found: list[str] = []
    for path in _tracked_text_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), start=1):
            if MACHINE_PATH.search(line) or AUTHORSHIP.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == []
