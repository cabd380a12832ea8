"""The .xlsx export: coloured problem list, summary figures, teams and envoys (SPEC §5)."""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta, tzinfo
from typing import Any

from domain.colours import Colour, colour_of
from domain.department_stats import DepartmentFigures
from domain.stats import Counts, Figures, Group, ProblemFacts, days_overdue
from reporting.xlsx_writer import Book, Value
from texts.i18n import has_key, plain
from usecases.progress import SILENT, Progress

logger = logging.getLogger(__name__)

DATE_FORMAT = "yyyy-mm-dd hh:mm"
MAX_WIDTH = 48
PROBLEM_COLUMNS: tuple[str, ...] = (
    "number",
    "enterprise",
    "category",
    "tier",
    "state",
    "envoy",
    "registered",
    "due",
    "resolved",
    "closed",
    "days-overdue",
    "satisfaction",
)
_DATE_COLUMNS = frozenset({"registered", "due", "resolved", "closed"})
_HEADER_FILL = "DDDDDD"
_PROGRESS_EVERY = 1000  # rows between progress reports


def text_width(value: object) -> int:
    """Display width in Excel column units: CJK and fullwidth characters count double."""
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


class _RowStyles:
    """The two style ids (text, date) of each colour, registered once per workbook."""

    def __init__(self, book: Book) -> None:
        self._book = book
        self._cache: dict[Colour, tuple[int, ...]] = {}

    def get(self, colour: Colour) -> tuple[int, ...]:
        """One style id per problem column, all in the colour's fill."""
        found = self._cache.get(colour)
        if found is None:
            text = self._book.style(fill=colour.fill)
            date = self._book.style(fill=colour.fill, number_format=DATE_FORMAT)
            found = self._cache[colour] = tuple(
                date if c in _DATE_COLUMNS else text for c in PROBLEM_COLUMNS
            )
        return found


def category_label(lang: str, code: str) -> str:
    """A category's name; a custom category without a translation shows its code."""
    key = f"category-{code}"
    return plain(lang, key) if has_key(lang, key) else code


def tier_label(lang: str, tier: int | None) -> str:
    return (
        plain(lang, "stats-tier", tier=tier) if tier is not None else plain(lang, "stats-tier-none")
    )


def _local(when: datetime | None, tz: tzinfo) -> datetime | None:
    """Excel has no time zones: write local wall-clock time."""
    return None if when is None else when.astimezone(tz).replace(tzinfo=None)


def _widths(widths: Sequence[int]) -> list[int]:
    return [min(MAX_WIDTH, width + 2) for width in widths]


def _problem_sheet(
    book: Book,
    facts: Sequence[ProblemFacts],
    now: datetime,
    tz: tzinfo,
    lang: str,
    progress: Progress,
) -> None:
    """Sheet 1: one row per problem, filled in its colour, frozen header, filters."""
    headers = [plain(lang, f"export-col-{c}") for c in PROBLEM_COLUMNS]
    states = {s: plain(lang, f"state-{s.value}") for s in {p.state for p in facts}}
    categories = {c: category_label(lang, c) for c in {p.category for p in facts}}
    tiers = {t: tier_label(lang, t) for t in {p.tier for p in facts}}
    no_envoy = plain(lang, "stats-no-envoy")
    # widths from distinct values only: cheap even for 100,000 rows
    widths = [text_width(h) for h in headers]
    widths[0] = max(widths[0], max((len(p.number) for p in facts), default=0))
    widths[1] = max(
        widths[1], max((text_width(n) for n in {p.enterprise_name for p in facts}), default=0)
    )
    widths[2] = max([widths[2], *(text_width(v) for v in categories.values())])
    widths[3] = max([widths[3], *(text_width(v) for v in tiers.values())])
    widths[4] = max([widths[4], *(text_width(v) for v in states.values())])
    widths[5] = max(
        [
            widths[5],
            text_width(no_envoy),
            *(text_width(n) for n in {p.envoy_name for p in facts} if n),
        ]
    )
    for i in range(6, 10):
        widths[i] = max(widths[i], len("2026-01-01 00:00"))
    sheet = book.sheet(
        plain(lang, "export-sheet-problems"),
        _widths(widths),
        freeze_header=True,
        auto_filter=True,
    )
    sheet.row(headers, book.style(fill=_HEADER_FILL, bold=True))
    styles = _RowStyles(book)
    progress.begin(len(facts))
    for done, p in enumerate(facts, start=1):
        values: tuple[Value, ...] = (
            p.number,
            p.enterprise_name,
            categories[p.category],
            tiers[p.tier],
            states[p.state],
            p.envoy_name or no_envoy,
            _local(p.registered_at, tz),
            _local(p.due_at, tz),
            _local(p.resolved_at, tz),
            _local(p.closed_at, tz),
            days_overdue(p, now),
            p.satisfaction,
        )
        sheet.row(values, styles.get(colour_of(p.state, p.due_at, p.registered_at, now)))
        if done % _PROGRESS_EVERY == 0:
            progress.advance(_PROGRESS_EVERY)
    progress.advance(len(facts) % _PROGRESS_EVERY)


