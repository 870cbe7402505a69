"""Importing enterprises, party organisations and party members from a workbook: all rows or none.

Every row is checked first — cells, duplicates inside the file and against the database, references to
chains, organisations, enterprises and departments — so the report lists every bad row at once. Only a
file without problems is written, in one transaction, through the services in
:mod:`redchain.orgs.services` (which write the per-object audit rows), followed by one summary audit row
``import.<kind>`` on the zone.

These functions take no request and check no permission: callers let only administrators of the zone
import (``scope_for(user).administers(zone.pk)``, as ``accounts.decorators.zone_admin_required`` does).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from redchain.audit.services import audit_record, diff
from redchain.orgs import services
from redchain.orgs.excel.cells import CellError, ChoiceIndex, is_blank, parse_cell
from redchain.orgs.excel.columns import COLUMNS, Column, Parse, column_by_key, label_of
from redchain.orgs.excel.reader import ImportRefused, Sheet, SheetRow, read_sheet
from redchain.orgs.excel.results import ImportResult, RowError
from redchain.orgs.models import Department, Enterprise, IndustryChain, PartyMember, PartyOrg, Zone

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
_PATH_SEPARATOR = re.compile(r"\s*[/／]\s*")


def import_enterprises(*, actor, zone: Zone, file: Any) -> ImportResult:
    """Create enterprises, or update those whose credit code is already in the zone."""
    return _import(kind="enterprises", actor=actor, zone=zone, file=file, plan=_plan_enterprises)


def import_party_orgs(*, actor, zone: Zone, file: Any) -> ImportResult:
    """Create party organisations; a parent may be in the zone already or on an earlier row."""
    return _import(kind="party-orgs", actor=actor, zone=zone, file=file, plan=_plan_party_orgs)


def import_party_members(*, actor, zone: Zone, file: Any) -> ImportResult:
    """Create party members of organisations already in the zone."""
    return _import(kind="party-members", actor=actor, zone=zone, file=file, plan=_plan_party_members)


IMPORTERS: dict[str, Callable[..., ImportResult]] = {
    "enterprises": import_enterprises,
    "party-orgs": import_party_orgs,
    "party-members": import_party_members,
}


def run_import(*, kind: str, actor, zone: Zone, file: Any) -> ImportResult:
    """Import ``file`` as ``kind`` (enterprises, party-orgs or party-members)."""
    return IMPORTERS[kind](actor=actor, zone=zone, file=file)


# --- One row while it is checked -------------------------------------------------------------------------


class _Row:
    """A data row's clean values and its problems."""

    def __init__(self, *, source: SheetRow, kind: str) -> None:
        self.source = source
        self.kind = kind
        self.values: dict[str, Any] = {}
        self.errors: list[RowError] = []
        self._failed: set[str] = set()

    @property
    def number(self) -> int:
        return self.source.number

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)

    def failed(self, key: str) -> bool:
        return key in self._failed

    def fail(self, key: str, message: str) -> None:
        column = column_by_key(self.kind, key)
        title = str(column.title) if column else _("Whole row")
        self.errors.append(
            RowError(row=self.number, column=title, value=self.source.text(key), message=message)
        )
        self._failed.add(key)
        self.values.pop(key, None)


def _parse_rows(*, kind: str, sheet: Sheet) -> list[_Row]:
    choices = {column.key: ChoiceIndex(column) for column in sheet.columns if column.options}
    return [_parse_row(kind=kind, sheet=sheet, source=source, choices=choices) for source in sheet.rows]


def _parse_row(*, kind: str, sheet: Sheet, source: SheetRow, choices: dict[str, ChoiceIndex]) -> _Row:
    row = _Row(source=source, kind=kind)
    for column in sheet.columns:
        raw = source.cells.get(column.key)
        if is_blank(raw):
            if column.required:
                row.fail(column.key, _("This column is required."))
            else:
                row.values[column.key] = _blank_value(column)
            continue
        try:
            row.values[column.key] = parse_cell(column, raw, choices.get(column.key))
        except CellError as exc:
            row.fail(column.key, str(exc))
    return row


def _blank_value(column: Column) -> Any:
    if column.default is not None:
        return column.default
    return None if column.parse in (Parse.DECIMAL, Parse.INTEGER, Parse.DATE) else ""


