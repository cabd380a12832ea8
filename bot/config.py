"""One typed settings object read from the environment and a .env file (SPEC §6)."""

from __future__ import annotations

import hashlib
import os
import re
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import dotenv_values
from pydantic import Field, ValidationError, field_validator
from pydantic_core import PydanticCustomError
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from domain.models import CATEGORIES
from usecases.errors import OperatorError

TOKEN_RE = re.compile(r"^\d{1,20}:[A-Za-z0-9_-]{30,}$")
OPERATOR_LANGS = ("zh", "en")
ENV_FILE = ".env"
MAX_SHOWN_VALUE = 40
# pydantic's own error types, as config.ftl reasons; custom validators name their key directly
_REASONS = {
    "int_parsing": "config-reason-integer",
    "int_type": "config-reason-integer",
    "int_from_float": "config-reason-integer",
    "float_parsing": "config-reason-number",
    "bool_parsing": "config-reason-yes-no",
    "literal_error": "config-reason-choice",
    "greater_than_equal": "config-reason-at-least",
    "greater_than": "config-reason-more-than",
    "less_than_equal": "config-reason-at-most",
    "list_type": "config-reason-list",
    "string_type": "config-reason-text",
}


def operator_lang() -> str:
    """ENVOYBOT_LANG from the environment or .env, readable before the settings load."""
    lang = os.environ.get("ENVOYBOT_LANG")
    if lang is None and os.path.isfile(ENV_FILE):
        lang = dotenv_values(ENV_FILE).get("ENVOYBOT_LANG")
    lang = (lang or "").strip().lower()
    return lang if lang in OPERATOR_LANGS else "zh"


class ConfigError(OperatorError):
    """A setting is missing or malformed; the message is one line for the operator."""

    def __str__(self) -> str:
        return self.render(operator_lang())  # settings may be what failed to load


