"""Roster rows: header mapping and validation of an imported file, without any I/O."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

MAX_LEN = 200
HEADER_ROW = 1
REQUIRED: tuple[str, ...] = ("enterprise", "envoy", "team")
OPTIONAL: tuple[str, ...] = ("envoy_phone", "lead")
FIELDS: tuple[str, ...] = REQUIRED + OPTIONAL

# Normalised header spellings (see _norm_header) accepted for each field.
_ALIASES: dict[str, tuple[str, ...]] = {
    "enterprise": (
        "enterprise",
        "enterprisename",
        "company",
        "companyname",
        "企业名称",
        "企业",
        "企业名",
        "企业全称",
        "公司",
        "公司名称",
        "单位名称",
    ),
    "envoy": (
        "envoy",
        "envoyname",
        "特派员",
        "特派员姓名",
        "特派员名称",
        "企业服务特派员",
    ),
    "envoy_phone": (
        "envoyphone",
        "phone",
        "phonenumber",
        "tel",
        "telephone",
        "mobile",
        "联系电话",
        "电话",
        "电话号码",
        "手机",
        "手机号",
        "手机号码",
        "联系方式",
        "特派员电话",
        "特派员联系电话",
        "特派员手机",
        "特派员手机号",
    ),
    "team": ("team", "teamname", "workteam", "工作队", "工作队名称", "所属工作队", "队名"),
    "lead": ("lead", "teamlead", "leader", "队长", "工作队队长", "队长姓名", "领队"),
}
_HEADER_TO_FIELD: dict[str, str] = {
    alias: name for name, aliases in _ALIASES.items() for alias in aliases
}


class RowProblem(StrEnum):
    """Why a row (or the header, row 1) was refused."""

    NO_ROWS = "no_rows"
    MISSING_COLUMN = "missing_column"
    DUPLICATE_COLUMN = "duplicate_column"
    MISSING_VALUE = "missing_value"
    TOO_LONG = "too_long"
    CONTROL_CHAR = "control_char"
    ENVOY_TWO_TEAMS = "envoy_two_teams"
    ENTERPRISE_TWO_TEAMS = "enterprise_two_teams"
    TEAM_TWO_LEADS = "team_two_leads"
    ENVOY_TWO_PHONES = "envoy_two_phones"
    CONTACT_TWO_PHONES = "contact_two_phones"  # departments roster


@dataclass(frozen=True, slots=True)
class RosterRow:
    """One valid line of the roster: an envoy serving an enterprise in a team."""

    enterprise: str
    envoy: str
    envoy_phone: str | None
    team: str
    lead: str | None


@dataclass(frozen=True, slots=True)
class RowError:
    """A refused row, with the row number as the operator sees it in the file."""

    row: int
    problem: RowProblem
    field: str | None = None
    value: str | None = None  # the offending name (envoy, enterprise, team, header)
    expected: str | None = None  # what an earlier row said instead
    other_row: int | None = None  # where the earlier row is


@dataclass(slots=True)
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(slots=True)
class RosterResult:
    """What applying a roster changed, per kind of record."""

    teams: Counts = field(default_factory=Counts)
    envoys: Counts = field(default_factory=Counts)
    enterprises: Counts = field(default_factory=Counts)
    assignments: Counts = field(default_factory=Counts)

    def _parts(self) -> tuple[Counts, ...]:
        return (self.teams, self.envoys, self.enterprises, self.assignments)

    def parts(self) -> tuple[tuple[str, Counts], ...]:
        """(kind, counts) for the operator's summary."""
        return (
            ("teams", self.teams),
            ("envoys", self.envoys),
            ("enterprises", self.enterprises),
            ("assignments", self.assignments),
        )

    @property
    def created(self) -> int:
        return sum(c.created for c in self._parts())

    @property
    def updated(self) -> int:
        return sum(c.updated for c in self._parts())

    @property
    def unchanged(self) -> int:
        return sum(c.unchanged for c in self._parts())


def _norm_header(header: str) -> str:
    """Compare headers leniently: width, case, spaces, '_', '-', '*' and ':' do not matter."""
    text = unicodedata.normalize("NFKC", header).strip().casefold()
    return "".join(ch for ch in text if not ch.isspace() and ch not in "_-*:")


def map_header(header: str) -> str | None:
    """The roster field a column header stands for, or None for a column we ignore."""
    return _HEADER_TO_FIELD.get(_norm_header(header))


def _has_control(text: str) -> bool:
    return any(unicodedata.category(ch) == "Cc" for ch in text)


def _columns(headers: list[str]) -> tuple[dict[str, str], list[RowError]]:
    return map_columns(headers, map_header, REQUIRED)