def _check_unique(row: _Row, key: str, first_rows: dict[str, int]) -> None:
    """Flag a value that an earlier row of the file already used."""
    value = row.get(key)
    if not value:
        return
    if value in first_rows:
        row.fail(key, _("Duplicates row %(row)s of this file.") % {"row": first_rows[value]})
    else:
        first_rows[value] = row.number


# --- Running an import -----------------------------------------------------------------------------------


@dataclass
class _Step:
    """The write for one checked row; ``apply(actor=...)`` returns CREATED, UPDATED or UNCHANGED."""

    row: _Row
    apply: Callable[..., str]


def _import(*, kind: str, actor, zone: Zone, file: Any, plan: Callable[..., list[_Step]]) -> ImportResult:
    result = ImportResult(kind=kind)
    try:
        sheet = read_sheet(file=file, columns=COLUMNS[kind])
    except ImportRefused as refused:
        result.errors = [
            RowError(row=None, column="", value="", message=message) for message in refused.messages
        ]
        return result
    result.rows = len(sheet.rows)
    rows = _parse_rows(kind=kind, sheet=sheet)
    steps = plan(zone=zone, sheet=sheet, rows=rows)
    result.errors = [error for row in rows for error in row.errors]
    if result.ok:
        _commit(
            kind=kind, actor=actor, zone=zone, steps=steps, result=result, file_name=getattr(file, "name", "")
        )
    return result


class _RowRefused(Exception):
    """A service refused a row that passed the checks; carries that row's report lines."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(errors)
        self.errors = errors


def _commit(
    *, kind: str, actor, zone: Zone, steps: list[_Step], result: ImportResult, file_name: str
) -> None:
    """Write every row, or, when a service refuses one, none of them and report that row."""
    try:
        counts = _write_all(
            kind=kind, actor=actor, zone=zone, steps=steps, rows=result.rows, file_name=file_name
        )
    except _RowRefused as refused:
        result.errors = refused.errors
        return
    result.created, result.updated, result.unchanged = counts[CREATED], counts[UPDATED], counts[UNCHANGED]


@transaction.atomic
def _write_all(
    *, kind: str, actor, zone: Zone, steps: list[_Step], rows: int, file_name: str
) -> Counter[str]:
    counts: Counter[str] = Counter(_apply(step, actor) for step in steps)
    summary = {outcome: counts[outcome] for outcome in (CREATED, UPDATED, UNCHANGED)}
    changes = {"rows": rows, **summary, "file": str(file_name)[:200]}
    audit_record(actor=actor, action=f"import.{kind.replace('-', '_')}", obj=zone, changes=changes)
    return counts


def _apply(step: _Step, actor) -> str:
    try:
        return step.apply(actor=actor)
    except ValidationError as exc:
        raise _RowRefused(_refusal_errors(step.row, exc)) from exc
    except IntegrityError as exc:
        # Another user wrote a conflicting record between the check and the write.
        step.row.fail("", _("This row conflicts with a change made at the same time. Upload the file again."))
        raise _RowRefused(step.row.errors) from exc


def _refusal_errors(row: _Row, exc: ValidationError) -> list[RowError]:
    """A service's ValidationError as report rows, one per message, under the matching column."""
    by_field = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
    for field_name, messages in by_field.items():
        for message in messages:
            row.fail(field_name if column_by_key(row.kind, field_name) else "", message)
    return row.errors


# --- Enterprises -----------------------------------------------------------------------------------------


class _Chains:
    """The zone's industry chains by name and by code."""

    def __init__(self, zone: Zone) -> None:
        self._by_text: dict[str, IndustryChain] = {}
        for chain in IndustryChain.objects.filter(zone=zone):
            self._by_text.setdefault(chain.name, chain)
            self._by_text.setdefault(chain.code, chain)

    def resolve(self, row: _Row) -> IndustryChain | None:
        text = row.get("chain", "")
        if not text:
            return None
        chain = self._by_text.get(text)
        if chain is None:
            row.fail("chain", _("The zone has no industry chain named “%(name)s”.") % {"name": text})
        return chain


