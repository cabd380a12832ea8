"""Words and times on the pages, from the bot's own Fluent texts (plain: Jinja escapes)."""

from __future__ import annotations

from datetime import datetime, tzinfo

from domain.colours import Colour
from domain.models import State
from reporting.export_xlsx import category_label, tier_label
from texts.i18n import plain
from texts.views import duration

# the colours in the order of urgency, as the legend and the filter chips show them
COLOURS: tuple[Colour, ...] = (
    Colour.RED,
    Colour.YELLOW,
    Colour.WHITE,
    Colour.BLUE,
    Colour.GREEN,
    Colour.GREY,
)


def local(when: datetime | None, tz: tzinfo) -> str:
    return "—" if when is None else when.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def deadline_note(lang: str, state: State, due_at: datetime, now: datetime) -> str:
    """'剩余 5小时' / '已逾期 2天' for open problems, nothing for the others."""
    if not state.is_open:
        return ""
    left = due_at - now
    if left.total_seconds() < 0:
        return plain(lang, "web-overdue-by", by=duration(lang, left))
    return plain(lang, "web-time-left", left=duration(lang, left))


def state_label(lang: str, state: State) -> str:
    return plain(lang, f"state-{state.value}")


def colour_label(lang: str, colour: Colour | str) -> str:
    return plain(lang, f"web-colour-{Colour(colour).value}")


def category_name(lang: str, code: str) -> str:
    return category_label(lang, code)


def tier_name(lang: str, tier: int | None) -> str:
    return tier_label(lang, tier)


def role_label(lang: str, role: str | None) -> str:
    return plain(lang, f"role-{role}") if role else ""
