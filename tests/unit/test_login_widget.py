"""The Telegram Login Widget's data is checked as Telegram documents: hash and age."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta

import pytest

from domain.login_widget import (
    WidgetRefusal,
    WidgetRefused,
    check_widget_login,
    data_check_string,
    widget_hash,
)

TOKEN = "123456789:AAE" + "x" * 32
NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


def signed(token: str = TOKEN, at: datetime = NOW, **extra: str) -> dict[str, str]:
    """Fields as the widget sends them, signed the way the documentation spells out."""
    fields = {
        "id": "301",
        "first_name": "芳",
        "last_name": "王",
        "username": "wangfang",
        "photo_url": "https://t.me/i/userpic/320/wangfang.jpg",
        "auth_date": str(int(at.timestamp())),
        **extra,
    }
    check = "\n".join(f"{k}={fields[k]}" for k in sorted(fields))
    secret = hashlib.sha256(token.encode()).digest()
    fields["hash"] = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    return fields


def refusal(fields: dict[str, str], now: datetime = NOW, token: str = TOKEN) -> WidgetRefusal:
    with pytest.raises(WidgetRefused) as caught:
        check_widget_login(fields, token, now)
    return caught.value.reason


def test_data_signed_with_the_bot_token_signs_in() -> None:
    login = check_widget_login(signed(), TOKEN, NOW + timedelta(minutes=3))
    assert login.tg_user_id == 301
    assert login.full_name == "芳 王" and login.username == "wangfang"
    assert login.auth_date == NOW


def test_the_check_string_is_sorted_fields_without_the_hash() -> None:
    fields = {"id": "1", "auth_date": "2", "hash": "h", "first_name": "A"}
    assert data_check_string(fields) == "auth_date=2\nfirst_name=A\nid=1"
    assert widget_hash(signed(), TOKEN) == signed()["hash"]


@pytest.mark.parametrize("field", ["id", "first_name", "username", "auth_date", "photo_url"])
def test_any_altered_field_is_refused(field: str) -> None:
    fields = signed()
    fields[field] = fields[field] + "9"
    assert refusal(fields) is WidgetRefusal.BAD_HASH


def test_an_added_field_or_another_bots_token_is_refused() -> None:
    fields = signed()
    fields["role"] = "admin"
    assert refusal(fields) is WidgetRefusal.BAD_HASH
    assert refusal(signed(token="987654321:BBF" + "y" * 32)) is WidgetRefusal.BAD_HASH


@pytest.mark.parametrize("bad", ["", "abc", "Z" * 64, "é" * 64, "0" * 64])
def test_a_missing_or_malformed_hash_is_refused(bad: str) -> None:
    fields = signed()
    fields["hash"] = bad
    assert refusal(fields) in (WidgetRefusal.BAD_HASH, WidgetRefusal.INCOMPLETE)


@pytest.mark.parametrize("field", ["id", "auth_date"])
def test_missing_or_non_numeric_id_and_date_are_incomplete(field: str) -> None:
    fields = signed()
    del fields[field]
    assert refusal(fields) is WidgetRefusal.INCOMPLETE
    assert refusal(signed(**{field: "１２３"})) is WidgetRefusal.INCOMPLETE  # fullwidth digits


def test_auth_date_older_than_a_day_is_refused() -> None:
    day = timedelta(days=1)
    assert check_widget_login(signed(), TOKEN, NOW + day).tg_user_id == 301
    assert refusal(signed(), now=NOW + day + timedelta(seconds=1)) is WidgetRefusal.TOO_OLD


def test_auth_date_from_the_future_is_refused_beyond_a_small_skew() -> None:
    ahead = signed(at=NOW + timedelta(minutes=4))
    assert check_widget_login(ahead, TOKEN, NOW).tg_user_id == 301
    assert refusal(signed(at=NOW + timedelta(minutes=6))) is WidgetRefusal.FROM_FUTURE
