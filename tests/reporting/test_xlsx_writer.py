"""The streaming .xlsx writer, read back by openpyxl: values, styles, layout, package parts."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

from openpyxl import load_workbook

from reporting.xlsx_writer import Book


def test_values_styles_and_layout_survive_a_round_trip() -> None:
    book = Book()
    header = book.style(fill="dddddd", bold=True)
    red = book.style(fill="FFC7CE")
    when = book.style(fill="FFC7CE", number_format="yyyy-mm-dd hh:mm")
    sheet = book.sheet("问题 'list'", [12, 30.5, 18], freeze_header=True, auto_filter=True)
    sheet.row(["编号", "企业", "时间"], header)
    sheet.row(["2026-0001", "  <A&B>  ", datetime(2026, 3, 2, 10, 30)], [red, red, when])
    sheet.row([7, 2.5, None], red)
    sheet.row([True, "bad\x00\x1fchars", date(2026, 1, 31)], [0, 0, when])
    book.sheet("汇总").rows([["收集", 3], [], ["比例", "42.00 %"]])
    data = book.finish()

    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["问题 'list'", "汇总"]
    ws = wb["问题 'list'"]
    assert [[c.value for c in row] for row in ws.iter_rows()] == [
        ["编号", "企业", "时间"],
        ["2026-0001", "  <A&B>  ", datetime(2026, 3, 2, 10, 30)],
        [7, 2.5, None],
        [True, "badchars", datetime(2026, 1, 31)],
    ]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:C4"
    assert ws["A1"].font.b and ws["A1"].fill.fgColor.rgb == "FFDDDDDD"
    assert all(c.fill.fgColor.rgb == "FFFFC7CE" for c in ws[3])  # blanks keep the row's fill
    assert ws["C2"].number_format == "yyyy-mm-dd hh:mm"
    assert ws.column_dimensions["B"].width == 30.5
    summary = wb["汇总"]
    assert summary.freeze_panes is None and not summary.auto_filter.ref
    assert [r for r in summary.iter_rows(values_only=True)] == [
        ("收集", 3),
        (None, None),
        ("比例", "42.00 %"),
    ]


def test_the_package_has_its_parts_and_the_filter_name() -> None:
    book = Book()
    book.sheet("A", [10], auto_filter=True).row(["x"])
    names = zipfile.ZipFile(io.BytesIO(book.finish())).namelist()
    assert {
        "[Content_Types].xml",
        "_rels/.rels",
        "xl/workbook.xml",
        "xl/_rels/workbook.xml.rels",
        "xl/styles.xml",
        "xl/worksheets/sheet1.xml",
    } <= set(names)
    book = Book()
    book.sheet("A", [10], auto_filter=True).row(["x"])
    xml = zipfile.ZipFile(io.BytesIO(book.finish())).read("xl/workbook.xml").decode()
    assert "_xlnm._FilterDatabase" in xml and "'A'!$A$1:$A$1" in xml
