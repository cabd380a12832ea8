"""The departments roster: header mapping and validation, the enterprise roster's rules."""

from __future__ import annotations

from dataclasses import dataclass, field

from domain.roster import (
    MAX_LEN,
    Counts,
    RowError,
    RowProblem,
    _has_control,
    _headers,
    _norm_header,
    map_columns,
)

REQUIRED: tuple[str, ...] = ("department",)
OPTIONAL: tuple[str, ...] = ("contact", "phone")
FIELDS: tuple[str, ...] = REQUIRED + OPTIONAL

_ALIASES: dict[str, tuple[str, ...]] = {
    "department": (
        "department",
        "departmentname",
        "dept",
        "部门",
        "部门名称",
        "职能部门",
        "单位",
        "单位名称",
        "责任单位",
        "责任部门",
    ),
    "contact": (
        "contact",
        "contactname",
        "contactperson",
        "name",
        "联系人",
        "联系人姓名",
        "姓名",
        "负责人",
    ),
    "phone": (
        "phone",
        "phonenumber",
        "contactphone",
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
    ),
}
_HEADER_TO_FIELD: dict[str, str] = {
    alias: name for name, aliases in _ALIASES.items() for alias in aliases
}
# Columns only the enterprise roster has: a file with any of them is not a departments roster.
_ENTERPRISE_ONLY = frozenset({"enterprise", "envoy", "team", "lead"})


def map_header(header: str) -> str | None:
    """The departments-roster field a column header stands for, or None."""
    return _HEADER_TO_FIELD.get(_norm_header(header))


def is_department_roster(headers: list[str]) -> bool:
    """A file with a department column and none of the enterprise roster's own columns."""
    from domain.roster import map_header as enterprise_field

    fields = {map_header(h) for h in headers}
    others = {enterprise_field(h) for h in headers}
    return "department" in fields and not others & _ENTERPRISE_ONLY


@dataclass(frozen=True, slots=True)
class DepartmentRow:
    """One valid line: a department, and maybe one of its people with a phone."""

    department: str
    contact: str | None
    phone: str | None


@dataclass(slots=True)
class DepartmentResult:
    """What applying a departments roster changed."""

    departments: Counts = field(default_factory=Counts)
    contacts: Counts = field(default_factory=Counts)

    def parts(self) -> tuple[tuple[str, Counts], ...]:
        """(kind, counts) for the operator's summary."""
        return (("departments", self.departments), ("contacts", self.contacts))

    @property
    def created(self) -> int:
        return self.departments.created + self.contacts.created

    @property
    def updated(self) -> int:
        return self.departments.updated + self.contacts.updated

    @property
    def unchanged(self) -> int:
        return self.departments.unchanged + self.contacts.unchanged


def _columns(headers: list[str]) -> tuple[dict[str, str], list[RowError]]:
    return map_columns(headers, map_header, REQUIRED)


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
    if values["phone"] and not values["contact"] and not errors:
        errors.append(RowError(number, RowProblem.MISSING_VALUE, "contact"))
    return errors


def validate_departments(
    raw_rows: list[dict[str, str]], first_row_number: int
) -> tuple[list[DepartmentRow], list[RowError]]:
    """Raw file rows into department rows; any error means nothing may be applied.

    Row numbers are those the operator sees (fully empty rows are skipped but counted).
    """
    if not raw_rows:
        return [], [RowError(first_row_number, RowProblem.NO_ROWS)]
    columns, errors = _columns(_headers(raw_rows))
    if errors:
        return [], errors
    rows: list[DepartmentRow] = []
    phones: dict[tuple[str, str], tuple[str, int]] = {}
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
        row = DepartmentRow(
            values["department"], values["contact"] or None, values["phone"] or None
        )
        if row.contact and row.phone:
            key = (row.department, row.contact)
            earlier = phones.setdefault(key, (row.phone, number))
            if earlier[0] != row.phone:
                errors.append(
                    RowError(
                        number,
                        RowProblem.CONTACT_TWO_PHONES,
                        "phone",
                        row.contact,
                        expected=earlier[0],
                        other_row=earlier[1],
                    )
                )
                continue
        rows.append(row)
    if not rows and not errors:
        errors.append(RowError(first_row_number, RowProblem.NO_ROWS))
    return (rows if not errors else []), errors