def duration_text(lang: str, value: timedelta | None) -> str:
    """Hours under a day, days (one decimal) above."""
    if value is None:
        return plain(lang, "stats-none")
    hours = value.total_seconds() / 3600
    if hours < 24:
        return plain(lang, "stats-hours", hours=f"{hours:.1f}")
    return plain(lang, "stats-days", days=f"{hours / 24:.1f}")


def satisfaction_text(lang: str, avg: float | None) -> str:
    if avg is None:
        return plain(lang, "stats-none")
    return plain(lang, "stats-rating", avg=f"{avg:.2f}")


def _rate(lang: str, rate: str | None) -> str:
    return (
        plain(lang, "stats-percent", value=rate) if rate is not None else plain(lang, "stats-none")
    )


def summary_rows(figures: Figures, lang: str) -> list[tuple[str, Any]]:
    """(label, value) pairs of the headline figures, shared by sheet 2 and the terminal."""
    c = figures.counts
    return [
        (plain(lang, "stats-collected"), c.collected),
        (plain(lang, "stats-closed"), c.closed),
        (plain(lang, "stats-waiting"), c.waiting),
        (plain(lang, "stats-in-progress"), c.in_progress),
        (plain(lang, "stats-unaccepted"), c.unaccepted),
        (plain(lang, "stats-overdue"), c.overdue),
        (plain(lang, "stats-withdrawn"), c.withdrawn),
        (plain(lang, "stats-resolution-rate"), _rate(lang, figures.resolution_rate)),
        (plain(lang, "stats-resolved"), figures.resolved),
        (plain(lang, "stats-on-time-rate"), _rate(lang, figures.on_time_rate)),
        (plain(lang, "stats-median-resolve"), duration_text(lang, figures.median_resolve)),
        (plain(lang, "stats-p90-resolve"), duration_text(lang, figures.p90_resolve)),
        (plain(lang, "stats-satisfaction"), satisfaction_text(lang, figures.satisfaction_avg)),
        (plain(lang, "stats-ratings"), figures.ratings),
    ]


_COUNT_COLUMNS = ("collected", "closed", "waiting", "in-progress", "overdue", "withdrawn", "rate")


def _count_values(c: Counts, lang: str) -> list[Any]:
    return [
        c.collected,
        c.closed,
        c.waiting,
        c.in_progress,
        c.overdue,
        c.withdrawn,
        _rate(lang, c.resolution_rate),
    ]


def _summary_sheet(
    book: Book, figures: Figures, scope_label: str, now: datetime, tz: tzinfo, lang: str
) -> None:
    """Sheet 2: headline figures, then category and tier tables."""
    rows: list[list[Any]] = [
        [plain(lang, "export-scope"), scope_label],
        [plain(lang, "export-generated"), now.astimezone(tz).strftime("%Y-%m-%d %H:%M")],
        [plain(lang, "export-timezone"), str(tz)],
        # the rule the per-envoy rows follow, as /stats states it; it overflows to the right
        [plain(lang, "export-note"), plain(lang, "stats-envoy-rule")],
        [],
    ]
    note_row = len(rows) - 2
    header_rows = {len(rows)}
    rows.append([plain(lang, "export-col-figure"), plain(lang, "export-col-value")])
    rows.extend([label, value] for label, value in summary_rows(figures, lang))
    count_headers = [plain(lang, f"export-count-{c}") for c in _COUNT_COLUMNS]
    for kind, groups, name_of in (
        ("category", figures.by_category, lambda k: category_label(lang, str(k))),
        ("tier", figures.by_tier, lambda k: tier_label(lang, k)),
    ):
        rows.append([])
        header_rows.add(len(rows))
        rows.append([plain(lang, f"export-kind-{kind}"), *count_headers])
        rows.extend([name_of(g.key), *_count_values(g.counts, lang)] for g in groups)
    widths = [0] * (1 + len(count_headers))
    for index, row in enumerate(rows):
        for i, value in enumerate(row):
            if index != note_row:
                widths[i] = max(widths[i], text_width(value))
    sheet = book.sheet(plain(lang, "export-sheet-summary"), _widths(widths))
    header = book.style(fill=_HEADER_FILL, bold=True)
    for index, row in enumerate(rows):
        sheet.row(row, header if index in header_rows else 0)


