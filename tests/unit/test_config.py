"""Settings are typed and validated; a bad token is one line in the operator's language."""

from __future__ import annotations

import pytest

from bot.config import ConfigError, Settings, load_settings


def make(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def test_defaults_follow_the_spec() -> None:
    s = make()
    assert s.tier_days == [1, 3, 7] and s.tz == "Asia/Shanghai" and s.db == "./envoybot.db"
    assert [s.reminder_hours(t) for t in (1, 2, 3)] == [[4], [24, 4], [72, 24, 4]]
    assert (s.quiet_start, s.quiet_end, s.digest_time) == ("22:00", "08:00", "09:00")


def test_lists_come_from_comma_separated_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENVOYBOT_ADMINS", "11, 22")
    monkeypatch.setenv("ENVOYBOT_TIER_DAYS", "2,4,8")
    s = load_settings(_env_file=None)
    assert s.admins == [11, 22] and s.tier_days == [2, 4, 8]


@pytest.mark.parametrize(
    ("values", "name"),
    [
        ({"ENVOYBOT_TZ": "Mars/Olympus"}, "ENVOYBOT_TZ"),
        ({"ENVOYBOT_TIER_DAYS": "1,3"}, "ENVOYBOT_TIER_DAYS"),
        ({"ENVOYBOT_QUIET_START": "25:00"}, "ENVOYBOT_QUIET_START"),
    ],
)
def test_bad_values_are_one_line(
    values: dict[str, str], name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ENVOYBOT_LANG", "en")
    with pytest.raises(ConfigError) as err:
        load_settings(_env_file=None, **values)
    assert name in str(err.value) and "\n" not in str(err.value)


@pytest.mark.parametrize(
    ("token", "key"),
    [
        ("", "config-token-missing"),
        ("nope", "config-token-malformed"),
        ("123:short", "config-token-malformed"),
    ],
)
def test_token_errors_speak_the_operators_language(
    token: str, key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = make(TELEGRAM_BOT_TOKEN=token)
    with pytest.raises(ConfigError) as err:
        s.require_token()
    assert err.value.key == key
    monkeypatch.setenv("ENVOYBOT_LANG", "zh")
    assert "TELEGRAM_BOT_TOKEN" in str(err.value) and "@BotFather" in str(err.value)
    monkeypatch.setenv("ENVOYBOT_LANG", "en")
    assert "@BotFather" in str(err.value)


def test_a_real_looking_token_passes() -> None:
    assert make(TELEGRAM_BOT_TOKEN="123456:" + "A" * 35).require_token().startswith("123456:")
