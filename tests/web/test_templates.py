"""Every text a template asks for exists in both languages; templates escape everything."""

from __future__ import annotations

import re
from pathlib import Path

from domain.colours import Colour
from domain.login_widget import WidgetRefusal
from storage.web_auth_repo import LinkState
from tests.unit.test_i18n import _keys

TEMPLATES = Path(__file__).resolve().parents[2] / "web" / "templates"


def test_every_key_a_template_uses_exists_in_both_languages() -> None:
    used: set[str] = set()
    for path in TEMPLATES.glob("*.html"):
        used |= set(re.findall(r"""tr\(\s*["']([a-z0-9-]*[a-z0-9])["']""", path.read_text("utf-8")))
    assert len(used) > 40, used
    families = (
        [f"web-link-{s.value}" for s in LinkState if s is not LinkState.VALID]
        + [f"web-refused-{r.value}" for r in WidgetRefusal]
        + ["web-refused-form", "web-refused-not_bound"]
        + [f"web-colour-{c.value}" for c in Colour]
    )
    for lang in ("zh", "en"):
        known = _keys(lang)
        assert sorted(used - known) == [], lang
        assert [k for k in families if k not in known] == [], lang


def test_no_template_turns_escaping_off() -> None:
    for path in TEMPLATES.glob("*.html"):
        text = path.read_text("utf-8")
        for banned in ("|safe", "| safe", "autoescape false", "Markup(", "<script>", "style="):
            assert banned not in text, f"{path.name}: {banned}"
        assert "<script" not in text or 'src="' in text, path.name  # external scripts only