def _plan_enterprises(*, zone: Zone, sheet: Sheet, rows: list[_Row]) -> list[_Step]:
    existing = {
        enterprise.uscc: enterprise
        for enterprise in Enterprise.objects.filter(zone=zone)
        .select_related("chain")
        .prefetch_related("qualifications")
    }
    chains = _Chains(zone)
    first_rows: dict[str, int] = {}
    steps = []
    for row in rows:
        _check_unique(row, "uscc", first_rows)
        current = existing.get(row.get("uscc"))
        fields = _enterprise_fields(row=row, sheet=sheet, chains=chains, current=current)
        if not row.errors:
            qualifications = row.values.get("qualifications")
            apply = partial(
                _save_enterprise, zone=zone, current=current, fields=fields, qualifications=qualifications
            )
            steps.append(_Step(row=row, apply=apply))
    return steps


def _enterprise_fields(
    *, row: _Row, sheet: Sheet, chains: _Chains, current: Enterprise | None
) -> dict[str, Any]:
    """The model fields the row sets; a column missing from the sheet leaves that field alone."""
    fields = {key: value for key, value in row.values.items() if key != "qualifications"}
    if sheet.has("chain"):
        fields["chain"] = chains.resolve(row)
        chain = fields["chain"]
    else:
        chain = current.chain if current else None
    needs_chain = {
        "segment": _("A chain segment needs an industry chain."),
        "chain_role": _("A chain role needs an industry chain."),
    }
    for key, message in needs_chain.items():
        if fields.get(key) and chain is None and not row.failed("chain"):
            row.fail(key, message)
    return fields


def _save_enterprise(*, actor, zone: Zone, current: Enterprise | None, fields: dict, qualifications) -> str:
    if current is None:
        services.enterprise_create(
            actor=actor, zone=zone, qualifications=list(qualifications or ()), **fields
        )
        return CREATED
    kinds = sorted(qualifications) if qualifications is not None else None
    held = sorted(qualification.kind for qualification in current.qualifications.all())
    if not diff(current, fields) and kinds in (None, held):
        return UNCHANGED
    services.enterprise_update(actor=actor, enterprise=current, qualifications=kinds, **fields)
    return UPDATED


# --- Party organisations ---------------------------------------------------------------------------------


@dataclass(eq=False)
class _Node:
    """A party organisation of the zone, or one a row of the file will create."""

    name: str
    parent: _Node | None
    org: PartyOrg | None = None  # None until the row that creates it is written
    row: int | None = None

    def path(self) -> str:
        names = []
        node: _Node | None = self
        while node is not None:
            names.append(node.name)
            node = node.parent
        return "/".join(reversed(names))


@dataclass
class _Tree:
    """Every party organisation of the zone by name, growing as rows of the file are checked."""

    by_name: dict[str, list[_Node]] = field(default_factory=lambda: defaultdict(list))
    children: dict[tuple[int, str], _Node] = field(default_factory=dict)
    committee_row: int | None = None
    has_committee: bool = False

    @classmethod
    def of_zone(cls, zone: Zone) -> _Tree:
        tree = cls()
        nodes: dict[int, _Node] = {}
        # Ordered by path, so each parent is loaded before its children.
        for org in PartyOrg.objects.filter(zone=zone).order_by("path"):
            parent = nodes.get(org.parent_id) if org.parent_id else None
            nodes[org.pk] = tree.add(name=org.name, parent=parent, org=org)
            tree.has_committee |= org.kind == PartyOrg.Kind.WORKING_COMMITTEE
        return tree

    def add(
        self, *, name: str, parent: _Node | None, org: PartyOrg | None = None, row: int | None = None
    ) -> _Node:
        node = _Node(name=name, parent=parent, org=org, row=row)
        self.by_name[name].append(node)
        self.children.setdefault((id(parent), name), node)
        return node

    def sibling(self, *, parent: _Node | None, name: str) -> _Node | None:
        return self.children.get((id(parent), name))

    def find(self, text: str) -> list[_Node]:
        """Nodes named ``text``, or matching a path such as 甲党委/第一党支部 (read from its end)."""
        if self.by_name.get(text):
            return list(self.by_name[text])
        parts = [part for part in _PATH_SEPARATOR.split(text) if part]
        if not parts:
            return []
        return [node for node in self.by_name.get(parts[-1], []) if _ancestors_match(node, parts[:-1])]


def _ancestors_match(node: _Node, names: list[str]) -> bool:
    ancestor = node.parent
    for name in reversed(names):
        if ancestor is None or ancestor.name != name:
            return False
        ancestor = ancestor.parent
    return True


