"""Operator texts live in cli.ftl: every cli-* key the code names exists in both languages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.maintenance import BackupRefused
from texts.i18n import LANGS, has_key, plain
from usecases.invites import InviteTargetError
from usecases.roster import RosterFileError

ROOT = Path(__file__).resolve().parents[2]
KEY = re.compile(r"""["'](cli-[a-z0-9-]+)["']""")


def _keys_in_code() -> set[str]:
    keys: set[str] = set()
    for path in [*(ROOT / "bot").rglob("*.py"), *(ROOT / "usecases").rglob("*.py")]:
        keys |= set(KEY.findall(path.read_text(encoding="utf-8")))
    return keys


def test_every_cli_key_in_code_exists_in_both_languages() -> None:
    used = _keys_in_code()
    assert {"cli-failed", "cli-roster-empty", "cli-invite-no-envoy", "cli-backup-live"} <= used
    missing = sorted(f"{lang}:{key}" for key in used for lang in LANGS if not has_key(lang, key))
    assert missing == []


@pytest.mark.parametrize("error_type", [RosterFileError, InviteTargetError, BackupRefused])
def test_operator_errors_carry_a_key_and_render_per_language(error_type: type) -> None:
    error = error_type("cli-roster-no-file", path="/tmp/roster.csv")
    assert (error.key, error.args_map) == ("cli-roster-no-file", {"path": "/tmp/roster.csv"})
    assert error.render("zh") == "/tmp/roster.csv：文件不存在"
    assert str(error) == "/tmp/roster.csv: no such file"


def test_failure_prefix_keeps_the_command_name() -> None:
    assert plain("en", "cli-failed", command="backup", reason="x") == "envoybot backup: x"
    assert plain("zh", "cli-failed", command="backup", reason="x") == "envoybot backup：x"