def map_columns(
    headers: list[str], mapper: Callable[[str], str | None], required: Sequence[str]
) -> tuple[dict[str, str], list[RowError]]:
    """Map each field to its column header; report missing and doubled columns (any roster)."""
    columns: dict[str, str] = {}
    errors: list[RowError] = []
    for header in headers:
        name = mapper(header)
        if name is None:
            continue
        if name in columns:
            errors.append(RowError(HEADER_ROW, RowProblem.DUPLICATE_COLUMN, name, header.strip()))
            continue
        columns[name] = header
    for name in required:
        if name not in columns:
            errors.append(RowError(HEADER_ROW, RowProblem.MISSING_COLUMN, name))
    return columns, errors


def _headers(raw_rows: list[dict[str, str]]) -> list[str]:
    seen: dict[str, None] = {}
    for raw in raw_rows:
        for key in raw:
            seen.setdefault(key, None)
    return list(seen)


def _cell_errors(number: int, values: dict[str, str]) -> list[RowError]:
    errors: list[RowError] = []
    for name in FIELDS:
        value = values[name]
        if _has_control(value):
            errors.append(RowError(number, RowProblem.CONTROL_CHAR, name))
        elif len(value) > MAX_LEN:
            errors.append(RowError(number, RowProblem.TOO_LONG, name))
        elif not value and name in REQUIRED:
            errors.append(RowError(number, RowProblem.MISSING_VALUE, name))
    return errors


class _Consistency:
    """Remembers what earlier rows said so contradictions inside one file are caught."""

    def __init__(self) -> None:
        self.envoy_team: dict[str, tuple[str, int]] = {}
        self.enterprise_team: dict[str, tuple[str, int]] = {}
        self.team_lead: dict[str, tuple[str, int]] = {}
        self.envoy_phone: dict[str, tuple[str, int]] = {}

    @staticmethod
    def _check(
        seen: dict[str, tuple[str, int]],
        key: str,
        value: str,
        number: int,
        problem: RowProblem,
        name: str,
    ) -> RowError | None:
        earlier = seen.get(key)
        if earlier is None:
            seen[key] = (value, number)
            return None
        if earlier[0] == value:
            return None
        return RowError(number, problem, name, key, expected=earlier[0], other_row=earlier[1])

    def check(self, number: int, row: RosterRow) -> list[RowError]:
        found = [
            self._check(
                self.envoy_team, row.envoy, row.team, number, RowProblem.ENVOY_TWO_TEAMS, "team"
            ),
            self._check(
                self.enterprise_team,
                row.enterprise,
                row.team,
                number,
                RowProblem.ENTERPRISE_TWO_TEAMS,
                "team",
            ),
        ]
        if row.lead:
            found.append(
                self._check(
                    self.team_lead, row.team, row.lead, number, RowProblem.TEAM_TWO_LEADS, "lead"
                )
            )
        if row.envoy_phone:
            found.append(
                self._check(
                    self.envoy_phone,
                    row.envoy,
                    row.envoy_phone,
                    number,
                    RowProblem.ENVOY_TWO_PHONES,
                    "envoy_phone",
                )
            )
        return [e for e in found if e is not None]


def validate(
    raw_rows: list[dict[str, str]], first_row_number: int
) -> tuple[list[RosterRow], list[RowError]]:
    """Turn raw file rows into roster rows; any error means the file must not be applied.

    raw_rows[i] is the file's row first_row_number + i; fully empty rows are skipped but
    still counted so that row numbers match what the operator sees.
    """
    if not raw_rows:
        return [], [RowError(first_row_number, RowProblem.NO_ROWS)]
    columns, errors = _columns(_headers(raw_rows))
    if errors:
        return [], errors
    rows: list[RosterRow] = []
    seen = _Consistency()
    for offset, raw in enumerate(raw_rows):
        number = first_row_number + offset
        if not any((v or "").strip() for v in raw.values()):
            continue
        values = {
            name: (raw.get(columns[name], "") or "").strip() if name in columns else ""
            for name in FIELDS
        }
        row_errors = _cell_errors(number, values)
        if row_errors:
            errors.extend(row_errors)
            continue
        row = RosterRow(
            enterprise=values["enterprise"],
            envoy=values["envoy"],
            envoy_phone=values["envoy_phone"] or None,
            team=values["team"],
            lead=values["lead"] or None,
        )
        conflicts = seen.check(number, row)
        if conflicts:
            errors.extend(conflicts)
            continue
        rows.append(row)
    if not rows and not errors:
        errors.append(RowError(first_row_number, RowProblem.NO_ROWS))
    return (rows if not errors else []), errors
