"""Every text exists in both languages, and user text is escaped on the way into HTML."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fluent.syntax import parse
from fluent.syntax.ast import Junk, Message

from domain.lifecycle import Action
from domain.models import CATEGORIES, State
from texts.i18n import LANGS, Markup, pick_lang, plain, t

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ROOT / "texts" / "locales"


def _keys(lang: str) -> set[str]:
    keys: set[str] = set()
    for path in sorted((LOCALES / lang).glob("*.ftl")):
        resource = parse(path.read_text(encoding="utf-8"))
        junk = [e for e in resource.body if isinstance(e, Junk)]
        assert not junk, f"{path}: {junk[0].annotations[0].message}"
        keys |= {e.id.name for e in resource.body if isinstance(e, Message)}
    return keys


def test_both_languages_have_the_same_keys() -> None:
    zh, en = _keys("zh"), _keys("en")
    assert zh - en == set(), f"missing in en: {sorted(zh - en)}"
    assert en - zh == set(), f"missing in zh: {sorted(en - zh)}"


def test_every_literal_key_used_in_code_exists() -> None:
    known = _keys("zh")
    used: set[str] = set()
    pattern = re.compile(r"""\b(?:t|plain|deny)\(\s*[a-z_]+,\s*"([a-z0-9_-]+)\"""")
    folders = ("bot", "handlers", "scheduler", "texts", "usecases", "reporting", "delivery", "web")
    for folder in folders:
        for path in (ROOT / folder).rglob("*.py"):
            used |= set(pattern.findall(path.read_text(encoding="utf-8")))
    assert used, "the scan found no keys at all"
    assert used - known == set(), sorted(used - known)


def test_dynamic_key_families_exist() -> None:
    known = _keys("zh")
    families = (
        [f"state-{s.value}" for s in State]
        + [f"action-{a.value}" for a in Action]
        + [f"done-{a.value}" for a in Action]
        + [f"role-{r}" for r in ("staff", "envoy", "lead", "admin", "department")]
        + [f"help-{r}" for r in ("guest", "staff", "envoy", "lead", "admin", "department")]
        + [f"invite-ok-{r}" for r in ("staff", "envoy", "lead", "admin", "department")]
        + [f"invite-{o}" for o in ("unknown", "used", "expired", "already_bound", "taken")]
        + [f"ask-{c}" for c in ("note", "escalate", "resolve", "reject", "info", "withdraw")]
        + [f"category-{c}" for c in CATEGORIES]
    )
    assert [k for k in families if k not in known] == []


def test_user_text_is_escaped_but_markup_is_not() -> None:
    text = t("zh", "notify-progress", number="2026-0001", note="<b>&amp; 'x'")
    assert "&lt;b&gt;&amp;amp; 'x'" in text
    assert "<b>" not in text
    card = t("en", "deadline-was", due=Markup("<i>soon</i>"))
    assert "<i>soon</i>" in card


def test_plain_text_is_not_escaped() -> None:
    assert plain("en", "err-no-such-number", number="<1>").count("<1>") == 1


@pytest.mark.parametrize(
    ("code", "expected"),
    [("zh-hans", "zh"), ("zh-CN", "zh"), ("en", "en"), ("en-GB", "en"), (None, "zh"), ("de", "en")],
)
def test_language_is_picked_from_telegram(code: str | None, expected: str) -> None:
    assert pick_lang(code) == expected


def test_langs_are_the_two_we_ship() -> None:
    assert set(LANGS) == {p.name for p in LOCALES.iterdir() if p.is_dir()}
