"""Reads of pairings, already restricted to what the user may see.

Pages, exports, the API and the panels on other apps' pages call these. Per-row counts are subqueries, so a
list costs the same number of queries for ten pairings or three thousand, and sums never double up across joins.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DecimalField, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from redchain.accounts.scope import scope_for
from redchain.orgs.models import Department, Enterprise, PartyOrg
from redchain.pairings.models import Pairing, PairingProject, PairingPromise, today

PS = PairingProject.Status
ZERO = Decimal("0")


def _count(model, **filters) -> Coalesce:
    rows = model.objects.filter(pairing=OuterRef("pk"), **filters).order_by()
    counted = rows.values("pairing").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _funds(column: str) -> Coalesce:
    rows = PairingPromise.objects.filter(pairing=OuterRef("pk"), kind=PairingPromise.Kind.FUNDS).order_by()
    summed = rows.values("pairing").annotate(total=Sum(column)).values("total")
    return Coalesce(Subquery(summed, output_field=DecimalField(max_digits=14, decimal_places=2)), ZERO)


def _with_counts(qs: QuerySet[Pairing]) -> QuerySet[Pairing]:
    return qs.annotate(
        promise_count=_count(PairingPromise),
        delivered_count=_count(PairingPromise, status=PairingPromise.Status.DELIVERED),
        overdue_count=_count(PairingPromise, due_on__lt=today(), status__in=["promised", "partly_delivered"]),
        funds_promised_wan=_funds("amount_wan"),
        funds_delivered_wan=_funds("delivered_amount_wan"),
        project_count=_count(PairingProject),
        projects_planned=_count(PairingProject, status=PS.PLANNED),
        projects_in_progress=_count(PairingProject, status=PS.IN_PROGRESS),
        projects_done=_count(PairingProject, status=PS.DONE),
        projects_stalled=_count(PairingProject, status=PS.STALLED),
    )


def pairing_list(
    *,
    user,
    zone_id: int | None = None,
    department_id: int | None = None,
    partner_kind: str = "",
    status: str = "",
    mechanism: str = "",
    q: str = "",
) -> QuerySet[Pairing]:
    """Pairings the user may see, with their counts, sorted by the pinyin of their names."""
    qs = Pairing.objects.visible_to(user).select_related(
        "zone", "agency_org__owner_department", "partner_enterprise", "partner_party_org"
    )
    if zone_id:
        qs = qs.filter(zone_id=zone_id)
    if department_id:
        qs = qs.filter(agency_org__owner_department_id=department_id)
    if partner_kind:
        qs = qs.filter(partner_kind=partner_kind)
    if status:
        qs = qs.filter(status=status)
    if mechanism:
        qs = qs.filter(mechanism=mechanism)
    if q.strip():
        qs = qs.filter(Q(name__icontains=q.strip()) | Q(goals__icontains=q.strip()))
    return _with_counts(qs).order_by("sort_name", "id")


def pairing_get(*, user, pk: int) -> Pairing:
    """One pairing with its promises and projects, or ``Pairing.DoesNotExist`` outside the user's scope."""
    return (
        pairing_list(user=user)
        .prefetch_related(
            Prefetch("promises", queryset=PairingPromise.objects.order_by("due_on", "id")),
            Prefetch("projects", queryset=PairingProject.objects.order_by("status", "-started_on", "id")),
        )
        .get(pk=pk)
    )


def promise_get(*, user, pk: int) -> PairingPromise:
    return PairingPromise.objects.visible_to(user).select_related("pairing__agency_org").get(pk=pk)


def project_get(*, user, pk: int) -> PairingProject:
    return PairingProject.objects.visible_to(user).select_related("pairing__agency_org").get(pk=pk)


def project_list(
    *,
    user,
    zone_id: int | None = None,
    department_id: int | None = None,
    status: str = "",
    kind: str = "",
    q: str = "",
) -> QuerySet[PairingProject]:
    """Joint projects of the pairings the user may see, newest start first."""
    qs = PairingProject.objects.visible_to(user).select_related(
        "pairing__agency_org__owner_department", "pairing__partner_enterprise", "pairing__partner_party_org"
    )
    if zone_id:
        qs = qs.filter(zone_id=zone_id)
    if department_id:
        qs = qs.filter(pairing__agency_org__owner_department_id=department_id)
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if q.strip():
        qs = qs.filter(title__icontains=q.strip())
    return qs.order_by("-started_on", "-id")


# ---------------------------------------------------------------------------------------------- per agency


