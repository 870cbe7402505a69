"""Opening an uploaded workbook safely and finding its columns and data rows.

An upload is untrusted: it is capped in size before it is parsed, its first bytes must be a zip (an
.xlsx is one) rather than trusting the file name, its unpacked size is capped so a small zip cannot expand
into gigabytes, and the number of data rows is capped.
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import openpyxl
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from redchain.orgs.excel.cells import as_text, is_blank
from redchain.orgs.excel.columns import Column, normalise, title_candidates

ZIP_SIGNATURE = b"PK\x03\x04"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0"  # old .xls files and password-protected workbooks
# An honest sheet unpacks to a few times its zipped size; thirty times leaves room for sparse sheets.
UNPACKED_RATIO = 30
MAX_COLUMNS = 100
# Excel files often carry formatting far below the data; this many blank rows in a row end the sheet.
BLANK_RUN_ENDS_SHEET = 1000


class ImportRefused(Exception):
    """The whole file is unusable; ``messages`` says why, in the user's language."""

    def __init__(self, *messages: str) -> None:
        super().__init__(*messages)
        self.messages = list(messages)


@dataclass(frozen=True)
class SheetRow:
    """A data row: its number as Excel shows it, and the raw cell of each present column."""

    number: int
    cells: dict[str, Any]

    def text(self, key: str) -> str:
        return as_text(self.cells.get(key))


@dataclass(frozen=True)
class Sheet:
    """The columns found in the header row, in file order, and the non-blank data rows."""

    columns: tuple[Column, ...]
    rows: list[SheetRow]

    def has(self, key: str) -> bool:
        return any(column.key == key for column in self.columns)


def signature_problem(head: bytes) -> str | None:
    """Why the first bytes of a file show it is not an .xlsx, or None if they could be one."""
    if head.startswith(ZIP_SIGNATURE):
        return None
    if head.startswith(OLE_SIGNATURE):
        return _(
            "This is an old .xls workbook or a password-protected one. "
            "Open it in Excel or WPS, remove any password and save it as .xlsx."
        )
    return _("This file is not an Excel workbook (.xlsx). Upload the template filled in and saved as .xlsx.")


def size_problem(size: int) -> str | None:
    limit = settings.REDCHAIN_IMPORT_MAX_BYTES
    if size <= limit:
        return None
    return _("The file is %(size)s; the limit is %(limit)s. Split it into smaller files.") % {
        "size": filesizeformat(size),
        "limit": filesizeformat(limit),
    }


def read_sheet(*, file: Any, columns: Sequence[Column]) -> Sheet:
    """The first worksheet of ``file`` (bytes, a path or a file object); raises :class:`ImportRefused`."""
    data = _read_bytes(file)
    workbook = open_workbook(data)
    try:
        worksheet = workbook.worksheets[0]
        worksheet.reset_dimensions()  # some writers record a wrong sheet size; read what is really there
        found = _header(worksheet, columns)
        return Sheet(columns=tuple(found.values()), rows=_data_rows(worksheet, found))
    finally:
        workbook.close()


def read_upload(file: Any) -> bytes:
    """The bytes of an upload (bytes, a path or a file object), reading at most one byte past the size cap
    so an oversized file is refused without being read whole."""
    limit = settings.REDCHAIN_IMPORT_MAX_BYTES
    if isinstance(file, bytes):
        data = file
    elif isinstance(file, str | os.PathLike):
        with open(file, "rb") as handle:
            data = handle.read(limit + 1)
    else:
        file.seek(0)
        data = file.read(limit + 1)
    problem = size_problem(len(data))
    if problem:
        raise ImportRefused(problem)
    return data


def _read_bytes(file: Any) -> bytes:
    data = read_upload(file)
    problem = signature_problem(data[:8])
    if problem:
        raise ImportRefused(problem)
    return data


def open_workbook(data: bytes):
    unreadable = _("The workbook could not be read; it may be damaged. Save it again as .xlsx and retry.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise ImportRefused(unreadable) from None
    if unpacked > UNPACKED_RATIO * settings.REDCHAIN_IMPORT_MAX_BYTES:
        raise ImportRefused(_("The workbook unpacks to too much data. Split it into smaller files."))
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds (KeyError, ValueError, XML errors) for broken files
        raise ImportRefused(unreadable) from None


def _header(worksheet, columns: Sequence[Column]) -> dict[int, Column]:
    """Map each header position to its column; refuse unknown, repeated or missing required columns."""
    titles = next(worksheet.iter_rows(min_row=1, max_row=1, max_col=MAX_COLUMNS, values_only=True), ())
    lookup = {candidate: column for column in columns for candidate in title_candidates(column)}
    found: dict[int, Column] = {}
    unknown, repeated = [], []
    for position, title in enumerate(titles):
        if is_blank(title):
            continue
        column = lookup.get(normalise(as_text(title)))
        if column is None:
            unknown.append(as_text(title))
        elif column in found.values():
            repeated.append(as_text(title))
        else:
            found[position] = column
    _refuse_bad_header(columns, found, unknown, repeated)
    return found


def _refuse_bad_header(columns, found, unknown, repeated) -> None:
    problems = []
    missing = [str(column.title) for column in columns if column.required and column not in found.values()]
    if missing:
        problems.append(
            _(
                "Required columns are missing: %(columns)s. The first row must hold the template's "
                "column titles."
            )
            % {"columns": "、".join(missing)}
        )
    if unknown:
        problems.append(
            _("Unknown columns: %(columns)s. Use the column titles of the template.")
            % {"columns": "、".join(unknown)}
        )
    if repeated:
        problems.append(_("Columns appear twice: %(columns)s.") % {"columns": "、".join(repeated)})
    if problems:
        raise ImportRefused(*problems)


def _data_rows(worksheet, found: dict[int, Column]) -> list[SheetRow]:
    limit = settings.REDCHAIN_IMPORT_MAX_ROWS
    width = max(found) + 1
    rows: list[SheetRow] = []
    blank_run = 0
    for number, values in enumerate(worksheet.iter_rows(min_row=2, max_col=width, values_only=True), start=2):
        if all(is_blank(value) for value in values):
            blank_run += 1
            if blank_run >= BLANK_RUN_ENDS_SHEET:
                break
            continue
        blank_run = 0
        rows.append(SheetRow(number=number, cells=_cells(values, found)))
        if len(rows) > limit:
            raise ImportRefused(
                _("The file has more than %(max)s data rows. Split it into smaller files.") % {"max": limit}
            )
    if not rows:
        raise ImportRefused(_("The file has no data rows: fill in the rows below the column titles."))
    return rows


def _cells(values: tuple, found: dict[int, Column]) -> dict[str, Any]:
    return {
        column.key: values[position] if position < len(values) else None for position, column in found.items()
    }
