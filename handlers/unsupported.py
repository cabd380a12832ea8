"""Message kinds the bot cannot use (voice, video, stickers, places…): say what it takes."""

from __future__ import annotations

from telegram import Message
from telegram.ext import filters

from texts.i18n import plain, t

# Checked in this order: a venue carries a location too, so it is named first.
KINDS: tuple[str, ...] = (
    "voice",
    "video_note",
    "video",
    "audio",
    "animation",
    "sticker",
    "venue",
    "location",
    "contact",
    "poll",
    "dice",
    "game",
    "story",
)
UNSUPPORTED = (
    filters.VOICE
    | filters.VIDEO_NOTE
    | filters.VIDEO
    | filters.AUDIO
    | filters.ANIMATION
    | filters.Sticker.ALL
    | filters.VENUE
    | filters.LOCATION
    | filters.CONTACT
    | filters.POLL
    | filters.Dice.ALL
    | filters.GAME
    | filters.STORY
)


def unsupported_kind(message: Message | None) -> str | None:
    """The kind of message the bot cannot use, or None for text, photos, documents and the rest."""
    if message is None:
        return None
    return next((kind for kind in KINDS if getattr(message, kind, None)), None)


def unsupported_text(lang: str, kind: str) -> str:
    """Names what arrived and what the bot accepts instead: text, photos and documents."""
    return t(lang, "input-unsupported", kind=plain(lang, f"input-kind-{kind}"))


def unsupported_prefix(lang: str, message: Message | None) -> str:
    """The unsupported-kind line plus a blank line, or "" when the message is of a usable kind."""
    kind = unsupported_kind(message)
    return unsupported_text(lang, kind) + "\n\n" if kind else ""
