"""Importing 12345 work orders (.xlsx, or .csv in UTF-8 with or without BOM, or GB18030): all rows or none.

A 12345 export has many columns; a *mapping* says which column titles feed which field of a demand
(:data:`DEFAULT_MAPPING` fits the usual exports; a caller may pass its own). Columns the mapping does not name
are ignored. Every row is checked first, as the organisation importer does (``orgs/excel``): required cells,
lengths, the credit code's check character, the enterprise and category lookups in the zone, repeated work
order numbers inside the file. A work order number already imported into the zone is *skipped and counted*,
not an error, so the same export can be imported again after new orders were added to it. Only a file
without problems is written, in one transaction, through ``demand_submit(channel="12345")`` with the
importing administrator as actor, followed by one summary audit row ``import.demands-12345`` on the zone.

An enterprise is found by its credit code (an unknown code is an error) or else by its exact name in the zone;
an unknown name is not an error, because 12345 also carries firms that are not in the zone's register: the
demand is imported without an enterprise and the name is kept at the end of its text.

Callers let only administrators of the zone import.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook

from redchain.audit.services import audit_record
from redchain.core import uscc as uscc_check
from redchain.demands.models import Category, Channel, Demand
from redchain.demands.services import demand_submit
from redchain.orgs.excel.cells import as_text, is_blank
from redchain.orgs.excel.columns import normalise
from redchain.orgs.excel.reader import ZIP_SIGNATURE, ImportRefused, read_upload, signature_problem
from redchain.orgs.excel.reader import open_workbook as open_guarded_workbook
from redchain.orgs.excel.results import ImportResult, RowError
from redchain.orgs.excel.workbooks import HEADER_FILL, HEADER_FONT, save, set_widths
from redchain.orgs.models import Enterprise, Zone

KIND = "demands-12345"
UTF8_BOM = b"\xef\xbb\xbf"

# Field → (column titles of the template, whether required). The first title is the template's.
FIELDS: dict[str, tuple[str, bool]] = {
    "external_id": ("工单编号", True),
    "title": ("标题", True),
    "body": ("诉求内容", False),
    "enterprise_name": ("企业名称", False),
    "uscc": ("统一社会信用代码", False),
    "contact_name": ("联系人", False),
    "contact_phone": ("联系电话", False),
    "category": ("诉求分类", False),
    "emergency": ("紧急程度", False),
}
DEFAULT_MAPPING: dict[str, str] = {
    "工单编号": "external_id",
    "工单号": "external_id",
    "标题": "title",
    "诉求标题": "title",
    "工单标题": "title",
    "诉求内容": "body",
    "工单内容": "body",
    "企业名称": "enterprise_name",
    "统一社会信用代码": "uscc",
    "联系人": "contact_name",
    "联系电话": "contact_phone",
    "诉求分类": "category",
    "紧急程度": "emergency",
}
URGENT = {"紧急", "特急", "加急", "是", "yes", "true", "1", "urgent"}
ORDINARY = {"一般", "普通", "否", "no", "false", "0", "normal"}
MAX_LENGTHS = {"external_id": 64, "title": 200, "contact_name": 50, "contact_phone": 30}


@dataclass
class _Row:
    number: int
    raw: dict[str, str]
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)

    def fail(self, key: str, message: str) -> None:
        self.errors.append(
            RowError(row=self.number, column=FIELDS[key][0], value=self.raw.get(key, ""), message=message)
        )


def import_12345(*, actor, zone: Zone, file: Any, mapping: dict[str, str] | None = None) -> ImportResult:
    """Import the work orders of ``file`` (bytes, path or file object) into ``zone``; see the module text."""
    result = ImportResult(kind=KIND)
    try:
        rows = read_rows(file=file, mapping=mapping or DEFAULT_MAPPING)
    except ImportRefused as refused:
        result.errors = [RowError(row=None, column="", value="", message=m) for m in refused.messages]
        return result
    result.rows = len(rows)
    checked = _check(rows, zone)
    result.errors = [error for row in checked for error in row.errors]
    if result.errors:
        return result
    fresh = [row for row in checked if not row.values.get("duplicate")]
    result.unchanged = len(checked) - len(fresh)
    try:
        result.created = _write(fresh, zone=zone, actor=actor, skipped=result.unchanged)
    except IntegrityError:
        message = _("Another import added some of these work orders at the same time. Import the file again.")
        result.errors = [RowError(row=None, column="", value="", message=message)]
    return result


# --- Reading ---------------------------------------------------------------------------------------------


def read_rows(*, file: Any, mapping: dict[str, str]) -> list[_Row]:
    """The data rows as ``{field: text}``, with the line or Excel row number; raises ImportRefused."""
    data = _read_bytes(file)
    table = _xlsx_table(data) if data.startswith(ZIP_SIGNATURE) else _csv_table(data)
    if not table:
        raise ImportRefused(_("The file is empty."))
    header, body = table[0], table[1:]
    positions = _positions(header[1], mapping)
    rows = []
    for number, values in body:
        cells = {key: as_text(values[pos]) if pos < len(values) else "" for key, pos in positions.items()}
        if any(cells.values()):
            rows.append(_Row(number=number, raw=cells))
    if not rows:
        raise ImportRefused(_("The file has no data rows: fill in the rows below the column titles."))
    if len(rows) > settings.REDCHAIN_IMPORT_MAX_ROWS:
        raise ImportRefused(
            _("The file has more than %(max)s data rows. Split it into smaller files.")
            % {"max": settings.REDCHAIN_IMPORT_MAX_ROWS}
        )
    return rows


def _read_bytes(file: Any) -> bytes:
    """Like the workbook reader, but CSV is welcome too: only an old binary .xls is refused by its signature."""
    data = read_upload(file)
    if not data.startswith(ZIP_SIGNATURE) and data[:4] == b"\xd0\xcf\x11\xe0":
        raise ImportRefused(signature_problem(data[:8]) or "")
    return data


def _xlsx_table(data: bytes) -> list[tuple[int, tuple]]:
    workbook = open_guarded_workbook(data)
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()
        return [
            (number, values)
            for number, values in enumerate(sheet.iter_rows(max_col=100, values_only=True), start=1)
        ]
    finally:
        workbook.close()


def _csv_table(data: bytes) -> list[tuple[int, tuple]]:
    text = _decode(data)
    if "\x00" in text:
        raise ImportRefused(_("This file is neither an Excel workbook (.xlsx) nor a CSV text file."))
    reader = csv.reader(io.StringIO(text, newline=""))
    return [(reader.line_num, tuple(values)) for values in reader]


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) first; Chinese Excel and WPS save CSV as GB18030 (a superset of GBK)."""
    if data.startswith(UTF8_BOM):
        return data[len(UTF8_BOM) :].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise ImportRefused(
            _("The CSV file is neither UTF-8 nor GB18030 text. Save it again as UTF-8.")
        ) from None