def _group_rows(
    groups: Iterable[Group],
    kind_label: str,
    name_of: Callable[[Any], str],
    team_of: Callable[[Any], str],
    lang: str,
) -> list[list[Any]]:
    return [
        [kind_label, name_of(g.key), team_of(g.key), *_count_values(g.counts, lang)] for g in groups
    ]


def _breakdown_sheet(
    book: Book, figures: Figures, envoy_teams: dict[int, int | None], lang: str
) -> None:
    """Sheet 3: one row per team, then one per envoy (with the envoy's team)."""
    headers = [
        plain(lang, "export-col-kind"),
        plain(lang, "export-col-name"),
        plain(lang, "export-col-team"),
        *(plain(lang, f"export-count-{c}") for c in _COUNT_COLUMNS),
    ]
    no_team, no_envoy = plain(lang, "stats-no-team"), plain(lang, "stats-no-envoy")

    def team_name(team_id: object) -> str:
        if isinstance(team_id, int):
            return figures.team_names.get(team_id, str(team_id))
        return no_team

    def envoy_name(envoy_id: object) -> str:
        if isinstance(envoy_id, int):
            return figures.envoy_names.get(envoy_id, str(envoy_id))
        return no_envoy

    rows = _group_rows(figures.by_team, plain(lang, "export-kind-team"), team_name, team_name, lang)
    rows += _group_rows(
        figures.by_envoy,
        plain(lang, "export-kind-envoy"),
        envoy_name,
        lambda k: team_name(envoy_teams.get(k)) if isinstance(k, int) else "",
        lang,
    )
    widths = [text_width(h) for h in headers]
    for row in rows:
        for i, value in enumerate(row):
            widths[i] = max(widths[i], text_width(value))
    sheet = book.sheet(
        plain(lang, "export-sheet-breakdown"),
        _widths(widths),
        freeze_header=True,
        auto_filter=True,
    )
    sheet.row(headers, book.style(fill=_HEADER_FILL, bold=True))
    sheet.rows(rows)


DEPARTMENT_COLUMNS = (
    "department",
    "dispatched",
    "signed",
    "done",
    "on-time",
    "dept-overdue",
    "returned",
    "on-time-rate",
    "median-answer",
    "dept-satisfaction",
    "ratings",
)


def department_rows(rows: Sequence[DepartmentFigures], lang: str) -> list[list[Any]]:
    """A row per department, as the export and the evaluation sheet write it."""
    return [
        [
            d.name,
            d.dispatched,
            d.signed,
            d.done,
            d.on_time,
            d.overdue,
            d.returned,
            _rate(lang, d.on_time_rate),
            round(d.median_answer.total_seconds() / 86400, 1) if d.median_answer else None,
            round(d.satisfaction_avg, 2) if d.satisfaction_avg is not None else None,
            d.ratings,
        ]
        for d in rows
    ]


def _department_sheet(book: Book, figures: Figures, lang: str) -> None:
    """Sheet 4: one row per department that was sent any of the scope's problems."""
    headers = [plain(lang, f"export-col-{c}") for c in DEPARTMENT_COLUMNS]
    rows = department_rows(figures.by_department, lang)
    widths = [text_width(h) for h in headers]
    for row in rows:
        for i, value in enumerate(row):
            widths[i] = max(widths[i], text_width(value))
    sheet = book.sheet(
        plain(lang, "export-sheet-departments"),
        _widths(widths),
        freeze_header=True,
        auto_filter=True,
    )
    sheet.row(headers, book.style(fill=_HEADER_FILL, bold=True))
    sheet.rows(rows)


def build_workbook(
    facts: Sequence[ProblemFacts],
    figures: Figures,
    *,
    now: datetime,
    tz: tzinfo,
    lang: str,
    scope_label: str,
    envoy_teams: dict[int, int | None] | None = None,
    progress: Progress = SILENT,
) -> bytes:
    """The .xlsx file, streamed sheet by sheet (100,000 rows in a few seconds)."""
    book = Book()
    _problem_sheet(book, facts, now, tz, lang, progress)
    _summary_sheet(book, figures, scope_label, now, tz, lang)
    _breakdown_sheet(book, figures, envoy_teams or {}, lang)
    _department_sheet(book, figures, lang)
    data = book.finish()
    progress.end()
    return data
