"""The enterprise, party organisation and party member lists as workbooks, exactly as the user may see them.

Rows come from the selectors in :mod:`redchain.orgs.selectors` — the one place that decides visibility —
with the same filters as the list pages, restricted to one zone and in the pages' order. Enterprise
sheets use the import columns, so an exported file imports back unchanged. Party members' phones and ID
numbers leave the system masked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.db.models import Model, QuerySet
from openpyxl import Workbook

from redchain.orgs import selectors
from redchain.orgs.excel.columns import COLUMNS, Column, Parse, column_named, kind_label, label_of
from redchain.orgs.excel.workbooks import cell_format, header_cells, safe_cell, save, set_widths, sheet_title
from redchain.orgs.models import Enterprise, PartyOrg, Zone

_CHUNK = 1000


def export_enterprises(*, user, zone: Zone, **filters: Any) -> bytes:
    """Filters as in :func:`redchain.orgs.selectors.enterprise_list`."""
    return export_workbook(kind="enterprises", user=user, zone=zone, filters=filters)


def export_party_orgs(*, user, zone: Zone, **filters: Any) -> bytes:
    """Filters as :func:`redchain.orgs.selectors.party_org_list`: kind, q."""
    return export_workbook(kind="party-orgs", user=user, zone=zone, filters=filters)


def export_party_members(*, user, zone: Zone, **filters: Any) -> bytes:
    """Filters as :func:`redchain.orgs.selectors.party_member_list`: org_id, status, q."""
    return export_workbook(kind="party-members", user=user, zone=zone, filters=filters)


def export_workbook(*, kind: str, user, zone: Zone, filters: Mapping[str, Any]) -> bytes:
    """One sheet of what ``user`` may see of ``kind`` in ``zone``, filtered like the list page."""
    queryset = _SELECTORS[kind](user=user, zone_id=zone.pk, **filters)
    columns = COLUMNS[kind]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title(kind_label(kind)))
    set_widths(sheet, (column.width for column in columns))
    sheet.freeze_panes = "A2"
    sheet.append(header_cells(sheet, [str(column.title) for column in columns]))
    for obj in _rows(queryset):
        sheet.append([safe_cell(sheet, _value(kind, obj, column), cell_format(column)) for column in columns])
    return save(workbook)


def _rows(queryset: QuerySet) -> Iterable[Model]:
    # Chunks keep memory flat for long lists; prefetches run once per chunk.
    return queryset.iterator(chunk_size=_CHUNK)


def party_org_filters(query: Mapping[str, str]) -> dict[str, Any]:
    """The ``kind`` and ``q`` query-string filters of party organisations; a nonsense kind is ignored.

    Enterprises and party members have filter forms of their own in :mod:`redchain.orgs.forms`.
    """
    kind = query.get("kind") or ""
    return {"kind": kind if kind in PartyOrg.Kind.values else "", "q": (query.get("q") or "").strip()}


_SELECTORS: dict[str, Callable[..., QuerySet]] = {
    "enterprises": selectors.enterprise_list,
    "party-orgs": selectors.party_org_list,
    "party-members": selectors.party_member_list,
}


def _value(kind: str, obj: Model, column: Column) -> Any:
    special = _SPECIAL_VALUES[kind].get(column.key)
    if special is not None:
        return special(obj)
    value = getattr(obj, column.key)
    return label_of(column, value) if column.parse is Parse.CHOICE else value


def _qualifications(enterprise: Enterprise) -> str:
    column = column_named("enterprises", "qualifications")
    return "、".join(label_of(column, item.kind) for item in enterprise.qualifications.all())


def _name(related: Model | None) -> str:
    return str(related) if related is not None else ""


_SPECIAL_VALUES: dict[str, dict[str, Callable[[Any], Any]]] = {
    "enterprises": {
        "chain": lambda enterprise: _name(enterprise.chain),
        "qualifications": _qualifications,
    },
    "party-orgs": {
        "parent": lambda org: _name(org.parent),
        "owner_enterprise": lambda org: org.owner_enterprise.uscc if org.owner_enterprise else "",
        "owner_department": lambda org: _name(org.owner_department),
    },
    "party-members": {
        "org": lambda member: _name(member.org),
        "phone": lambda member: member.masked_phone,
        "id_number": lambda member: member.masked_id_number,
        "employer": lambda member: member.employer.uscc if member.employer else "",
    },
}
