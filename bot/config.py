"""One typed settings object read from the environment and a .env file (SPEC §6)."""

from __future__ import annotations

import os
import re
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from domain.models import CATEGORIES
from usecases.errors import OperatorError

TOKEN_RE = re.compile(r"^\d{1,20}:[A-Za-z0-9_-]{30,}$")


class ConfigError(OperatorError):
    """A setting is missing or malformed; the message is one line for the operator."""

    def __str__(self) -> str:
        lang = os.environ.get("ENVOYBOT_LANG", "zh")  # settings may be what failed to load
        return self.render(lang if lang in ("zh", "en") else "zh")


def _int_list(value: object) -> object:
    """Accept "1,2, 3" as well as a list of ints."""
    if isinstance(value, str):
        parts = [p.strip() for p in value.replace(";", ",").split(",")]
        return [int(p) for p in parts if p]
    if isinstance(value, int):
        return [value]
    return value


class Settings(BaseSettings):
    """Everything envoybot can be told from outside."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    telegram_bot_token: str = Field(default="", validation_alias="TELEGRAM_BOT_TOKEN")
    telegram_base_url: str | None = Field(default=None, validation_alias="TELEGRAM_BASE_URL")
    telegram_base_file_url: str | None = Field(
        default=None, validation_alias="TELEGRAM_BASE_FILE_URL"
    )
    bot_username: str | None = Field(default=None, validation_alias="ENVOYBOT_BOT_USERNAME")

    db: str = Field(default="./envoybot.db", validation_alias="ENVOYBOT_DB")
    admins: Annotated[list[int], NoDecode] = Field(
        default_factory=list, validation_alias="ENVOYBOT_ADMINS"
    )
    tz: str = Field(default="Asia/Shanghai", validation_alias="ENVOYBOT_TZ")
    default_lang: Literal["zh", "en"] = Field(default="zh", validation_alias="ENVOYBOT_LANG")

    tier_days: Annotated[list[int], NoDecode] = Field(
        default_factory=lambda: [1, 3, 7], validation_alias="ENVOYBOT_TIER_DAYS"
    )
    day_counting: Literal["calendar", "workdays"] = Field(
        default="calendar", validation_alias="ENVOYBOT_DAY_COUNTING"
    )
    reminders_tier1: Annotated[list[int], NoDecode] = Field(
        default_factory=lambda: [4], validation_alias="ENVOYBOT_REMINDERS_TIER1"
    )
    reminders_tier2: Annotated[list[int], NoDecode] = Field(
        default_factory=lambda: [24, 4], validation_alias="ENVOYBOT_REMINDERS_TIER2"
    )
    reminders_tier3: Annotated[list[int], NoDecode] = Field(
        default_factory=lambda: [72, 24, 4], validation_alias="ENVOYBOT_REMINDERS_TIER3"
    )
    quiet_start: str = Field(default="22:00", validation_alias="ENVOYBOT_QUIET_START")
    quiet_end: str = Field(default="08:00", validation_alias="ENVOYBOT_QUIET_END")
    digest_time: str = Field(default="09:00", validation_alias="ENVOYBOT_DIGEST_TIME")
    invite_days: int = Field(default=14, ge=1, validation_alias="ENVOYBOT_INVITE_DAYS")
    min_description: int = Field(default=10, ge=1, validation_alias="ENVOYBOT_MIN_DESCRIPTION")
    categories: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: list(CATEGORIES),
        validation_alias="ENVOYBOT_CATEGORIES",
    )

    _split_ints = field_validator(
        "admins",
        "tier_days",
        "reminders_tier1",
        "reminders_tier2",
        "reminders_tier3",
        mode="before",
    )(_int_list)

    @field_validator("categories", mode="before")
    @classmethod
    def _split_words(cls, value: object) -> object:
        if isinstance(value, str):
            return [p.strip() for p in value.split(",") if p.strip()]
        return value

    @field_validator("tier_days")
    @classmethod
    def _three_tiers(cls, value: list[int]) -> list[int]:
        if len(value) != 3 or any(d < 1 for d in value):
            raise ValueError("ENVOYBOT_TIER_DAYS needs three positive day counts, e.g. 1,3,7")
        return value

    @field_validator("tz")
    @classmethod
    def _known_tz(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("quiet_start", "quiet_end", "digest_time")
    @classmethod
    def _hhmm(cls, value: str) -> str:
        if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value):
            raise ValueError(f"expected HH:MM, got {value!r}")
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz)

    def reminder_hours(self, tier: int) -> list[int]:
        """Hours before the deadline at which the envoy is reminded, for a tier."""
        return {1: self.reminders_tier1, 2: self.reminders_tier2, 3: self.reminders_tier3}[tier]

    def require_token(self) -> str:
        """The token, or a one-line ConfigError saying what is wrong with it."""
        token = self.telegram_bot_token.strip()
        if not token:
            raise ConfigError("config-token-missing")
        if not TOKEN_RE.match(token):
            raise ConfigError("config-token-malformed")
        return token


def load_settings(**overrides: object) -> Settings:
    """Read settings, turning validation errors into one readable ConfigError."""
    from pydantic import ValidationError

    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "settings"
        raise ConfigError("config-invalid", name=where, reason=str(first.get("msg"))) from exc
