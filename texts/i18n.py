"""Fluent translations (bot/locales/<lang>/*.ftl); user text is HTML-escaped on the way in."""

from __future__ import annotations

import html
import logging
from functools import cache
from importlib import resources
from typing import Any

from fluent.runtime import FluentBundle, FluentResource

logger = logging.getLogger(__name__)

LANGS: tuple[str, ...] = ("zh", "en")
DEFAULT_LANG = "zh"
_LOCALE_TAGS = {"zh": "zh-CN", "en": "en-US"}


class Markup(str):
    """A string that is already safe HTML and must not be escaped again."""


def pick_lang(telegram_code: str | None, default: str = DEFAULT_LANG) -> str:
    """Map a Telegram language_code (e.g. 'en-GB', 'zh-hans') to one of ours."""
    if telegram_code:
        base = telegram_code.lower().split("-")[0].split("_")[0]
        if base in LANGS:
            return base
        return "en"  # someone who reads neither language is better served in English
    return default if default in LANGS else DEFAULT_LANG


@cache
def _bundle(lang: str) -> FluentBundle:
    bundle = FluentBundle([_LOCALE_TAGS[lang]], use_isolating=False)
    folder = resources.files("texts") / "locales" / lang
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".ftl"):
            bundle.add_resource(FluentResource(entry.read_text(encoding="utf-8")))
    return bundle


def has_key(lang: str, key: str) -> bool:
    return _bundle(lang).has_message(key)


def _format(lang: str, key: str, args: dict[str, Any]) -> str:
    lang = lang if lang in LANGS else DEFAULT_LANG
    bundle = _bundle(lang)
    if not bundle.has_message(key):
        logger.error("missing translation %s for %s", key, lang)
        if lang != DEFAULT_LANG:
            return _format(DEFAULT_LANG, key, args)
        return key
    message = bundle.get_message(key)
    if message.value is None:
        return key
    text, errors = bundle.format_pattern(message.value, args)
    for error in errors:
        logger.error("translation %s/%s: %s", lang, key, error)
    return str(text)


def t(lang: str, key: str, **kwargs: Any) -> str:
    """HTML text for a message: string arguments are escaped unless they are Markup."""
    args: dict[str, Any] = {}
    for name, value in kwargs.items():
        if isinstance(value, Markup):
            args[name] = str(value)
        elif isinstance(value, str):
            args[name] = html.escape(value, quote=False)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            args[name] = str(value)  # no locale digit grouping: numbers are ids and counts
        else:
            args[name] = value
    return _format(lang, key, args)


def plain(lang: str, key: str, **kwargs: Any) -> str:
    """Plain text (button labels, file names): nothing is escaped."""
    args = {k: (str(v) if isinstance(v, int | float) else v) for k, v in kwargs.items()}
    return _format(lang, key, args)
