"""Checking what the Telegram Login Widget hands back, as Telegram documents it.

https://core.telegram.org/widgets/login#checking-authorization: the data-check-string is every
received field except ``hash``, as ``key=value`` sorted by key and joined by line feeds; the
secret key is SHA-256 of the bot token; ``hash`` must be the hex HMAC-SHA-256 of the string
under that key. ``auth_date`` (Unix time) tells when the person confirmed; old data is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

MAX_AGE = timedelta(days=1)
CLOCK_SKEW = timedelta(minutes=5)  # an auth_date this far ahead of our clock still counts


class WidgetRefusal(StrEnum):
    """Why widget data does not sign anyone in."""

    INCOMPLETE = "incomplete"  # no hash, id or auth_date, or not numbers
    BAD_HASH = "bad_hash"  # not signed with this bot's token: forged or altered
    TOO_OLD = "too_old"  # auth_date more than MAX_AGE ago
    FROM_FUTURE = "from_future"  # auth_date ahead of the clock by more than the skew


class WidgetRefused(Exception):
    """The data was refused; ``reason`` says why."""

    def __init__(self, reason: WidgetRefusal) -> None:
        super().__init__(reason.value)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class WidgetLogin:
    """A Telegram account the widget vouched for."""

    tg_user_id: int
    first_name: str
    last_name: str
    username: str
    auth_date: datetime

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.last_name) if p)


_HEX = re.compile(r"[0-9a-f]{64}")


def _digits(text: str) -> bool:
    return text.isascii() and text.isdigit() and len(text) <= 20


def data_check_string(fields: Mapping[str, str]) -> str:
    """Every field but ``hash``, ``key=value`` in key order, one per line."""
    return "\n".join(f"{k}={fields[k]}" for k in sorted(fields) if k != "hash")


def widget_hash(fields: Mapping[str, str], bot_token: str) -> str:
    """The hash Telegram puts on these fields for this bot (also how tests sign data)."""
    secret = hashlib.sha256(bot_token.encode()).digest()
    return hmac.new(secret, data_check_string(fields).encode(), hashlib.sha256).hexdigest()


def check_widget_login(
    fields: Mapping[str, str], bot_token: str, now: datetime, max_age: timedelta = MAX_AGE
) -> WidgetLogin:
    """The account the data vouches for, or WidgetRefused."""
    given = fields.get("hash", "").lower()
    raw_id, raw_date = fields.get("id", ""), fields.get("auth_date", "")
    if not given or not _digits(raw_id) or not _digits(raw_date):
        raise WidgetRefused(WidgetRefusal.INCOMPLETE)
    if not _HEX.fullmatch(given) or not hmac.compare_digest(widget_hash(fields, bot_token), given):
        raise WidgetRefused(WidgetRefusal.BAD_HASH)
    try:
        auth_date = datetime.fromtimestamp(int(raw_date), UTC)
    except (OverflowError, OSError, ValueError):
        raise WidgetRefused(WidgetRefusal.INCOMPLETE) from None
    if now - auth_date > max_age:
        raise WidgetRefused(WidgetRefusal.TOO_OLD)
    if auth_date - now > CLOCK_SKEW:
        raise WidgetRefused(WidgetRefusal.FROM_FUTURE)
    return WidgetLogin(
        tg_user_id=int(raw_id),
        first_name=fields.get("first_name", ""),
        last_name=fields.get("last_name", ""),
        username=fields.get("username", ""),
        auth_date=auth_date,
    )
