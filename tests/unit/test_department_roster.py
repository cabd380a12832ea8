"""Departments roster validation: headers, required fields, row numbers, contradictions."""

from __future__ import annotations

from domain.department_roster import (
    DepartmentResult,
    DepartmentRow,
    is_department_roster,
    map_header,
    validate_departments,
)
from domain.roster import Counts, RowProblem

EN = ("department", "contact", "phone")
ZH = ("部门", "联系人", "联系电话")


def rows(header: tuple[str, ...], *data: tuple[str, ...]) -> list[dict[str, str]]:
    return [dict(zip(header, values, strict=True)) for values in data]


def test_english_and_chinese_headers_give_rows() -> None:
    good, errors = validate_departments(rows(EN, ("Customs", "Liu", "138")), 2)
    assert errors == [] and good == [DepartmentRow("Customs", "Liu", "138")]
    good, errors = validate_departments(rows(ZH, ("海关", "", ""), ("商务局", "王", "")), 2)
    assert errors == []
    assert good == [DepartmentRow("海关", None, None), DepartmentRow("商务局", "王", None)]
    assert map_header(" 部门名称 ") == "department"
    assert map_header("职能部门") == "department"
    assert map_header("Contact Person") == "contact"
    assert map_header("电话") == "phone"
    assert map_header("备注") is None


def test_only_the_department_column_is_required() -> None:
    good, errors = validate_departments(rows(("部门",), ("海关",)), 2)
    assert errors == [] and good == [DepartmentRow("海关", None, None)]
    _, errors = validate_departments(rows(("联系人", "电话"), ("王", "1")), 2)
    assert [(e.row, e.problem, e.field) for e in errors] == [
        (1, RowProblem.MISSING_COLUMN, "department")
    ]


def test_row_numbers_count_empty_rows_and_nothing_passes_with_an_error() -> None:
    data = rows(
        ZH,
        ("海关", "刘", "1"),
        ("", "", ""),  # row 3: empty, skipped but counted
        ("", "王", "2"),  # row 4: no department
        ("商务局", "", "3"),  # row 5: a phone without a person
        ("海关", "刘", "9"),  # row 6: the same person, another phone
        ("x" * 201, "", ""),  # row 7: too long
        ("自然\n资源局", "", ""),  # row 8: control character
    )
    good, errors = validate_departments(data, 2)
    assert good == []
    assert [(e.row, e.problem, e.field) for e in errors] == [
        (4, RowProblem.MISSING_VALUE, "department"),
        (5, RowProblem.MISSING_VALUE, "contact"),
        (6, RowProblem.CONTACT_TWO_PHONES, "phone"),
        (7, RowProblem.TOO_LONG, "department"),
        (8, RowProblem.CONTROL_CHAR, "department"),
    ]
    doubled = errors[2]
    assert (doubled.value, doubled.expected, doubled.other_row) == ("刘", "1", 2)


def test_the_same_person_twice_with_the_same_phone_is_fine() -> None:
    good, errors = validate_departments(rows(ZH, ("海关", "刘", "1"), ("海关", "刘", "1")), 2)
    assert errors == [] and len(good) == 2


def test_header_only_and_duplicate_columns() -> None:
    _, errors = validate_departments([], 2)
    assert [e.problem for e in errors] == [RowProblem.NO_ROWS]
    _, errors = validate_departments(rows(("部门", "部门名称"), ("a", "b")), 2)
    assert [(e.row, e.problem) for e in errors] == [(1, RowProblem.DUPLICATE_COLUMN)]


def test_a_departments_roster_is_told_by_its_columns() -> None:
    assert is_department_roster(["部门", "联系人", "联系电话"])
    assert is_department_roster(["department"])
    assert not is_department_roster(["企业名称", "特派员", "联系电话", "工作队", "队长"])
    assert not is_department_roster(["部门", "企业名称"])  # an enterprise column: not ours
    assert not is_department_roster(["联系人", "联系电话"])


def test_result_totals() -> None:
    result = DepartmentResult(Counts(2, 0, 1), Counts(1, 1, 0))
    assert (result.created, result.updated, result.unchanged) == (3, 1, 1)
    assert [k for k, _ in result.parts()] == ["departments", "contacts"]