def _int_list(value: object) -> object:
    """Accept "1,2, 3" as well as a list of ints."""
    if isinstance(value, str):
        parts = [p.strip() for p in value.replace(";", ",").split(",")]
        try:
            return [int(p) for p in parts if p]
        except ValueError:
            raise PydanticCustomError(
                "config-reason-int-list", "comma-separated integers"
            ) from None
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
    dispatch_reminders: Annotated[list[int], NoDecode] = Field(
        default_factory=lambda: [24, 4], validation_alias="ENVOYBOT_DISPATCH_REMINDERS"
    )
    evaluation_months: int = Field(
        default=2, ge=0, le=12, validation_alias="ENVOYBOT_EVALUATION_MONTHS"
    )
    quiet_start: str = Field(default="22:00", validation_alias="ENVOYBOT_QUIET_START")
    quiet_end: str = Field(default="08:00", validation_alias="ENVOYBOT_QUIET_END")
    digest_time: str = Field(default="09:00", validation_alias="ENVOYBOT_DIGEST_TIME")
    invite_days: int = Field(default=14, ge=1, validation_alias="ENVOYBOT_INVITE_DAYS")
    min_description: int = Field(default=10, ge=1, validation_alias="ENVOYBOT_MIN_DESCRIPTION")
    send_rate: float = Field(default=30.0, ge=0, validation_alias="ENVOYBOT_SEND_RATE")
    categories: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: list(CATEGORIES),
        validation_alias="ENVOYBOT_CATEGORIES",
    )
    # the web platform (云平台): off unless a port is set
    web_port: int | None = Field(default=None, ge=0, le=65535, validation_alias="ENVOYBOT_WEB_PORT")
    web_host: str = Field(default="127.0.0.1", validation_alias="ENVOYBOT_WEB_HOST")
    web_url: str | None = Field(default=None, validation_alias="ENVOYBOT_WEB_URL")
    web_idle_minutes: int = Field(default=60, ge=1, validation_alias="ENVOYBOT_WEB_IDLE_MINUTES")
    web_login_widget: bool = Field(default=False, validation_alias="ENVOYBOT_WEB_LOGIN_WIDGET")
    # webhook mode (behind a reverse proxy): off unless a public address is set
    webhook_url: str | None = Field(default=None, validation_alias="ENVOYBOT_WEBHOOK_URL")
    webhook_listen: str = Field(default="127.0.0.1", validation_alias="ENVOYBOT_WEBHOOK_LISTEN")
    webhook_port: int = Field(
        default=8443, ge=1, le=65535, validation_alias="ENVOYBOT_WEBHOOK_PORT"
    )
    webhook_secret: str | None = Field(default=None, validation_alias="ENVOYBOT_WEBHOOK_SECRET")
    # this process's name among instances sharing a database (default: host, pid, random)
    instance: str | None = Field(default=None, validation_alias="ENVOYBOT_INSTANCE")

    _split_ints = field_validator(
        "admins",
        "tier_days",
        "reminders_tier1",
        "reminders_tier2",
        "reminders_tier3",
        "dispatch_reminders",
        mode="before",
    )(_int_list)

    @field_validator("categories", mode="before")
    @classmethod
    def _split_words(cls, value: object) -> object:
        if isinstance(value, str):
            return [p.strip() for p in value.split(",") if p.strip()]
        return value

    @field_validator("web_port", mode="before")
    @classmethod
    def _blank_port(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("web_url", mode="before")
    @classmethod
    def _web_url(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.strip().rstrip("/")
            if not value:
                return None
            if not re.fullmatch(r"https?://[^\s/?#\"'<>&]+(/[^\s?#\"'<>&]*)?", value):
                raise PydanticCustomError("config-reason-web-url", "an http(s) address")
        return value

    @field_validator("evaluation_months")
    @classmethod
    def _divides_a_year(cls, value: int) -> int:
        if value and 12 % value:
            raise PydanticCustomError("config-reason-months", "0 or a divisor of 12")
        return value

    @field_validator("webhook_url", mode="before")
    @classmethod
    def _webhook_url(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.strip()
            if not value:
                return None
            if not re.fullmatch(r"https?://[^\s/?#\"'<>&]+(/[^\s?#\"'<>&]*)?", value):
                raise PydanticCustomError("config-reason-web-url", "an http(s) address")
        return value

    @field_validator("webhook_secret", mode="before")
    @classmethod
    def _webhook_secret(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.strip()
            if not value:
                return None
            if not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", value):
                raise PydanticCustomError("config-reason-webhook-secret", "A-Z a-z 0-9 _ -")
        return value

    @field_validator("tier_days")
    @classmethod
    def _three_tiers(cls, value: list[int]) -> list[int]:
        if len(value) != 3 or any(d < 1 for d in value):
            raise PydanticCustomError("config-reason-tier-days", "three positive day counts")
        return value

    @field_validator("tz")
    @classmethod
    def _known_tz(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise PydanticCustomError("config-reason-time-zone", "unknown time zone") from exc
        return value

    @field_validator("quiet_start", "quiet_end", "digest_time")
    @classmethod
    def _hhmm(cls, value: str) -> str:
        if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value):
            raise PydanticCustomError("config-reason-hhmm", "expected HH:MM")
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz)

    @property
    def web_enabled(self) -> bool:
        """A web platform is set up: served by this process (port) or elsewhere (address)."""
        return self.web_port is not None or self.web_url is not None

    @property
    def web_base_url(self) -> str:
        """Where people open the web platform: ENVOYBOT_WEB_URL, else this machine's port."""
        if self.web_url:
            return self.web_url
        host = self.web_host if self.web_host not in ("0.0.0.0", "::", "") else "127.0.0.1"
        return f"http://{host}:{self.web_port or 8090}"

    def reminder_hours(self, tier: int) -> list[int]:
        """Hours before the deadline at which the envoy is reminded, for a tier."""
        return {1: self.reminders_tier1, 2: self.reminders_tier2, 3: self.reminders_tier3}[tier]

    @property
    def webhook_path(self) -> str:
        """The path the webhook listens on: the public address's, so a proxy passes it as is."""
        assert self.webhook_url is not None
        return urlsplit(self.webhook_url).path.strip("/")

    @property
    def webhook_secret_token(self) -> str:
        """ENVOYBOT_WEBHOOK_SECRET, else one derived from the token (the same on every
        instance, unguessable without the token): Telegram sends it with every update."""
        if self.webhook_secret:
            return self.webhook_secret
        digest = hashlib.sha256(b"envoybot-webhook:" + self.require_token().encode()).hexdigest()
        return digest

    def require_token(self) -> str:
        """The token, or a one-line ConfigError saying what is wrong with it."""
        token = self.telegram_bot_token.strip()
        if not token:
            raise ConfigError("config-token-missing")
        if not TOKEN_RE.match(token):
            raise ConfigError("config-token-malformed")
        return token


def _reason(error: Any) -> ConfigError:
    """Why pydantic refused a value, as a config.ftl reason (never pydantic's English)."""
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    key = kind if kind.startswith("config-reason-") else _REASONS.get(kind, "config-reason-other")
    if key == "config-reason-choice":
        choices = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        return ConfigError(key, choices=", ".join(choices))
    limit = next((ctx[k] for k in ("ge", "gt", "le") if k in ctx), "")
    return ConfigError(key, limit=str(limit))


def _shown(value: object) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= MAX_SHOWN_VALUE else text[: MAX_SHOWN_VALUE - 1] + "…"


def load_settings(**overrides: object) -> Settings:
    """Read settings, turning validation errors into one readable ConfigError."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "settings"
        value = _shown(first.get("input", ""))
        raise ConfigError("config-invalid", name=where, value=value, reason=_reason(first)) from exc