def _resolve_org(*, tree: _Tree, row: _Row, key: str, later: dict[str, list[int]]) -> _Node | None:
    """The one organisation a cell names; otherwise the row fails with the reason."""
    text = row.get(key, "")
    found = tree.find(text)
    if len(found) == 1:
        return found[0]
    if found:
        row.fail(
            key,
            _("%(count)s organisations are named “%(name)s”; write the path instead, e.g. “%(path)s”.")
            % {"count": len(found), "name": text, "path": found[0].path()},
        )
        return None
    after = [number for number in later.get(_last_part(text), []) if number > row.number]
    if after:
        row.fail(
            key,
            _("The parent “%(name)s” is on row %(row)s, below this row. Put parents above their children.")
            % {"name": text, "row": after[0]},
        )
    else:
        row.fail(key, _("The zone has no party organisation named “%(name)s”.") % {"name": text})
    return None


def _last_part(text: str) -> str:
    parts = [part for part in _PATH_SEPARATOR.split(text) if part]
    return parts[-1] if parts else text


class _Units:
    """The zone's enterprises by credit code and departments by name, for owner and employer cells."""

    def __init__(self, zone: Zone) -> None:
        self.enterprises = {
            e.uscc: e for e in Enterprise.objects.filter(zone=zone).only("id", "zone_id", "uscc", "name")
        }
        self.departments: dict[str, Department] = {}
        for department in Department.objects.filter(zone=zone):
            self.departments.setdefault(department.name, department)
            if department.short_name:
                self.departments.setdefault(department.short_name, department)

    def enterprise(self, row: _Row, key: str) -> Enterprise | None:
        code = row.get(key, "")
        if not code:
            return None
        enterprise = self.enterprises.get(code)
        if enterprise is None:
            row.fail(key, _("The zone has no enterprise with this unified social credit code."))
        return enterprise

    def department(self, row: _Row, key: str) -> Department | None:
        name = row.get(key, "")
        if not name:
            return None
        department = self.departments.get(name)
        if department is None:
            row.fail(key, _("The zone has no department named “%(name)s”.") % {"name": name})
        return department


def _plan_party_orgs(*, zone: Zone, sheet: Sheet, rows: list[_Row]) -> list[_Step]:
    tree, units = _Tree.of_zone(zone), _Units(zone)
    later: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        if row.get("name"):
            later[row.get("name")].append(row.number)
    steps = []
    for row in rows:
        parent = _org_parent(tree=tree, row=row, later=later)
        node = _add_org_node(tree=tree, row=row, parent=parent)
        fields = _org_fields(row=row, units=units)
        if not row.errors and node is not None:
            apply = partial(_save_party_org, zone=zone, node=node, kind=row.values["kind"], fields=fields)
            steps.append(_Step(row=row, apply=apply))
    return steps


def _org_parent(*, tree: _Tree, row: _Row, later: dict[str, list[int]]) -> _Node | None:
    kind = row.get("kind")
    if kind == PartyOrg.Kind.WORKING_COMMITTEE:
        _check_committee(tree=tree, row=row)
        return None
    if row.get("parent"):
        return _resolve_org(tree=tree, row=row, key="parent", later=later)
    if kind:
        row.fail("parent", _("Every organisation except the party working committee needs a parent."))
    return None


def _check_committee(*, tree: _Tree, row: _Row) -> None:
    if row.get("parent"):
        row.fail("parent", _("A party working committee has no parent organisation; leave this blank."))
    if tree.has_committee:
        row.fail("kind", _("The zone already has a party working committee."))
    elif tree.committee_row is not None:
        row.fail(
            "kind",
            _("A zone has one party working committee; row %(row)s already creates it.")
            % {"row": tree.committee_row},
        )
    else:
        tree.committee_row = row.number


def _add_org_node(*, tree: _Tree, row: _Row, parent: _Node | None) -> _Node | None:
    """Register the row's organisation so later rows can name it as their parent."""
    name = row.get("name")
    if not name:
        return None
    twin = tree.sibling(parent=parent, name=name)
    if twin is not None and parent is not None:
        if twin.row is not None:
            row.fail("name", _("Duplicates row %(row)s of this file.") % {"row": twin.row})
        else:
            row.fail(
                "name",
                _("“%(parent)s” already has an organisation named “%(name)s”.")
                % {"parent": parent.name, "name": name},
            )
    # Registered even when the row is bad, so its children are not reported as orphans as well.
    return tree.add(name=name, parent=parent, row=row.number)