@dataclass
class AgencyRow:
    """What one agency (a department, through its party organisations) has achieved in its pairings."""

    department_id: int
    name: str
    sort_name: str
    pairings: int = 0
    active: int = 0
    projects: dict[str, int] = field(default_factory=dict)
    promises: int = 0
    delivered: int = 0
    funds_promised_wan: Decimal = ZERO
    funds_delivered_wan: Decimal = ZERO

    @property
    def delivery_rate(self) -> float | None:
        """Share of promises delivered in full, or None when there is none."""
        return self.delivered / self.promises if self.promises else None

    @property
    def projects_done(self) -> int:
        return self.projects.get(PS.DONE, 0)

    @property
    def project_total(self) -> int:
        return sum(self.projects.values())


def agency_summary(*, user, zone_id: int, department_id: int | None = None, **filters) -> list[AgencyRow]:
    """Per agency department: pairings, projects by status, promises and funds promised against delivered.

    Three grouped queries over the same filtered pairings as the list, whatever the number of rows.
    """
    pairings = pairing_list(user=user, zone_id=zone_id, department_id=department_id, **filters)
    ids = pairings.order_by().values("pk")
    dept = "agency_org__owner_department"
    rows: dict[int, AgencyRow] = {}
    grouped = (
        Pairing.objects.filter(pk__in=ids)
        .values(f"{dept}_id", f"{dept}__name", f"{dept}__sort_name")
        .annotate(n=Count("pk"), active=Count("pk", filter=Q(status=Pairing.Status.ACTIVE)))
        .order_by()
    )
    for row in grouped:
        rows[row[f"{dept}_id"]] = AgencyRow(
            row[f"{dept}_id"], row[f"{dept}__name"], row[f"{dept}__sort_name"], row["n"], row["active"]
        )
    for row in (
        PairingProject.objects.filter(pairing__in=ids)
        .values(f"pairing__{dept}_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        rows[row[f"pairing__{dept}_id"]].projects[row["status"]] = row["n"]
    funds = Q(kind=PairingPromise.Kind.FUNDS)
    for row in (
        PairingPromise.objects.filter(pairing__in=ids)
        .values(f"pairing__{dept}_id")
        .annotate(
            n=Count("pk"),
            delivered=Count("pk", filter=Q(status=PairingPromise.Status.DELIVERED)),
            promised_wan=Sum("amount_wan", filter=funds),
            delivered_wan=Sum("delivered_amount_wan", filter=funds),
        )
        .order_by()
    ):
        agency = rows[row[f"pairing__{dept}_id"]]
        agency.promises, agency.delivered = row["n"], row["delivered"]
        agency.funds_promised_wan = row["promised_wan"] or ZERO
        agency.funds_delivered_wan = row["delivered_wan"] or ZERO
    return sorted(rows.values(), key=lambda r: (-r.projects_done, r.sort_name))


# ---------------------------------------------------------------------------------------------- choices


def agency_orgs(*, user, zone_id: int) -> QuerySet[PartyOrg]:
    """Department-owned party organisations the user may pair: the zone's for zone-wide readers, else their
    own department's."""
    scope = scope_for(user)
    qs = PartyOrg.objects.visible_to(user).filter(zone_id=zone_id, owner_kind=PartyOrg.OwnerKind.DEPARTMENT)
    if not scope.reads_whole_zone(zone_id):
        qs = qs.filter(owner_department_id__in=scope.department_ids)
    return qs.select_related("owner_department").order_by("sort_name", "id")


def partner_orgs(*, zone_id: int) -> QuerySet[PartyOrg]:
    """Party organisations a pairing may name as its partner branch.

    Department staff see only their own organisations' records, yet must pick an enterprise's or a village's
    branch to pair with; like the alliance roster, the zone's list of organisation names is shown to its
    members here, and nothing else about them.
    """
    kinds = [PartyOrg.Kind.COMMITTEE, PartyOrg.Kind.GENERAL_BRANCH, PartyOrg.Kind.BRANCH]
    return PartyOrg.objects.filter(zone_id=zone_id, kind__in=kinds).order_by("sort_name", "id")


def agency_departments(*, zone_id: int) -> QuerySet[Department]:
    """Departments that own a party organisation, for the filter (the zone's structure is public to members)."""
    owners = PartyOrg.objects.filter(zone_id=zone_id, owner_kind=PartyOrg.OwnerKind.DEPARTMENT)
    return Department.objects.filter(zone_id=zone_id, id__in=owners.values("owner_department_id")).order_by(
        "sort_name"
    )


# ---------------------------------------------------------------------------------------------- panels


def pairings_of_org(*, user, org: PartyOrg) -> QuerySet[Pairing]:
    """The organisation's pairings, as the agency or as the partner."""
    return pairing_list(user=user).filter(Q(agency_org=org) | Q(partner_party_org=org))


def pairings_of_enterprise(*, user, enterprise: Enterprise) -> QuerySet[Pairing]:
    """Pairings with the firm or with one of its party organisations as the partner."""
    return pairing_list(user=user).filter(
        Q(partner_enterprise=enterprise) | Q(partner_party_org__owner_enterprise=enterprise)
    )
