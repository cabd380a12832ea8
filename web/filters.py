"""The problem list's filters, search, order and page, read from the address.

Each filter is one FilterSpec: its query parameter (also the key of storage.web_repo.FILTERS),
its label, and how a value is read. Values that do not parse are ignored, never an error:
a hand-edited address still shows a list. A filter never widens the scope: the scope's
condition is always there besides.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any
from urllib.parse import urlencode

from domain.colours import Colour
from domain.models import State
from domain.stats import PERIODS, period_start
from storage.web_repo import SORTS, ProblemQuery

logger = logging.getLogger(__name__)

PAGE_SIZE = 50
MAX_SEARCH = 100
_SKIP = object()  # a value that does not parse: the filter is left out


def _int(text: str) -> Any:
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 12 else _SKIP


def _state(text: str) -> Any:
    return text if text in {s.value for s in State} else _SKIP


def _tier(text: str) -> Any:
    if text in ("1", "2", "3"):
        return int(text)
    return None if text == "none" else _SKIP


def _word(text: str) -> Any:
    return text if 0 < len(text) <= 40 and text.replace("_", "").isalnum() else _SKIP


@dataclass(frozen=True, slots=True)
class FilterSpec:
    """One filter of the form: the query parameter, the label's Fluent key, the reader."""

    name: str
    label: str
    read: Callable[[str], Any]


FILTER_SPECS: tuple[FilterSpec, ...] = (
    FilterSpec("state", "web-filter-state", _state),
    FilterSpec("tier", "web-filter-tier", _tier),
    FilterSpec("team", "web-filter-team", _int),
    FilterSpec("envoy", "web-filter-envoy", _int),
    FilterSpec("category", "web-filter-category", _word),
    FilterSpec("enterprise", "web-filter-enterprise", _int),
    FilterSpec("department", "web-filter-department", _int),
)


@dataclass(frozen=True, slots=True)
class ListRequest:
    """The list as the address asks for it, and how to write an address for a change."""

    filters: dict[str, Any] = field(default_factory=dict)
    raw: dict[str, str] = field(default_factory=dict)  # the kept parameters, as text
    colours: frozenset[str] = frozenset()
    period: str = "all"
    search: str = ""
    sort: str = "urgency"
    descending: bool = False
    page: int = 1

    def query(self, now: datetime, tz: tzinfo) -> ProblemQuery:
        return ProblemQuery(
            filters=self.filters,
            colours=self.colours,
            since=period_start(self.period, now, tz),
            search=self.search,
            sort=self.sort,
            descending=self.descending,
            offset=(self.page - 1) * PAGE_SIZE,
            limit=PAGE_SIZE,
        )

    def params(self, **changes: Any) -> list[tuple[str, str]]:
        """The address's parameters with some changed (None drops one); page 1 unless given."""
        values: dict[str, Any] = dict(self.raw)
        values.update(
            period=self.period if self.period != "all" else None,
            q=self.search or None,
            sort=self.sort if self.sort != "urgency" else None,
            dir="desc" if self.descending else None,
        )
        colours: list[str] | None = sorted(self.colours)
        if "colour" in changes:
            wanted = changes.pop("colour")
            colours = [wanted] if wanted else None
        values.update(changes)
        pairs = [(k, str(v)) for k, v in values.items() if v is not None and v != ""]
        pairs += [("colour", c) for c in colours or ()]
        return pairs

    def link(self, **changes: Any) -> str:
        """``/problems?…`` with the changes: what the chips, headers and pager link to."""
        pairs = self.params(**changes)
        return "/problems" + ("?" + urlencode(pairs) if pairs else "")

    def sort_link(self, key: str) -> str:
        """A column header: sort by it, or turn the order round if it already is."""
        descending = not self.descending if key == self.sort else key == "registered"
        return self.link(sort=key, dir="desc" if descending else None)


def read_request(query: Mapping[str, str], colours: list[str]) -> ListRequest:
    """Parse the address of a list page (``colours``: every value of ``colour``)."""
    filters: dict[str, Any] = {}
    raw: dict[str, str] = {}
    for spec in FILTER_SPECS:
        text = (query.get(spec.name) or "").strip()
        if not text:
            continue
        value = spec.read(text)
        if value is _SKIP:
            continue
        filters[spec.name] = value
        raw[spec.name] = text
    period = query.get("period", "all")
    sort = query.get("sort", "urgency")
    page = _int(query.get("page", "1"))
    return ListRequest(
        filters=filters,
        raw=raw,
        colours=frozenset(c for c in colours if c in {x.value for x in Colour}),
        period=period if period in PERIODS else "all",
        search=" ".join((query.get("q") or "").split())[:MAX_SEARCH],
        sort=sort if sort in SORTS else "urgency",
        descending=query.get("dir") == "desc",
        page=page if page is not _SKIP and page >= 1 else 1,
    )