def _positions(header: tuple, mapping: dict[str, str]) -> dict[str, int]:
    """Field → column position; ignores unmapped titles, refuses missing required and repeated fields."""
    lookup = {normalise(title): key for title, key in mapping.items()}
    positions: dict[str, int] = {}
    repeated = []
    for position, title in enumerate(header):
        key = lookup.get(normalise(as_text(title).rstrip("*"))) if not is_blank(title) else None
        if key is None:
            continue
        if key in positions:
            repeated.append(as_text(title))
        positions.setdefault(key, position)
    missing = [FIELDS[key][0] for key, (_t, required) in FIELDS.items() if required and key not in positions]
    problems = []
    if missing:
        problems.append(
            _("Required columns are missing: %(columns)s. The first row must hold the column titles.")
            % {"columns": "、".join(missing)}
        )
    if repeated:
        problems.append(_("Columns appear twice: %(columns)s.") % {"columns": "、".join(repeated)})
    if problems:
        raise ImportRefused(*problems)
    return positions


# --- Checking --------------------------------------------------------------------------------------------


def _check(rows: list[_Row], zone: Zone) -> list[_Row]:
    """Check every row against the zone with a fixed number of queries (lookups are loaded once)."""
    firms = Enterprise.objects.filter(zone=zone).values_list("pk", "uscc", "name")
    by_uscc = {code: pk for pk, code, _name in firms}
    by_name = {name: pk for pk, _code, name in firms}
    categories = _category_index(zone)
    ids = [row.raw.get("external_id", "") for row in rows]
    known = set(Demand.objects.filter(zone=zone, external_id__in=ids).values_list("external_id", flat=True))
    repeated = {value for value, n in Counter(ids).items() if value and n > 1}
    for row in rows:
        _check_text(row)
        external_id = row.values.get("external_id", "")
        if external_id in repeated:
            row.fail("external_id", _("This work order number appears more than once in the file."))
        row.values["duplicate"] = external_id in known
        _check_enterprise(row, by_uscc, by_name)
        _check_category(row, categories)
        _check_emergency(row)
    return rows


