"""A small streaming .xlsx writer: styled cells, column widths, frozen header, auto-filter.

openpyxl builds an object per cell and took 24 s for 100,000 problems; this writes each row as
one string straight into the zip, so the export is bound by compression, not by Python objects.
It writes only what the export uses (SpreadsheetML, ECMA-376 Part 1), read back by openpyxl in
the tests.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from io import BytesIO
from typing import IO
from xml.sax.saxutils import escape, quoteattr

from openpyxl.utils import get_column_letter

_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_EPOCH = datetime(1899, 12, 30)
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # not allowed in XML 1.0
_FLUSH_ROWS = 2000
MAX_SHEET_NAME = 31


@dataclass(frozen=True, slots=True)
class Style:
    """What a cell looks like; each distinct one becomes one entry of styles.xml."""

    fill: str | None = None  # RRGGBB
    bold: bool = False
    number_format: str | None = None


Value = str | int | float | datetime | date | None


def _serial(value: datetime | date) -> float:
    """Excel's day number (1900 date system) of a naive local date-time."""
    if not isinstance(value, datetime):
        value = datetime.combine(value, time())
    delta = value - _EPOCH
    return delta.days + delta.seconds / 86_400 + delta.microseconds / 86_400_000_000


def _text(value: str) -> str:
    return escape(_ILLEGAL.sub("", value))


class Sheet:
    """One worksheet, streamed row by row into its zip entry; close it before the next."""

    def __init__(
        self,
        out: IO[bytes],
        widths: Sequence[float],
        freeze_header: bool,
        auto_filter: bool,
    ) -> None:
        self._out = out
        self._columns = [get_column_letter(i) for i in range(1, max(len(widths), 1) + 1)]
        self._auto_filter = auto_filter
        self._rows = 0
        self._width = len(widths)
        self._pending: list[str] = []
        self._strings: dict[str, str] = {}
        self._write(self._head(widths, freeze_header))

    def _head(self, widths: Sequence[float], freeze_header: bool) -> str:
        view = '<sheetView workbookViewId="0"'
        if freeze_header:
            view += (
                '><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
                '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView>'
            )
        else:
            view += "/>"
        cols = "".join(
            f'<col min="{i}" max="{i}" width="{w:g}" customWidth="1"/>'
            for i, w in enumerate(widths, start=1)
        )
        return (
            f'{_XML}<worksheet xmlns="{_NS}" xmlns:r="{_REL_NS}">'
            f"<sheetViews>{view}</sheetViews>"
            '<sheetFormatPr defaultRowHeight="15"/>'
            + (f"<cols>{cols}</cols>" if cols else "")
            + "<sheetData>"
        )

    def _write(self, text: str) -> None:
        self._out.write(text.encode("utf-8"))

    def _cell(self, ref: str, value: Value, style: int) -> str:
        if value is None:
            return f'<c r="{ref}" s="{style}"/>'
        if isinstance(value, str):
            shown = self._strings.get(value)
            if shown is None:
                shown = self._strings[value] = _text(value)
            space = ' xml:space="preserve"' if value != value.strip() else ""
            return f'<c r="{ref}" s="{style}" t="inlineStr"><is><t{space}>{shown}</t></is></c>'
        if isinstance(value, bool):
            return f'<c r="{ref}" s="{style}" t="b"><v>{int(value)}</v></c>'
        if isinstance(value, datetime | date):
            return f'<c r="{ref}" s="{style}"><v>{_serial(value)!r}</v></c>'
        return f'<c r="{ref}" s="{style}"><v>{value!r}</v></c>'

    def row(self, values: Sequence[Value], styles: Sequence[int] | int = 0) -> None:
        """Append one row; styles is one style id for every cell or one per cell."""
        self._rows += 1
        number = self._rows
        if len(values) > len(self._columns):
            self._columns += [
                get_column_letter(i) for i in range(len(self._columns) + 1, len(values) + 1)
            ]
        self._width = max(self._width, len(values))
        per_cell = [styles] * len(values) if isinstance(styles, int) else styles
        cells = "".join(
            self._cell(f"{col}{number}", value, style)
            for col, value, style in zip(self._columns, values, per_cell, strict=False)
        )
        self._pending.append(f'<row r="{number}">{cells}</row>')
        if len(self._pending) >= _FLUSH_ROWS:
            self.flush()

    def rows(self, table: Iterable[Sequence[Value]], style: int = 0) -> None:
        for values in table:
            self.row(values, style)

    def flush(self) -> None:
        if self._pending:
            self._write("".join(self._pending))
            self._pending.clear()

    @property
    def filter_ref(self) -> str | None:
        if not self._auto_filter or self._width == 0:
            return None
        return f"A1:{get_column_letter(self._width)}{max(self._rows, 1)}"

    def close(self) -> None:
        self.flush()
        tail = "</sheetData>"
        if self.filter_ref is not None:
            tail += f'<autoFilter ref="{self.filter_ref}"/>'
        self._write(
            tail + '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" '
            'header="0.3" footer="0.3"/></worksheet>'
        )
        self._out.close()


