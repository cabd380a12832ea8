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


def test_readme_opens_with_what_it_is_then_the_two_commands() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    title, rest = text.split("\n", 1)
    assert title.startswith("# envoybot")
    intro, after = rest.strip().split("\n\n", 1)
    assert intro.startswith("envoybot is a Telegram bot for ")
    assert intro.count(". ") == 0 and intro.endswith(".")  # one sentence
    assert after.startswith(
        "```bash\npython3 -m venv .venv && .venv/bin/pip install -e . && .venv/bin/envoybot demo\n"
        "```\n```bash\n"
        'python3 -m venv .venv && .venv/bin/pip install -e ".[test]" && .venv/bin/pytest\n```\n'
    )
    running = text.split("## Running it", 1)[1].split("\n## ", 1)[0]
    for needed in ("Python ≥ 3.11", ".venv/bin/envoybot", "source .venv/bin/activate"):
        assert needed in running
    assert "ENVOYBOT_BOT_USERNAME" in running and "ENVOYBOT_ADMINS" in running
    assert "invite --admin" in running and "user id" in running
