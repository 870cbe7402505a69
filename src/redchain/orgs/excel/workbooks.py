"""Workbooks the zone hands out: blank import templates, error reports, and the cell helpers exports share."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from redchain.orgs.excel.columns import COLUMNS, Column, Parse, allowed_labels, kind_label
from redchain.orgs.excel.results import RowError

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="B71C1C")
TITLE_FONT = Font(bold=True, size=14)
DATE_FORMAT = "yyyy-mm-dd"
TEXT_FORMAT = "@"
# Excel limits a drop-down's list of values, written inline, to 255 characters.
_MAX_LIST_FORMULA = 255
_FORBIDDEN_IN_SHEET_TITLES = str.maketrans({ch: " " for ch in "[]:*?/\\"})


def save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def sheet_title(text: str) -> str:
    """Excel refuses some characters and more than 31 characters in a sheet's name."""
    return str(text).translate(_FORBIDDEN_IN_SHEET_TITLES)[:31]


def cell_format(column: Column) -> str | None:
    if column.parse is Parse.DATE:
        return DATE_FORMAT
    return TEXT_FORMAT if column.is_text else None


def set_widths(sheet, widths: Iterable[int]) -> None:
    for position, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(position)].width = width


def safe_cell(sheet, value: Any, number_format: str | None = None) -> WriteOnlyCell:
    """A write-only cell whose text is never run as a formula.

    openpyxl treats any string starting with "=" as a formula, so a name typed as "=HYPERLINK(...)" would
    become a live link in every exported copy; such text is pinned to the string type.
    """
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    if number_format and value is not None:
        cell.number_format = number_format
    return cell


def header_cells(sheet, titles: Sequence[str]) -> list[WriteOnlyCell]:
    cells = []
    for title in titles:
        cell = safe_cell(sheet, title)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cells.append(cell)
    return cells


# --- Blank import templates ------------------------------------------------------------------------------


def build_template(*, kind: str) -> bytes:
    """An empty sheet with the kind's column titles, drop-downs and notes, plus an instructions sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title(kind_label(kind))
    columns = COLUMNS[kind]
    for position, column in enumerate(columns, start=1):
        _template_column(sheet, position, column)
    sheet.freeze_panes = "A2"
    _instructions(workbook.create_sheet(sheet_title(_("Instructions"))), kind)
    return save(workbook)


def _template_column(sheet, position: int, column: Column) -> None:
    letter = get_column_letter(position)
    cell = sheet.cell(row=1, column=position, value=_template_title(column))
    cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    cell.comment = Comment(str(column.help), "redchain", width=260, height=110)
    dimension = sheet.column_dimensions[letter]
    dimension.width = column.width
    number_format = cell_format(column)
    if number_format:
        # The whole column's format, so Excel keeps long digit strings and dates as typed.
        dimension.number_format = number_format
    _add_drop_down(sheet, letter, column)


def _template_title(column: Column) -> str:
    # The asterisk marks a required column; the importer ignores it when matching titles.
    return f"{column.title}*" if column.required else str(column.title)


def _add_drop_down(sheet, letter: str, column: Column) -> None:
    labels = allowed_labels(column)
    formula = '"' + ",".join(labels) + '"'
    if column.parse is not Parse.CHOICE or len(formula) > _MAX_LIST_FORMULA or any("," in x for x in labels):
        return
    # A warning rather than a stop, so the English codes the importer also accepts can still be typed.
    validation = DataValidation(type="list", formula1=formula, allow_blank=True, errorStyle="warning")
    validation.error = _("Choose a value from the list.")
    validation.showErrorMessage = True
    sheet.add_data_validation(validation)
    validation.add(f"{letter}2:{letter}{settings.REDCHAIN_IMPORT_MAX_ROWS + 1}")


def _instructions(sheet, kind: str) -> None:
    sheet.append([_("How to fill in the %(kind)s template") % {"kind": kind_label(kind)}])
    sheet["A1"].font = TITLE_FONT
    for note in _notes(kind):
        sheet.append([note])
    sheet.append([])
    sheet.append([_("Column"), _("Required"), _("Description"), _("Allowed values or format")])
    for cell in sheet[sheet.max_row]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    for column in COLUMNS[kind]:
        sheet.append(
            [str(column.title), _("yes") if column.required else "", str(column.help), allowed_text(column)]
        )
    set_widths(sheet, (24, 8, 60, 48))
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _notes(kind: str) -> list[str]:
    specific = {
        "enterprises": _(
            "A row whose unified social credit code is already in the zone updates that enterprise: "
            "a blank cell clears the field, a column left out of the sheet leaves it unchanged."
        ),
        "party-orgs": _(
            "A parent organisation must already be in the zone or be on an earlier row of this file, "
            "so a whole tree can be imported at once, top down."
        ),
        "party-members": _("The party organisation must already be in the zone: import organisations first."),
    }
    return [
        _("Fill in one record per row on the first sheet, from row 2. Keep the column titles in row 1."),
        _("Columns marked * are required; the others may be left blank."),
        _(
            "The file is checked as a whole: if any row has a problem, nothing is imported and every "
            "problem is listed with its row and column."
        ),
        _("At most %(rows)s rows per file.") % {"rows": settings.REDCHAIN_IMPORT_MAX_ROWS},
        specific[kind],
    ]


def allowed_text(column: Column) -> str:
    """What a column accepts, for the instructions sheet and the import page."""
    if column.parse is Parse.CHOICE:
        return "、".join(allowed_labels(column))
    if column.parse is Parse.MULTI_CHOICE:
        return _("Any of: %(values)s") % {"values": "、".join(allowed_labels(column))}
    formats = {
        Parse.DECIMAL: _("A number"),
        Parse.INTEGER: _("A whole number"),
        Parse.DATE: _("A date such as 2024-03-15"),
        Parse.USCC: _("18 characters"),
        Parse.PHONE: _("7 to 12 digits"),
        Parse.ID_NUMBER: _("18 characters"),
    }
    if column.parse in formats:
        return formats[column.parse]
    return (
        _("Text, at most %(max)s characters") % {"max": column.max_length} if column.max_length else _("Text")
    )


# --- Error reports ---------------------------------------------------------------------------------------


def build_error_report(*, errors: Iterable[RowError]) -> bytes:
    """The problems of a refused import as a sheet, so they can be worked through in Excel."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title(_("Problems")))
    set_widths(sheet, (8, 24, 30, 70))
    sheet.freeze_panes = "A2"
    sheet.append(header_cells(sheet, [_("Row"), _("Column"), _("Value"), _("Problem")]))
    for error in errors:
        values = (error.row, error.column, error.value, error.message)
        sheet.append([safe_cell(sheet, value) for value in values])
    return save(workbook)