class Book:
    """A workbook written into memory sheet by sheet; `finish()` returns the .xlsx bytes."""

    def __init__(self, compresslevel: int = 6) -> None:
        self._buffer = BytesIO()
        self._zip = zipfile.ZipFile(
            self._buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel
        )
        self._styles: dict[Style, int] = {Style(): 0}
        self._sheets: list[tuple[str, str | None]] = []  # (name, auto-filter range)
        self._open: Sheet | None = None

    def style(
        self, fill: str | None = None, bold: bool = False, number_format: str | None = None
    ) -> int:
        """The style id of a look, registered on first use."""
        key = Style(fill.upper() if fill else None, bold, number_format)
        return self._styles.setdefault(key, len(self._styles))

    def sheet(
        self,
        name: str,
        widths: Sequence[float] = (),
        *,
        freeze_header: bool = False,
        auto_filter: bool = False,
    ) -> Sheet:
        """Start the next sheet (the previous one is closed)."""
        self._close_open()
        index = len(self._sheets) + 1
        entry = self._zip.open(f"xl/worksheets/sheet{index}.xml", "w")
        self._open = Sheet(entry, widths, freeze_header, auto_filter)
        self._sheets.append((name[:MAX_SHEET_NAME], None))
        return self._open

    def _close_open(self) -> None:
        if self._open is not None:
            self._open.close()
            name, _ = self._sheets[-1]
            self._sheets[-1] = (name, self._open.filter_ref)
            self._open = None

    def finish(self) -> bytes:
        """Write the package parts around the sheets and return the file's bytes."""
        self._close_open()
        count = len(self._sheets)
        self._zip.writestr("xl/styles.xml", self._styles_xml())
        self._zip.writestr("xl/workbook.xml", self._workbook_xml())
        self._zip.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(count))
        self._zip.writestr("_rels/.rels", _ROOT_RELS)
        self._zip.writestr("[Content_Types].xml", _content_types(count))
        self._zip.close()
        return self._buffer.getvalue()

    def _workbook_xml(self) -> str:
        sheets = "".join(
            f'<sheet name={quoteattr(_ILLEGAL.sub("", name))} sheetId="{i}" r:id="rId{i}"/>'
            for i, (name, _) in enumerate(self._sheets, start=1)
        )
        names = "".join(
            f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
            f"{escape(_quoted_sheet(name))}!{_absolute(ref)}</definedName>"
            for i, (name, ref) in enumerate(self._sheets)
            if ref is not None
        )
        return (
            f'{_XML}<workbook xmlns="{_NS}" xmlns:r="{_REL_NS}">'
            '<bookViews><workbookView activeTab="0"/></bookViews>'
            f"<sheets>{sheets}</sheets>"
            + (f"<definedNames>{names}</definedNames>" if names else "")
            + "</workbook>"
        )

    def _styles_xml(self) -> str:
        formats: dict[str, int] = {}
        fills: dict[str, int] = {}
        xfs: list[str] = []
        for style in sorted(self._styles, key=self._styles.__getitem__):
            fmt_id = 0
            if style.number_format:
                fmt_id = formats.setdefault(style.number_format, 164 + len(formats))
            fill_id = 0
            if style.fill:
                fill_id = fills.setdefault(style.fill, 2 + len(fills))
            font_id = 1 if style.bold else 0
            applied = (
                (' applyNumberFormat="1"' if fmt_id else "")
                + (' applyFill="1"' if fill_id else "")
                + (' applyFont="1"' if font_id else "")
            )
            xfs.append(
                f'<xf numFmtId="{fmt_id}" fontId="{font_id}" fillId="{fill_id}" borderId="0"'
                f' xfId="0"{applied}/>'
            )
        num_fmts = "".join(
            f"<numFmt numFmtId={quoteattr(str(i))} formatCode={quoteattr(code)}/>"
            for code, i in formats.items()
        )
        fill_xml = "".join(
            f'<fill><patternFill patternType="solid"><fgColor rgb="FF{rgb}"/>'
            f'<bgColor indexed="64"/></patternFill></fill>'
            for rgb in fills
        )
        font = '<sz val="11"/><name val="Calibri"/><family val="2"/>'
        return (
            f'{_XML}<styleSheet xmlns="{_NS}">'
            + (f'<numFmts count="{len(formats)}">{num_fmts}</numFmts>' if formats else "")
            + f'<fonts count="2"><font>{font}</font><font><b/>{font}</font></fonts>'
            f'<fills count="{2 + len(fills)}"><fill><patternFill patternType="none"/></fill>'
            f'<fill><patternFill patternType="gray125"/></fill>{fill_xml}</fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border>'
            "</borders>"
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
            "</cellStyleXfs>"
            f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            "</styleSheet>"
        )


def _quoted_sheet(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def _absolute(ref: str) -> str:
    """A1:L9 as $A$1:$L$9, the form Excel stores for the filter range."""
    return ":".join(re.sub(r"([A-Z]+)(\d+)", r"$\1$\2", part) for part in ref.split(":"))


def _workbook_rels(count: int) -> str:
    sheet_type = f"{_REL_NS}/worksheet"
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="{sheet_type}" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, count + 1)
    )
    rels += f'<Relationship Id="rId{count + 1}" Type="{_REL_NS}/styles" Target="styles.xml"/>'
    return f'{_XML}<Relationships xmlns="{_PKG_REL_NS}">{rels}</Relationships>'


_ROOT_RELS = (
    f'{_XML}<Relationships xmlns="{_PKG_REL_NS}">'
    f'<Relationship Id="rId1" Type="{_REL_NS}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)


def _content_types(count: int) -> str:
    main = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    sheets = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{main}.worksheet+xml"/>'
        for i in range(1, count + 1)
    )
    return (
        f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{main}.sheet.main+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{main}.styles+xml"/>'
        f"{sheets}</Types>"
    )