_OWNER_KEYS = {
    "enterprise": "owner_enterprise",
    "department": "owner_department",
    "village": "owner_place",
    "community": "owner_place",
}


def _org_fields(*, row: _Row, units: _Units) -> dict[str, Any]:
    plain = ("secretary", "brand_name", "brand_description", "rating", "founded_on")
    fields = {key: row.values[key] for key in plain if key in row.values}
    owner_kind = _owner_kind(row)
    if owner_kind is None:
        return fields
    return {
        **fields,
        "owner_kind": owner_kind,
        "owner_enterprise": units.enterprise(row, "owner_enterprise") if owner_kind == "enterprise" else None,
        "owner_department": units.department(row, "owner_department") if owner_kind == "department" else None,
        "owner_place": row.get("owner_place", "") if owner_kind in ("village", "community") else "",
    }


def _owner_kind(row: _Row) -> str | None:
    """The owner type, given or inferred from the one owner cell filled in; None when the row fails."""
    filled = [key for key in ("owner_enterprise", "owner_department", "owner_place") if row.get(key)]
    kind = row.get("owner_kind", "")
    if row.failed("owner_kind"):
        return None
    if not kind:
        return _infer_owner_kind(row, filled)
    column = column_by_key(row.kind, "owner_kind")
    label = label_of(column, kind) if column else kind
    needed, problems = _OWNER_KEYS[kind], len(row.errors)
    if needed not in filled and not row.failed(needed):
        row.fail(needed, _("Fill this in for an owner of type “%(kind)s”.") % {"kind": label})
    for key in filled:
        if key != needed:
            row.fail(key, _("Leave this blank for an owner of type “%(kind)s”.") % {"kind": label})
    return kind if len(row.errors) == problems else None


def _infer_owner_kind(row: _Row, filled: list[str]) -> str | None:
    if not filled:
        return ""
    if len(filled) > 1:
        row.fail(filled[1], _("Give one owner only: an enterprise, a department, or a village or community."))
        return None
    if filled == ["owner_place"]:
        row.fail("owner_kind", _("Choose village or community as the owner type."))
        return None
    return "enterprise" if filled == ["owner_enterprise"] else "department"


def _save_party_org(*, actor, zone: Zone, node: _Node, kind: str, fields: dict) -> str:
    # Rows are written in file order and a parent always precedes its children, so the parent's org exists.
    parent = node.parent.org if node.parent else None
    node.org = services.party_org_create(
        actor=actor, zone=zone, name=node.name, kind=kind, parent=parent, **fields
    )
    return CREATED


# --- Party members ---------------------------------------------------------------------------------------


_MEMBER_FIELDS = ("gender", "status", "joined_on", "position", "phone", "id_number")


def _plan_party_members(*, zone: Zone, sheet: Sheet, rows: list[_Row]) -> list[_Step]:
    tree, units = _Tree.of_zone(zone), _Units(zone)
    taken = {number.upper() for number in _id_numbers(zone)}
    first_rows: dict[str, int] = {}
    steps = []
    for row in rows:
        node = _resolve_org(tree=tree, row=row, key="org", later={}) if row.get("org") else None
        _check_unique(row, "id_number", first_rows)
        if row.get("id_number") in taken:
            row.fail("id_number", _("A party member with this ID number is already in the zone."))
        employer = units.enterprise(row, "employer")
        if not row.errors and node is not None and node.org is not None:
            fields = {key: row.values[key] for key in _MEMBER_FIELDS if key in row.values}
            apply = partial(
                _save_party_member, org=node.org, name=row.values["name"], fields=fields, employer=employer
            )
            steps.append(_Step(row=row, apply=apply))
    return steps


def _id_numbers(zone: Zone) -> Iterable[str]:
    return PartyMember.objects.filter(zone=zone).exclude(id_number="").values_list("id_number", flat=True)


def _save_party_member(*, actor, org: PartyOrg, name: str, fields: dict, employer: Enterprise | None) -> str:
    services.party_member_create(actor=actor, org=org, name=name, employer=employer, **fields)
    return CREATED
