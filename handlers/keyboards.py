"""The persistent reply keyboard, per role, in both languages."""

from __future__ import annotations

import re

from telegram import ReplyKeyboardMarkup

from domain.models import Actor, Role
from texts.i18n import LANGS, plain


def _alternatives(key: str) -> str:
    return "|".join(re.escape(plain(lang, key)) for lang in LANGS)


REPORT_BUTTON_RE = rf"^({_alternatives('kbd-report')})$"
MY_BUTTON_RE = rf"^({_alternatives('kbd-my')})$"
INBOX_BUTTON_RE = rf"^({_alternatives('kbd-inbox')})$"
HELP_BUTTON_RE = rf"^({_alternatives('kbd-help')})$"


def main_keyboard(lang: str, actor: Actor | None) -> ReplyKeyboardMarkup | None:
    """Staff get Report/My problems; envoys Inbox; everyone Help."""
    if actor is None:
        return None
    if actor.role is Role.STAFF:
        rows = [[plain(lang, "kbd-report")], [plain(lang, "kbd-my"), plain(lang, "kbd-help")]]
    else:
        rows = [[plain(lang, "kbd-inbox"), plain(lang, "kbd-help")]]
    return ReplyKeyboardMarkup(rows, resize_keyboard=True, is_persistent=True)
