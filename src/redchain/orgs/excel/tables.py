"""Plain tabular exports shared by every list page: a title, column headers and rows, as an .xlsx response.

The rows come from the caller's selector, so an export never shows more than the page it belongs to.
Text cells are pinned to the string type (``safe_cell``), so nothing typed by a user runs as a formula.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from openpyxl import Workbook

from redchain.orgs.excel.workbooks import header_cells, safe_cell, save, set_widths, sheet_title

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "yyyy-mm-dd"


def table_workbook(
    *, title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]], widths: Sequence[int] = ()
) -> bytes:
    """One sheet named ``title`` with a frozen header row; dates get a date format."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title(title))
    set_widths(sheet, widths or [18] * len(headers))
    sheet.freeze_panes = "A2"
    sheet.append(header_cells(sheet, [str(header) for header in headers]))
    for row in rows:
        sheet.append([safe_cell(sheet, _plain(value), _format(value)) for value in row])
    return save(workbook)


def xlsx_response(data: bytes, *, name: str, fallback: str) -> HttpResponse:
    """An attachment named ``name``.xlsx (Chinese allowed) with an ASCII ``fallback`` for old clients."""
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    # RFC 6266 / 5987: an ASCII name for old clients, then the real UTF-8 name that browsers prefer.
    ascii_name = re.sub(r"[^A-Za-z0-9._-]+", "_", f"{fallback}.xlsx")
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(f'{name}.xlsx', safe='')}"
    )
    # Exports hold personal data; no shared cache should keep a copy.
    response["Cache-Control"] = "private, no-store"
    # The length lets the page's download bar (app.js) show how much of the file has arrived.
    response["Content-Length"] = str(len(data))
    return response


def _plain(value: Any) -> Any:
    # Lazy translations and choice labels arrive as proxies; openpyxl wants plain values.
    if value is None or isinstance(value, (int, float, str)):
        return value
    if hasattr(value, "isoformat"):
        return getattr(value, "tzinfo", None) and value.replace(tzinfo=None) or value
    return str(value)


def _format(value: Any) -> str | None:
    return DATE_FORMAT if hasattr(value, "isoformat") and not hasattr(value, "hour") else None