def _check_text(row: _Row) -> None:
    for key in ("external_id", "title", "contact_name", "contact_phone"):
        value = row.raw.get(key, "").strip()
        if not value and FIELDS[key][1]:
            row.fail(key, _("This column is required."))
        elif len(value) > MAX_LENGTHS[key]:
            row.fail(key, _("At most %(max)s characters.") % {"max": MAX_LENGTHS[key]})
        else:
            row.values[key] = value
    row.values["body"] = row.raw.get("body", "").strip() or row.values.get("title", "")


def _check_enterprise(row: _Row, by_uscc: dict[str, int], by_name: dict[str, int]) -> None:
    code = row.raw.get("uscc", "").strip().upper()
    name = row.raw.get("enterprise_name", "").strip()
    if code:
        if not uscc_check.is_valid(code):
            row.fail(
                "uscc", _("This is not a valid unified social credit code (the check character is wrong).")
            )
        elif code not in by_uscc:
            row.fail("uscc", _("No enterprise of this zone has this unified social credit code."))
        elif name and by_name.get(name, by_uscc[code]) != by_uscc[code]:
            row.fail(
                "enterprise_name",
                _("The enterprise name and the credit code belong to different enterprises."),
            )
        else:
            row.values["enterprise_id"] = by_uscc[code]
    elif name in by_name:
        row.values["enterprise_id"] = by_name[name]
    elif name:
        row.values["body"] = f"{row.values['body']}\n（企业名称：{name}）"


def _check_category(row: _Row, categories: dict[str, Category | None]) -> None:
    name = normalise(row.raw.get("category", ""))
    if not name:
        return
    category = categories.get(name)
    if category is None:
        row.fail(
            "category",
            _(
                "Unknown category; use the name of one of the zone's demand categories, such as 融资 or 融资/贷款."
            ),
        )
    else:
        row.values["category"] = category


def _category_index(zone: Zone) -> dict[str, Category | None]:
    """Name and "parent/child" path → category; a name used twice in the tree is ambiguous (None)."""
    index: dict[str, Category | None] = {}
    for category in Category.objects.filter(zone=zone).select_related("parent"):
        names = [category.name]
        if category.parent is not None:
            names += [f"{category.parent.name}/{category.name}", f"{category.parent.name}／{category.name}"]
        for name in names:
            key = normalise(name)
            index[key] = None if key in index else category
    return index


def _check_emergency(row: _Row) -> None:
    value = row.raw.get("emergency", "").strip().lower()
    if value in URGENT:
        row.values["is_emergency"] = True
    elif not value or value in ORDINARY:
        row.values["is_emergency"] = False
    else:
        row.fail("emergency", _("Write 紧急 or 一般."))


# --- Writing ---------------------------------------------------------------------------------------------


@transaction.atomic
def _write(rows: list[_Row], *, zone: Zone, actor, skipped: int) -> int:
    firms = Enterprise.objects.in_bulk(
        [row.values["enterprise_id"] for row in rows if "enterprise_id" in row.values]
    )
    for row in rows:
        values = row.values
        demand_submit(
            actor=actor,
            zone=zone,
            title=values["title"],
            body=values["body"],
            channel=Channel.HOTLINE_12345,
            external_id=values["external_id"],
            enterprise=firms.get(values.get("enterprise_id")),
            category=values.get("category"),
            contact_name=values.get("contact_name", ""),
            contact_phone=values.get("contact_phone", ""),
            is_emergency=values["is_emergency"],
        )
    audit_record(
        actor=actor,
        action=f"import.{KIND}",
        obj=zone,
        changes={"created": [0, len(rows)], "skipped": [0, skipped]},
    )
    return len(rows)


# --- The blank template ----------------------------------------------------------------------------------


def build_template() -> bytes:
    """An empty sheet with the default column titles (required ones marked *) and notes."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "12345工单"
    for position, (title, required) in enumerate(FIELDS.values(), start=1):
        cell = sheet.cell(row=1, column=position, value=f"{title}*" if required else title)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    set_widths(sheet, (18, 30, 50, 28, 22, 10, 14, 14, 10))
    sheet.freeze_panes = "A2"
    notes = workbook.create_sheet(_("Instructions"))
    for line in template_notes():
        notes.append([line])
    set_widths(notes, (100,))
    return save(workbook)


def template_notes() -> list[str]:
    return [
        _("Fill in one work order per row on the first sheet, from row 2. Keep the column titles in row 1."),
        _(
            "Columns marked * are required. Other columns of a 12345 export may stay in the file; they are ignored."
        ),
        _(
            "A work order number already imported into the zone is skipped, so an export can be imported again."
        ),
        _("The enterprise is found by its unified social credit code, or else by its exact name."),
        _("The file is checked as a whole: if any row has a problem, nothing is imported."),
        _("CSV files may be saved as UTF-8 or GB18030 (the Chinese Excel default)."),
    ]
