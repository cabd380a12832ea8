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


def test_the_web_platform_is_off_until_a_port_or_an_address_is_set() -> None:
    off = make(ENVOYBOT_WEB_PORT="", ENVOYBOT_WEB_URL="")
    assert off.web_port is None and off.web_url is None and not off.web_enabled
    local = make(ENVOYBOT_WEB_PORT="8090")
    assert local.web_enabled and local.web_base_url == "http://127.0.0.1:8090"
    public = make(ENVOYBOT_WEB_URL=" https://envoy.example.cn/ ", ENVOYBOT_WEB_HOST="0.0.0.0")
    assert public.web_enabled and public.web_base_url == "https://envoy.example.cn"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("ENVOYBOT_WEB_URL", "javascript:alert(1)"),
        ("ENVOYBOT_WEB_URL", 'https://a.example/"><script>'),
        ("ENVOYBOT_WEB_URL", "envoy.example.cn"),
        ("ENVOYBOT_WEB_PORT", "65536"),
        ("ENVOYBOT_WEB_IDLE_MINUTES", "0"),
    ],
)
def test_bad_web_settings_are_one_line(name: str, value: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(_env_file=None, **{name: value})
    assert name in str(caught.value) and "\n" not in str(caught.value)
