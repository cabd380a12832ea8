"""Roster validation rules: headers, required fields, row numbers, contradictions."""

from __future__ import annotations

from domain.roster import RosterRow, RowProblem, map_header, validate

EN = ("enterprise", "envoy", "envoy_phone", "team", "lead")
ZH = ("企业名称", "特派员", "联系电话", "工作队", "队长")


def rows(header: tuple[str, ...], *data: tuple[str, ...]) -> list[dict[str, str]]:
    return [dict(zip(header, values, strict=True)) for values in data]


def test_english_headers_give_rows() -> None:
    good, errors = validate(rows(EN, ("Acme", "Li Lei", "138", "T1", "Wang")), 2)
    assert errors == []
    assert good == [RosterRow("Acme", "Li Lei", "138", "T1", "Wang")]


def test_chinese_headers_and_variants() -> None:
    good, errors = validate(rows(ZH, ("甲公司", "李雷", "", "一队", "")), 2)
    assert errors == []
    assert good == [RosterRow("甲公司", "李雷", None, "一队", None)]
    assert map_header(" 企业 ") == "enterprise"
    assert map_header("电话") == "envoy_phone"
    assert map_header("Envoy Phone") == "envoy_phone"
    assert map_header("ENVOY_PHONE") == "envoy_phone"
    assert map_header("企业名称*") == "enterprise"
    assert map_header("备注") is None


def test_optional_columns_may_be_absent() -> None:
    header = ("Enterprise", "Envoy", "Team")
    good, errors = validate(rows(header, ("A", "B", "C")), 2)
    assert errors == []
    assert good == [RosterRow("A", "B", None, "C", None)]


def test_missing_required_column_is_a_header_error() -> None:
    _, errors = validate(rows(("enterprise", "team"), ("A", "T")), 2)
    assert [(e.row, e.problem, e.field) for e in errors] == [
        (1, RowProblem.MISSING_COLUMN, "envoy")
    ]


def test_duplicate_column_is_refused() -> None:
    header = ("企业", "企业名称", "特派员", "工作队")
    _, errors = validate(rows(header, ("A", "A", "B", "T")), 2)
    assert [(e.row, e.problem) for e in errors] == [(1, RowProblem.DUPLICATE_COLUMN)]


def test_missing_values_carry_file_row_numbers_and_empty_rows_count() -> None:
    data = rows(
        EN,
        ("A", "E1", "", "T", ""),  # row 2
        ("", "", "", "", ""),  # row 3: empty, skipped
        ("B", "", "", "T", ""),  # row 4: envoy missing
        ("C", "E3", "", "", ""),  # row 5: team missing
    )
    good, errors = validate(data, 2)
    assert good == []  # nothing is valid when anything is wrong
    assert [(e.row, e.problem, e.field) for e in errors] == [
        (4, RowProblem.MISSING_VALUE, "envoy"),
        (5, RowProblem.MISSING_VALUE, "team"),
    ]


def test_inconsistent_rows_are_reported_against_the_earlier_row() -> None:
    data = rows(
        EN,
        ("A", "E1", "1", "T1", "L1"),  # 2
        ("B", "E1", "1", "T2", ""),  # 3: E1 in two teams
        ("A", "E2", "", "T2", ""),  # 4: A in two teams
        ("C", "E3", "", "T1", "L2"),  # 5: T1 with two leads
        ("D", "E1", "2", "T1", ""),  # 6: E1 with two phones
    )
    _, errors = validate(data, 2)
    found = [(e.row, e.problem, e.value, e.expected, e.other_row) for e in errors]
    assert found == [
        (3, RowProblem.ENVOY_TWO_TEAMS, "E1", "T1", 2),
        (4, RowProblem.ENTERPRISE_TWO_TEAMS, "A", "T1", 2),
        (5, RowProblem.TEAM_TWO_LEADS, "T1", "L1", 2),
        (6, RowProblem.ENVOY_TWO_PHONES, "E1", "1", 2),
    ]


def test_repeated_consistent_rows_are_fine() -> None:
    data = rows(EN, ("A", "E1", "1", "T1", "L"), ("B", "E1", "", "T1", ""))
    good, errors = validate(data, 2)
    assert errors == []
    assert len(good) == 2


def test_too_long_and_control_characters() -> None:
    data = rows(EN, ("x" * 201, "E", "", "T", ""), ("A", "E\x07", "", "T", ""))
    _, errors = validate(data, 2)
    assert [(e.row, e.problem, e.field) for e in errors] == [
        (2, RowProblem.TOO_LONG, "enterprise"),
        (3, RowProblem.CONTROL_CHAR, "envoy"),
    ]
    good, errors = validate(rows(EN, ("x" * 200, "E", "", "T", "")), 2)
    assert errors == [] and len(good[0].enterprise) == 200


def test_names_are_kept_exactly_after_trimming() -> None:
    name = "  <b>A&B</b> 🏭 工厂\u200d "
    good, errors = validate(rows(EN, (name, " 李 雷 ", " 138 ", "\u3000一队 ", "")), 2)
    assert errors == []
    assert good[0].enterprise == "<b>A&B</b> 🏭 工厂\u200d"
    assert good[0].envoy == "李 雷"
    assert good[0].envoy_phone == "138"
    assert good[0].team == "一队"


def test_header_only_file_is_an_error() -> None:
    _, errors = validate([], 2)
    assert [e.problem for e in errors] == [RowProblem.NO_ROWS]
