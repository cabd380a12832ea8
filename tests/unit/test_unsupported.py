"""Voice, video, stickers and the like are named in both languages (issue 10, item 9)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from telegram import Chat, Contact, Location, Message, Sticker, Venue, Voice

from handlers.unsupported import KINDS, unsupported_kind, unsupported_prefix, unsupported_text
from texts.i18n import LANGS, has_key


def message(**kinds: Any) -> Message:
    return Message(1, datetime(2026, 3, 2, tzinfo=UTC), Chat(1, "private"), **kinds)


@pytest.mark.parametrize("lang", LANGS)
def test_every_kind_has_a_name_in_each_language(lang: str) -> None:
    assert [k for k in KINDS if not has_key(lang, f"input-kind-{k}")] == []


def test_the_kind_is_found_and_a_venue_is_not_taken_for_a_bare_location() -> None:
    here = Location(121.47, 31.23)
    assert unsupported_kind(message(voice=Voice("v", "uv", 3))) == "voice"
    assert unsupported_kind(message(location=here)) == "location"
    assert unsupported_kind(message(location=here, venue=Venue(here, "厂区", "路"))) == "venue"
    assert unsupported_kind(message(contact=Contact("+86", "张三"))) == "contact"
    sticker = Sticker("s", "us", 512, 512, False, False, "regular")
    assert unsupported_kind(message(sticker=sticker)) == "sticker"
    assert unsupported_kind(message(text="你好")) is None
    assert unsupported_kind(None) is None


def test_the_answer_says_what_arrived_and_what_is_accepted() -> None:
    assert "语音消息" in unsupported_text("zh", "voice")
    assert "文字、照片和文件" in unsupported_text("zh", "voice")
    english = unsupported_text("en", "video_note")
    assert "round video messages" in english and "text, photos and documents" in english
    assert unsupported_prefix("en", message(text="hi")) == ""
    assert unsupported_prefix("en", message(voice=Voice("v", "uv", 3))).endswith("\n\n")
